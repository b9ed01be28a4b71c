// Package recordtable builds the record tables (记录一览表) of the
// businesses that show one — 4.4, 4.6, 4.9, 4.25, 4.26, 5.1 and 5.5 — and
// the back-payment trial (试算), which is the same table computed for months
// the user gives instead of the ledger's.
//
// A record table is defined once, in the catalog (catalog.Ledger: labels,
// the ledger rows it lists, the value of each cell, the columns each total
// sums); NewTables checks those definitions against the ledger and binds
// each total to the calc total that computes it. Reading a table (Read)
// and the trial (Trial) take every figure from shared/calc — amounts,
// interest accrued on the calculation date (with provisional rates for
// unpublished years), the 开始年月/结束年月 range, the ticked rows, the
// totals — so that a figure is the same wherever it is shown; the
// submission of these businesses will freeze what Read returns.
//
// A read queries the person's partition (one paged query) and takes the
// name of each of the person's units from a one-minute cache of unit
// profiles (a submission reads them afresh); the reference data is cached
// by refstore. Nothing here writes.
//
// Errors are *apperr.Error. Bad input carries calc.Problems, named in the
// domain's terms (calc.Input); the HTTP edge maps them to its field keys.
package recordtable

import (
	"sync"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
)

// Service reads record tables and computes trials.
type Service struct {
	ledger *ledger.Store
	refs   *refstore.Store
	tables func() (*Tables, error)
	units  unitCache // the units' names, reused for a minute (units.go)
}

// New returns the service over the ledger and reference data, with the
// record tables of the catalog cat returns. The catalog is loaded and its
// tables compiled on the first use of a table, not before: parsing the 42
// businesses takes tens of milliseconds that a function serving only the
// 试算 need not spend at start.
func New(ls *ledger.Store, refs *refstore.Store, cat func() *catalog.Catalog) *Service {
	return &Service{ledger: ls, refs: refs, tables: sync.OnceValues(func() (*Tables, error) { return NewTables(cat()) })}
}

// Tables returns the record-table definitions. An error is a catalog
// definition that does not fit the ledger: a build defect, which the tests
// rule out.
func (s *Service) Tables() (*Tables, error) { return s.tables() }

// Cell is one cell of a record-table row as shown.
type Cell struct {
	Text        string
	Provisional bool // an interest charged (partly) at a provisional rate
}

// Cells renders row i in the definition's flat-column order: periods as
// YYYYMM, money with two decimals, rates as FormatRate.
func (t Table) Cells(i int) []Cell {
	r := t.Rows[i]
	cells := t.Definition.Ledger.Cells()
	out := make([]Cell, len(cells))
	for j, c := range cells {
		var text string
		p := r.Parts[c.Part]
		switch c.Value {
		case catalog.CellPeriod:
			text = r.Period.String()
		case catalog.CellBase:
			text = calc.FormatMoney(r.Base)
		case catalog.CellInsured:
			text = r.Insured
		case catalog.CellRate:
			text = FormatRate(p.Rate)
		case catalog.CellAmount:
			text = calc.FormatMoney(p.Amount)
		case catalog.CellInterest:
			text = calc.FormatMoney(p.Interest)
			out[j].Provisional = p.Provisional
		}
		out[j].Text = text
	}
	return out
}

// FormatRate formats a rate as the record tables show it: two decimals when
// that is exact ("0.08", "0.00"), else all its digits ("0.0669"); "" when
// the ledger did not record it.
func FormatRate(r decimal.NullDecimal) string {
	if !r.Valid {
		return ""
	}
	return calc.FormatMin2(r.Decimal)
}
