package enrolmentapi

// Decision effects (办结) of the family: what an approved application
// changes for the employee the form names by 社会保障号, at the applicant's
// unit. The submit rules are checked again on the records as they are now.
//
//   - 5.11 enrols the employee from the month of 个人参保日期: a new
//     employment spell at the unit, paying; the person is created under a
//     new 人员编号 when the ledger does not hold them yet (see nextNumber),
//     else marked 参保缴费 from that month. Spells may not overlap, and a
//     person paying through another unit is not enrolled twice.
//   - 5.12 resumes contributions from the month of the approval: the spell
//     at the unit that ended at most a month before is continued, else a
//     new spell starts; the person is 参保缴费 from that month.
//   - 5.13 suspends contributions from the month after the approval: the
//     spell at the unit ends with the month of the approval (so the unit
//     no longer has the employee on its payroll) and is marked 暂停缴费, and
//     so is the person.
//
// The 工资 of 5.11 and 5.12 is not kept: the spell's Base is the base
// 5.14 declares.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
)

// effects are the family's decision effects, by business id.
var effects = map[string]application.EffectFunc{
	"employee-enrol":                enrol,
	"employee-contribution-resume":  resume,
	"employee-contribution-suspend": suspend,
}

// Records in the History.
const (
	recordPerson = "个人信息"
	recordSpell  = "参保关系"
)

// reasonNew is the 账户建立原因 of a person the ledger did not hold.
const reasonNew = "人员新参保"

// employee is the applicant's unit and the employee the form names, as
// they are now; d is nil when the ledger does not hold the person.
type employee struct {
	unit ledger.Unit
	d    *ledger.Dossier
}

// load reads the unit and the employee; a person whose name is not the
// form's is CannotApply.
func load(ctx context.Context, in application.EffectInput) (employee, error) {
	u := in.Records.Unit
	if u == nil {
		return employee{}, application.CannotApply("本单位尚未在参保系统中登记")
	}
	if u.Status == ledger.UnitDeregistered {
		return employee{}, application.CannotApply("本单位的社会保险登记已注销")
	}
	e := employee{unit: *u}
	p, err := in.Store.PersonByIDNumber(ctx, in.Snapshot.Fields["socialSecurityNumber"])
	if apperr.CodeOf(err) == apperr.NotFound {
		return e, nil
	}
	if err != nil {
		return employee{}, err
	}
	d, err := in.Store.Dossier(ctx, p.Number)
	if err != nil {
		return employee{}, err
	}
	if name := strings.TrimSpace(in.Snapshot.Fields["name"]); name != "" && name != d.Person.Name {
		return employee{}, application.CannotApply("该社会保障号登记的姓名与填报的姓名不一致，请核对")
	}
	e.d = &d
	return e, nil
}

// atUnit returns the person's spells at the unit, by start.
func (e employee) atUnit() []ledger.Spell {
	var out []ledger.Spell
	for _, sp := range e.d.Spells {
		if sp.UnitNumber == e.unit.Number {
			out = append(out, sp)
		}
	}
	slices.SortFunc(out, func(a, b ledger.Spell) int { return a.From.Compare(b.From) })
	return out
}

// payingElsewhere is CannotApply when the person pays through another
// unit now (an ongoing spell not suspended).
func (e employee) payingElsewhere() error {
	for _, sp := range e.d.Spells {
		if sp.UnitNumber != e.unit.Number && sp.To.IsZero() && sp.Status != ledger.PersonSuspended {
			return application.CannotApply("该职工在其他单位（单位编号%s）仍在参保缴费，不能重复参保", sp.UnitNumber)
		}
	}
	return nil
}

// enrol is 5.11.
func enrol(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	e, err := load(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	v := in.Snapshot.Fields
	insured, err := calc.ParseDate(v["insuredDate"])
	if err != nil {
		return application.Effect{}, application.CannotApply("个人参保日期有误，请核对")
	}
	from := insured.YearMonth()
	sp := ledger.Spell{UnitNumber: e.unit.Number, From: from, Status: ledger.PersonPaying,
		EmploymentForm: label(in.Business, "employmentForm", v["employmentForm"])}
	var p ledger.Person
	var extra []table.Op
	hist := []application.Change{}
	if e.d == nil {
		number, seq, err := nextNumber(ctx, in.Store, e.unit.PoolingArea)
		if err != nil {
			return application.Effect{}, err
		}
		p, extra = newPerson(in.Business, v, number, from), []table.Op{seq}
		hist = append(hist, application.Change{Record: recordPerson, Field: "personNumber", New: number})
	} else {
		if err := e.canEnrol(from); err != nil {
			return application.Effect{}, err
		}
		p = e.d.Person
		hist = append(hist, application.Change{Record: recordPerson, Field: "contributionStatus", Old: p.Status, New: ledger.PersonPaying})
		p.Status, p.StatusFrom = ledger.PersonPaying, from
		if t := label(in.Business, "insuredIdentity", v["insuredIdentity"]); t != "" && t != p.InsuredType {
			hist = append(hist, application.Change{Record: recordPerson, Field: "insuredIdentity", Old: p.InsuredType, New: t})
			p.InsuredType = t
		}
		if p.FirstInsured.IsZero() {
			p.FirstInsured = from
		}
	}
	sp.PersonNumber = p.Number
	hist = append(hist, application.Change{Record: recordSpell, Field: "from", New: from.String()})
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{p, sp}, Extra: extra},
		Summary: fmt.Sprintf("职工%s自%s起在本单位参保缴费，人员编号%s。", p.Name, from.Chinese(), p.Number),
		History: hist,
	}, nil
}

// canEnrol checks an enrolment from month from against the person's
// records: not retired, not insured through the unit now, not paying
// through another unit, no ended spell reaching into from.
func (e employee) canEnrol(from calc.YearMonth) error {
	if !e.d.Person.Retired.IsZero() {
		return application.CannotApply("该人员已办理退休，不能作为在职职工参保")
	}
	for _, sp := range e.atUnit() {
		if sp.To.IsZero() {
			return application.CannotApply("该职工已在本单位参保，无需重复办理职工参保登记")
		}
	}
	if err := e.payingElsewhere(); err != nil {
		return err
	}
	for _, sp := range e.d.Spells {
		if !sp.To.IsZero() && !sp.To.Before(from) {
			return application.CannotApply("参保开始年月%s与该职工已有的参保记录（单位编号%s，%s至%s）重叠，请核对个人参保日期",
				from.Chinese(), sp.UnitNumber, sp.From.Chinese(), sp.To.Chinese())
		}
	}
	return nil
}

// newPerson is the person 5.11 adds to the ledger: the form's identity and
// dates, 参保缴费 from from; the other fields of the form go to Info.
func newPerson(b *catalog.Business, v map[string]string, number string, from calc.YearMonth) ledger.Person {
	p := ledger.Person{Number: number, IDNumber: strings.ToUpper(v["socialSecurityNumber"]), Name: v["name"],
		Gender: calc.Gender(label(b, "gender", v["gender"])), Identity: calc.Identity(label(b, "personalIdentity", v["personalIdentity"])),
		InsuredType: label(b, "insuredIdentity", v["insuredIdentity"]), Status: ledger.PersonPaying, StatusFrom: from,
		FirstInsured: from, Account: ledger.Account{Reason: reasonNew}}
	if d, err := calc.ParseDate(v["birthDate"]); err == nil {
		p.BirthDate = d
	}
	if d, err := calc.ParseDate(v["workStartDate"]); err == nil {
		p.WorkStart = d
	}
	if ym, err := calc.ParseYearMonth(v["firstInsuredYearMonth"]); err == nil && ym.Before(from) {
		p.FirstInsured = ym
	}
	kept := []string{"socialSecurityNumber", "name", "gender", "personalIdentity", "insuredIdentity", "birthDate", "workStartDate",
		"firstInsuredYearMonth", "unitNumber", "unitName", "insuredDate", "employmentForm", "wage", "insuranceType"}
	for _, f := range b.Fields {
		val := strings.TrimSpace(v[f.Key])
		if val == "" || slices.Contains(kept, f.Key) || f.Key == "idNumber" && strings.EqualFold(val, p.IDNumber) {
			continue
		}
		if p.Info == nil {
			p.Info = map[string]string{}
		}
		p.Info[f.Key] = val
	}
	return p
}

// resume is 5.12.
func resume(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	e, err := load(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	if e.d == nil {
		return application.Effect{}, application.CannotApply("未找到该社会保障号的参保人员")
	}
	at := e.atUnit()
	if len(at) == 0 || e.d.Person.Status != ledger.PersonSuspended {
		return application.Effect{}, application.CannotApply("该人员不是本单位暂停缴费的职工（当前个人缴费状态：%s），无法恢复缴费", e.d.Person.Status)
	}
	if err := e.payingElsewhere(); err != nil {
		return application.Effect{}, err
	}
	month := in.Today.YearMonth()
	last := at[len(at)-1]
	sp := last
	hist := []application.Change{}
	if last.To.IsZero() || !last.To.Before(month.AddMonths(-1)) {
		if !last.To.IsZero() {
			hist = append(hist, application.Change{Record: recordSpell, Field: "to", Old: last.To.String()})
		}
		sp.To = calc.YearMonth{}
	} else {
		sp = ledger.Spell{PersonNumber: last.PersonNumber, UnitNumber: last.UnitNumber, From: month,
			RelationID: last.RelationID, EmploymentForm: last.EmploymentForm}
		hist = append(hist, application.Change{Record: recordSpell, Field: "from", New: month.String()})
	}
	sp.Status = ledger.PersonPaying
	if f := label(in.Business, "employmentForm", in.Snapshot.Fields["employmentForm"]); f != "" {
		sp.EmploymentForm = f
	}
	p := e.d.Person
	hist = append(hist, application.Change{Record: recordPerson, Field: "contributionStatus", Old: p.Status, New: ledger.PersonPaying})
	p.Status, p.StatusFrom = ledger.PersonPaying, month
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{p, sp}},
		Summary: fmt.Sprintf("职工%s自%s起恢复缴费。", p.Name, month.Chinese()),
		History: hist,
	}, nil
}

// suspend is 5.13.
func suspend(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	e, err := load(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	if e.d == nil {
		return application.Effect{}, application.CannotApply("未找到该社会保障号的参保人员")
	}
	var cur *ledger.Spell
	for _, sp := range e.atUnit() {
		if sp.To.IsZero() {
			cur = &sp
		}
	}
	if cur == nil || e.d.Person.Status != ledger.PersonPaying {
		return application.Effect{}, application.CannotApply("该人员不是本单位正常缴费的在职职工（当前个人缴费状态：%s），无法暂停缴费", e.d.Person.Status)
	}
	month := in.Today.YearMonth().AddMonths(1)
	if !cur.From.Before(month) {
		return application.Effect{}, application.CannotApply("该职工在本单位自%s起参保，暂停缴费年月%s不在其参保期间内，请人工核实",
			cur.From.Chinese(), month.Chinese())
	}
	sp := *cur
	sp.To, sp.Status = month.AddMonths(-1), ledger.PersonSuspended
	p := e.d.Person
	hist := []application.Change{
		{Record: recordPerson, Field: "contributionStatus", Old: p.Status, New: ledger.PersonSuspended},
		{Record: recordSpell, Field: "to", New: sp.To.String()},
	}
	p.Status, p.StatusFrom = ledger.PersonSuspended, month
	reason := ""
	if r := label(in.Business, "changeReason", in.Snapshot.Fields["changeReason"]); r != "" {
		reason = "（" + r + "）"
	}
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{p, sp}},
		Summary: fmt.Sprintf("职工%s自%s起暂停缴费%s。", p.Name, month.Chinese(), reason),
		History: hist,
	}, nil
}

// Numbers of new persons.
const (
	// personSeries follows the 4-digit prefix of the unit's pooling area
	// in the numbers 5.11 gives (2309700001): the demo and imported
	// persons are numbered otherwise, and a number taken all the same is
	// skipped.
	personSeries = "7"
)

// nextNumber returns a new 人员编号 of the pooling area's series
// (<area[:4]>7NNNNN) and the counter's write for the effect's transaction
// (ledger.Store.NextNumber).
func nextNumber(ctx context.Context, st *ledger.Store, area string) (string, table.Op, error) {
	if len(area) < 4 {
		area = application.ProvinceArea
	}
	n, op, ok, err := st.NextNumber(ctx, ledger.SeriesPerson, area[:4]+personSeries)
	if err == nil && !ok {
		err = application.CannotApply("统筹区%s没有可分配的人员编号，请人工处理", area)
	}
	return n, op, err
}

// label is the label of an enum field's value (the value when it is not
// an enum's code).
func label(b *catalog.Business, key, v string) string {
	f, ok := b.Field(key)
	if !ok || f.Enum == "" || v == "" {
		return v
	}
	if t, ok := catalog.Default().Tables().Table(f.Enum); ok {
		if e, ok := t.Lookup(v); ok {
			return e.Label
		}
	}
	return v
}
