package calc_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/calc"
)

func TestPartKinds(t *testing.T) {
	for _, k := range calc.PartKinds {
		back, ok := calc.ParsePartKind(k.String())
		if !ok || back != k || k.Label() == "" {
			t.Errorf("%d: key %q label %q parses to %d, %t", k, k.String(), k.Label(), back, ok)
		}
	}
	if _, ok := calc.ParsePartKind("bonus"); ok {
		t.Error("unknown part parsed")
	}
	if calc.PartKind(7).Valid() || calc.PartKind(7).String() != "PartKind(7)" {
		t.Error("an invalid part is not reported as such")
	}
	a := calc.PartRates{calc.Unit: dec(t, "0.16")}
	if !a.Equal(calc.PartRates{calc.Unit: dec(t, "0.160")}) || a.Equal(calc.PartRates{calc.Personal: dec(t, "0.16")}) {
		t.Error("PartRates.Equal")
	}
}

// partNames are the names of the part kinds, as calc declares them.
var partNames = map[string]bool{"Unit": true, "Personal": true, "UnitToAccount": true, "PersonalToAccount": true}

// isPart reports whether e names a part kind: calc.Unit outside calc, Unit
// inside it.
func isPart(e ast.Expr, inCalc bool) bool {
	switch x := e.(type) {
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		return ok && id.Name == "calc" && partNames[x.Sel.Name]
	case *ast.Ident:
		return inCalc && partNames[x.Name]
	}
	return false
}

// TestNoPartKindDispatch: parts are arrays indexed by PartKind (PartRates,
// LedgerRow.Parts, the ledger's Contribution.Parts) and named once
// (PartKind.String, ParsePartKind), so no production code of the module
// maps parts with a switch or a map: a switch with cases for two parts, or
// a map literal keyed or valued by two parts, is a copy of that mapping.
func TestNoPartKindDispatch(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		inCalc := f.Name.Name == "calc"
		ast.Inspect(f, func(n ast.Node) bool {
			count := 0
			switch x := n.(type) {
			case *ast.SwitchStmt:
				for _, s := range x.Body.List {
					for _, e := range s.(*ast.CaseClause).List {
						if isPart(e, inCalc) {
							count++
						}
					}
				}
			case *ast.CompositeLit:
				if _, isMap := x.Type.(*ast.MapType); !isMap {
					return true
				}
				for _, el := range x.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok && (isPart(kv.Key, inCalc) || isPart(kv.Value, inCalc)) {
						count++
					}
				}
			}
			if count >= 2 {
				t.Errorf("%s: maps part kinds by hand; index an array by calc.PartKind instead", fset.Position(n.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 80 {
		t.Errorf("only %d Go files under %s: not the module", files, root)
	}
}
