package recordtable

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
)

// Query selects a record table: the business, the person, optionally one
// of the person's units, the 开始年月/结束年月 range and the ticked rows.
type Query struct {
	Business string         // business id (employee-back-payment) or section (5.1)
	Person   string         // 人员编号
	Unit     string         // 单位编号; "" = every unit of the person
	From, To calc.YearMonth // inclusive; zero = open
	// Selected lists the ticked periods when SelectionGiven; otherwise
	// every row is ticked. Totals are over the ticked rows.
	Selected       []calc.YearMonth
	SelectionGiven bool
	// CalcDate is the date interest is accrued to (zero: today).
	CalcDate calc.Date
	// Fresh reads the units' profiles from the ledger instead of the
	// one-minute cache: for what a submission freezes.
	Fresh bool
}

// Table is a record table as a business shows it: every identifier in it
// is masked.
type Table struct {
	Definition *Definition
	From, To   calc.YearMonth
	CalcDate   calc.Date
	Person     PersonSummary
	Unit       *UnitRow        // the unit queried, if any
	Units      []UnitRow       // 单位信息: the person's units with their spells
	Account    *ledger.Account // 账号信息 (4.4)
	Grade      *ledger.Grade   // 个人缴费档次 (4.25, 4.26)
	Grid       []GridYear
	Benefits   []BenefitSummary
	Rows       []calc.LedgerRow
	Ticked     []bool  // by Rows
	Totals     []Total // by the definition's totals
	RatesUsed  map[int]decimal.Decimal
	// Provisional is set when some interest was charged at the latest
	// published bookkeeping rate for an unpublished year.
	Provisional *calc.Provisional
}

// PersonSummary is the 个人基本信息 block, with the ID number masked.
type PersonSummary struct {
	Number         string
	Name           string
	IDNumberMasked string
	Gender         calc.Gender
	Identity       calc.Identity
	InsuredType    string
	Status         string
	FirstInsured   calc.YearMonth
	RelationID     string // 人员参保关系ID of the current (or queried) spell
	EmploymentForm string // 用工形式 of that spell
}

// UnitRow is one row of 单位信息: a unit and the person's spell there.
type UnitRow struct {
	Number     string
	Name       string
	CreditCode string
	From, To   calc.YearMonth
}

// GridYear is one year of 5.1's contribution grid: 已 on paid months.
type GridYear struct {
	Year   int
	Months [12]string
}

// BenefitSummary is a benefit with its payment account masked.
type BenefitSummary struct {
	Kind          ledger.BenefitKind
	Status        string
	Monthly       ledger.Fen
	Start         calc.YearMonth
	BankName      string
	AccountMasked string
}

// Total is one total under a record table, over the ticked rows.
type Total struct {
	Label       string
	Value       decimal.Decimal
	Provisional bool // some interest summed is provisional
	Inferred    bool // the manual prints no value; the rule is the spec's inference
}

// Read builds the record table of a business for a person: the rows the
// catalog's definition lists, within the range, with their amounts and
// interest (recorded, or accrued to the calculation date) and the totals
// of the ticked rows, all through calc. Errors are *apperr.Error: NotFound
// for an unknown business, person or unit; Invalid carrying calc.Problems
// (from, to, selected, the calculation date, a missing bookkeeping rate).
func (s *Service) Read(ctx context.Context, q Query) (Table, error) {
	tables, err := s.tables()
	if err != nil {
		return Table{}, err
	}
	def, ok := tables.Of(q.Business)
	if !ok {
		return Table{}, apperr.E(apperr.NotFound, "该业务没有记录一览表")
	}
	l := def.Ledger
	if err := checkRange(l.Query, q.From, q.To); err != nil {
		return Table{}, err
	}
	today := s.ledger.Today()
	calcDate := q.CalcDate
	if calcDate.IsZero() {
		calcDate = today
	}
	var ps calc.Problems
	checkCalcDate(&ps, calcDate, today)
	if err := ps.Err(); err != nil {
		return Table{}, err
	}
	d, err := s.ledger.Dossier(ctx, q.Person)
	if err != nil {
		return Table{}, err
	}
	t := Table{Definition: def, From: q.From, To: q.To, CalcDate: calcDate, RatesUsed: map[int]decimal.Decimal{}}
	if err := s.describe(ctx, &t, d, q.Unit, q.Fresh); err != nil {
		return Table{}, err
	}

	var set *refdata.Set
	if l.Rows.Source == catalog.RowsFlexibleDues || l.Rows.Interest == catalog.InterestAccrued {
		if set, err = s.refs.Load(ctx); err != nil {
			return Table{}, err
		}
	}
	var rows []calc.LedgerRow
	switch l.Rows.Source {
	case catalog.RowsFlexibleDues:
		rows, err = flexibleDues(d, q.Unit, calcDate, set)
		if err != nil {
			return Table{}, err
		}
	case catalog.RowsStored:
		rows = storedRows(d, def, q.Unit)
	}
	rows = calc.InRange(rows, q.From, q.To)
	slices.SortStableFunc(rows, func(a, b calc.LedgerRow) int {
		return cmp.Or(a.Period.Compare(b.Period), cmp.Compare(a.Unit, b.Unit))
	})
	if l.Rows.Interest == catalog.InterestAccrued {
		res, err := calc.Accrue(calcDate, rows, set)
		if err != nil {
			return Table{}, err
		}
		rows, t.RatesUsed, t.Provisional = res.Rows, res.RatesUsed, res.Provisional
	}
	t.Rows = rows
	t.Ticked = make([]bool, len(rows))
	if q.SelectionGiven {
		if t.Ticked, err = calc.Select(rows, q.Selected); err != nil {
			return Table{}, err
		}
	} else {
		for i := range t.Ticked {
			t.Ticked[i] = true
		}
	}
	sums := calc.Sum(rows, t.Ticked)
	for i, tot := range l.Totals {
		v := sums.Of(def.totals[i])
		t.Totals = append(t.Totals, Total{Label: tot.Label, Value: v.Value(), Provisional: v.Provisional, Inferred: tot.Inferred})
	}
	return t, nil
}

// describe fills the blocks above the rows: the person, the units, the
// benefits and the blocks the definition shows.
func (s *Service) describe(ctx context.Context, t *Table, d ledger.Dossier, unit string, fresh bool) error {
	units, err := s.unitRows(ctx, d, fresh)
	if err != nil {
		return err
	}
	t.Units = units
	if unit != "" {
		i := slices.IndexFunc(units, func(u UnitRow) bool { return u.Number == unit })
		if i < 0 {
			return apperr.E(apperr.NotFound, "该人员在此单位没有参保记录，请核对单位编号")
		}
		t.Unit = &units[i]
	}
	t.Person = summarize(d, unit)
	for _, b := range d.Benefits {
		t.Benefits = append(t.Benefits, BenefitSummary{Kind: b.Kind, Status: b.Status, Monthly: b.Monthly, Start: b.Start,
			BankName: b.Payment.BankName, AccountMasked: checks.MaskAccount(b.Payment.AccountNumber)})
	}
	l := t.Definition.Ledger
	if l.Shows(catalog.BlockAccount) {
		acct := d.Person.Account
		t.Account = &acct
	}
	if l.Shows(catalog.BlockGrade) {
		if g, ok := d.Grade(t.CalcDate.Year); ok {
			t.Grade = &g
		}
	}
	if l.Shows(catalog.BlockGrid) {
		t.Grid = grid(d, unit, t.CalcDate)
	}
	return nil
}

// checkRange checks the 开始年月/结束年月 query.
func checkRange(q catalog.LedgerQuery, from, to calc.YearMonth) error {
	var ps calc.Problems
	if q.Required && from.IsZero() {
		ps.Add(calc.InputFrom, "请输入"+q.StartLabel)
	}
	if q.Required && to.IsZero() {
		ps.Add(calc.InputTo, "请输入"+q.EndLabel)
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		start, end := q.StartLabel, q.EndLabel
		if start == "" || end == "" {
			start, end = "开始年月", "结束年月"
		}
		ps.Add(calc.InputTo, end+"不能早于"+start)
	}
	return ps.Err()
}

// LatestCalcDate is the latest calculation date accepted on today: the end
// of next year. Interest for a later date would need bookkeeping rates of
// years that are not even provisional yet.
func LatestCalcDate(today calc.Date) calc.Date {
	return calc.Date{Year: today.Year + 1, Month: 12, Day: 31}
}

// checkCalcDate refuses a calculation date after LatestCalcDate.
func checkCalcDate(ps *calc.Problems, calcDate, today calc.Date) {
	if latest := LatestCalcDate(today); latest.Before(calcDate) {
		ps.Add(calc.InputCalcDate, fmt.Sprintf("计算日期不能晚于%s（次年年底）", latest))
	}
}

// storedRows are the person's stored rows the definition lists (of unit,
// when given), as calc rows with their recorded interest; a definition
// that shows no interest shows none. An unpaid row already on a 缴费单 (an
// approved back-payment or clearance set its PaymentRef) is not offered
// again: it is paid through that 缴费单.
func storedRows(d ledger.Dossier, def *Definition, unit string) []calc.LedgerRow {
	recorded := def.Ledger.Rows.Interest == catalog.InterestRecorded
	out := make([]calc.LedgerRow, 0, len(d.Contributions))
	for _, c := range d.Contributions {
		if (unit != "" && c.UnitNumber != unit) || !def.lists(c.Kind, c.Status) ||
			(c.Status == ledger.StatusUnpaid && c.PaymentRef != "") {
			continue
		}
		r := calc.LedgerRow{Period: c.Period, Base: c.Base.Decimal(), Unit: c.UnitNumber, Insured: c.Insured}
		for k, p := range c.Parts {
			r.Parts[k] = calc.Part{Rate: p.Rate, Amount: p.Amount.Decimal(), Interest: decimal.Zero}
			if recorded {
				r.Parts[k].Interest = p.Interest.Decimal()
			}
		}
		out = append(out, r)
	}
	return out
}

// flexibleDues lists the months of the calculation year still to assess
// for a flexible-employment person (4.25): from the calculation month to
// December, without the months that already have a flexible row, at the
// base of the person's grade and the flexible-employment rates in force
// (calc.FlexibleDue).
func flexibleDues(d ledger.Dossier, unit string, calcDate calc.Date, set *refdata.Set) ([]calc.LedgerRow, error) {
	g, ok := d.Grade(calcDate.Year)
	if !ok {
		return nil, apperr.E(apperr.NotFound, fmt.Sprintf("未找到%d年度的个人缴费档次，请先办理灵活就业人员缴费档次设置", calcDate.Year))
	}
	if unit == "" {
		unit = currentUnit(d, calcDate.YearMonth())
	}
	have := map[calc.YearMonth]bool{}
	for _, c := range d.Contributions {
		if c.Kind == ledger.KindFlexible && c.Status != ledger.StatusRefunded {
			have[c.Period] = true
		}
	}
	// Months at the same rates are assessed together; the rates of a
	// year rarely change.
	var out []calc.LedgerRow
	var periods []calc.YearMonth
	var rates calc.PartRates
	flush := func() error {
		res, err := calc.FlexibleDue(periods, g.Base.Decimal(), rates)
		out = append(out, res.Rows...)
		periods = periods[:0]
		return err
	}
	for p := calcDate.YearMonth(); p.Year == calcDate.Year; p = p.AddMonths(1) {
		if have[p] {
			continue
		}
		r, err := set.ContributionRates(p, ledger.InsuredFlexible)
		if err != nil {
			var me *refdata.MissingError
			if errors.As(err, &me) {
				return nil, apperr.Wrap(apperr.Invalid, me.Message(), err)
			}
			return nil, err
		}
		if len(periods) > 0 && !r.PartRates.Equal(rates) {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		rates = r.PartRates
		periods = append(periods, p)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Unit, out[i].Insured = unit, ledger.InsuredFlexible
	}
	return out, nil
}

// currentUnit is the unit of the spell covering p, else of the latest spell.
func currentUnit(d ledger.Dossier, p calc.YearMonth) string {
	best := ""
	var bestFrom calc.YearMonth
	for _, sp := range d.Spells {
		if sp.Contains(p) {
			return sp.UnitNumber
		}
		if best == "" || sp.From.After(bestFrom) {
			best, bestFrom = sp.UnitNumber, sp.From
		}
	}
	return best
}

// summarize builds the 个人基本信息 block; the spell fields come from the
// queried unit's latest spell, else the current one.
func summarize(d ledger.Dossier, unit string) PersonSummary {
	p := d.Person
	ps := PersonSummary{Number: p.Number, Name: p.Name, IDNumberMasked: checks.MaskID(p.IDNumber), Gender: p.Gender,
		Identity: p.Identity, InsuredType: p.InsuredType, Status: p.Status, FirstInsured: p.FirstInsured}
	var pick *ledger.Spell
	for i := range d.Spells {
		sp := &d.Spells[i]
		if unit != "" && sp.UnitNumber != unit {
			continue
		}
		if pick == nil || sp.From.After(pick.From) {
			pick = sp
		}
	}
	if pick != nil {
		ps.RelationID, ps.EmploymentForm = pick.RelationID, pick.EmploymentForm
	}
	return ps
}

// unitRows lists the person's units (单位信息) with the span of their spells.
func (s *Service) unitRows(ctx context.Context, d ledger.Dossier, fresh bool) ([]UnitRow, error) {
	var out []UnitRow
	for _, n := range d.UnitNumbers() {
		name, code, err := s.unit(ctx, n, fresh)
		if err != nil {
			return nil, err
		}
		row := UnitRow{Number: n, Name: name, CreditCode: code}
		open := false
		for _, sp := range d.Spells {
			if sp.UnitNumber != n {
				continue
			}
			if row.From.IsZero() || sp.From.Before(row.From) {
				row.From = sp.From
			}
			if sp.To.IsZero() {
				open = true
			} else if sp.To.After(row.To) {
				row.To = sp.To
			}
		}
		if open {
			row.To = calc.YearMonth{}
		}
		out = append(out, row)
	}
	return out, nil
}

// grid marks the paid months (已) of the unit's spell years (5.1).
func grid(d ledger.Dossier, unit string, calcDate calc.Date) []GridYear {
	first, last := 0, 0
	for _, sp := range d.Spells {
		if unit != "" && sp.UnitNumber != unit {
			continue
		}
		to := sp.To
		if to.IsZero() {
			to = calcDate.YearMonth()
		}
		if first == 0 || sp.From.Year < first {
			first = sp.From.Year
		}
		last = max(last, to.Year)
	}
	if first == 0 {
		return nil
	}
	out := make([]GridYear, 0, last-first+1)
	for y := first; y <= last; y++ {
		out = append(out, GridYear{Year: y})
	}
	for _, c := range d.Contributions {
		if (unit != "" && c.UnitNumber != unit) || (c.Status != ledger.StatusPaid && c.Status != ledger.StatusExempt) {
			continue
		}
		if i := c.Period.Year - first; i >= 0 && i < len(out) {
			out[i].Months[c.Period.Month-1] = "已"
		}
	}
	return out
}
