package ledger

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/refdata"
)

// Query selects a record table: the business, the person, optionally one
// of the person's units, the 开始年月/结束年月 range and the ticked rows.
type Query struct {
	Business string         // spec id (employee-back-payment) or section (5.1)
	Person   string         // 人员编号
	Unit     string         // 单位编号; "" = every unit of the person
	From, To calc.YearMonth // inclusive; zero = open
	// Selected lists the ticked periods when SelectionGiven; otherwise
	// every row is ticked. Totals are over the ticked rows.
	Selected       []calc.YearMonth
	SelectionGiven bool
	// CalcDate is the date interest is accrued to (zero: the store's today).
	CalcDate calc.Date
}

// Table is a record table as a business shows it, ready to render: every
// identifier in it is masked.
type Table struct {
	Screen    *Screen
	From, To  calc.YearMonth
	CalcDate  calc.Date
	Person    PersonSummary
	Unit      *UnitRow  // the unit queried, if any
	Units     []UnitRow // 单位信息: the person's units with their spells
	Account   *Account  // 账号信息 (4.4)
	Grade     *Grade    // 个人缴费档次 (4.25, 4.26)
	Grid      []GridYear
	Benefits  []BenefitSummary
	Rows      []TableRow
	Totals    []Total
	RatesUsed map[int]decimal.Decimal // bookkeeping rates that entered interest, by year
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
	Kind          BenefitKind
	Status        string
	Monthly       Fen
	Start         calc.YearMonth
	BankName      string
	AccountMasked string
}

// TableRow is one row of a record table: the period, whether it is ticked
// and the cells in FlatColumns order.
type TableRow struct {
	Period   calc.YearMonth
	Unit     string
	Selected bool
	Cells    []string
}

// Total is one total under a record table.
type Total struct {
	Label    string
	Value    Fen
	Inferred string
}

// View builds the record table of a business for a person. Interest on
// unpaid rows is accrued to q.CalcDate (calculations.md §2). Errors are
// *apperr.Error: NotFound for an unknown business, person or unit; Invalid
// with field errors "from", "to", "selected".
func (s *Store) View(ctx context.Context, q Query) (Table, error) {
	sc, ok := ScreenOf(q.Business)
	if !ok {
		return Table{}, apperr.E(apperr.NotFound, "该业务没有记录一览表")
	}
	if err := checkRange(sc, q); err != nil {
		return Table{}, err
	}
	d, err := s.Dossier(ctx, q.Person)
	if err != nil {
		return Table{}, err
	}
	calcDate := q.CalcDate
	if calcDate.IsZero() {
		calcDate = s.Today()
	}
	t := Table{Screen: sc, From: q.From, To: q.To, CalcDate: calcDate, RatesUsed: map[int]decimal.Decimal{}}

	units, err := s.unitRows(ctx, d)
	if err != nil {
		return Table{}, err
	}
	t.Units = units
	if q.Unit != "" {
		i := slices.IndexFunc(units, func(u UnitRow) bool { return u.Number == q.Unit })
		if i < 0 {
			return Table{}, apperr.E(apperr.NotFound, "该人员在此单位没有参保记录，请核对单位编号")
		}
		t.Unit = &units[i]
	}
	t.Person = summarize(d, q.Unit)
	for _, b := range d.Benefits {
		t.Benefits = append(t.Benefits, BenefitSummary{Kind: b.Kind, Status: b.Status, Monthly: b.Monthly, Start: b.Start,
			BankName: b.Payment.BankName, AccountMasked: checks.MaskAccount(b.Payment.AccountNumber)})
	}
	if sc.Has("account") {
		acct := d.Person.Account
		t.Account = &acct
	}
	if sc.Has("grade") {
		if g, ok := d.Grade(calcDate.Year); ok {
			t.Grade = &g
		}
	}
	if sc.Has("grid") {
		t.Grid = grid(d, q.Unit, calcDate)
	}

	var rows []viewRow
	switch sc.Rows.Source {
	case "grade_dues":
		set, err := s.RefData(ctx)
		if err != nil {
			return Table{}, err
		}
		rows, err = gradeDues(d, q.Unit, calcDate, set)
		if err != nil {
			return Table{}, err
		}
	default:
		for _, c := range d.Contributions {
			if (q.Unit == "" || c.UnitNumber == q.Unit) &&
				(len(sc.Rows.Kinds) == 0 || slices.Contains(sc.Rows.Kinds, c.Kind)) &&
				slices.Contains(sc.Rows.Statuses, c.Status) {
				rows = append(rows, viewRow{c: c})
			}
		}
	}
	rows = slices.DeleteFunc(rows, func(r viewRow) bool {
		return (!q.From.IsZero() && r.c.Period.Before(q.From)) || (!q.To.IsZero() && r.c.Period.After(q.To))
	})
	slices.SortStableFunc(rows, func(a, b viewRow) int {
		if c := a.c.Period.Compare(b.c.Period); c != 0 {
			return c
		}
		return cmp.Compare(a.c.UnitNumber, b.c.UnitNumber)
	})

	switch sc.Rows.Interest {
	case "stored":
		for i := range rows {
			for _, k := range calc.PartKinds {
				rows[i].interest[k] = rows[i].c.Part(k).Interest
			}
		}
	case "accrued":
		set, err := s.RefData(ctx)
		if err != nil {
			return Table{}, err
		}
		if err := accrue(rows, calcDate, set, t.RatesUsed); err != nil {
			return Table{}, err
		}
	}

	selected, err := selection(rows, q)
	if err != nil {
		return Table{}, err
	}
	t.Rows = make([]TableRow, len(rows))
	for i := range rows {
		r := &rows[i]
		cells := make([]string, len(sc.fields))
		for j, f := range sc.fields {
			v := f(r)
			if v.isFen {
				cells[j] = v.money.String()
			} else {
				cells[j] = v.text
			}
		}
		t.Rows[i] = TableRow{Period: r.c.Period, Unit: r.c.UnitNumber, Selected: selected[i], Cells: cells}
	}
	for n, ts := range sc.Totals {
		var sum Fen
		for i := range rows {
			if !selected[i] {
				continue
			}
			for _, g := range sc.sums[n] {
				sum += g(&rows[i]).money
			}
		}
		t.Totals = append(t.Totals, Total{Label: ts.Label, Value: sum, Inferred: ts.Inferred})
	}
	return t, nil
}

func checkRange(sc *Screen, q Query) error {
	fields := map[string]string{}
	if sc.Query.Required {
		if q.From.IsZero() {
			fields["from"] = "请输入" + sc.Query.StartLabel
		}
		if q.To.IsZero() {
			fields["to"] = "请输入" + sc.Query.EndLabel
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		fields["to"] = sc.Query.EndLabel + "不能早于" + sc.Query.StartLabel
		if sc.Query.EndLabel == "" {
			fields["to"] = "结束年月不能早于开始年月"
		}
	}
	if len(fields) > 0 {
		return apperr.Fields("", fields)
	}
	return nil
}

// selection returns which rows are ticked.
func selection(rows []viewRow, q Query) ([]bool, error) {
	out := make([]bool, len(rows))
	if !q.SelectionGiven {
		for i := range out {
			out[i] = true
		}
		return out, nil
	}
	for _, p := range q.Selected {
		found := false
		for i := range rows {
			if rows[i].c.Period == p {
				out[i], found = true, true
			}
		}
		if !found {
			return nil, apperr.Field("selected", fmt.Sprintf("费款所属期%s不在记录一览表中", p))
		}
	}
	return out, nil
}

// accrue sets the interest of every part of rows accrued to calcDate.
func accrue(rows []viewRow, calcDate calc.Date, rates calc.RateTable, used map[int]decimal.Decimal) error {
	acc := calc.NewAccrual(calc.LastRateYear(calcDate), rates)
	for i := range rows {
		for _, k := range calc.PartKinds {
			in, err := acc.Interest(rows[i].c.Part(k).Amount.Decimal(), rows[i].c.Period)
			if err != nil {
				var mr *calc.MissingRateError
				if errors.As(err, &mr) {
					return apperr.Wrap(apperr.Unavailable, mr.Message(), err)
				}
				return fmt.Errorf("ledger: interest: %w", err)
			}
			f, err := FenOf(in)
			if err != nil {
				return err
			}
			rows[i].interest[k] = f
		}
	}
	for y, r := range acc.RatesUsed() {
		used[y] = r
	}
	return nil
}

// gradeDues lists the months of the calculation year still to assess for a
// flexible-employment person (4.25): from the calculation month to
// December, without the months that already have a flexible row, at the
// base of the person's grade and the flexible-employment rates in force.
func gradeDues(d Dossier, unit string, calcDate calc.Date, set *refdata.Set) ([]viewRow, error) {
	g, ok := d.Grade(calcDate.Year)
	if !ok {
		return nil, apperr.E(apperr.NotFound, fmt.Sprintf("未找到%d年度的个人缴费档次，请先办理灵活就业人员缴费档次设置", calcDate.Year))
	}
	if unit == "" {
		unit = currentUnit(d, calcDate.YearMonth())
	}
	have := map[calc.YearMonth]bool{}
	for _, c := range d.Contributions {
		if c.Kind == KindFlexible && c.Status != StatusRefunded {
			have[c.Period] = true
		}
	}
	var out []viewRow
	for p := calcDate.YearMonth(); p.Year == calcDate.Year; p = p.AddMonths(1) {
		if have[p] {
			continue
		}
		rates, err := set.ContributionRates(p, InsuredFlexible)
		if err != nil {
			var me *refdata.MissingError
			if errors.As(err, &me) {
				return nil, apperr.Wrap(apperr.Unavailable, me.Message(), err)
			}
			return nil, err
		}
		c := Contribution{PersonNumber: d.Person.Number, UnitNumber: unit, Period: p, Kind: KindFlexible,
			Insured: InsuredFlexible, Status: StatusAssessed, Base: g.Base}
		for _, k := range []calc.PartKind{calc.Personal, calc.PersonalToAccount} {
			r := rates.Of(k)
			amt, err := FenOf(calc.MonthlyAmount(g.Base.Decimal(), r))
			if err != nil {
				return nil, err
			}
			c.SetPart(k, Part{Rate: decimal.NullDecimal{Decimal: r, Valid: true}, Amount: amt})
		}
		out = append(out, viewRow{c: c})
	}
	return out, nil
}

// currentUnit is the unit of the spell covering p, else of the latest spell.
func currentUnit(d Dossier, p calc.YearMonth) string {
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
func summarize(d Dossier, unit string) PersonSummary {
	p := d.Person
	ps := PersonSummary{Number: p.Number, Name: p.Name, IDNumberMasked: checks.MaskID(p.IDNumber), Gender: p.Gender,
		Identity: p.Identity, InsuredType: p.InsuredType, Status: p.Status, FirstInsured: p.FirstInsured}
	var pick *Spell
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
func (s *Store) unitRows(ctx context.Context, d Dossier) ([]UnitRow, error) {
	var out []UnitRow
	for _, n := range d.UnitNumbers() {
		u, err := s.Unit(ctx, n)
		if err != nil && !errors.Is(err, apperr.E(apperr.NotFound, "")) {
			return nil, err
		}
		row := UnitRow{Number: n, Name: u.Name, CreditCode: u.CreditCode}
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
func grid(d Dossier, unit string, calcDate calc.Date) []GridYear {
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
		if (unit != "" && c.UnitNumber != unit) || (c.Status != StatusPaid && c.Status != StatusExempt) {
			continue
		}
		if i := c.Period.Year - first; i >= 0 && i < len(out) {
			out[i].Months[c.Period.Month-1] = "已"
		}
	}
	return out
}
