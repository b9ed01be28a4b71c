package openapi_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/hljhrss/hrss/infra/openapi"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/infra/samtemplate"
	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/identity"
)

const root = "../.."

// errorSchema is the one schema of every error answer.
const errorSchema = "#/components/schemas/Error"

// operation is one operation of the document with where it is.
type operation struct {
	route string // "METHOD /path" as template.yaml spells it
	item  *v3.PathItem
	op    *v3.Operation
}

// document parses the embedded document and builds its model.
func document(t *testing.T) (libopenapi.Document, *v3.Document) {
	t.Helper()
	doc, err := libopenapi.NewDocument(openapi.Spec())
	if err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("openapi.yaml does not build a model: %v", err)
	}
	return doc, &m.Model
}

// operations lists the document's operations by route.
func operations(t *testing.T, m *v3.Document) map[string]operation {
	t.Helper()
	out := map[string]operation{}
	for path, item := range m.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			route := strings.ToUpper(method) + " " + path
			out[route] = operation{route: route, item: item, op: op}
		}
	}
	return out
}

// routes lists template.yaml's HttpApi routes: "METHOD /path" → function.
func routes(t *testing.T) map[string]string {
	t.Helper()
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, fn := range tpl.Functions {
		for _, r := range fn.Routes {
			out[r.Method+" "+r.Path] = name
		}
	}
	if len(out) == 0 {
		t.Fatal("template.yaml has no HttpApi routes")
	}
	return out
}

// TestDocumentIsOpenAPI31: the document parses, resolves every reference and
// validates against the OpenAPI 3.1 schema.
func TestDocumentIsOpenAPI31(t *testing.T) {
	doc, _ := document(t)
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Errorf("openapi: %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("not valid OpenAPI 3.1: %s (%s) line %d: %v", e.Message, e.Reason, e.SpecLine, e.SchemaValidationErrors)
		}
	}
}

// TestSchemasAreJSONSchema: every schema of the document (the
// components' and those written inline in operations) compiles as a JSON
// Schema 2020-12 of OpenAPI 3.1, with its references resolved: a misspelt
// type or keyword value is refused here, which the document's own
// validation does not look into.
func TestSchemasAreJSONSchema(t *testing.T) {
	_, m := document(t)
	opts := config.NewValidationOptions()
	compile := func(where string, sp *base.SchemaProxy) {
		t.Helper()
		if sp == nil || (sp.IsReference() && !strings.HasPrefix(where, "components/")) {
			return // a component's: compiled as such
		}
		s := sp.Schema()
		if s == nil {
			t.Errorf("%s: schema does not build: %v", where, sp.GetBuildError())
			return
		}
		b, err := s.MarshalJSONInline()
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		if _, err := helpers.NewCompiledSchema(where, b, opts); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	for name, sp := range m.Components.Schemas.FromOldest() {
		compile("components/schemas/"+name, sp)
	}
	for route, o := range operations(t, m) {
		for _, p := range slices.Concat(o.item.Parameters, o.op.Parameters) {
			compile(route+" parameter "+p.Name, p.Schema)
		}
		if rb := o.op.RequestBody; rb != nil && rb.Content != nil {
			for mt, c := range rb.Content.FromOldest() {
				compile(route+" request "+mt, c.Schema)
			}
		}
		for code, r := range o.op.Responses.Codes.FromOldest() {
			if r.Content == nil {
				continue
			}
			for mt, c := range r.Content.FromOldest() {
				compile(route+" "+code+" "+mt, c.Schema)
			}
		}
	}
}

// TestOperationsAreTheTemplateRoutes: the document has one operation for
// every HttpApi route of template.yaml, method and path as the template
// spells them, and none that the template lacks.
func TestOperationsAreTheTemplateRoutes(t *testing.T) {
	_, m := document(t)
	ops, want := operations(t, m), routes(t)
	var missing, extra []string
	for route, fn := range want {
		if _, ok := ops[route]; !ok {
			missing = append(missing, route+" ("+fn+")")
		}
	}
	for route := range ops {
		if _, ok := want[route]; !ok {
			extra = append(extra, route)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	for _, r := range missing {
		t.Errorf("template.yaml routes %s; openapi.yaml has no such operation", r)
	}
	for _, r := range extra {
		t.Errorf("openapi.yaml describes %s; template.yaml has no such route", r)
	}
	t.Logf("%d operations, %d template routes", len(ops), len(want))
}

var (
	lowerCamel = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	pathParam  = regexp.MustCompile(`\{([^}]+)\}`)
)

// TestOperationsDescribeTheirRoutes: every operation has a unique
// lowerCamel operationId, a summary and its function's logical id as its
// one tag; its security and x-roles say what the function's access policy
// for the route says; its path parameters are the path's; and its error
// answers (4xx) are the shared Error: 401 and 403 for routes that need a session,
// 403 for every method that changes state (cross-origin protection), and
// 400, 413, 415 and 422 for JSON bodies.
func TestOperationsDescribeTheirRoutes(t *testing.T) {
	_, m := document(t)
	fns := routes(t)
	seen := map[string]string{}
	for route, o := range operations(t, m) {
		t.Run(route, func(t *testing.T) {
			fn, ok := fns[route]
			if !ok {
				t.Skip("not a template route (TestOperationsAreTheTemplateRoutes reports it)")
			}
			id := o.op.OperationId
			switch {
			case !lowerCamel.MatchString(id):
				t.Errorf("operationId %q is not lowerCamel", id)
			case seen[id] != "":
				t.Errorf("operationId %q is also %s's", id, seen[id])
			}
			seen[id] = route
			if strings.TrimSpace(o.op.Summary) == "" {
				t.Error("no summary")
			}
			if diff := cmp.Diff([]string{fn}, o.op.Tags); diff != "" {
				t.Errorf("tags: want the function's logical id (-want +got):\n%s", diff)
			}
			p, declared := runner.Policies[fn][route]
			if !declared {
				t.Fatalf("%s declares no access policy for the route", fn)
			}
			checkSecurity(t, o.op, p)
			checkPathParams(t, route, o)
			checkErrors(t, route, o.op, p)
		})
	}
}

// checkSecurity compares the operation's security and x-roles with p.
func checkSecurity(t *testing.T, op *v3.Operation, p access.Policy) {
	t.Helper()
	if op.Security == nil {
		t.Fatal("no security: want security: [] for a public route, [{session: []}] for the others")
	}
	var anonymous, session bool
	for _, req := range op.Security {
		switch {
		case req.Requirements == nil || req.Requirements.Len() == 0:
			anonymous = true
		case req.Requirements.Len() == 1 && has(req.Requirements.Get("session")):
			session = true
		default:
			t.Errorf("security requirement %v: want {session: []} or {}", req.Requirements)
		}
	}
	roles := extensionStrings(op, "x-roles")
	switch {
	case reflect.DeepEqual(p, access.Public):
		if len(op.Security) != 0 || roles != nil {
			t.Errorf("public route: want security: [] and no x-roles, got %d requirements, x-roles %v", len(op.Security), roles)
		}
	case reflect.DeepEqual(p, access.Optional):
		if !anonymous || !session || roles != nil {
			t.Errorf("route with an optional session: want security: [{}, {session: []}] and no x-roles")
		}
	default:
		if anonymous || !session {
			t.Errorf("route for roles: want security: [{session: []}]")
		}
		if !allows(p, roles) {
			t.Errorf("x-roles %v are not the roles of the route's access policy", roles)
		}
	}
}

// has reports the second result of a map look-up.
func has[V any](_ V, ok bool) bool { return ok }

// allows reports whether p is the policy of a route for roles, in any
// order.
func allows(p access.Policy, roles []string) bool {
	if len(roles) == 0 {
		return false
	}
	var try func(done []identity.Role, left []string) bool
	try = func(done []identity.Role, left []string) bool {
		if len(left) == 0 {
			return reflect.DeepEqual(p, access.Allow(done...))
		}
		for i := range left {
			rest := slices.Concat(left[:i], left[i+1:])
			if try(append(slices.Clone(done), identity.Role(left[i])), rest) {
				return true
			}
		}
		return false
	}
	return try(nil, roles)
}

// extensionStrings returns a sequence extension's values; nil when absent.
func extensionStrings(op *v3.Operation, name string) []string {
	if op.Extensions == nil {
		return nil
	}
	n := op.Extensions.GetOrZero(name)
	if n == nil {
		return nil
	}
	out := []string{}
	for _, c := range n.Content {
		out = append(out, c.Value)
	}
	return out
}

// checkPathParams: the path's {names} are the required path parameters of
// the operation and its path item, and there are no others.
func checkPathParams(t *testing.T, route string, o operation) {
	t.Helper()
	var want, got []string
	for _, sm := range pathParam.FindAllStringSubmatch(route, -1) {
		want = append(want, sm[1])
	}
	for _, p := range slices.Concat(o.item.Parameters, o.op.Parameters) {
		if p.In != "path" {
			continue
		}
		got = append(got, p.Name)
		if p.Required == nil || !*p.Required {
			t.Errorf("path parameter %s is not required", p.Name)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("path parameters (-path +declared):\n%s", diff)
	}
}

// checkErrors checks the operation's answers against the route's policy,
// method and body.
func checkErrors(t *testing.T, route string, op *v3.Operation, p access.Policy) {
	t.Helper()
	if op.Responses == nil || op.Responses.Codes == nil {
		t.Fatal("no responses")
	}
	codes := map[int]bool{}
	success := false
	for code, resp := range op.Responses.Codes.FromOldest() {
		n, err := strconv.Atoi(code)
		if err != nil {
			t.Errorf("response %q: want a status code", code)
			continue
		}
		codes[n] = true
		success = success || n < 400
		if n < 400 || n >= 500 {
			continue // 5xx are Error as well, but health's 503 is its own body
		}
		if s := jsonSchema(resp); s != errorSchema {
			t.Errorf("%d answers %q, want the shared %s", n, s, errorSchema)
		}
	}
	if !success {
		t.Error("no successful answer")
	}
	var need []int
	if !p.IsPublic() {
		need = append(need, http.StatusUnauthorized, http.StatusForbidden)
	}
	method, _, _ := strings.Cut(route, " ")
	if method != http.MethodGet {
		need = append(need, http.StatusForbidden)
	}
	if rb := op.RequestBody; rb != nil {
		if rb.Content == nil || rb.Content.GetOrZero("application/json") == nil {
			t.Error("request body is not application/json")
		}
		need = append(need, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	}
	for _, n := range need {
		if !codes[n] {
			t.Errorf("no %d answer", n)
		}
	}
}

// jsonSchema is the reference of a response's JSON schema, or what it has
// instead.
func jsonSchema(r *v3.Response) string {
	if r.Content == nil {
		return "no content"
	}
	mt := r.Content.GetOrZero("application/json")
	if mt == nil || r.Content.Len() != 1 {
		return fmt.Sprintf("%d media types, not application/json alone", r.Content.Len())
	}
	if mt.Schema == nil || !mt.Schema.IsReference() {
		return "an inline schema"
	}
	return mt.Schema.GetReference()
}

// TestErrorIsTheWireError: the Error schema is shared/httpapi's error body
// and its code enumerates exactly the codes of shared/apperr.
func TestErrorIsTheWireError(t *testing.T) {
	_, m := document(t)
	proxy := m.Components.Schemas.GetOrZero("Error")
	if proxy == nil {
		t.Fatal("no Error schema")
	}
	s := proxy.Schema()
	var props []string
	for name := range s.Properties.KeysFromOldest() {
		props = append(props, name)
	}
	if diff := cmp.Diff([]string{"code", "message", "fieldErrors", "requestId", "retryAfter"}, props); diff != "" {
		t.Errorf("Error properties (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"code", "message", "requestId"}, s.Required); diff != "" {
		t.Errorf("Error required (-want +got):\n%s", diff)
	}
	code := s.Properties.GetOrZero("code").Schema()
	var got []string
	for _, n := range code.Enum {
		got = append(got, n.Value)
	}
	want := apperrCodes(t)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ErrorCode enum is not shared/apperr's codes (-apperr +openapi.yaml):\n%s", diff)
	}
}

// apperrCodes reads the values of the Code constants of shared/apperr,
// sorted.
func apperrCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, "shared/apperr/apperr.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
			return true
		}
		for _, v := range vs.Values {
			if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, s)
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatal("no Code constants found in shared/apperr/apperr.go")
	}
	slices.Sort(out)
	return out
}

// TestSpecIsACopy: Spec hands out a copy of the embedded document.
func TestSpecIsACopy(t *testing.T) {
	a := openapi.Spec()
	a[0] = 'X'
	if b := openapi.Spec(); b[0] == 'X' || !strings.HasPrefix(string(b), "openapi: 3.1.0") {
		t.Errorf("Spec shares its bytes or lost its header: %q", b[:20])
	}
}
