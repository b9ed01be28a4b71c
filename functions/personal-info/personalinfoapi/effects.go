package personalinfoapi

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
)

// What an approved personal-info decision does (办结): the applicant's
// person record takes the submitted values. A form field that is an
// attribute of ledger.Person (personAttrs) changes it; every other field
// the applicant fills in goes to Person.Info under its catalog key. The
// read-only identity fields (人员编号, and those the form never lets the
// applicant change) and 备注 are not attributes; a field left empty keeps
// its value. Every value changed is in the effect's History, old and new.

// effects are the family's effects by business id.
var effects = map[string]application.EffectFunc{
	"personal-key-info-change":       keyInfoChange,
	"personal-basic-info-change":     basicInfoChange,
	"in-service-admin-determination": adminDetermination,
}

// recordPerson is the History record name of the person.
const recordPerson = "个人信息"

// personAttr is a form field that is an attribute of ledger.Person: get
// returns it as the form writes it, set parses the form's value.
type personAttr struct {
	get func(p *ledger.Person) string
	set func(p *ledger.Person, v string) error
}

// personAttrs are the Person attributes the family's forms change, by
// field key. 个人参保日期 (insuredDate, a date) is not 首次参保年月
// (FirstInsured): 4.23 asks for both, so it stays in Info.
var personAttrs = map[string]personAttr{
	"name": {
		get: func(p *ledger.Person) string { return p.Name },
		set: func(p *ledger.Person, v string) error { p.Name = v; return nil },
	},
	"idNumber": {
		get: func(p *ledger.Person) string { return p.IDNumber },
		set: func(p *ledger.Person, v string) error { p.IDNumber = strings.ToUpper(v); return nil },
	},
	"gender": {
		get: func(p *ledger.Person) string { return codeOf("gender", string(p.Gender)) },
		set: func(p *ledger.Person, v string) error {
			g := calc.Gender(labelOf("gender", v))
			if g != calc.Male && g != calc.Female {
				return fmt.Errorf("性别%q无法登记", v)
			}
			p.Gender = g
			return nil
		},
	},
	"birthDate": {
		get: func(p *ledger.Person) string { return p.BirthDate.String() },
		set: func(p *ledger.Person, v string) (err error) { p.BirthDate, err = calc.ParseDate(v); return err },
	},
	"workStartDate": {
		get: func(p *ledger.Person) string { return p.WorkStart.String() },
		set: func(p *ledger.Person, v string) (err error) { p.WorkStart, err = calc.ParseDate(v); return err },
	},
	"firstInsuredYearMonth": {
		get: func(p *ledger.Person) string { return p.FirstInsured.Dashed() },
		set: func(p *ledger.Person, v string) (err error) { p.FirstInsured, err = calc.ParseYearMonth(v); return err },
	},
	"pensionDeemedContributionMonths": {
		get: func(p *ledger.Person) string { return strconv.Itoa(p.DeemedMonths) },
		set: func(p *ledger.Person, v string) (err error) { p.DeemedMonths, err = strconv.Atoi(v); return err },
	},
	// 个人身份: Person.Identity holds the 工人/干部 of the retirement rules;
	// a code whose label is neither (国家公务员, 专业技术人员, ...) is kept
	// in Info instead (see identityAttr).
}

// keyInfoChange (4.3) corrects the person's key information: 姓名, 性别,
// 证件号码 (= 社会保障号 in the ledger), 出生日期, 参加工作日期 and
// 个人参保日期. A new 证件号码 another person holds is refused.
func keyInfoChange(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	p, err := applicant(in)
	if err != nil {
		return application.Effect{}, err
	}
	if id := strings.ToUpper(strings.TrimSpace(in.Snapshot.Fields["idNumber"])); id != "" && !strings.EqualFold(id, p.IDNumber) {
		other, err := in.Store.PersonByIDNumber(ctx, id)
		switch {
		case err == nil && other.Number != p.Number:
			return application.Effect{}, application.CannotApply("新证件号码已登记在其他参保人员名下，须由经办机构核查")
		case err != nil && apperr.CodeOf(err) != apperr.NotFound:
			return application.Effect{}, fmt.Errorf("personalinfoapi: person by id: %w", err)
		}
	}
	return summarize(change(in, p, "个人关键信息"))
}

// basicInfoChange (4.7) updates the person's basic information (婚姻状况,
// 民族, 学历, 户口, 联系电话, 地址, ...), into Person.Info; 个人身份 into
// Person.Identity where it is 工人 or 干部.
func basicInfoChange(_ context.Context, in application.EffectInput) (application.Effect, error) {
	p, err := applicant(in)
	if err != nil {
		return application.Effect{}, err
	}
	return summarize(change(in, p, "个人基本信息"))
}

// adminDetermination (4.23) records the administrative determination of
// an in-service person: 首次参保年月, 参加工作日期 and 基本养老保险视同缴费月数
// on the person, the other determined values (个人参保日期, 个人终止参保日期,
// 账户建立年月, 异地缴费月数, 单位名称) in Info. A person already retired is
// refused (4.22 revises a retiree's).
func adminDetermination(_ context.Context, in application.EffectInput) (application.Effect, error) {
	p, err := applicant(in)
	if err != nil {
		return application.Effect{}, err
	}
	if !p.Retired.IsZero() || in.Records.HasBenefit(ledger.BenefitRetiree) {
		return application.Effect{}, application.CannotApply("申请人已办理退休，不属于在职人员行政认定的范围")
	}
	e, labels, err := change(in, p, "在职人员行政认定结果")
	if err != nil || len(labels) == 0 {
		return e, err
	}
	e.Summary = "已登记在职人员行政认定结果：" + application.ListLabels(labels) + "，基本养老保险视同缴费月数为" +
		in.Snapshot.Fields["pensionDeemedContributionMonths"] + "个月。"
	return e, nil
}

// applicant is the applicant's person record, as read just now.
func applicant(in application.EffectInput) (ledger.Person, error) {
	d := in.Records.Dossier
	if d == nil {
		return ledger.Person{}, application.CannotApply("未查到申请人的参保信息")
	}
	if n := strings.TrimSpace(in.Snapshot.Fields["personNumber"]); n != "" && n != d.Person.Number {
		return ledger.Person{}, application.CannotApply("人员编号与申请人的参保信息不符")
	}
	return d.Person, nil
}

// change applies the submitted fields to p (see the file comment) and
// returns the effect and the labels of the fields changed; what names the
// information in the summary when nothing changed.
func change(in application.EffectInput, p ledger.Person, what string) (application.Effect, []string, error) {
	info := maps.Clone(p.Info)
	if info == nil {
		info = map[string]string{}
	}
	var hist []application.Change
	var labels []string
	for i := range in.Business.Fields {
		f := &in.Business.Fields[i]
		v := strings.TrimSpace(in.Snapshot.Fields[f.Key])
		if !changeable(f) || v == "" {
			continue
		}
		old, err := apply(&p, info, f.Key, v)
		if err != nil {
			return application.Effect{}, nil, application.CannotApply("%s无法登记：%v", f.Label, err)
		}
		if application.SameFieldValue(f, old, v) {
			continue
		}
		hist = append(hist, application.Change{Record: recordPerson, Field: f.Key, Old: application.FieldText(f, old), New: application.FieldText(f, v)})
		labels = append(labels, f.Label)
	}
	if len(hist) == 0 {
		return application.Effect{Summary: what + "与登记信息一致，未作修改。"}, nil, nil
	}
	p.Info = info
	if len(p.Info) == 0 {
		p.Info = nil
	}
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{p}},
		Summary: "已修改" + what + "：" + application.ListLabels(labels) + "。", History: hist}, labels, nil
}

// summarize drops change's labels.
func summarize(e application.Effect, _ []string, err error) (application.Effect, error) {
	return e, err
}

// changeable reports whether f is a value the applicant states (not an
// identity field the form shows read-only, not 备注).
func changeable(f *catalog.Field) bool {
	return f.ReadOnly != "always" && f.Key != "personNumber" && f.Key != "socialSecurityNumber" && f.Key != "remark"
}

// apply sets the field key of p (or of info) to v and returns the old
// value as the form writes it.
func apply(p *ledger.Person, info map[string]string, key, v string) (string, error) {
	if key == "personalIdentity" {
		return identityAttr(p, info, v), nil
	}
	if a, ok := personAttrs[key]; ok {
		old := a.get(p)
		if old == v {
			return old, nil
		}
		return old, a.set(p, v)
	}
	old := info[key]
	info[key] = v
	return old, nil
}

// identityAttr sets 个人身份: the 工人/干部 of Person.Identity when the
// code's label is one of them, else Info (and Person.Identity is left, for
// staff to decide which of the two the retirement rules take).
func identityAttr(p *ledger.Person, info map[string]string, code string) string {
	old := info["personalIdentity"]
	if old == "" {
		old = codeOf("personalIdentity", string(p.Identity))
	}
	switch id := calc.Identity(labelOf("personalIdentity", code)); id {
	case calc.Worker, calc.Cadre:
		p.Identity = id
		delete(info, "personalIdentity")
	default:
		info["personalIdentity"] = code
	}
	return old
}

// labelOf is the label of code in a code table (code itself when absent).
func labelOf(table, code string) string {
	if t, ok := catalog.Default().Tables().Table(table); ok {
		if e, ok := t.Lookup(code); ok {
			return e.Label
		}
	}
	return code
}

// codeOf is the code of label in a code table ("" for "", label itself
// when absent).
func codeOf(table, label string) string {
	if label == "" {
		return ""
	}
	if t, ok := catalog.Default().Tables().Table(table); ok {
		if e, ok := t.ByLabel(label); ok {
			return e.Code
		}
	}
	return label
}
