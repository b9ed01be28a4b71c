package catalog

import (
	"fmt"
	"strings"

	"github.com/hljhrss/hrss/shared/calc"
)

// Ledger is a 记录一览表: selectable contribution rows with totals. It is
// the one definition of a record table: the labels the portal shows and,
// not sent (json:"-"), which ledger rows fill it and which value fills each
// cell, from which shared/recordtable builds the table.
type Ledger struct {
	Title       string         `yaml:"title" json:"title"`
	SelectAll   bool           `yaml:"selectAll" json:"selectAll"`
	RowSelect   string         `yaml:"rowSelect" json:"rowSelect"`
	Rows        LedgerRows     `yaml:"rows" json:"-"`
	Blocks      []LedgerBlock  `yaml:"blocks" json:"-"`
	Query       LedgerQuery    `yaml:"query" json:"query"`
	Columns     []LedgerColumn `yaml:"columns" json:"columns"`
	FlatColumns []string       `yaml:"flatColumns" json:"flatColumns"`
	Totals      []LedgerTotal  `yaml:"totals" json:"totals"`
	Note        string         `yaml:"note" json:"-"`

	cells []LedgerCell // by flat column, set by compileLedger
}

// LedgerRows says which ledger rows a record table lists and how their
// interest is shown.
type LedgerRows struct {
	Source RowSource `yaml:"source"`
	// Kinds and Statuses are the contribution kinds and statuses of
	// shared/ledger that the table lists (no kinds: any kind); the record
	// tables check them when they are built.
	Kinds    []string     `yaml:"kinds"`
	Statuses []string     `yaml:"statuses"`
	Interest InterestRule `yaml:"interest"`
}

// RowSource is where the rows of a record table come from.
type RowSource string

// Row sources.
const (
	RowsStored       RowSource = "stored"       // the person's stored contribution rows
	RowsFlexibleDues RowSource = "flexibleDues" // the months of the year still to assess at the person's grade (4.25)
)

// InterestRule is how a record table shows interest.
type InterestRule string

// Interest rules.
const (
	InterestRecorded InterestRule = "recorded" // as recorded with the row (paid rows: 4.4)
	InterestAccrued  InterestRule = "accrued"  // accrued on the calculation date (calculations.md §2)
	InterestNone     InterestRule = "none"     // none (assessed dues)
)

// LedgerBlock is a block shown above a record table.
type LedgerBlock string

// Blocks.
const (
	BlockAccount LedgerBlock = "account" // 账号信息 (4.4)
	BlockGrade   LedgerBlock = "grade"   // 个人缴费档次 (4.25, 4.26)
	BlockGrid    LedgerBlock = "grid"    // the paid-months grid (5.1)
)

// Shows reports whether the table shows block b.
func (l *Ledger) Shows(b LedgerBlock) bool {
	for _, x := range l.Blocks {
		if x == b {
			return true
		}
	}
	return false
}

// CellValue is what fills a cell of a record table.
type CellValue int

// Cell values. The part values need LedgerCell.Part.
const (
	CellPeriod   CellValue = iota + 1 // 对应费款所属期
	CellBase                          // 缴费基数
	CellInsured                       // 参保身份
	CellRate                          // a part's 比例
	CellAmount                        // a part's 金额
	CellInterest                      // a part's 利息
)

// LedgerCell is one flat column of a record table: its label and the
// value that fills it.
type LedgerCell struct {
	Label string
	Value CellValue
	Part  calc.PartKind // for CellRate, CellAmount and CellInterest
}

// Cells returns the flat columns with their values, in FlatColumns order.
func (l *Ledger) Cells() []LedgerCell { return l.cells }

// Row values of a column (LedgerColumn.Value) and the part attributes of
// its sub-columns, by the manual's sub-column labels.
var (
	rowValues = map[string]CellValue{"period": CellPeriod, "base": CellBase, "insured": CellInsured}
	attrs     = map[string]CellValue{"rate": CellRate, "amount": CellAmount, "interest": CellInterest}
	subAttrs  = map[string]CellValue{"比例": CellRate, "金额": CellAmount, "利息": CellInterest}
)

// compileLedger checks the binding of a record table and sets its cells:
// a column's value is period, base or insured; a part (unit, personal,
// unitToAccount, personalToAccount) whose sub-columns 比例/金额/利息 are its
// rate, amount and interest; or part.attribute for a column without
// sub-columns. The flat columns must be the columns with their
// sub-columns, in order.
func (l *Ledger) compileLedger() []string {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	switch l.Rows.Source {
	case RowsStored, RowsFlexibleDues:
	default:
		bad("ledger rows: source %q", l.Rows.Source)
	}
	switch l.Rows.Interest {
	case InterestRecorded, InterestAccrued, InterestNone:
	default:
		bad("ledger rows: interest %q", l.Rows.Interest)
	}
	for _, b := range l.Blocks {
		switch b {
		case BlockAccount, BlockGrade, BlockGrid:
		default:
			bad("ledger block %q", b)
		}
	}
	l.cells = nil
	for _, c := range l.Columns {
		part, attr, hasAttr := strings.Cut(c.Value, ".")
		k, isPart := calc.ParsePartKind(part)
		switch v, isRow := rowValues[c.Value]; {
		case isRow && len(c.Sub) == 0:
			l.cells = append(l.cells, LedgerCell{Label: c.Label, Value: v})
		case isPart && !hasAttr && len(c.Sub) > 0:
			for _, sub := range c.Sub {
				a, ok := subAttrs[sub]
				if !ok {
					bad("ledger column %s: sub-column %q is not 比例, 金额 or 利息", c.Label, sub)
				}
				l.cells = append(l.cells, LedgerCell{Label: c.Label + "." + sub, Value: a, Part: k})
			}
		case isPart && hasAttr && attrs[attr] != 0 && len(c.Sub) == 0:
			l.cells = append(l.cells, LedgerCell{Label: c.Label, Value: attrs[attr], Part: k})
		default:
			bad("ledger column %s: value %q", c.Label, c.Value)
		}
	}
	flat := make([]string, len(l.cells))
	for i, c := range l.cells {
		flat[i] = c.Label
	}
	if strings.Join(flat, "|") != strings.Join(l.FlatColumns, "|") {
		bad("ledger flat columns %v are not the columns with their sub-columns %v", l.FlatColumns, flat)
	}
	return errs
}
