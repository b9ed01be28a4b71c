package retirementapi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/retirement-benefits/retirementapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/storetest"
	"github.com/hljhrss/hrss/shared/workflow"
)

// The effects over a small ledger: one retiree, one in-service employee
// of a unit, one flexible-employment person.

const (
	retiree  = "2309000901"
	employee = "2309000101"
	flexible = "2309000401"
	unit     = "230900000001"
	ref      = "HL20220510-ABCDEF"
)

var (
	today      = calc.MustDate("2022-05-10")
	retireeID  = "230902196504020266"
	employeeID = "230903197203140224"
	flexibleID = "230904197508190428"
)

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

func paidRow(person, period string, unitAcct, personalAcct string) ledger.Contribution {
	c := ledger.Contribution{PersonNumber: person, UnitNumber: unit, Period: ym(period), Kind: ledger.KindRegular,
		Insured: ledger.InsuredEmployee, Status: ledger.StatusPaid, Base: ledger.MustFen("3000.00")}
	c.Parts[calc.Unit].Amount = ledger.MustFen("480.00")
	c.Parts[calc.UnitToAccount].Amount = ledger.MustFen(unitAcct)
	c.Parts[calc.Personal].Amount = ledger.MustFen("240.00")
	c.Parts[calc.PersonalToAccount].Amount = ledger.MustFen(personalAcct)
	c.Parts[calc.PersonalToAccount].Interest = ledger.MustFen("1.50")
	return c
}

func records() []ledger.Record {
	return []ledger.Record{
		ledger.Unit{Number: unit, Name: "七台河市测试有限公司", Type: "企业", PoolingArea: "230999"},
		ledger.Person{Number: retiree, IDNumber: retireeID, Name: "李淑珍", Gender: calc.Female,
			BirthDate: calc.MustDate("1965-04-02"), InsuredType: ledger.InsuredEmployee, Status: "离退休"},
		ledger.Benefit{PersonNumber: retiree, Kind: ledger.BenefitRetiree, Status: ledger.BenefitPaying,
			Monthly: ledger.MustFen("2856.30"), Start: ym("201505"),
			Payment: ledger.PaymentAccount{BankName: "中国工商银行", AccountName: "李淑珍", AccountNumber: "6212263500001234567"}},
		ledger.Spell{PersonNumber: retiree, UnitNumber: unit, From: ym("199201"), To: ym("201504")},
		ledger.Person{Number: employee, IDNumber: employeeID, Name: "刘桂芳", Gender: calc.Female,
			BirthDate: calc.MustDate("1972-03-14"), InsuredType: ledger.InsuredEmployee, Status: ledger.PersonPaying,
			Account: ledger.Account{Balance: ledger.MustFen("1000.00"), Reason: "人员新参保"}},
		ledger.Spell{PersonNumber: employee, UnitNumber: unit, From: ym("202001")},
		paidRow(employee, "202001", "0", "240.00"),
		paidRow(employee, "202002", "0", "240.00"),
		paidRow(employee, "202003", "30.00", "240.00"),
		ledger.Person{Number: flexible, IDNumber: flexibleID, Name: "赵淑华", Gender: calc.Female,
			BirthDate: calc.MustDate("1975-08-19"), InsuredType: ledger.InsuredFlexible, Status: ledger.PersonPaying},
		ledger.Spell{PersonNumber: flexible, UnitNumber: "230999000002", From: ym("202201")},
	}
}

// fixture is a ledger on the embedded table with the records written.
type fixture struct {
	t  *testing.T
	ls *ledger.Store
}

func newFixture(t *testing.T, edit ...func([]ledger.Record) []ledger.Record) fixture {
	t.Helper()
	clk := clock.Frozen(time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai))
	ls := ledger.NewStore(storetest.Bolt(t, clk), clk)
	recs := records()
	for _, e := range edit {
		recs = e(recs)
	}
	if _, err := ls.Put(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	return fixture{t, ls}
}

// apply runs business's effect for applicant (a person number, or "" for
// the unit's agent) with the form's fields, and writes its changes.
func (f fixture) apply(business, applicant string, fields map[string]string) (application.Effect, error) {
	f.t.Helper()
	b, ok := catalog.Default().Business(business)
	if !ok {
		f.t.Fatalf("no business %s", business)
	}
	app := &application.Application{ID: "app-1", Business: business, Person: applicant, Reference: ref}
	var recs application.Records
	if applicant != "" {
		d, err := f.ls.Dossier(f.t.Context(), applicant)
		if err != nil {
			f.t.Fatal(err)
		}
		recs.Dossier = &d
	} else {
		app.Unit = unit
	}
	in := application.EffectInput{Business: b, App: app, Snapshot: application.Snapshot{Round: 1, Fields: fields},
		Records: recs, Store: f.ls, Today: today}
	e, err := retirementapi.Plugin.Effects[business](f.t.Context(), in)
	if err != nil {
		return e, err
	}
	if err := f.ls.Write(f.t.Context(), e.Changes); err != nil {
		f.t.Fatalf("write: %v", err)
	}
	return e, nil
}

func (f fixture) dossier(n string) ledger.Dossier {
	f.t.Helper()
	d, err := f.ls.Dossier(f.t.Context(), n)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// wantCannot checks that err is a CannotApply whose reason says want.
func wantCannot(t *testing.T, err error, want string) {
	t.Helper()
	var te *workflow.TaskError
	if !errors.As(err, &te) || te.Name != application.ErrCannot || !strings.Contains(te.Cause, want) {
		t.Errorf("error %v, want CannotApply saying %q", err, want)
	}
}

func withBenefit(status, from string) func([]ledger.Record) []ledger.Record {
	return func(rs []ledger.Record) []ledger.Record {
		for i, r := range rs {
			if b, ok := r.(ledger.Benefit); ok {
				b.Status = status
				if from != "" {
					b.StatusFrom = ym(from)
				}
				rs[i] = b
			}
		}
		return rs
	}
}

func TestBenefitStatus(t *testing.T) {
	cases := []struct {
		name, business, status, from string
		fields                       map[string]string
		want                         string // the status after, or the CannotApply reason
		wantFrom                     string
	}{
		{"suspend", "retiree-benefit-suspend", ledger.BenefitPaying, "", map[string]string{"suspendStartDate": "2022-05-01", "suspendReason": "1201"}, ledger.BenefitSuspended, "202205"},
		{"suspend twice", "retiree-benefit-suspend", ledger.BenefitSuspended, "202203", map[string]string{"suspendStartDate": "2022-05-01"}, "不能暂停发放", ""},
		{"suspend before the start", "retiree-benefit-suspend", ledger.BenefitPaying, "", map[string]string{"suspendStartDate": "2000-01-01"}, "早于待遇享受开始年月2015年05月", ""},
		{"resume", "retiree-benefit-resume", ledger.BenefitSuspended, "202203", map[string]string{"changeDate": "2022-05-01"}, ledger.BenefitPaying, "202205"},
		{"resume a paid benefit", "retiree-benefit-resume", ledger.BenefitPaying, "", map[string]string{"changeDate": "2022-05-01"}, "不能恢复发放", ""},
		{"resume before the suspension", "retiree-benefit-resume", ledger.BenefitSuspended, "202203", map[string]string{"changeDate": "2022-01-01"}, "早于待遇暂停年月2022年03月", ""},
		{"terminate a suspended benefit", "retiree-benefit-terminate", ledger.BenefitSuspended, "202203", map[string]string{"benefitEndDate": "2022-04-15", "terminationReason": "1401"}, ledger.BenefitTerminated, "202204"},
		{"terminate twice", "retiree-benefit-terminate", ledger.BenefitTerminated, "202203", map[string]string{"benefitEndDate": "2022-04-15"}, "不能终止发放", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, withBenefit(c.status, c.from))
			c.fields["personNumber"] = retiree
			e, err := f.apply(c.business, retiree, c.fields)
			if c.wantFrom == "" {
				wantCannot(t, err, c.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b := f.dossier(retiree).Benefits[0]
			if b.Status != c.want || b.StatusFrom != ym(c.wantFrom) {
				t.Errorf("benefit %s from %s, want %s from %s", b.Status, b.StatusFrom, c.want, c.wantFrom)
			}
			if !strings.HasPrefix(e.Summary, "您的离退休待遇自") {
				t.Errorf("summary %q", e.Summary)
			}
		})
	}
}

func TestUnitTerminatesItsRetiree(t *testing.T) {
	f := newFixture(t)
	fields := map[string]string{"personNumber": retiree, "idNumber": retireeID, "benefitEndDate": "2022-05-01", "terminationReason": "1406"}
	e, err := f.apply("retiree-benefit-terminate-enterprise", "", fields)
	if err != nil {
		t.Fatal(err)
	}
	if want := "李淑珍的离退休待遇自2022年05月起终止发放。"; e.Summary != want {
		t.Errorf("summary %q, want %q", e.Summary, want)
	}
	if b := f.dossier(retiree).Benefits[0]; b.Status != ledger.BenefitTerminated || b.Info["terminationReason"] != "1406" {
		t.Errorf("benefit %+v", b)
	}

	fields["idNumber"] = employeeID // the number and the ID of two persons
	_, err = f.apply("retiree-benefit-terminate-enterprise", "", fields)
	wantCannot(t, err, "与该人员编号的参保信息不符")
}

func TestMaintainPayment(t *testing.T) {
	f := newFixture(t)
	e, err := f.apply("retiree-payment-info-maintenance", retiree, map[string]string{
		"personNumber": "99999", // typed; the business is about the applicant's own pension
		"bankCode":     "105", "bankAccount": "6217000010001234565", "paymentMethod": "2"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.dossier(retiree).Benefits[0]
	want := ledger.PaymentAccount{BankName: "中国建设银行", AccountName: "李淑珍", AccountNumber: "6217000010001234565"}
	if diff := cmp.Diff(want, b.Payment); diff != "" {
		t.Errorf("payment (-want +got):\n%s", diff)
	}
	if strings.Contains(e.Summary, "6217000010001234565") {
		t.Errorf("summary shows the account: %q", e.Summary)
	}
	for _, h := range e.History {
		if strings.Contains(h.Old+h.New, "00001234") {
			t.Errorf("history shows an account: %+v", h)
		}
	}
	if b.Info["paymentMethod"] != "2" {
		t.Errorf("info %v", b.Info)
	}
}

func TestPayBenefit(t *testing.T) {
	t.Run("months through the current one", func(t *testing.T) {
		f := newFixture(t)
		e, err := f.apply("retiree-benefit-back-pay", retiree, map[string]string{"changeDate": "2022-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		ps := f.dossier(retiree).Payments
		want := []ledger.Payment{{PersonNumber: retiree, Ref: ref, Kind: "离退休待遇补发", Amount: ledger.MustFen("8568.90"),
			Periods: []string{"202203", "202204", "202205"}, Status: ledger.PaymentDue, Application: "app-1", Created: today, Version: 1}}
		if diff := cmp.Diff(want, ps); diff != "" {
			t.Errorf("payments (-want +got):\n%s", diff)
		}
		if !strings.Contains(e.Summary, "2022年03月至2022年05月共3个月，金额8568.90元") {
			t.Errorf("summary %q", e.Summary)
		}
	})
	t.Run("not while suspended", func(t *testing.T) {
		f := newFixture(t, withBenefit(ledger.BenefitSuspended, "202204"))
		if _, err := f.apply("benefit-payment-return", retiree, map[string]string{"personNumber": retiree, "changeDate": "2022-02-01"}); err != nil {
			t.Fatal(err)
		}
		if got := f.dossier(retiree).Payments[0].Periods; !cmp.Equal(got, []string{"202202", "202203"}) {
			t.Errorf("periods %v", got)
		}
	})
	t.Run("a month paid back once", func(t *testing.T) {
		f := newFixture(t)
		if _, err := f.apply("retiree-benefit-back-pay", retiree, map[string]string{"changeDate": "2022-05-01"}); err != nil {
			t.Fatal(err)
		}
		_, err := f.apply("retiree-benefit-back-pay", retiree, map[string]string{"changeDate": "2022-04-01"})
		wantCannot(t, err, "2022年05月已由支付单"+ref)
	})
	t.Run("a date before the benefit", func(t *testing.T) {
		_, err := newFixture(t).apply("retiree-benefit-back-pay", retiree, map[string]string{"changeDate": "2010-01-01"})
		wantCannot(t, err, "早于待遇享受开始年月")
	})
	t.Run("a date after this month", func(t *testing.T) {
		_, err := newFixture(t).apply("retiree-benefit-back-pay", retiree, map[string]string{"changeDate": "2022-07-01"})
		wantCannot(t, err, "没有可离退休待遇补发的月份")
	})
	t.Run("nobody's benefit", func(t *testing.T) {
		_, err := newFixture(t).apply("benefit-payment-return", employee, map[string]string{"personNumber": employee, "changeDate": "2022-05-01"})
		wantCannot(t, err, "未查到该人员的养老保险待遇记录")
	})
}

func TestRefundAccount(t *testing.T) {
	f := newFixture(t)
	e, err := f.apply("in-service-pension-account-refund", employee, map[string]string{"personNumber": employee, "changeDate": "2022-04-18"})
	if err != nil {
		t.Fatal(err)
	}
	d := f.dossier(employee)
	var refunds []string
	for _, c := range d.Contributions {
		if c.Status != ledger.StatusRefunded || c.PaymentRef != ref {
			t.Errorf("%s: %s %s", c.Period, c.Status, c.PaymentRef)
		}
		refunds = append(refunds, c.Refund.String())
	}
	if diff := cmp.Diff([]string{"241.50", "241.50", "271.50"}, refunds); diff != "" {
		t.Errorf("refunds (-want +got):\n%s", diff)
	}
	if !strings.Contains(e.Summary, "3条缴费记录，返还金额合计754.50元") {
		t.Errorf("summary %q", e.Summary)
	}
	if p := d.Person; p.Status != "终止参保" || p.StatusFrom != ym("202204") || p.Account.Balance != 0 {
		t.Errorf("person %s from %s, balance %s", p.Status, p.StatusFrom, p.Account.Balance)
	}
	if s := d.Spells[0]; s.To != ym("202204") {
		t.Errorf("spell ends %s, want 202204", s.To)
	}

	_, err = f.apply("in-service-pension-account-refund", employee, map[string]string{"personNumber": employee, "changeDate": "2022-04-18"})
	wantCannot(t, err, "未查到可返还的个人账户记账记录")
	_, err = f.apply("in-service-pension-account-refund", retiree, map[string]string{"personNumber": retiree, "changeDate": "2022-04-18"})
	wantCannot(t, err, "该人员已退休")
}

func TestRetire(t *testing.T) {
	t.Run("by the unit", func(t *testing.T) {
		f := newFixture(t)
		fields := map[string]string{"personNumber": employee, "idNumber": employeeID, "socialSecurityNumber": employeeID,
			"retirementDate": "2022-05-01", "retirementCategory": "03", "bankName": "103", "bankAccount": "6228480010000012345"}
		e, err := f.apply("retirement-application", "", fields)
		if err != nil {
			t.Fatal(err)
		}
		if want := "刘桂芳已办理退休（因病退休(职)），退休日期2022年05月01日，自2022年06月起停止缴费。"; e.Summary != want {
			t.Errorf("summary %q, want %q", e.Summary, want)
		}
		d := f.dossier(employee)
		p := d.Person
		if p.Retired != calc.MustDate("2022-05-01") || p.Status != "离退休" || p.StatusFrom != ym("202206") ||
			p.Info["retirementCategory"] != "03" || p.Info["bankAccount"] != "6228480010000012345" {
			t.Errorf("person %+v", p)
		}
		if d.Spells[0].To != ym("202205") {
			t.Errorf("spell ends %s", d.Spells[0].To)
		}
		_, err = f.apply("retirement-application", "", fields)
		wantCannot(t, err, "不在本单位参保")
	})
	t.Run("revised", func(t *testing.T) {
		f := newFixture(t)
		e, err := f.apply("retirement-qualification-admin-revision", retiree, map[string]string{"personNumber": retiree,
			"retirementDate": "2015-04-02", "retirementCategory": "01"})
		if err != nil {
			t.Fatal(err)
		}
		d := f.dossier(retiree)
		if d.Person.Retired != calc.MustDate("2015-04-02") || d.Person.Status != "离退休" || d.Spells[0].To != ym("201504") {
			t.Errorf("person %+v spell %+v", d.Person, d.Spells[0])
		}
		if !strings.Contains(e.Summary, "退休日期已改批为2015年04月02日") {
			t.Errorf("summary %q", e.Summary)
		}
	})
	t.Run("rows after the retirement", func(t *testing.T) {
		_, err := newFixture(t).apply("retirement-qualification-admin-revision", employee, map[string]string{"personNumber": employee,
			"retirementDate": "2020-01-31", "retirementCategory": "01"})
		wantCannot(t, err, "退休年月2020年01月之后仍有已缴的缴费记录（2020年02月）")
	})
	t.Run("flexible employment", func(t *testing.T) {
		f := newFixture(t)
		fields := map[string]string{"personNumber": flexible, "retirementDate": "2030-09-01", "retirementCategory": "01"}
		if _, err := f.apply("flexible-employment-retirement-application", flexible, fields); err != nil {
			t.Fatal(err)
		}
		if d := f.dossier(flexible); d.Spells[0].To != ym("203009") || d.Person.Status != "离退休" {
			t.Errorf("person %+v spell %+v", d.Person, d.Spells[0])
		}
		_, err := f.apply("flexible-employment-retirement-application", flexible, fields)
		wantCannot(t, err, "已办理退休")
		_, err = f.apply("flexible-employment-retirement-application", employee, map[string]string{"personNumber": employee, "retirementDate": "2027-03-14"})
		wantCannot(t, err, "不是灵活就业人员")
	})
}

// Every business of the family has an effect.
func TestEveryBusinessHasAnEffect(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		if b.Family == retirementapi.Family && retirementapi.Plugin.Effects[b.ID] == nil {
			t.Errorf("%s %s has no effect", b.Section, b.ID)
		}
	}
}
