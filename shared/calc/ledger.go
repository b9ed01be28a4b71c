package calc

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// MaxRows bounds the rows of one calculation (100 years of months).
const MaxRows = 1200

// PartKind names one of the four money columns of a contribution ledger.
type PartKind int

// The four parts. Unit and Personal are what is due; the two ToAccount
// parts are the shares of them credited to the personal account (划入个人账户)
// and are shown, never added to the totals.
const (
	Unit              PartKind = iota // 单位应缴
	Personal                          // 个人应缴
	UnitToAccount                     // 单位应缴划入个人账户
	PersonalToAccount                 // 个人应缴划入个人账户
)

// PartKinds lists the parts in ledger column order of 5.1.
var PartKinds = []PartKind{Unit, UnitToAccount, Personal, PersonalToAccount}

// String returns the API key of the part: "unit", "personal",
// "unitToAccount", "personalToAccount".
func (k PartKind) String() string {
	switch k {
	case Unit:
		return "unit"
	case Personal:
		return "personal"
	case UnitToAccount:
		return "unitToAccount"
	case PersonalToAccount:
		return "personalToAccount"
	}
	return fmt.Sprintf("PartKind(%d)", int(k))
}

// Label returns the manual's column label of the part.
func (k PartKind) Label() string {
	switch k {
	case Unit:
		return "单位应缴"
	case Personal:
		return "个人应缴"
	case UnitToAccount:
		return "单位应缴划入个人账户"
	case PersonalToAccount:
		return "个人应缴划入个人账户"
	}
	return k.String()
}

// PartRates are the contribution rates of one period, as fractions
// (0.08 for 8%). Zero means nothing is due for that part.
type PartRates struct {
	Unit              decimal.Decimal
	Personal          decimal.Decimal
	UnitToAccount     decimal.Decimal
	PersonalToAccount decimal.Decimal
}

// Of returns the rate of part k.
func (r PartRates) Of(k PartKind) decimal.Decimal {
	if f := r.field(k); f != nil {
		return *f
	}
	return zero
}

func (r *PartRates) set(k PartKind, v decimal.Decimal) {
	if f := r.field(k); f != nil {
		*f = v
	}
}

// field is the rate of part k, or nil for an unknown kind.
func (r *PartRates) field(k PartKind) *decimal.Decimal {
	switch k {
	case Unit:
		return &r.Unit
	case Personal:
		return &r.Personal
	case UnitToAccount:
		return &r.UnitToAccount
	case PersonalToAccount:
		return &r.PersonalToAccount
	}
	return nil
}

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
	Rate     decimal.Decimal
	Amount   decimal.Decimal
	Interest decimal.Decimal
}

// Total returns Amount + Interest.
func (p Part) Total() decimal.Decimal { return p.Amount.Add(p.Interest) }

// LedgerRow is one calculated month of a ledger (补缴记录一览表 and the like).
type LedgerRow struct {
	Period            YearMonth
	Base              decimal.Decimal
	Unit              Part
	Personal          Part
	UnitToAccount     Part
	PersonalToAccount Part
}

// Part returns part k of the row.
func (r LedgerRow) Part(k PartKind) Part {
	if f := r.field(k); f != nil {
		return *f
	}
	return Part{}
}

func (r *LedgerRow) setPart(k PartKind, p Part) {
	if f := r.field(k); f != nil {
		*f = p
	}
}

// field is part k of the row, or nil for an unknown kind.
func (r *LedgerRow) field(k PartKind) *Part {
	switch k {
	case Unit:
		return &r.Unit
	case Personal:
		return &r.Personal
	case UnitToAccount:
		return &r.UnitToAccount
	case PersonalToAccount:
		return &r.PersonalToAccount
	}
	return nil
}

// Totals are the sums shown under a ledger for the selected rows (5.1, 5.5):
// 单位应缴金额 = Σ unit amount + interest, 个人应缴金额 = Σ personal amount +
// interest, 合计应缴总额 = their sum. The 划入个人账户 parts are never added.
// The single 合计金额 of 4.6, 4.9, 4.25 and 4.26 is Total.
type Totals struct {
	UnitAmount       decimal.Decimal
	UnitInterest     decimal.Decimal
	Unit             decimal.Decimal // 单位应缴金额
	PersonalAmount   decimal.Decimal
	PersonalInterest decimal.Decimal
	Personal         decimal.Decimal // 个人应缴金额
	Total            decimal.Decimal // 合计应缴总额 / 合计金额
}

// Sum returns the totals of rows (the caller passes the selected rows).
// Totals are sums of the rounded row figures.
func Sum(rows []LedgerRow) Totals {
	var t Totals
	for _, r := range rows {
		t.UnitAmount = t.UnitAmount.Add(r.Unit.Amount)
		t.UnitInterest = t.UnitInterest.Add(r.Unit.Interest)
		t.PersonalAmount = t.PersonalAmount.Add(r.Personal.Amount)
		t.PersonalInterest = t.PersonalInterest.Add(r.Personal.Interest)
	}
	t.Unit = t.UnitAmount.Add(t.UnitInterest)
	t.Personal = t.PersonalAmount.Add(t.PersonalInterest)
	t.Total = t.Unit.Add(t.Personal)
	return t
}

// Result is a calculated ledger: its rows in input order, the totals over
// all rows and, for calculations with interest, the date, E and the
// bookkeeping rates used by year.
type Result struct {
	CalcDate     Date                    // zero for calculations without interest
	LastRateYear int                     // E; 0 without interest
	Rows         []LedgerRow             //
	Totals       Totals                  // Sum(Rows)
	RatesUsed    map[int]decimal.Decimal // years whose rate entered some interest; empty, not nil
}

// Assess computes the amounts of rows without interest: refundable records
// (4.4), flexible-employment dues (4.25) and any ledger shown as paid or
// assessed. Bad input is an *apperr.Error with field errors keyed
// "rows[i].period", "rows[i].base", "rows[i].rates.unit" and so on.
func Assess(rows []Row) (Result, error) {
	var fe fieldErrors
	validateRows(&fe, rows)
	if err := fe.err(); err != nil {
		return Result{}, err
	}
	out := Result{Rows: make([]LedgerRow, len(rows)), RatesUsed: map[int]decimal.Decimal{}}
	for i, r := range rows {
		lr := LedgerRow{Period: r.Period, Base: r.Base}
		for _, k := range PartKinds {
			rate := r.Rates.Of(k)
			lr.setPart(k, Part{Rate: rate, Amount: MonthlyAmount(r.Base, rate), Interest: zero})
		}
		out.Rows[i] = lr
	}
	out.Totals = Sum(out.Rows)
	return out, nil
}

// BackPayment computes a back-payment ledger with interest (补缴 with 利息),
// the calculation of POST /api/v1/calculations/back-payment and of 4.6,
// 4.9, 5.1 and 5.5: for every row and part, amount = round_half_up(base ×
// rate, 0.01) and interest per Accrual with E = calcDate's year − 1.
//
// Errors are *apperr.Error (code Invalid) with field errors: "calcDate",
// "rows", "rows[i].period" (bad, duplicate, or after calcDate),
// "rows[i].base" (negative), "rows[i].rates.<part>" (outside 0–1). A
// missing bookkeeping rate is a field error on "rows[i].period" naming the
// year, whose cause is a *MissingRateError (errors.As finds both).
func BackPayment(calcDate Date, rows []Row, rates RateTable) (Result, error) {
	var fe fieldErrors
	if !calcDate.Valid() {
		fe.add("calcDate", "请填写正确的计算日期（如2022-05-10）")
	}
	validateRows(&fe, rows)
	if calcDate.Valid() {
		cm := calcDate.YearMonth()
		for i, r := range rows {
			if r.Period.Valid() && r.Period.After(cm) {
				fe.add(rowKey(i, "period"), fmt.Sprintf("费款所属期%s晚于计算日期%s", r.Period, calcDate))
			}
		}
	}
	if err := fe.err(); err != nil {
		return Result{}, err
	}
	if rates == nil {
		return Result{}, fmt.Errorf("calc: BackPayment: nil rate table")
	}
	acc := NewAccrual(LastRateYear(calcDate), rates)
	out := Result{
		CalcDate:     calcDate,
		LastRateYear: acc.LastYear(),
		Rows:         make([]LedgerRow, len(rows)),
	}
	for i, r := range rows {
		lr := LedgerRow{Period: r.Period, Base: r.Base}
		for _, k := range PartKinds {
			rate := r.Rates.Of(k)
			amt := MonthlyAmount(r.Base, rate)
			in, err := acc.Interest(amt, r.Period)
			if err != nil {
				return Result{}, rateError(i, err)
			}
			lr.setPart(k, Part{Rate: rate, Amount: amt, Interest: in})
		}
		out.Rows[i] = lr
	}
	out.Totals = Sum(out.Rows)
	out.RatesUsed = acc.RatesUsed()
	return out, nil
}

// rateError turns a failed rate lookup for row i into a field error.
func rateError(i int, err error) error {
	var fe fieldErrors
	fe.cause = err
	if mr := asMissingRate(err); mr != nil {
		fe.add(rowKey(i, "period"), mr.Message())
		return fe.err()
	}
	return fmt.Errorf("calc: interest of row %d: %w", i, err)
}

// BaseDiffRow is one month of a base-adjustment back-payment (4.6): the base
// already paid on and the adjusted base.
type BaseDiffRow struct {
	Period       YearMonth
	PaidBase     decimal.Decimal
	AdjustedBase decimal.Decimal
	Rates        PartRates
}

// BaseDifference computes a base-adjustment back-payment (职工缴费基数调整补缴,
// 4.6): each month is charged on the base difference AdjustedBase −
// PaidBase (the 缴费基数 column of the ledger), with interest as in
// BackPayment. A difference below zero is a field error on "rows[i].base"
// (that is a refund, not a back-payment).
func BaseDifference(calcDate Date, rows []BaseDiffRow, rates RateTable) (Result, error) {
	var fe fieldErrors
	in := make([]Row, len(rows))
	for i, r := range rows {
		d := r.AdjustedBase.Sub(r.PaidBase)
		if r.PaidBase.IsNegative() {
			fe.add(rowKey(i, "paidBase"), "已缴费基数不能为负数")
		}
		if d.IsNegative() {
			fe.add(rowKey(i, "base"), "调整后缴费基数低于已缴费基数，无需补缴")
		}
		in[i] = Row{Period: r.Period, Base: d, Rates: r.Rates}
	}
	if err := fe.err(); err != nil {
		return Result{}, err
	}
	return BackPayment(calcDate, in, rates)
}

// RateDiffRow is one month of a rate-adjustment back-payment (4.9): the
// rates already paid at and the rates due.
type RateDiffRow struct {
	Period YearMonth
	Base   decimal.Decimal
	Paid   PartRates
	Due    PartRates
}

// RateDifference computes a rate-adjustment back-payment (职工缴费比例调整补缴,
// 4.9): each part is charged at the rate difference Due − Paid (the 比例
// column), with interest as in BackPayment. Example: 比例 0.08 on base 8000
// for 202103, calculated in 2022 → 640.00, interest 35.68, 合计 675.68.
// A difference below zero is a field error on "rows[i].rates.<part>".
func RateDifference(calcDate Date, rows []RateDiffRow, rates RateTable) (Result, error) {
	var fe fieldErrors
	in := make([]Row, len(rows))
	for i, r := range rows {
		var d PartRates
		for _, k := range PartKinds {
			v := r.Due.Of(k).Sub(r.Paid.Of(k))
			if v.IsNegative() {
				fe.add(rowKey(i, "rates."+k.String()), "应缴比例低于已缴比例，无需补缴")
			}
			d.set(k, v)
		}
		in[i] = Row{Period: r.Period, Base: r.Base, Rates: d}
	}
	if err := fe.err(); err != nil {
		return Result{}, err
	}
	return BackPayment(calcDate, in, rates)
}

// UnpaidMonths returns the months from..to (inclusive, ascending) that are
// not in paid: the months open for 职工个人补缴 (5.1) or, given the assessed
// and paid months, the arrears of 职工欠费清欠 (5.5).
func UnpaidMonths(from, to YearMonth, paid []YearMonth) ([]YearMonth, error) {
	var fe fieldErrors
	if !from.Valid() {
		fe.add("from", "请填写正确的开始年月")
	}
	if !to.Valid() {
		fe.add("to", "请填写正确的结束年月")
	}
	if from.Valid() && to.Valid() {
		if to.Before(from) {
			fe.add("to", "结束年月不能早于开始年月")
		} else if MonthsBetween(from, to) >= MaxRows {
			fe.add("to", fmt.Sprintf("查询区间不能超过%d个月", MaxRows))
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	done := make(map[YearMonth]bool, len(paid))
	for _, p := range paid {
		done[p] = true
	}
	var out []YearMonth
	for p := from; !p.After(to); p = p.AddMonths(1) {
		if !done[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// InRange returns the rows whose period is within from..to inclusive; a
// zero from or to leaves that end open (开始年月/结束年月 + 查询).
func InRange(rows []LedgerRow, from, to YearMonth) []LedgerRow {
	var out []LedgerRow
	for _, r := range rows {
		if !from.IsZero() && r.Period.Before(from) {
			continue
		}
		if !to.IsZero() && r.Period.After(to) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Select returns the rows of the ticked periods, in ledger order. A period
// that is not in rows is a field error on "periods".
func Select(rows []LedgerRow, periods []YearMonth) ([]LedgerRow, error) {
	want := make(map[YearMonth]bool, len(periods))
	for _, p := range periods {
		want[p] = true
	}
	var out []LedgerRow
	for _, r := range rows {
		if want[r.Period] {
			out = append(out, r)
			delete(want, r.Period)
		}
	}
	if len(want) > 0 {
		for _, p := range periods {
			if want[p] {
				var fe fieldErrors
				fe.add("periods", fmt.Sprintf("费款所属期%s不在记录一览表中", p))
				return nil, fe.err()
			}
		}
	}
	return out, nil
}

func validateRows(fe *fieldErrors, rows []Row) {
	switch {
	case len(rows) == 0:
		fe.add("rows", "请至少选择一个费款所属期")
		return
	case len(rows) > MaxRows:
		fe.add("rows", fmt.Sprintf("一次最多计算%d个月", MaxRows))
		return
	}
	seen := make(map[YearMonth]int, len(rows))
	for i, r := range rows {
		if !r.Period.Valid() {
			fe.add(rowKey(i, "period"), "费款所属期格式应为YYYYMM，月份为01-12")
		} else if j, dup := seen[r.Period]; dup {
			fe.add(rowKey(i, "period"), fmt.Sprintf("费款所属期%s与第%d行重复", r.Period, j+1))
		} else {
			seen[r.Period] = i
		}
		if r.Base.IsNegative() {
			fe.add(rowKey(i, "base"), "缴费基数不能为负数")
		}
		for _, k := range PartKinds {
			if v := r.Rates.Of(k); v.IsNegative() || v.GreaterThan(one) {
				fe.add(rowKey(i, "rates."+k.String()), "比例应在0到1之间（如0.08）")
			}
		}
	}
}
