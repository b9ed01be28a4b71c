package lambdaentry_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const module = "github.com/hljhrss/hrss/"

// adapters are awswire's optional adapters: the app.Deps field each sets
// and the packages that read that field from app.Deps. A function links
// an adapter's AWS client only when its main.go passes the adapter to
// lambdaentry.Main (package awswire says why).
var adapters = []struct {
	pkg, field string
	readers    []string
}{
	{"shared/awswire/blobswire", "Blobs", []string{"shared/application/appdeps", "functions/receipts/receiptsapi"}},
	{"shared/awswire/workflowwire", "Workflow", []string{"shared/application/familyapi", "functions/applications/applicationsapi", "functions/platform/platformapi"}},
	{"shared/awswire/notifywire", "Notify", []string{"functions/applications/applicationsapi",
		"functions/identity/identityapi", "functions/ledger/ledgerapi"}},
}

// TestAdapterReaders: the readers above are every package that reads an
// optional field of app.Deps. A package reads one as d.Field or s.d.Field
// in a file that imports shared/app, d being the house's name for an
// app.Deps (New(d app.Deps)); other packages' Deps types (application.Deps,
// account.Deps) are filled from these readers.
func TestAdapterReaders(t *testing.T) {
	want := map[string][]string{}
	for _, a := range adapters {
		want[a.field] = a.readers
	}
	got := map[string][]string{}
	root := filepath.Join("..", "..")
	for _, dir := range []string{"functions", "shared"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			pkg, _ := filepath.Rel(root, filepath.Dir(path))
			pkg = filepath.ToSlash(pkg)
			if strings.HasPrefix(pkg, "shared/awswire") || !importsApp(f) {
				return nil // the adapters themselves; another package's Deps
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || want[sel.Sel.Name] == nil || !isDeps(sel.X) {
					return true
				}
				if !slices.Contains(got[sel.Sel.Name], pkg) {
					got[sel.Sel.Name] = append(got[sel.Sel.Name], pkg)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for field := range want {
		slices.Sort(want[field])
		slices.Sort(got[field])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages reading app.Deps' optional fields (-adapters table +source):\n%s", diff)
	}
}

func importsApp(f *ast.File) bool {
	return slices.ContainsFunc(f.Imports, func(imp *ast.ImportSpec) bool { return imp.Path.Value == strconv.Quote(module+"shared/app") })
}

func isDeps(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "d"
	case *ast.SelectorExpr:
		return x.Sel.Name == "d"
	}
	return false
}

// unlinked are packages no function may link, and why: each costs every
// cold start its package init and the bootstrap its size, for something
// awswire does without it (docs/performance.md, "Cold start").
var unlinked = map[string]string{
	"github.com/aws/aws-sdk-go-v2/service/ssm": "costs 1.4–1.6 ms of init and 2 MiB; awswire.ParameterStore reads the one parameter",
	"github.com/aws/aws-sdk-go-v2/config":      "links the STS, SSO and sign-in clients; awswire.EnvConfig reads Lambda's environment",
}

// TestFunctionsWireWhatTheyRead: each function's main.go passes exactly
// the adapters whose fields some package it links reads: none missing
// (the field would be nil in AWS) and none extra (a client linked for
// nothing costs cold start and size); and no function links a package
// of unlinked.
func TestFunctionsWireWhatTheyRead(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command to list each function's packages:", err)
	}
	root := filepath.Join("..", "..")
	out, err := exec.Command(gobin, "list", "-f", `{{.Dir}}{{range .Deps}} {{.}}{{end}}`, filepath.Join(root, "functions", "...")).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	n := 0
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		fields := strings.Fields(line)
		dir, deps := fields[0], fields[1:]
		mainGo := filepath.Join(dir, "main.go")
		f, err := parser.ParseFile(token.NewFileSet(), mainGo, nil, parser.ImportsOnly)
		if err != nil || f.Name.Name != "main" {
			continue // a function's handler package
		}
		n++
		var wired, need []string
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, module+"shared/awswire/") {
				wired = append(wired, strings.TrimPrefix(p, module))
			}
		}
		for _, a := range adapters {
			if slices.ContainsFunc(a.readers, func(r string) bool { return slices.Contains(deps, module+r) }) {
				need = append(need, a.pkg)
			}
		}
		slices.Sort(wired)
		slices.Sort(need)
		if diff := cmp.Diff(need, wired); diff != "" {
			t.Errorf("%s: adapters (-read by its packages +passed to lambdaentry.Main):\n%s", mainGo, diff)
		}
		for _, d := range deps {
			if why, ok := unlinked[d]; ok {
				t.Errorf("%s links %s, which %s", dir, d, why)
			}
		}
	}
	if n < 15 {
		t.Errorf("checked %d functions' main.go, want every function", n)
	}
}
