package ledger_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneRecordDispatch: an item's type tag is mapped to its record type
// in one place, decodeRecord, which every read of mixed items (Dossier,
// Lookup) uses: no other switch of the package names the type tags.
func TestOneRecordDispatch(t *testing.T) {
	tags := map[string]bool{"typePerson": true, "typeUnit": true, "typeSpell": true, "typeContrib": true, "typeGrade": true, "typeBenefit": true, "typePayment": true, "typeWages": true}
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var found []string
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				sw, ok := n.(*ast.SwitchStmt)
				if !ok {
					return true
				}
				for _, s := range sw.Body.List {
					for _, e := range s.(*ast.CaseClause).List {
						if id, ok := e.(*ast.Ident); ok && tags[id.Name] {
							found = append(found, fn.Name.Name)
							return true
						}
					}
				}
				return true
			})
		}
	}
	if len(found) != 1 || found[0] != "decodeRecord" {
		t.Errorf("type tags dispatched in %v, want only decodeRecord", found)
	}
}
