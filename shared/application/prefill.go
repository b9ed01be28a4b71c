package application

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Records are what the ledger holds about the applicant: the source of
// prefill and of the business rules.
type Records struct {
	Caller  identity.Caller
	Dossier *ledger.Dossier // an individual linked to the ledger
	Unit    *ledger.Unit    // the agent's unit, or the individual's current unit
	Spell   *ledger.Spell   // the individual's current (or latest) employment spell
}

// Attrs are record values by a prefill's attr name.
type Attrs map[string]string

// records reads the applicant's records: an individual's dossier (one
// query) and current unit (one get); an agent's unit (one get).
func (s *Service) records(ctx context.Context, c identity.Caller) (Records, error) {
	r := Records{Caller: c}
	unit := ""
	if c.Has(identity.RoleIndividual) && c.PersonNumber != "" {
		d, err := s.ledger.Dossier(ctx, c.PersonNumber)
		if err != nil && !notFound(err) {
			return r, fmt.Errorf("application: records: %w", err)
		}
		if err == nil {
			r.Dossier = &d
			r.Spell = currentSpell(d.Spells)
			if r.Spell != nil {
				unit = r.Spell.UnitNumber
			}
		}
	}
	if c.Has(identity.RoleAgent) {
		unit = c.UnitNumber
	}
	if unit != "" {
		u, err := s.ledger.Unit(ctx, unit)
		if err != nil && !notFound(err) {
			return r, fmt.Errorf("application: records: %w", err)
		}
		if err == nil {
			r.Unit = &u
		}
	}
	return r, nil
}

// currentSpell is the ongoing spell, else the one that ended last.
func currentSpell(ss []ledger.Spell) *ledger.Spell {
	var best *ledger.Spell
	for i := range ss {
		sp := &ss[i]
		switch {
		case best == nil:
			best = sp
		case sp.To.IsZero() && !best.To.IsZero():
			best = sp
		case sp.To.IsZero() == best.To.IsZero() && sp.From.After(best.From):
			best = sp
		}
	}
	return best
}

// attrs lists the record values prefill can use, by source. An attr the
// records do not hold is absent: its field starts empty and editable.
func (r Records) attrs() map[string]Attrs {
	acct := Attrs{"name": r.Caller.Name}
	person, unit := Attrs{}, Attrs{}
	if r.Dossier != nil {
		p := r.Dossier.Person
		acct["socialSecurityNumber"], acct["idNumber"], acct["personNumber"] = p.IDNumber, p.IDNumber, p.Number
		set(person, "personNumber", p.Number)
		set(person, "name", p.Name)
		set(person, "idNumber", p.IDNumber)
		set(person, "socialSecurityNumber", p.IDNumber)
		set(person, "idType", "01") // 居民身份证: the ledger keys persons by resident ID
		set(person, "gender", string(p.Gender))
		if !p.BirthDate.IsZero() {
			set(person, "birthDate", p.BirthDate.String())
			set(person, "archiveBirthDate", p.BirthDate.String())
		}
		set(person, "personalIdentity", string(p.Identity))
		set(person, "insuredIdentity", p.InsuredType)
		set(person, "contributionStatus", p.Status) // 暂停缴费 is an alias of 暂停缴费（中断） in the code table
		set(person, "insuredStatus", insuredStatusOf[p.Status])
		if isPensionInsured(p.InsuredType) {
			set(person, "insuranceType", pensionInsurance)
		}
		if !p.FirstInsured.IsZero() {
			set(person, "firstInsuredYearMonth", p.FirstInsured.String())
			// 个人参保日期 is a date and the ledger holds the month: its
			// first day. A date 4.23 determined (Info) replaces it below.
			set(person, "insuredDate", calc.Date{Year: p.FirstInsured.Year, Month: p.FirstInsured.Month, Day: 1}.String())
		}
		if !p.WorkStart.IsZero() {
			set(person, "workStartDate", p.WorkStart.String())
		}
		if !p.Retired.IsZero() {
			set(person, "retirementDate", p.Retired.String())
		}
		if p.DeemedMonths > 0 {
			set(person, "deemedContributionMonths", strconv.Itoa(p.DeemedMonths))
		}
		if r.Spell != nil {
			set(person, "employmentForm", r.Spell.EmploymentForm)
		}
		if g, ok := latestGrade(r.Dossier.Grades); ok {
			set(person, "contributionGrade", g.Label())
		}
		for _, b := range r.Dossier.Benefits {
			if b.PersonNumber != p.Number {
				continue
			}
			set(person, "benefitPaymentStatus", b.Status)
			if !b.Start.IsZero() {
				set(person, "benefitStartYearMonth", b.Start.String())
			}
			set(person, "bankAccount", b.Payment.AccountNumber)
			set(person, "bankAccountName", b.Payment.AccountName)
			for k, v := range b.Info {
				set(person, k, v) // what an approved change recorded (4.8)
			}
			break
		}
		for k, v := range p.Info {
			set(person, k, v) // what approved changes recorded (4.3, 4.7, 4.23), by field key
		}
	}
	if r.Unit != nil {
		u := r.Unit
		for _, m := range []Attrs{person, unit} {
			set(m, "unitNumber", u.Number)
			set(m, "unitName", u.Name)
		}
		set(unit, "creditCode", u.CreditCode)
		set(unit, "unitType", u.Type)
		if len(u.CreditCode) == 18 {
			set(unit, "orgCode", u.CreditCode[8:17])
		}
		set(unit, "publicRegionCode", u.PoolingArea)
		for k, v := range u.Info {
			set(unit, k, v) // what approved changes recorded (5.4, 5.7, 5.8), by field key
		}
		if r.Caller.Has(identity.RoleAgent) {
			set(acct, "unitNumber", u.Number)
			set(acct, "unitName", u.Name)
		}
	}
	return map[string]Attrs{"account": acct, "person": person, "unit": unit}
}

// insuredStatusOf is the 人员参保状态 the ledger's 个人缴费状态
// (Person.Status) implies; a status not listed (离退休, 遗属待遇领取) implies
// none, and the field starts empty. The ledger keeps no 参保状态 of its
// own. Decision: a person who pays, or whose contributions are interrupted
// (暂停缴费, 中断), is still insured (正常参保) — the manual's 4.1 and 5.13
// forms show 正常参保 beside 暂停缴费（中断）; 暂停参保 is not implied by any
// ledger status; the ledger's 终止参保 is the insurance's end.
var insuredStatusOf = map[string]string{
	ledger.PersonPaying:    "正常参保",
	ledger.PersonSuspended: "正常参保",
	"终止参保":                 "终止参保",
}

// pensionInsurance is the 险种类型 of everything the ledger holds: its
// persons, contributions (单位/个人 parts, 划入个人账户) and benefits are
// those of the enterprise employees' basic pension insurance.
const pensionInsurance = "企业职工基本养老保险"

// isPensionInsured reports whether a person of 参保身份 t is insured in
// pensionInsurance: employees and flexible-employment persons (4.17's
// condition: 曾参加企业职工基本养老保险); a survivor dependant (遗属供养人员)
// or a person with no 参保身份 is not.
func isPensionInsured(t string) bool {
	return t == ledger.InsuredEmployee || t == ledger.InsuredFlexible
}

func set(m Attrs, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func latestGrade(gs []ledger.Grade) (ledger.Grade, bool) {
	if len(gs) == 0 {
		return ledger.Grade{}, false
	}
	return gs[len(gs)-1], true
}

// prefill computes the initial values of b's fields from the records, as
// each field's prefill says, then lets the family add its own. Values are
// normalized by the catalog's engine (an enum given by its label becomes
// its code); a value the engine refuses is left out, so the applicant
// types it.
func (s *Service) prefill(ctx context.Context, b *catalog.Business, r Records, plug Plugin) (map[string]string, error) {
	src := r.attrs()
	out := map[string]string{}
	for _, f := range b.Fields {
		p := f.Prefill
		if p == nil {
			continue
		}
		switch p.From {
		case "default":
			out[f.Key] = p.Value
		case "account", "person", "unit":
			attr := p.Attr
			if attr == "" {
				attr = f.Key
			}
			if v, ok := src[p.From][attr]; ok {
				out[f.Key] = v
			}
		}
	}
	if plug.Prefill != nil {
		extra, err := plug.Prefill(ctx, b, r)
		if err != nil {
			return nil, err
		}
		for k, v := range extra {
			out[k] = v
		}
	}
	res := b.Validate(out, s.clk.Now())
	for k := range out {
		if v, ok := res.Values[k]; ok {
			out[k] = v
		} else if _, bad := res.Errors[k]; bad {
			if e, ok := enumByLabel(b, k, out[k]); ok {
				out[k] = e
			} else {
				delete(out, k)
			}
		}
	}
	return out, nil
}

// enumByLabel maps a record's label (男, 工人) to the code of the field's
// code table.
func enumByLabel(b *catalog.Business, key, label string) (string, bool) {
	for _, f := range b.Fields {
		if f.Key != key || f.Enum == "" {
			continue
		}
		t, ok := catalog.Default().Tables().Table(f.Enum)
		if !ok {
			return "", false
		}
		if e, ok := t.ByLabel(label); ok {
			return e.Code, true
		}
	}
	return "", false
}

// Masked identifiers: what a response shows of a field holding an ID
// number or a bank account prefilled from the records. A save that sends
// the masked form back keeps the stored value.
func maskValue(f *catalog.Field, v string) string {
	switch f.Type {
	case catalog.TypeIDNumber, catalog.TypeSocialSecurityNumber:
		return checks.MaskID(v)
	case catalog.TypeBankAccount:
		return checks.MaskAccount(v)
	}
	return v
}

// HasBenefit reports whether the applicant receives a benefit of kind
// (a retiree's pension, a survivor's 遗属待遇).
func (r Records) HasBenefit(kind ledger.BenefitKind) bool {
	if r.Dossier == nil {
		return false
	}
	for _, b := range r.Dossier.Benefits {
		if b.Kind == kind && b.PersonNumber == r.Dossier.Person.Number {
			return true
		}
	}
	return false
}

// InsuredType is the applicant's 参保身份 ("" when not in the ledger).
func (r Records) InsuredType() string {
	if r.Dossier == nil {
		return ""
	}
	return r.Dossier.Person.InsuredType
}

// ProvinceArea is the province-level pooling area, for an applicant whose
// records name no city's.
const ProvinceArea = "239900"

// Area is the pooling area (统筹区) whose reviewers handle the applicant's
// cases: the unit's (an agent's, or an individual's current unit), else
// the city of the person's ID number when it is a pooling area (the
// MOHRSS pattern: the prefecture code with 99), else the province's.
func (r Records) Area(values map[string]string) string {
	if r.Unit != nil && r.Unit.PoolingArea != "" {
		return r.Unit.PoolingArea
	}
	if r.Dossier != nil && len(r.Dossier.Person.IDNumber) >= 4 {
		return PoolingAreaOf(r.Dossier.Person.IDNumber[:6])
	}
	// A unit not registered yet (5.9): the division its form names.
	return PoolingAreaOf(values["regionCode"])
}

// PoolingAreaOf is the pooling area (统筹区) of an administrative division
// (GB/T 2260): its prefecture's (the prefecture code with 99) when that is
// a pooling area of the poolingArea table, else the province's.
func PoolingAreaOf(division string) string {
	if len(division) >= 4 {
		code := division[:4] + "99"
		if t, ok := catalog.Default().Tables().Table("poolingArea"); ok && t.Has(code) {
			return code
		}
	}
	return ProvinceArea
}
