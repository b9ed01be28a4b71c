// Package catalogapi is the catalog function: the service-center list,
// each business's whole definition (guide, materials, form fields, rules,
// ledger), validation of a form against that definition, and the code
// tables the forms use. Everything it serves is the embedded, versioned
// reference data of packages catalog and codetable, except the state of
// each business's monthly window (办理时间), which comes from package
// calendar with the window exceptions admins store as reference data
// (read through refstore, cached for a minute: one table read a minute).
//
//   - GET  /api/v1/services                    list, filters userType, category, purpose, family, q
//   - GET  /api/v1/services/{id}               the whole definition of a business
//   - POST /api/v1/services/{id}/validate      {"fields":{...}} → 200 valid / 422 field errors
//   - GET  /api/v1/code-tables                 names, labels, versions, entry counts
//   - GET  /api/v1/code-tables/{name}          a table's entries
//
// GET responses are cacheable: they carry one ETag for the whole data set
// (catalog version and digest, code-table version, and the windows' state
// now), answer If-None-Match with 304 and say Cache-Control: public,
// max-age=300, or less when a window opens or closes sooner.
package catalogapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calendar"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/codetable"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
)

// Policies are the routes' access policies: the 办事中心 is public.
var Policies = access.Policies{
	"GET /api/v1/services":                access.Public,
	"GET /api/v1/services/{id}":           access.Public,
	"POST /api/v1/services/{id}/validate": access.Public,
	"GET /api/v1/code-tables":             access.Public,
	"GET /api/v1/code-tables/{name}":      access.Public,
}

// Name is the function's logical id in template.yaml.
const Name = "CatalogFunction"

// CacheControl is the Cache-Control of every cacheable response.
const CacheControl = "public, max-age=300"

// New builds the catalog function on the embedded catalog. The catalog
// is loaded, and the server built on it, on the first request that needs
// it rather than here: loading parses every business's YAML definition,
// which would otherwise be most of the function's cold start
// (docs/performance.md, "Cold start") and is not needed to answer a
// route that does not exist.
func New(d app.Deps) app.Function {
	return newFunction(d, catalog.Default)
}

// newFunction serves the catalog load returns. Concurrent first requests
// wait for one load (sync.OnceValue).
func newFunction(d app.Deps, load func() *catalog.Catalog) app.Function {
	clk := d.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	srv := sync.OnceValue(func() *server { return newServer(d, clk, load()) })
	on := func(h func(s *server, w http.ResponseWriter, r *http.Request) error) httpapi.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error { return h(srv(), w, r) }
	}
	rt := access.NewPublicRouter(d, Policies)
	rt.HandleFunc("GET /api/v1/services", on((*server).list))
	rt.HandleFunc("GET /api/v1/services/{id}", on((*server).detail))
	rt.HandleFunc("POST /api/v1/services/{id}/validate", on((*server).validate))
	rt.HandleFunc("GET /api/v1/code-tables", on((*server).tables))
	rt.HandleFunc("GET /api/v1/code-tables/{name}", on((*server).table))
	return app.Function{Name: Name, HTTP: rt}
}

func newServer(d app.Deps, clk clock.Clock, c *catalog.Catalog) *server {
	h := sha256.Sum256([]byte(c.Version() + "\x00" + c.Digest() + "\x00" + c.Tables().Version()))
	s := &server{cat: c, clock: clk, etag: hex.EncodeToString(h[:10]), families: map[string]string{}}
	for _, f := range c.Families() {
		s.families[f.ID] = f.Label
	}
	if d.Store != nil {
		s.refs = refstore.New(d.Store, clk)
	}
	for _, b := range c.Businesses() {
		if b.Window != nil && !slices.Contains(s.windows, b.Window) {
			s.windows = append(s.windows, b.Window)
		}
	}
	return s
}

type server struct {
	cat      *catalog.Catalog
	clock    clock.Clock
	etag     string // of the embedded data; the answer's adds the windows' state
	families map[string]string
	refs     *refstore.Store   // the window exceptions; nil: the monthly rule alone
	windows  []*catalog.Window // every window a business uses
}

// windowsNow is the state of every window at one instant, for one request.
type windowsNow struct {
	views  map[*catalog.Window]*calendar.View
	etag   string
	maxAge int // seconds until a window opens or closes, at most 300
}

// now reads the window exceptions in force and states every window.
func (s *server) now(r *http.Request) (windowsNow, error) {
	var ex calendar.Exceptions
	if s.refs != nil {
		set, err := s.refs.Load(r.Context())
		if err != nil {
			return windowsNow{}, err
		}
		ex = set
	}
	t := s.clock.Now()
	out := windowsNow{views: map[*catalog.Window]*calendar.View{}, maxAge: 300}
	h := sha256.New()
	h.Write([]byte(s.etag))
	for _, w := range s.windows {
		v := calendar.ViewOf(w, ex, t)
		out.views[w] = v
		b, _ := json.Marshal(v)
		h.Write(b)
		for _, at := range []*time.Time{v.OpensAt, v.ClosesAt} {
			if at != nil && at.After(t) {
				out.maxAge = min(out.maxAge, int(at.Sub(t)/time.Second)+1)
			}
		}
	}
	out.etag = `"` + hex.EncodeToString(h.Sum(nil)[:10]) + `"`
	return out, nil
}

// cacheable sets the caching headers of a successful GET and reports
// whether the client's copy is current (a 304 has then been written).
func (s *server) cacheable(w http.ResponseWriter, r *http.Request, wn windowsNow) bool {
	w.Header().Set("ETag", wn.etag)
	cc := CacheControl
	if wn.maxAge < 300 {
		cc = "public, max-age=" + strconv.Itoa(wn.maxAge)
	}
	w.Header().Set("Cache-Control", cc)
	if matches(r.Header.Get("If-None-Match"), wn.etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// static is the caching of answers that no window changes (code tables).
func (s *server) static() windowsNow { return windowsNow{etag: `"` + s.etag + `"`, maxAge: 300} }

// state answers the caching headers of r (true: a 304 is written) and the
// windows' state for the body.
func (s *server) state(w http.ResponseWriter, r *http.Request) (windowsNow, bool, error) {
	wn, err := s.now(r)
	if err != nil {
		return windowsNow{}, false, err
	}
	return wn, s.cacheable(w, r, wn), nil
}

// matches implements If-None-Match's weak comparison: a list of entity
// tags, or *.
func matches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// Item is a row of the service-center list.
type Item struct {
	ID         string         `json:"id"`
	Section    string         `json:"section"`
	Name       string         `json:"name"`
	NameEn     string         `json:"nameEn"`
	UserType   string         `json:"userType"`
	Family     string         `json:"family"`
	Categories []string       `json:"categories"`
	Purposes   []string       `json:"purposes"`
	Window     *calendar.View `json:"window"`
}

// List is the body of GET /api/v1/services.
type List struct {
	Items []Item `json:"items"`
	Total int    `json:"total"`
}

func (s *server) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	found, err := s.cat.Find(catalog.Query{
		UserType: q.Get("userType"), Category: q.Get("category"), Purpose: q.Get("purpose"),
		Family: q.Get("family"), Q: q.Get("q"),
	})
	if err != nil {
		return err
	}
	wn, done, err := s.state(w, r)
	if err != nil || done {
		return err
	}
	out := List{Items: make([]Item, 0, len(found)), Total: len(found)}
	for _, b := range found {
		out.Items = append(out.Items, Item{ID: b.ID, Section: b.Section, Name: b.Name, NameEn: b.NameEn, UserType: b.UserType,
			Family: b.Family, Categories: b.Categories, Purposes: b.Purposes, Window: wn.views[b.Window]})
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Detail is the body of GET /api/v1/services/{id}: the business's whole
// definition as the catalog holds it, with its guide as rows.
type Detail struct {
	*catalog.Business
	// Window is the business's window with its state now (it hides the
	// catalog's own).
	Window         *calendar.View `json:"window"`
	FamilyLabel    string         `json:"familyLabel"`
	Guide          Guide          `json:"guide"`
	CatalogVersion string         `json:"catalogVersion"`
}

// Guide is a business's 办理指南 as the portal shows it.
type Guide struct {
	Drafted   bool               `json:"drafted"`
	Rows      []catalog.GuideRow `json:"rows"`
	Materials []GuideMaterial    `json:"materials"`
}

// GuideMaterial is a row of the guide's material table (序号 / 材料名称 /
// 必要性要求).
type GuideMaterial struct {
	No          int    `json:"no"`
	Name        string `json:"name"`
	Requirement string `json:"requirement"`
}

func (s *server) business(r *http.Request) (*catalog.Business, error) {
	id := r.PathValue("id")
	b, ok := s.cat.Business(id)
	if !ok {
		if len(id) > 64 {
			id = id[:64] + "…"
		}
		return nil, apperr.E(apperr.NotFound, "未找到业务“"+strings.ToValidUTF8(id, "")+"”，请从办事中心的业务列表中选择")
	}
	return b, nil
}

func (s *server) detail(w http.ResponseWriter, r *http.Request) error {
	b, err := s.business(r)
	if err != nil {
		return err
	}
	wn, done, err := s.state(w, r)
	if err != nil || done {
		return err
	}
	g := Guide{Drafted: b.Guide.Drafted, Rows: b.Guide.Rows(), Materials: make([]GuideMaterial, 0, len(b.Materials))}
	for i := range b.Materials {
		m := &b.Materials[i]
		g.Materials = append(g.Materials, GuideMaterial{No: i + 1, Name: m.Name, Requirement: m.Requirement()})
	}
	httpapi.WriteJSON(w, http.StatusOK, Detail{Business: b, Window: wn.views[b.Window], FamilyLabel: s.families[b.Family], Guide: g, CatalogVersion: s.cat.Version()})
	return nil
}

// ValidateRequest is the body of POST /api/v1/services/{id}/validate.
// Values are strings; JSON numbers are accepted too.
type ValidateRequest struct {
	Fields map[string]any `json:"fields"`
}

// ValidateResponse is the 200 body of a valid form.
type ValidateResponse struct {
	Valid    bool              `json:"valid"`
	Warnings map[string]string `json:"warnings"`
	Values   map[string]string `json:"values"` // normalized values, identifiers masked
}

// masked returns v as a response may show it: ID numbers, bank accounts
// and phone numbers masked, as every response masks them by default.
func masked(f *catalog.Field, v string) string {
	switch f.Type {
	case catalog.TypeIDNumber, catalog.TypeSocialSecurityNumber:
		return checks.MaskID(v)
	case catalog.TypeBankAccount:
		return checks.MaskAccount(v)
	case catalog.TypeMobile, catalog.TypePhone:
		return checks.MaskPhone(v)
	}
	return v
}

func (s *server) validate(w http.ResponseWriter, r *http.Request) error {
	b, err := s.business(r)
	if err != nil {
		return err
	}
	var req ValidateRequest
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Fields == nil {
		return apperr.E(apperr.BadRequest, `请求内容须为 {"fields":{"字段":"值"}} 形式的 JSON 对象`)
	}
	in := make(map[string]string, len(req.Fields))
	var typeErrs map[string]string
	for k, v := range req.Fields {
		switch v := v.(type) {
		case nil:
			in[k] = ""
		case string:
			in[k] = v
		case json.Number:
			in[k] = v.String()
		default:
			in[k] = "" // an unknown key is still reported as unknown
			if _, known := b.Field(k); known {
				if typeErrs == nil {
					typeErrs = map[string]string{}
				}
				typeErrs[k] = "值应为文本或数字，请重新填写"
			}
		}
	}
	res := b.Validate(in, s.clock.Now())
	for k, msg := range typeErrs {
		if res.Errors == nil {
			res.Errors = map[string]string{}
		}
		res.Errors[k] = msg
		delete(res.Warnings, k)
	}
	if !res.Valid() {
		return res.Err()
	}
	if res.Warnings == nil {
		res.Warnings = map[string]string{}
	}
	values := make(map[string]string, len(res.Values))
	for k, v := range res.Values {
		if f, ok := b.Field(k); ok {
			v = masked(f, v)
		}
		values[k] = v
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, ValidateResponse{Valid: true, Warnings: res.Warnings, Values: values})
	return nil
}

// TableSummary is a row of GET /api/v1/code-tables.
type TableSummary struct {
	Name    string `json:"name"`
	Label   string `json:"label"`
	Version string `json:"version"`
	Source  string `json:"source"`
	Count   int    `json:"count"`
}

// Tables is the body of GET /api/v1/code-tables.
type Tables struct {
	Items   []TableSummary `json:"items"`
	Total   int            `json:"total"`
	Version string         `json:"version"`
}

func (s *server) tables(w http.ResponseWriter, r *http.Request) error {
	if s.cacheable(w, r, s.static()) {
		return nil
	}
	set := s.cat.Tables()
	names := set.Names()
	out := Tables{Items: make([]TableSummary, 0, len(names)), Total: len(names), Version: set.Version()}
	for _, n := range names {
		t, _ := set.Table(n)
		out.Items = append(out.Items, TableSummary{Name: t.Name, Label: t.LabelZh, Version: t.Version, Source: t.Source, Count: len(t.Entries)})
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// Entry is a code of a table.
type Entry struct {
	Code       string   `json:"code"`
	Label      string   `json:"label"`
	Parent     string   `json:"parent,omitempty"`
	Deprecated bool     `json:"deprecated,omitempty"`
	Inferred   bool     `json:"inferred,omitempty"`
	Aliases    []string `json:"aliases,omitempty"`
}

// Table is the body of GET /api/v1/code-tables/{name}.
type Table struct {
	Name    string  `json:"name"`
	Label   string  `json:"label"`
	Version string  `json:"version"`
	Source  string  `json:"source"`
	Entries []Entry `json:"entries"`
}

func (s *server) table(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	t, ok := s.cat.Tables().Table(name)
	if !ok {
		if len(name) > 64 {
			name = name[:64] + "…"
		}
		return apperr.E(apperr.NotFound, "未找到代码表“"+strings.ToValidUTF8(name, "")+"”")
	}
	if s.cacheable(w, r, s.static()) {
		return nil
	}
	httpapi.WriteJSON(w, http.StatusOK, tableView(t))
	return nil
}

func tableView(t *codetable.Table) Table {
	out := Table{Name: t.Name, Label: t.LabelZh, Version: t.Version, Source: t.Source, Entries: make([]Entry, 0, len(t.Entries))}
	for _, e := range t.Entries {
		out.Entries = append(out.Entries, Entry{Code: e.Code, Label: e.Label, Parent: e.Parent, Deprecated: e.Deprecated,
			Inferred: t.Inferred(e.Code), Aliases: t.Aliases(e.Code)})
	}
	return out
}
