package flexibleapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
)

// What an approved decision of the family does to the ledger (办结). Each
// effect reads the applicant's records as ApplyDecision just read them,
// checks them against the submitted snapshot and returns the changes; a
// record that no longer allows it is application.CannotApply (the case
// goes to staff).
//
//   - 4.1 暂停缴费: 个人缴费状态 暂停缴费 from next month; the open
//     flexible-employment spell ends with this month, and dues assessed for
//     next month on are revoked (nothing is due while suspended).
//   - 4.16 缴费设置: the grade (缴费档次) of this year.
//   - 4.17 续保 and 4.18 参保: 参保身份 灵活就业人员, 个人缴费状态 参保缴费
//     from the start month, a spell at the pooling area's
//     flexible-employment pseudo-unit from then, and the grade of the year.
//   - 4.25 应缴核定: the ticked months become assessed flexible dues (已核定)
//     at the base of the person's grade and the rates in force, checked
//     against the amounts submitted, with the application's reference as
//     their 缴费单号.
//   - 4.26 应缴核定撤销: the ticked assessed dues are deleted.
var effects = map[string]application.EffectFunc{
	"flexible-employment-suspend":               suspend,
	"flexible-employment-contribution-setting":  setGrade,
	"flexible-employment-continue-insurance":    continueInsurance,
	"flexible-employment-enrol":                 enrol,
	"flexible-employment-due-assessment":        assess,
	"flexible-employment-due-assessment-revoke": revoke,
}

// Record names of the effects' history.
const (
	recPerson = "个人信息"
	recSpell  = "参保关系"
	recGrade  = "缴费档次"
	recDues   = "应缴核定记录"
)

// suspend is 4.1: 暂停缴费 from next month.
func suspend(_ context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := flexiblePerson(in, ledger.PersonPaying)
	if err != nil {
		return application.Effect{}, err
	}
	from := in.Today.YearMonth().AddMonths(1)
	p := d.Person
	p.Status, p.StatusFrom = ledger.PersonSuspended, from
	e := application.Effect{History: []application.Change{
		{Record: recPerson, Field: "contributionStatus", Old: d.Person.Status, New: p.Status},
		{Record: recPerson, Field: "statusFrom", Old: ymText(d.Person.StatusFrom), New: from.String()},
	}}
	e.Put = append(e.Put, p)
	for _, sp := range d.Spells {
		if !sp.To.IsZero() || !isFlexibleUnit(sp.UnitNumber) {
			continue
		}
		if !sp.From.Before(from) {
			return application.Effect{}, application.CannotApply("灵活就业参保自%s起才开始，尚无可暂停的缴费", sp.From.Chinese())
		}
		sp.To = from.AddMonths(-1)
		e.Put = append(e.Put, sp)
		e.History = append(e.History, application.Change{Record: recSpell, Field: "to." + sp.UnitNumber, New: sp.To.String()})
	}
	var revoked []calc.YearMonth
	for _, c := range d.Contributions {
		if c.Kind == ledger.KindFlexible && c.Status == ledger.StatusAssessed && !c.Period.Before(from) {
			e.Delete = append(e.Delete, c)
			revoked = append(revoked, c.Period)
		}
	}
	e.Summary = fmt.Sprintf("自%s起暂停缴费。", from.Chinese())
	if len(revoked) > 0 {
		e.Summary += fmt.Sprintf("已撤销%s已核定未缴费的应缴记录。", periodsText(revoked))
		e.History = append(e.History, application.Change{Record: recDues, Field: "revoked", New: periodsList(revoked)})
	}
	return e, nil
}

// setGrade is 4.16: the grade of this year.
func setGrade(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := flexiblePerson(in, ledger.PersonPaying)
	if err != nil {
		return application.Effect{}, err
	}
	year := in.Today.Year
	g, err := chosenGrade(ctx, in, d, year)
	if err != nil {
		return application.Effect{}, err
	}
	e := application.Effect{Summary: fmt.Sprintf("%d年度缴费档次设置为%s。", year, g.Label())}
	old, had := d.Grade(year)
	if had && old.Ratio.Equal(g.Ratio) && old.Base == g.Base {
		return e, nil // already so: nothing to write
	}
	e.Put = []ledger.Record{g}
	e.History = []application.Change{gradeChange(old, had, g)}
	return e, nil
}

// continueInsurance is 4.17: a suspended flexible-employment person pays
// again from the month of 开始日期, through the unit of the last
// flexible-employment spell.
func continueInsurance(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := flexiblePerson(in, ledger.PersonSuspended)
	if err != nil {
		return application.Effect{}, err
	}
	start, err := startMonth(in, "startDate")
	if err != nil {
		return application.Effect{}, err
	}
	number, relation := flexibleUnitNumber(in.Snapshot.Area), ""
	if last := lastFlexibleSpell(d.Spells); last != nil {
		number, relation = last.UnitNumber, last.RelationID
	}
	u, err := flexibleUnit(ctx, in.Store, number)
	if err != nil {
		return application.Effect{}, err
	}
	form := codeLabel("employmentForm", in.Snapshot.Fields["employmentForm"])
	e, g, err := enrolment(ctx, in, d, d.Person, start, u, ledger.Spell{RelationID: relation, EmploymentForm: form})
	if err != nil {
		return application.Effect{}, err
	}
	e.Summary = fmt.Sprintf("已办理灵活就业人员续保，自%s起参保缴费，%d年度缴费档次为%s。", start.Chinese(), g.Year, g.Label())
	return e, nil
}

// enrol is 4.18: the applicant is insured as a flexible-employment person
// from 开始年月 through the pseudo-unit of the pooling area of the
// 行政区划代码 chosen (else of the case's area). A person still insured
// through an employer, or retired, is not enrolled. An applicant the
// ledger does not know yet is left to staff: the ledger allocates no
// 人员编号 here.
func enrol(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d := in.Records.Dossier
	if d == nil {
		return application.Effect{}, application.CannotApply("参保系统中没有申请人的人员记录，首次参保须由经办机构建立人员信息后办理")
	}
	p := d.Person
	if p.InsuredType == ledger.InsuredFlexible && p.Status == ledger.PersonPaying {
		return application.Effect{}, application.CannotApply("申请人已是正常缴费的灵活就业人员，无需重复参保登记")
	}
	if !p.Retired.IsZero() || in.Records.HasBenefit(ledger.BenefitRetiree) {
		return application.Effect{}, application.CannotApply("申请人已办理退休，不能以灵活就业人员身份参保")
	}
	start, err := startMonth(in, "startYearMonth")
	if err != nil {
		return application.Effect{}, err
	}
	u, err := flexibleUnit(ctx, in.Store, flexibleUnitNumber(enrolArea(in)))
	if err != nil {
		return application.Effect{}, err
	}
	var history []application.Change
	if p.FirstInsured.IsZero() {
		p.FirstInsured = start
		if ym, err := calc.ParseYearMonth(in.Snapshot.Fields["firstInsuredYearMonth"]); err == nil {
			p.FirstInsured = ym
		}
		history = append(history, application.Change{Record: recPerson, Field: "firstInsuredYearMonth", New: p.FirstInsured.String()})
	}
	p.Info = keepInfo(p.Info, in.Snapshot.Fields, &history)
	e, g, err := enrolment(ctx, in, d, p, start, u, ledger.Spell{})
	if err != nil {
		return application.Effect{}, err
	}
	e.History = append(e.History, history...)
	e.Summary = fmt.Sprintf("已办理灵活就业人员参保登记，自%s起在%s参保缴费，%d年度缴费档次为%s。", start.Chinese(), u.Name, g.Year, g.Label())
	return e, nil
}

// enrolInfo are the fields of 4.18 kept with the person (Person.Info):
// the attributes the ledger has no column for.
var enrolInfo = []string{"phone", "ethnicity", "countryCode", "hukouType", "hukouAddress", "hukouRegionCode",
	"maritalStatus", "education", "migrantWorkerFlag", "regionCode"}

// keepInfo sets the enrolment's further attributes on info, recording what
// changed.
func keepInfo(info map[string]string, fields map[string]string, history *[]application.Change) map[string]string {
	out := make(map[string]string, len(info)+len(enrolInfo))
	for k, v := range info {
		out[k] = v
	}
	for _, k := range enrolInfo {
		v := fields[k]
		if v == "" || out[k] == v {
			continue
		}
		*history = append(*history, application.Change{Record: recPerson, Field: k, Old: out[k], New: v})
		out[k] = v
	}
	return out
}

// enrolment is what 4.17 and 4.18 share: the person p (the dossier's, as
// the caller changed it) insured as a flexible-employment person paying
// from start; a spell at u from start (spell gives its relation id and
// form) unless one there is still open; and the grade the form chose for
// the year of start or this year, whichever is later. Any other open spell
// (an employer's) refuses it, and so does a start not after every closed
// spell.
func enrolment(ctx context.Context, in application.EffectInput, d *ledger.Dossier, p ledger.Person, start calc.YearMonth,
	u ledger.Unit, spell ledger.Spell) (application.Effect, ledger.Grade, error) {
	var open *ledger.Spell
	for i, sp := range d.Spells {
		switch {
		case sp.To.IsZero() && sp.UnitNumber == u.Number:
			open = &d.Spells[i]
		case sp.To.IsZero():
			return application.Effect{}, ledger.Grade{}, application.CannotApply("申请人在单位%s的参保关系尚未中断，须由单位办理暂停缴费后，才能以灵活就业人员身份参保", sp.UnitNumber)
		case !sp.To.Before(start):
			return application.Effect{}, ledger.Grade{}, application.CannotApply("开始年月%s应晚于已有参保关系的结束年月%s", start.Chinese(), sp.To.Chinese())
		}
	}
	year := max(start.Year, in.Today.Year)
	g, err := chosenGrade(ctx, in, d, year)
	if err != nil {
		return application.Effect{}, ledger.Grade{}, err
	}
	old := d.Person
	p.InsuredType, p.Status, p.StatusFrom = ledger.InsuredFlexible, ledger.PersonPaying, start
	e := application.Effect{Changes: ledger.Changes{Put: []ledger.Record{p, g}}, History: []application.Change{
		{Record: recPerson, Field: "insuredIdentity", Old: old.InsuredType, New: p.InsuredType},
		{Record: recPerson, Field: "contributionStatus", Old: old.Status, New: p.Status},
		{Record: recPerson, Field: "statusFrom", Old: ymText(old.StatusFrom), New: start.String()},
	}}
	prev, had := d.Grade(year)
	e.History = append(e.History, gradeChange(prev, had, g))
	if open == nil {
		spell.PersonNumber, spell.UnitNumber, spell.From, spell.Version = p.Number, u.Number, start, 0
		e.Put = append(e.Put, spell)
		e.History = append(e.History, application.Change{Record: recSpell, Field: "from." + u.Number, New: start.String()})
	} else if open.Status != "" && open.Status != ledger.PersonPaying {
		sp := *open
		sp.Status = ledger.PersonPaying
		e.Put = append(e.Put, sp)
		e.History = append(e.History, application.Change{Record: recSpell, Field: "status." + u.Number, Old: open.Status, New: sp.Status})
	}
	return e, g, nil
}

// assess is 4.25: the ticked months as assessed dues.
func assess(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := flexiblePerson(in, "")
	if err != nil {
		return application.Effect{}, err
	}
	rows, cells, err := tickedRows(in)
	if err != nil {
		return application.Effect{}, err
	}
	set, err := refs(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	var e application.Effect
	var periods []calc.YearMonth
	var total ledger.Fen
	for _, r := range rows {
		c, err := assessed(d, r, set, in.App.Reference)
		if err != nil {
			return application.Effect{}, err
		}
		if col := differs(cells, r.Cells, c); col != "" {
			return application.Effect{}, application.CannotApply("%s的%s与提交时不一致（缴费档次或缴费比例已变更），请重新申请核定", c.Period.Chinese(), col)
		}
		e.Put = append(e.Put, c)
		periods = append(periods, c.Period)
		total += c.Parts[calc.Personal].Amount
	}
	e.Summary = fmt.Sprintf("已核定%s的应缴费款，个人缴费金额合计%s元，缴费单号%s。", periodsText(periods), total, in.App.Reference)
	e.History = []application.Change{{Record: recDues, Field: "assessed", New: periodsList(periods)}}
	return e, nil
}

// assessed is the assessed due of one ticked row: the month must be one
// the person pays for and have no flexible-employment row yet; the base
// is the grade of its year, the amounts those of the rates in force.
func assessed(d *ledger.Dossier, r application.LedgerSnapRow, set *refdata.Set, ref string) (ledger.Contribution, error) {
	period, err := calc.ParseYearMonth(r.Period)
	if err != nil || r.Unit == "" {
		return ledger.Contribution{}, application.CannotApply("提交的应缴核定记录有误（%s），请重新申请", r.Period)
	}
	if !paysIn(d.Person, period) {
		return ledger.Contribution{}, application.CannotApply("申请人%s不在参保缴费状态（当前为%s），不能核定该月应缴费款", period.Chinese(), d.Person.Status)
	}
	for _, c := range d.Contributions {
		if c.Kind == ledger.KindFlexible && c.Period == period {
			return ledger.Contribution{}, application.CannotApply("%s已有灵活就业缴费记录（%s），不能重复核定", period.Chinese(), c.Status.Label())
		}
	}
	g, ok := d.Grade(period.Year)
	if !ok {
		return ledger.Contribution{}, application.CannotApply("未找到%d年度的个人缴费档次，请先办理灵活就业人员缴费设置", period.Year)
	}
	rates, err := set.ContributionRates(period, ledger.InsuredFlexible)
	if err != nil {
		return ledger.Contribution{}, refErr(err)
	}
	if slices.Contains(rates.Unknown, calc.Personal) || slices.Contains(rates.Unknown, calc.PersonalToAccount) {
		return ledger.Contribution{}, application.CannotApply("缺少%s灵活就业人员的个人缴费比例", period.Chinese())
	}
	res, err := calc.FlexibleDue([]calc.YearMonth{period}, g.Base.Decimal(), rates.PartRates)
	if err != nil || len(res.Rows) != 1 {
		return ledger.Contribution{}, application.CannotApply("%s的应缴费款无法计算：%v", period.Chinese(), err)
	}
	c := ledger.Contribution{PersonNumber: d.Person.Number, UnitNumber: r.Unit, Period: period, Kind: ledger.KindFlexible,
		Insured: ledger.InsuredFlexible, Status: ledger.StatusAssessed, Base: g.Base, PaymentRef: ref}
	for k, part := range res.Rows[0].Parts {
		amount, err := ledger.FenOf(part.Amount)
		if err != nil {
			return ledger.Contribution{}, err
		}
		c.Parts[k] = ledger.Part{Rate: part.Rate, Amount: amount}
	}
	c.Payable = c.Parts[calc.Personal].Amount
	return c, nil
}

// paysIn reports whether the person is 参保缴费 in month m: paying since
// StatusFrom, or suspended only from a later month.
func paysIn(p ledger.Person, m calc.YearMonth) bool {
	switch p.Status {
	case ledger.PersonPaying:
		return p.StatusFrom.IsZero() || !m.Before(p.StatusFrom)
	case ledger.PersonSuspended:
		return !p.StatusFrom.IsZero() && m.Before(p.StatusFrom)
	}
	return false
}

// revoke is 4.26: the ticked assessed dues are deleted.
func revoke(_ context.Context, in application.EffectInput) (application.Effect, error) {
	d := in.Records.Dossier
	if d == nil {
		return application.Effect{}, application.CannotApply("未找到申请人的参保记录")
	}
	rows, cells, err := tickedRows(in)
	if err != nil {
		return application.Effect{}, err
	}
	var e application.Effect
	var periods []calc.YearMonth
	var total ledger.Fen
	for _, r := range rows {
		period, err := calc.ParseYearMonth(r.Period)
		if err != nil {
			return application.Effect{}, application.CannotApply("提交的应缴核定记录有误（%s），请重新申请", r.Period)
		}
		key := ledger.ContributionKey(d.Person.Number, period, r.Unit, ledger.KindFlexible)
		i := slices.IndexFunc(d.Contributions, func(c ledger.Contribution) bool { return c.Key() == key })
		if i < 0 {
			return application.Effect{}, application.CannotApply("%s的应缴核定记录已不存在", period.Chinese())
		}
		c := d.Contributions[i]
		if c.Status != ledger.StatusAssessed {
			return application.Effect{}, application.CannotApply("%s的应缴核定记录当前为%s，不能撤销", period.Chinese(), c.Status.Label())
		}
		if col := differs(cells, r.Cells, c); col != "" {
			return application.Effect{}, application.CannotApply("%s的%s与提交时不一致，请重新申请撤销", period.Chinese(), col)
		}
		e.Delete = append(e.Delete, c)
		periods = append(periods, period)
		total += c.Parts[calc.Personal].Amount
	}
	e.Summary = fmt.Sprintf("已撤销%s的应缴核定，合计金额%s元。", periodsText(periods), total)
	e.History = []application.Change{{Record: recDues, Field: "revoked", New: periodsList(periods)}}
	return e, nil
}

// tickedRows returns the snapshot's ticked rows with the record table's
// cells, refusing a snapshot whose columns are no longer the table's.
func tickedRows(in application.EffectInput) ([]application.LedgerSnapRow, []catalog.LedgerCell, error) {
	l, ls := in.Business.Ledger, in.Snapshot.Ledger
	if l == nil || ls == nil || len(ls.Rows) == 0 {
		return nil, nil, application.CannotApply("提交时没有勾选应缴核定记录")
	}
	cells := l.Cells()
	if !slices.Equal(ls.Columns, l.FlatColumns) {
		return nil, nil, application.CannotApply("%s的栏目已变更，请重新申请", l.Title)
	}
	for _, r := range ls.Rows {
		if len(r.Cells) != len(cells) {
			return nil, nil, application.CannotApply("%s的栏目已变更，请重新申请", l.Title)
		}
	}
	return ls.Rows, cells, nil
}

// differs returns the label of the first money cell of a submitted row
// that c does not show (base or a part's amount), "" when they agree.
func differs(cells []catalog.LedgerCell, submitted []string, c ledger.Contribution) string {
	for j, cell := range cells {
		var want ledger.Fen
		switch cell.Value {
		case catalog.CellBase:
			want = c.Base
		case catalog.CellAmount:
			want = c.Parts[cell.Part].Amount
		default:
			continue
		}
		if got, err := ledger.ParseFen(submitted[j]); err != nil || got != want {
			return cell.Label
		}
	}
	return ""
}

// flexiblePerson returns the applicant's dossier when the applicant is a
// flexible-employment person with 个人缴费状态 status ("": any).
func flexiblePerson(in application.EffectInput, status string) (*ledger.Dossier, error) {
	d := in.Records.Dossier
	if d == nil {
		return nil, application.CannotApply("未找到申请人的参保记录")
	}
	if t := d.Person.InsuredType; t != ledger.InsuredFlexible {
		return nil, application.CannotApply("申请人的参保身份为%s，不是灵活就业人员", cmpOr(t, "未登记"))
	}
	if status != "" && d.Person.Status != status {
		return nil, application.CannotApply("申请人的个人缴费状态已变为%s，不能办理%s", cmpOr(d.Person.Status, "未登记"), in.Business.Name)
	}
	return d, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// chosenGrade is the grade the form chose (contributionGrade: the ratio,
// 0.60) in year, at that year's average wage, as the person's grade
// record of year (its version kept when there is one).
func chosenGrade(ctx context.Context, in application.EffectInput, d *ledger.Dossier, year int) (ledger.Grade, error) {
	code := in.Snapshot.Fields["contributionGrade"]
	ratio, _, err := calc.ParseGrade(code)
	if err != nil {
		return ledger.Grade{}, application.CannotApply("缴费档次“%s”无法识别", code)
	}
	set, err := refs(ctx, in)
	if err != nil {
		return ledger.Grade{}, err
	}
	rg, err := set.Grade(year, ratio)
	if err != nil {
		return ledger.Grade{}, refErr(err)
	}
	base, err := ledger.FenOf(rg.Base)
	if err != nil {
		return ledger.Grade{}, err
	}
	g, _ := d.Grade(year)
	g.PersonNumber, g.Year, g.Ratio, g.Base = d.Person.Number, year, rg.Ratio, base
	return g, nil
}

func gradeChange(old ledger.Grade, had bool, g ledger.Grade) application.Change {
	c := application.Change{Record: recGrade, Field: fmt.Sprint(g.Year), New: g.Label()}
	if had {
		c.Old = old.Label()
	}
	return c
}

// refs loads the reference data in force (rates, average wages, grades):
// the lifecycle's store, which caches it.
func refs(ctx context.Context, in application.EffectInput) (*refdata.Set, error) {
	return in.Refs.Load(ctx)
}

// refErr turns missing reference data into a reason for staff.
func refErr(err error) error {
	var me *refdata.MissingError
	if errors.As(err, &me) {
		return application.CannotApply("%s，请补充参考数据后重新办理", me.Message())
	}
	return err
}

// startMonth is the month of the form's start field (a date or a
// year-month).
func startMonth(in application.EffectInput, key string) (calc.YearMonth, error) {
	v := in.Snapshot.Fields[key]
	if d, err := calc.ParseDate(v); err == nil {
		return d.YearMonth(), nil
	}
	if ym, err := calc.ParseYearMonth(v); err == nil {
		return ym, nil
	}
	return calc.YearMonth{}, application.CannotApply("提交的开始年月“%s”无法识别", v)
}

// The flexible-employment pseudo-unit (个体工商户/灵活就业) of a pooling
// area is numbered with the area's code followed by 0001 (2309990001 for
// 230999): the ledger has no index of units by area and type to find it
// otherwise.
const flexibleUnitSuffix = "0001"

func flexibleUnitNumber(area string) string { return area + flexibleUnitSuffix }

// isFlexibleUnit reports whether a unit number is a pooling area's
// flexible-employment pseudo-unit.
func isFlexibleUnit(number string) bool {
	area, ok := strings.CutSuffix(number, flexibleUnitSuffix)
	return ok && len(area) == 6 && isPoolingArea(area)
}

func isPoolingArea(code string) bool {
	t, ok := catalog.Default().Tables().Table("poolingArea")
	return ok && t.Has(code)
}

// flexibleUnit reads a pseudo-unit, refusing one that is missing or
// deregistered.
func flexibleUnit(ctx context.Context, st *ledger.Store, number string) (ledger.Unit, error) {
	u, err := st.Unit(ctx, number)
	if apperr.CodeOf(err) == apperr.NotFound || (err == nil && !isFlexibleUnit(u.Number)) {
		return ledger.Unit{}, application.CannotApply("未找到灵活就业人员参保单位（%s），请人工办理", number)
	}
	if err != nil {
		return ledger.Unit{}, err
	}
	if u.Status == ledger.UnitDeregistered {
		return ledger.Unit{}, application.CannotApply("灵活就业人员参保单位（%s）已注销，请人工办理", number)
	}
	return u, nil
}

// lastFlexibleSpell is the person's latest spell at a flexible-employment
// pseudo-unit, nil when none.
func lastFlexibleSpell(ss []ledger.Spell) *ledger.Spell {
	var last *ledger.Spell
	for i, sp := range ss {
		if isFlexibleUnit(sp.UnitNumber) && (last == nil || sp.From.After(last.From)) {
			last = &ss[i]
		}
	}
	return last
}

// enrolArea is the pooling area of 4.18's 行政区划代码 (its city's, the
// prefecture code with 99), else the case's.
func enrolArea(in application.EffectInput) string {
	if r := in.Snapshot.Fields["regionCode"]; len(r) >= 4 && isPoolingArea(r[:4]+"99") {
		return r[:4] + "99"
	}
	return in.Snapshot.Area
}

// codeLabel is the label of a code of a code table ("" when unknown).
func codeLabel(table, code string) string {
	if t, ok := catalog.Default().Tables().Table(table); ok {
		if e, ok := t.Lookup(code); ok {
			return e.Label
		}
	}
	return ""
}

func ymText(p calc.YearMonth) string {
	if p.IsZero() {
		return ""
	}
	return p.String()
}

// periodsText describes months for a summary: 2022年05月, 2022年05月至
// 2022年12月共8个月, or, with gaps, 2022年01月至2022年04月中的3个月.
func periodsText(ps []calc.YearMonth) string {
	ps = slices.SortedFunc(slices.Values(ps), calc.YearMonth.Compare)
	first, last := ps[0], ps[len(ps)-1]
	switch n := len(ps); {
	case n == 1:
		return first.Chinese()
	case calc.MonthsBetween(first, last) == n-1:
		return fmt.Sprintf("%s至%s共%d个月", first.Chinese(), last.Chinese(), n)
	default:
		return fmt.Sprintf("%s至%s中的%d个月", first.Chinese(), last.Chinese(), n)
	}
}

// periodsList lists months for the history: 202205,202206.
func periodsList(ps []calc.YearMonth) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return strings.Join(out, ",")
}
