package ledger

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/hljhrss/hrss/shared/calc"
)

//go:embed screens.yaml
var screensYAML []byte

// Screen is the definition of one business's record table (记录一览表):
// its labels, verbatim from the spec, and which ledger values fill them.
type Screen struct {
	ID          string          `yaml:"id"`      // business id of the spec: employee-back-payment
	Section     string          `yaml:"section"` // section of the manual: 5.1
	NameZh      string          `yaml:"name_zh"`
	TitleZh     string          `yaml:"title_zh"`
	Query       ScreenQuery     `yaml:"query"`
	Rows        RowSpec         `yaml:"rows"`
	Show        []string        `yaml:"show"` // extra blocks: account, grade, grid
	Columns     []Column        `yaml:"columns"`
	FlatColumns []FlatColumn    `yaml:"flat_columns"`
	Totals      []TotalSpec     `yaml:"totals"`
	fields      []fieldGetter   `yaml:"-"`
	sums        [][]fieldGetter `yaml:"-"`
}

// ScreenQuery is the 开始年月/结束年月 query of a record table.
type ScreenQuery struct {
	Shown      bool   `yaml:"shown"`
	Required   bool   `yaml:"required"`
	StartLabel string `yaml:"start_label_zh"`
	EndLabel   string `yaml:"end_label_zh"`
}

// RowSpec says which rows a record table lists.
type RowSpec struct {
	Source   string   `yaml:"source"` // ledger | grade_dues
	Kinds    []Kind   `yaml:"kinds"`
	Statuses []Status `yaml:"statuses"`
	Interest string   `yaml:"interest"` // stored | accrued | none
}

// Column is a column header, with its sub-headers (金额, 利息, 比例).
type Column struct {
	Label string   `yaml:"label_zh"`
	Sub   []string `yaml:"sub"`
}

// FlatColumn is one cell column: its flat label (个人应缴.金额) and the value
// that fills it (personal.amount).
type FlatColumn struct {
	Label string
	Field string
}

// UnmarshalYAML reads a [label, field] pair.
func (f *FlatColumn) UnmarshalYAML(n *yaml.Node) error {
	var pair []string
	if err := n.Decode(&pair); err != nil || len(pair) != 2 {
		return fmt.Errorf("ledger: flat column must be [label, field] (line %d)", n.Line)
	}
	f.Label, f.Field = pair[0], pair[1]
	return nil
}

// TotalSpec is one total under a record table.
type TotalSpec struct {
	Label    string   `yaml:"label_zh"`
	Sum      []string `yaml:"sum"`
	Inferred string   `yaml:"inferred"` // why the rule is inferred, when the manual does not show it
}

// Has reports whether the screen shows the extra block name.
func (s *Screen) Has(name string) bool {
	for _, v := range s.Show {
		if v == name {
			return true
		}
	}
	return false
}

// Labels returns the flat column labels.
func (s *Screen) Labels() []string {
	out := make([]string, len(s.FlatColumns))
	for i, c := range s.FlatColumns {
		out[i] = c.Label
	}
	return out
}

// cellValue is what a row offers to cells and totals.
type cellValue struct {
	text  string // for period and insured
	money Fen
	isFen bool
}

// viewRow is one row of a record table before formatting: a contribution
// with the interest to show.
type viewRow struct {
	c        Contribution
	interest [4]Fen // by calc.PartKind
}

type fieldGetter func(r *viewRow) cellValue

var partNames = map[string]calc.PartKind{
	"unit": calc.Unit, "unitToAccount": calc.UnitToAccount,
	"personal": calc.Personal, "personalToAccount": calc.PersonalToAccount,
}

// compileField returns the getter of a field name.
func compileField(name string) (fieldGetter, error) {
	switch name {
	case "period":
		return func(r *viewRow) cellValue { return cellValue{text: r.c.Period.String()} }, nil
	case "base":
		return func(r *viewRow) cellValue { return cellValue{money: r.c.Base, isFen: true} }, nil
	case "insured":
		return func(r *viewRow) cellValue { return cellValue{text: r.c.Insured} }, nil
	}
	part, attr, ok := strings.Cut(name, ".")
	k, known := partNames[part]
	if !ok || !known {
		return nil, fmt.Errorf("ledger: unknown field %q", name)
	}
	switch attr {
	case "rate":
		return func(r *viewRow) cellValue { return cellValue{text: FormatRate(r.c.Part(k).Rate)} }, nil
	case "amount":
		return func(r *viewRow) cellValue { return cellValue{money: r.c.Part(k).Amount, isFen: true} }, nil
	case "interest":
		return func(r *viewRow) cellValue { return cellValue{money: r.interest[k], isFen: true} }, nil
	}
	return nil, fmt.Errorf("ledger: unknown field %q", name)
}

var loadScreens = sync.OnceValues(func() ([]*Screen, error) { return parseScreens(screensYAML) })

func parseScreens(b []byte) ([]*Screen, error) {
	var doc struct {
		Screens []*Screen `yaml:"screens"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("ledger: screens.yaml: %w", err)
	}
	for _, s := range doc.Screens {
		switch s.Rows.Source {
		case "ledger", "grade_dues":
		default:
			return nil, fmt.Errorf("ledger: screen %s: unknown row source %q", s.ID, s.Rows.Source)
		}
		switch s.Rows.Interest {
		case "stored", "accrued", "none":
		default:
			return nil, fmt.Errorf("ledger: screen %s: unknown interest %q", s.ID, s.Rows.Interest)
		}
		for _, k := range s.Rows.Kinds {
			if !k.Valid() {
				return nil, fmt.Errorf("ledger: screen %s: unknown kind %q", s.ID, k)
			}
		}
		for _, st := range s.Rows.Statuses {
			if !st.Valid() {
				return nil, fmt.Errorf("ledger: screen %s: unknown status %q", s.ID, st)
			}
		}
		n := 0
		for _, c := range s.Columns {
			n += max(1, len(c.Sub))
		}
		if n != len(s.FlatColumns) {
			return nil, fmt.Errorf("ledger: screen %s: %d columns with sub-columns but %d flat columns", s.ID, n, len(s.FlatColumns))
		}
		for _, fc := range s.FlatColumns {
			g, err := compileField(fc.Field)
			if err != nil {
				return nil, fmt.Errorf("ledger: screen %s: %w", s.ID, err)
			}
			s.fields = append(s.fields, g)
		}
		for _, t := range s.Totals {
			var gs []fieldGetter
			for _, f := range t.Sum {
				g, err := compileField(f)
				if err != nil || f == "period" || f == "insured" || strings.HasSuffix(f, ".rate") {
					return nil, fmt.Errorf("ledger: screen %s: total %s: %q is not an amount", s.ID, t.Label, f)
				}
				gs = append(gs, g)
			}
			s.sums = append(s.sums, gs)
		}
	}
	return doc.Screens, nil
}

// Screens returns the record-table definitions, in section order.
func Screens() []*Screen {
	s, err := loadScreens()
	if err != nil {
		panic(err) // the embedded file is checked by the package tests
	}
	return s
}

// ScreenOf returns the record table of a business given by its spec id
// (employee-back-payment) or its section (5.1).
func ScreenOf(business string) (*Screen, bool) {
	for _, s := range Screens() {
		if s.ID == business || s.Section == business {
			return s, true
		}
	}
	return nil, false
}
