package runner_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
)

// The effects of the enterprise-registration (单位登记) and
// employee-enrolment (职工参保) families.
func init() {
	registerEffects(map[string]effectCheck{
		"unit-insurance-info-change": func(t *testing.T, x *effectEnv) {
			u := regUnitInfo(t, x, []string{"insuranceType", "unitInsuredDate", "unitContributionStatus", "startYearMonth", "collectionMethod"})
			want := regLabel(t, x, "unitInsuredStatus")
			if want == "终止参保" {
				want = ledger.UnitDeregistered
			}
			if u.Status != want && !(u.Status == "" && want == ledger.UnitActive) {
				t.Errorf("单位参保状态 %q, want %q", u.Status, want)
			}
			if u.Type != regLabel(t, x, "unitType") {
				t.Errorf("单位类型 %q, want %q", u.Type, regLabel(t, x, "unitType"))
			}
			regSame(t, x, u)
		},
		"unit-general-info-maintenance": func(t *testing.T, x *effectEnv) {
			u := regUnitInfo(t, x, []string{"economicType", "affiliation", "industry", "legalRepName", "registeredAddress", "taxNumber"})
			if u.Type != regLabel(t, x, "unitType") || u.PoolingArea != x.Snapshot.Fields["publicRegionCode"] {
				t.Errorf("单位类型 %q 统筹区 %q, want %q %q", u.Type, u.PoolingArea, regLabel(t, x, "unitType"), x.Snapshot.Fields["publicRegionCode"])
			}
			regSame(t, x, u)
			// The next form shows the pooling area as it is now.
			if got := regDraft(t, x, "unit-general-info-maintenance")["publicRegionCode"]; got != u.PoolingArea {
				t.Errorf("next 5.7 prefills 行政区划代码(公共) %q, want %q", got, u.PoolingArea)
			}
		},
		"unit-key-info-maintenance": func(t *testing.T, x *effectEnv) {
			f := x.Snapshot.Fields
			u := regUnitInfo(t, x, []string{"legalRepName", "legalRepIdType", "legalRepIdNumber", "legalRepPhone", "countryCode"})
			if u.Name != f["unitName"] || u.CreditCode != f["uscc"] {
				t.Errorf("单位名称 %q 统一社会信用代码 %q, want %q %q", u.Name, u.CreditCode, f["unitName"], f["uscc"])
			}
			if f["uscc"] == x.BeforeUnit.CreditCode {
				t.Fatal("the form kept the credit code: nothing to check")
			}
			if byCode, err := x.Ledger.UnitByCreditCode(t.Context(), f["uscc"]); err != nil || byCode.Number != u.Number {
				t.Errorf("unit by the new credit code: %s, %v", byCode.Number, err)
			}
			// The next form shows the new key information.
			next := regDraft(t, x, "unit-key-info-maintenance")
			if next["unitName"] != u.Name || strings.ReplaceAll(next["orgCode"], "-", "") != u.CreditCode[8:17] {
				t.Errorf("next 5.8 prefills 单位名称 %q 组织机构代码 %q, want %q %q", next["unitName"], next["orgCode"], u.Name, u.CreditCode[8:17])
			}
		},
		"unit-enrol": func(t *testing.T, x *effectEnv) {
			f := x.Snapshot.Fields
			u, err := x.Ledger.UnitByCreditCode(t.Context(), f["uscc"])
			if err != nil {
				t.Fatalf("no unit with the form's credit code: %v", err)
			}
			area := f["regionCode"][:4] + "99"
			if u.Name != f["unitName"] || u.Type != regLabel(t, x, "unitType") || u.PoolingArea != area || u.Status != ledger.UnitActive {
				t.Errorf("unit %+v, want %s %s in %s, %s", u, f["unitName"], regLabel(t, x, "unitType"), area, ledger.UnitActive)
			}
			if !strings.HasPrefix(u.Number, area[:4]+"8") || len(u.Number) != 10 || !strings.Contains(x.App.Result, u.Number) {
				t.Errorf("单位编号 %s, result %q", u.Number, x.App.Result)
			}
			if u.Info["legalRepName"] != f["legalRepName"] || u.Info["affiliation"] != f["affiliation"] {
				t.Errorf("Info %v", u.Info)
			}
		},
		"unit-deregister": func(t *testing.T, x *effectEnv) {
			u := regUnit(t, x)
			if u.Status != ledger.UnitDeregistered || x.BeforeUnit.Status == ledger.UnitDeregistered {
				t.Errorf("单位参保状态 %q (before %q), want %s", u.Status, x.BeforeUnit.Status, ledger.UnitDeregistered)
			}
			regSame(t, x, u)
		},
		"employee-enrol": func(t *testing.T, x *effectEnv) {
			f := x.Snapshot.Fields
			p, err := x.Ledger.PersonByIDNumber(t.Context(), f["socialSecurityNumber"])
			if err != nil {
				t.Fatalf("no person with the form's 社会保障号: %v", err)
			}
			if slices.ContainsFunc(demo.Persons(), func(d ledger.Person) bool { return d.IDNumber == p.IDNumber }) {
				t.Fatal("the form names a demo person: the check wants a new one")
			}
			if p.Name != f["name"] || p.Status != ledger.PersonPaying || p.InsuredType != regLabel(t, x, "insuredIdentity") ||
				string(p.Gender) != regLabel(t, x, "gender") || p.BirthDate.String() != f["birthDate"] {
				t.Errorf("person %s %s %s %s %s %s", p.Name, p.Status, p.InsuredType, p.Gender, p.BirthDate, p.Number)
			}
			if !strings.HasPrefix(p.Number, "23097") || !strings.Contains(x.App.Result, p.Number) {
				t.Errorf("人员编号 %s, result %q", p.Number, x.App.Result)
			}
			if p.Info["ethnicity"] != f["ethnicity"] || p.Info["hukouAddress"] != f["hukouAddress"] {
				t.Errorf("Info %v", p.Info)
			}
			from := calc.MustDate(f["insuredDate"]).YearMonth()
			d := regDossier(t, x, p.Number)
			if len(d.Spells) != 1 || d.Spells[0].UnitNumber != x.Account.UnitNo || d.Spells[0].From != from ||
				!d.Spells[0].To.IsZero() || d.Spells[0].Status != ledger.PersonPaying {
				t.Errorf("spells %+v, want one at %s from %s, paying", d.Spells, x.Account.UnitNo, from)
			}
			staff, err := x.Ledger.UnitStaff(t.Context(), x.Account.UnitNo)
			if err != nil || !slices.ContainsFunc(staff, func(sp ledger.Spell) bool { return sp.PersonNumber == p.Number }) {
				t.Errorf("the unit's staff lacks the new employee (%v)", err)
			}
		},
		"employee-contribution-resume": func(t *testing.T, x *effectEnv) {
			month := regToday(x).YearMonth()
			d := regDossier(t, x, demo.PersonBackPay)
			if d.Person.Status != ledger.PersonPaying || d.Person.StatusFrom != month {
				t.Errorf("个人缴费状态 %s from %s, want %s from %s", d.Person.Status, d.Person.StatusFrom, ledger.PersonPaying, month)
			}
			var old ledger.Spell
			for _, sp := range demo.Spells() {
				if sp.PersonNumber == demo.PersonBackPay && sp.UnitNumber == x.Account.UnitNo {
					old = sp
				}
			}
			var spells []string
			for _, sp := range d.Spells {
				spells = append(spells, sp.From.String()+"-"+sp.To.String()+" "+sp.Status+" "+sp.RelationID)
			}
			want := []string{old.From.String() + "-" + old.To.String() + "  " + old.RelationID,
				month.String() + "- " + ledger.PersonPaying + " " + old.RelationID}
			if !slices.Equal(spells, want) {
				t.Errorf("spells %q, want %q", spells, want)
			}
		},
		"employee-contribution-suspend": func(t *testing.T, x *effectEnv) {
			month := regToday(x).YearMonth().AddMonths(1)
			d := regDossier(t, x, demo.PersonRefund)
			if d.Person.Status != ledger.PersonSuspended || d.Person.StatusFrom != month {
				t.Errorf("个人缴费状态 %s from %s, want %s from %s", d.Person.Status, d.Person.StatusFrom, ledger.PersonSuspended, month)
			}
			for _, sp := range d.Spells {
				if sp.UnitNumber == x.Account.UnitNo && sp.From == calc.MustYearMonth("202001") &&
					(sp.To != month.AddMonths(-1) || sp.Status != ledger.PersonSuspended) {
					t.Errorf("spell from 202001 to %s %q, want to %s %s", sp.To, sp.Status, month.AddMonths(-1), ledger.PersonSuspended)
				}
			}
			staff, err := x.Ledger.UnitStaff(t.Context(), x.Account.UnitNo)
			if err != nil || slices.ContainsFunc(staff, func(sp ledger.Spell) bool { return sp.PersonNumber == demo.PersonRefund && sp.To.IsZero() }) {
				t.Errorf("the employee is still on the unit's payroll (%v)", err)
			}
			if !strings.Contains(x.App.Result, "暂停缴费") {
				t.Errorf("result %q", x.App.Result)
			}
		},
	})
}

// regUnit is the applicant's unit now.
func regUnit(t *testing.T, x *effectEnv) ledger.Unit {
	t.Helper()
	u, err := x.Ledger.Unit(t.Context(), x.Account.UnitNo)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// regUnitInfo is the applicant's unit now, checking that the form's keys
// are in its Info as submitted.
func regUnitInfo(t *testing.T, x *effectEnv, keys []string) ledger.Unit {
	t.Helper()
	u := regUnit(t, x)
	for _, k := range keys {
		if v := x.Snapshot.Fields[k]; v == "" || u.Info[k] != v {
			t.Errorf("Info[%s] = %q, want the form's %q", k, u.Info[k], v)
		}
	}
	return u
}

// regSame checks that the unit keeps its number, name and credit code.
func regSame(t *testing.T, x *effectEnv, u ledger.Unit) {
	t.Helper()
	if b := x.BeforeUnit; u.Name != b.Name || u.CreditCode != b.CreditCode {
		t.Errorf("unit %s %s, was %s %s", u.Name, u.CreditCode, b.Name, b.CreditCode)
	}
}

// regLabel is the label of the snapshot's value of an enum field.
func regLabel(t *testing.T, x *effectEnv, key string) string {
	t.Helper()
	b := mustBusiness(t, x.App.Business)
	f, ok := b.Field(key)
	if !ok || f.Enum == "" {
		t.Fatalf("%s has no enum field %s", b.ID, key)
	}
	tbl, _ := catalog.Default().Tables().Table(f.Enum)
	e, ok := tbl.Lookup(x.Snapshot.Fields[key])
	if !ok {
		t.Fatalf("%s: %q is no code of %s", key, x.Snapshot.Fields[key], f.Enum)
	}
	return e.Label
}

// regDossier is a person's dossier now.
func regDossier(t *testing.T, x *effectEnv, person string) ledger.Dossier {
	t.Helper()
	d, err := x.Ledger.Dossier(t.Context(), person)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// regToday is the runner's date.
func regToday(x *effectEnv) calc.Date { return calc.DateOf(x.Runner.Clock().Now().In(clock.Shanghai)) }

// regDraft opens a new draft of business for the applicant and returns
// its prefilled fields.
func regDraft(t *testing.T, x *effectEnv, business string) map[string]string {
	t.Helper()
	b := mustBusiness(t, business)
	w := x.Client.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"`+business+`"}`)
	if w.Code != 201 {
		t.Fatalf("new draft of %s: %d %s", business, w.Code, w.Body)
	}
	return decode[draftJSON](t, w).Fields
}
