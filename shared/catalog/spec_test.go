package catalog_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hljhrss/hrss/shared/catalog"
)

// specPath finds shared/spec/businesses.yaml: $HRSS_SPEC, else the spec
// folder beside the repository (../shared/spec from the repository root,
// where CI and the development machines put it).
func specPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("HRSS_SPEC"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	for _, p := range []string{
		filepath.Join(dir, "..", "shared", "spec", "businesses.yaml"),
		filepath.Join(dir, "shared", "spec", "businesses.yaml"),
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

type specFile struct {
	Businesses []struct {
		ID        string `yaml:"id"`
		Section   string `yaml:"section"`
		Name      string `yaml:"name_zh"`
		NameEn    string `yaml:"name_en"`
		UserType  string `yaml:"user_type"`
		Family    string `yaml:"family"`
		Materials []struct {
			Name string `yaml:"name_zh"`
		} `yaml:"materials"`
		Fields []struct {
			Key      string `yaml:"key"`
			Label    string `yaml:"label_zh"`
			Type     string `yaml:"type"`
			Required bool   `yaml:"required"`
		} `yaml:"fields"`
		Ledger *struct {
			Title       string   `yaml:"title_zh"`
			FlatColumns []string `yaml:"flat_columns"`
		} `yaml:"ledger"`
	} `yaml:"businesses"`
}

// TestMatchesSpec checks the catalog against the structured reading of
// the manual: every business with its id, section, names, family and user
// type (where the spec is not ambiguous), every field key with its label
// verbatim and its required flag, every material name, every ledger.
func TestMatchesSpec(t *testing.T) {
	p := specPath(t)
	if p == "" {
		t.Skip("shared/spec/businesses.yaml not found beside the repository (set HRSS_SPEC to its path): the catalog is checked against its own data only")
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var spec specFile
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Businesses) != 42 {
		t.Fatalf("spec has %d businesses", len(spec.Businesses))
	}
	c := catalog.Default()
	for _, sb := range spec.Businesses {
		b, ok := c.Business(sb.ID)
		if !ok {
			t.Errorf("%s %s (%s) is missing", sb.Section, sb.Name, sb.ID)
			continue
		}
		if b.Section != sb.Section || b.Name != sb.Name || b.NameEn != sb.NameEn || b.Family != sb.Family {
			t.Errorf("%s: section/name/nameEn/family %s %s %q %s, spec %s %s %q %s",
				sb.ID, b.Section, b.Name, b.NameEn, b.Family, sb.Section, sb.Name, sb.NameEn, sb.Family)
		}
		if b.UserType != sb.UserType && b.UserTypeNote == "" {
			t.Errorf("%s: userType %s differs from the spec's %s without a note", sb.ID, b.UserType, sb.UserType)
		}
		for _, sf := range sb.Fields {
			f, ok := b.Field(sf.Key)
			if !ok {
				t.Errorf("%s: field %s (%s) is missing", sb.ID, sf.Key, sf.Label)
				continue
			}
			// A label the manual prints with its required mark inside
			// (行政区划代码* (公共)) is kept as printed beside the clean one.
			if (f.Label != sf.Label && f.LabelAsPrinted != sf.Label) || f.Required != sf.Required {
				t.Errorf("%s: field %s: label %q required %v, spec %q %v", sb.ID, sf.Key, f.Label, f.Required, sf.Label, sf.Required)
			}
			if sf.Type == "enum" && f.Enum != sf.Key {
				t.Errorf("%s: field %s: enum %q, want the spec's enum_catalog key %q", sb.ID, sf.Key, f.Enum, sf.Key)
			}
		}
		if len(b.Fields) != len(sb.Fields) {
			t.Errorf("%s: %d fields, spec %d", sb.ID, len(b.Fields), len(sb.Fields))
		}
		for _, sm := range sb.Materials {
			if _, ok := b.Material(sm.Name); !ok {
				t.Errorf("%s: material %s is missing", sb.ID, sm.Name)
			}
		}
		switch {
		case sb.Ledger == nil && b.Ledger != nil:
			t.Errorf("%s: ledger not in the spec", sb.ID)
		case sb.Ledger != nil && b.Ledger == nil:
			t.Errorf("%s: ledger %s is missing", sb.ID, sb.Ledger.Title)
		case sb.Ledger != nil:
			if b.Ledger.Title != sb.Ledger.Title || !slices.Equal(b.Ledger.FlatColumns, sb.Ledger.FlatColumns) {
				t.Errorf("%s: ledger %s %v, spec %s %v", sb.ID, b.Ledger.Title, b.Ledger.FlatColumns, sb.Ledger.Title, sb.Ledger.FlatColumns)
			}
		}
	}
}
