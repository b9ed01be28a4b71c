package recordtable

import (
	"fmt"
	"slices"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Definition is a business's record table as the catalog defines it
// (catalog.Ledger: labels, the rows it lists, the value of every cell),
// checked against the ledger's vocabulary and compiled: the row kinds and
// statuses typed, each total bound to the calc total it shows.
type Definition struct {
	Business *catalog.Business
	Ledger   *catalog.Ledger
	kinds    []ledger.Kind
	statuses []ledger.Status
	totals   []calc.TotalKind // by Ledger.Totals
}

// Tables are the record tables of the catalog's businesses, by business id
// (employee-back-payment) and by section (5.1).
type Tables struct {
	list  []*Definition
	byKey map[string]*Definition
}

// NewTables compiles the record tables of every business of cat that has
// one. An error names the business and what does not fit: a kind or
// status the ledger does not know, a total that is not one of calc's.
func NewTables(cat *catalog.Catalog) (*Tables, error) {
	t := &Tables{byKey: map[string]*Definition{}}
	for _, b := range cat.Businesses() {
		if b.Ledger == nil {
			continue
		}
		d, err := compile(b)
		if err != nil {
			return nil, fmt.Errorf("recordtable: %s: %w", b.Section, err)
		}
		t.list = append(t.list, d)
		t.byKey[b.ID], t.byKey[b.Section] = d, d
	}
	return t, nil
}

// Of returns the record table of a business given by id or section.
func (t *Tables) Of(business string) (*Definition, bool) {
	d, ok := t.byKey[business]
	return d, ok
}

// All returns the record tables in catalog order.
func (t *Tables) All() []*Definition { return slices.Clone(t.list) }

func compile(b *catalog.Business) (*Definition, error) {
	l := b.Ledger
	d := &Definition{Business: b, Ledger: l}
	for _, k := range l.Rows.Kinds {
		if !ledger.Kind(k).Valid() {
			return nil, fmt.Errorf("unknown contribution kind %q", k)
		}
		d.kinds = append(d.kinds, ledger.Kind(k))
	}
	for _, s := range l.Rows.Statuses {
		if !ledger.Status(s).Valid() {
			return nil, fmt.Errorf("unknown contribution status %q", s)
		}
		d.statuses = append(d.statuses, ledger.Status(s))
	}
	if l.Rows.Source == catalog.RowsStored && len(d.statuses) == 0 {
		return nil, fmt.Errorf("stored rows without statuses")
	}
	cells := map[string]catalog.LedgerCell{}
	var interest [calc.NumParts]bool // the parts whose interest the table shows
	for _, c := range l.Cells() {
		cells[c.Label] = c
		if c.Value == catalog.CellInterest {
			interest[c.Part] = true
		}
	}
	for _, tot := range l.Totals {
		k, err := totalKind(tot, cells, interest)
		if err != nil {
			return nil, fmt.Errorf("total %s: %w", tot.Label, err)
		}
		d.totals = append(d.totals, k)
	}
	return d, nil
}

// totalKind binds a catalog total (the flat columns it sums) to the calc
// total that computes it: the amount and, where the table shows it, the
// interest of the unit part, the personal part or both. The 划入个人账户
// parts are never summed (../shared/spec/calculations.md §1).
func totalKind(t catalog.LedgerTotal, cells map[string]catalog.LedgerCell, interest [calc.NumParts]bool) (calc.TotalKind, error) {
	type term struct {
		part  calc.PartKind
		value catalog.CellValue
	}
	summed := map[term]bool{}
	parts := map[calc.PartKind]bool{}
	for _, label := range t.Sum {
		c, ok := cells[label]
		if !ok || (c.Value != catalog.CellAmount && c.Value != catalog.CellInterest) || (c.Part != calc.Unit && c.Part != calc.Personal) {
			return 0, fmt.Errorf("%s is not an amount or interest of 单位应缴 or 个人应缴", label)
		}
		summed[term{c.Part, c.Value}] = true
		parts[c.Part] = true
	}
	for p := range parts {
		if !summed[term{p, catalog.CellAmount}] || summed[term{p, catalog.CellInterest}] != interest[p] {
			return 0, fmt.Errorf("sums %v: want the %s amount and, when the table shows it, its interest", t.Sum, p.Label())
		}
	}
	switch {
	case parts[calc.Unit] && parts[calc.Personal]:
		return calc.TotalAll, nil
	case parts[calc.Unit]:
		return calc.TotalUnit, nil
	case parts[calc.Personal]:
		return calc.TotalPersonal, nil
	}
	return 0, fmt.Errorf("sums nothing")
}

// lists reports whether the table lists a stored row of kind k and
// status s.
func (d *Definition) lists(k ledger.Kind, s ledger.Status) bool {
	return (len(d.kinds) == 0 || slices.Contains(d.kinds, k)) && slices.Contains(d.statuses, s)
}
