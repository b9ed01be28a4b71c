package calc

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// MaxRows bounds the rows of one calculation (100 years of months).
const MaxRows = 1200

// Row is one month to calculate: the period, the contribution base and the
// rates of each part.
type Row struct {
	Period YearMonth
	Base   decimal.Decimal
	Rates  PartRates
}

// Part is one money cell group of a ledger row: the rate applied (比例),
// the amount (金额) and the interest (利息).
type Part struct {
	Rate     decimal.NullDecimal // unknown when a stored row did not record it
	Amount   decimal.Decimal
	Interest decimal.Decimal
	// Provisional is set when the interest was charged, for some year, at
	// the latest published bookkeeping rate standing in for an unpublished
	// one (see Provisional).
	Provisional bool
}

// LedgerRow is one month of a ledger (补缴记录一览表 and the like), as
// calculated or as stored.
type LedgerRow struct {
	Period  YearMonth
	Base    decimal.Decimal
	Parts   [NumParts]Part // indexed by PartKind
	Unit    string         // 单位编号 of a stored row; "" for a calculation of given months
	Insured string         // 参保身份 of a stored row
}

// TotalKind names one of the totals under a ledger (5.1, 5.5).
type TotalKind int

// The totals. TotalAll is also the single 合计金额 of 4.6 and 4.9.
const (
	TotalUnit     TotalKind = iota + 1 // 单位应缴金额 = Σ unit amount + interest
	TotalPersonal                      // 个人应缴金额 = Σ personal amount + interest
	TotalAll                           // 合计应缴总额 = both
)

// Total is the sum of the amounts and interest of one total.
type Total struct {
	Amount      decimal.Decimal
	Interest    decimal.Decimal
	Provisional bool // some interest summed is provisional
}

// Value returns Amount + Interest.
func (t Total) Value() decimal.Decimal { return t.Amount.Add(t.Interest) }

// Totals are the sums shown under a ledger for the ticked rows: the unit and
// personal parts, amount and interest. The 划入个人账户 parts are never added.
type Totals struct {
	Unit     Total
	Personal Total
}

// Of returns the total of kind k.
func (t Totals) Of(k TotalKind) Total {
	switch k {
	case TotalUnit:
		return t.Unit
	case TotalPersonal:
		return t.Personal
	}
	return Total{Amount: t.Unit.Amount.Add(t.Personal.Amount), Interest: t.Unit.Interest.Add(t.Personal.Interest),
		Provisional: t.Unit.Provisional || t.Personal.Provisional}
}

// Sum returns the totals of the ticked rows; ticked nil ticks every row.
// Totals are sums of the rounded row figures.
func Sum(rows []LedgerRow, ticked []bool) Totals {
	var sums [2][2]fenSum // unit, personal × amount, interest
	var prov [2]bool
	for i, r := range rows {
		if ticked != nil && !ticked[i] {
			continue
		}
		for j, k := range [2]PartKind{Unit, Personal} {
			p := r.Parts[k]
			sums[j][0].add(p.Amount)
			sums[j][1].add(p.Interest)
			prov[j] = prov[j] || p.Provisional
		}
	}
	return Totals{
		Unit:     Total{Amount: sums[0][0].value(), Interest: sums[0][1].value(), Provisional: prov[0]},
		Personal: Total{Amount: sums[1][0].value(), Interest: sums[1][1].value(), Provisional: prov[1]},
	}
}

// Result is a calculated ledger: its rows, the totals over all rows and,
// for calculations with interest, the date, E, the published bookkeeping
// rates used by year and what was charged provisionally.
type Result struct {
	CalcDate     Date                    // zero for calculations without interest
	LastRateYear int                     // E; 0 without interest
	Rows         []LedgerRow             //
	Totals       Totals                  // Sum(Rows, nil)
	RatesUsed    map[int]decimal.Decimal // published years whose rate entered some interest; empty, not nil
	Provisional  *Provisional            // nil when every rate used is published
}

// BackPayment computes a back-payment ledger with interest (补缴 with 利息),
// the calculation of the 试算 route: for every row and part, amount =
// round_half_up(base × rate, 0.01), then interest as Accrue.
//
// Problems (an *apperr.Error with code Invalid carrying Problems):
// InputCalcDate, InputRows, InputPeriod (bad, duplicate, or after
// calcDate; a missing bookkeeping rate), InputBase (negative), InputRate
// (outside 0–1).
func BackPayment(calcDate Date, rows []Row, rates RateTable) (Result, error) {
	var ps Problems
	if !calcDate.Valid() {
		ps.Add(InputCalcDate, "请填写正确的计算日期（如2022-05-10）")
	}
	validateRows(&ps, rows)
	if calcDate.Valid() {
		cm := calcDate.YearMonth()
		for i, r := range rows {
			if r.Period.Valid() && r.Period.After(cm) {
				ps.AddRow(i, InputPeriod, fmt.Sprintf("费款所属期%s晚于计算日期%s", r.Period, calcDate))
			}
		}
	}
	if err := ps.Err(); err != nil {
		return Result{}, err
	}
	return Accrue(calcDate, amounts(rows), rates)
}

// Accrue charges interest on the amounts of rows, calculated on calcDate
// (../shared/spec/calculations.md §2): the calculation of BackPayment and of every record
// table that accrues interest (4.6, 4.9, 5.1, 5.5). It sets Interest and
// Provisional of every part of rows, in place, and totals them; the
// result's Rows is rows. A year whose bookkeeping rate is missing, and is
// not after the latest published one, is a Problem on the row's period
// naming the year.
func Accrue(calcDate Date, rows []LedgerRow, rates RateTable) (Result, error) {
	if !calcDate.Valid() {
		var ps Problems
		ps.Add(InputCalcDate, "请填写正确的计算日期（如2022-05-10）")
		return Result{}, ps.Err()
	}
	if rates == nil {
		return Result{}, fmt.Errorf("calc: Accrue: nil rate table")
	}
	acc := newAccrual(LastRateYear(calcDate), rates)
	out := Result{CalcDate: calcDate, LastRateYear: acc.last, Rows: rows}
	for i := range rows {
		for k := range rows[i].Parts {
			p := &rows[i].Parts[k]
			in, prov, err := acc.interest(p.Amount, rows[i].Period)
			if err != nil {
				return Result{}, rateError(i, err)
			}
			p.Interest, p.Provisional = in, prov
		}
	}
	out.Totals = Sum(out.Rows, nil)
	out.RatesUsed = acc.ratesUsed()
	out.Provisional = acc.provisional()
	return out, nil
}

// rateError turns a failed rate lookup for row i into a Problem.
func rateError(i int, err error) error {
	var mr *MissingRateError
	if !errors.As(err, &mr) {
		return fmt.Errorf("calc: interest of row %d: %w", i, err)
	}
	ps := Problems{{Input: InputPeriod, Row: i, Message: mr.Message()}}
	return ps.Err()
}

// amounts computes the amounts of rows: round_half_up(base × rate) per part.
func amounts(rows []Row) []LedgerRow {
	out := make([]LedgerRow, len(rows))
	for i, r := range rows {
		lr := LedgerRow{Period: r.Period, Base: r.Base}
		for k, rate := range r.Rates {
			lr.Parts[k] = Part{Rate: decimal.NewNullDecimal(rate), Amount: MonthlyAmount(r.Base, rate), Interest: zero}
		}
		out[i] = lr
	}
	return out
}

// InRange keeps the rows whose period is within from..to inclusive; a
// zero from or to leaves that end open (开始年月/结束年月 + 查询). Like
// slices.DeleteFunc it works in place and returns the shortened slice.
func InRange(rows []LedgerRow, from, to YearMonth) []LedgerRow {
	return slices.DeleteFunc(rows, func(r LedgerRow) bool {
		return (!from.IsZero() && r.Period.Before(from)) || (!to.IsZero() && r.Period.After(to))
	})
}

// Select returns which rows are ticked: every row of a listed period. A
// listed period no row has is a Problem on InputSelected.
func Select(rows []LedgerRow, periods []YearMonth) ([]bool, error) {
	ticked := make([]bool, len(rows))
	var ps Problems
	for _, p := range periods {
		found := false
		for i := range rows {
			if rows[i].Period == p {
				ticked[i], found = true, true
			}
		}
		if !found {
			ps.Add(InputSelected, fmt.Sprintf("费款所属期%s不在记录一览表中", p))
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return ticked, nil
}

func validateRows(ps *Problems, rows []Row) {
	switch {
	case len(rows) == 0:
		ps.Add(InputRows, "请至少选择一个费款所属期")
		return
	case len(rows) > MaxRows:
		ps.Add(InputRows, fmt.Sprintf("一次最多计算%d个月", MaxRows))
		return
	}
	seen := make(map[YearMonth]int, len(rows))
	for i, r := range rows {
		if !r.Period.Valid() {
			ps.AddRow(i, InputPeriod, "费款所属期格式应为YYYYMM，月份为01-12")
		} else if j, dup := seen[r.Period]; dup {
			ps.AddRow(i, InputPeriod, fmt.Sprintf("费款所属期%s与第%d行重复", r.Period, j+1))
		} else {
			seen[r.Period] = i
		}
		if r.Base.IsNegative() {
			ps.AddRow(i, InputBase, "缴费基数不能为负数")
		}
		for k, v := range r.Rates {
			if v.IsNegative() || v.GreaterThan(one) {
				ps.AddRate(i, PartKind(k), "比例应在0到1之间（如0.08）")
			}
		}
	}
}
