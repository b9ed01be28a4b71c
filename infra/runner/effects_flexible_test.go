package runner_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// The effects of the flexible-employment (灵活就业) and certification
// (资格认证) families. The clock is 2022-05-10.
func init() {
	registerEffects(map[string]effectCheck{
		"flexible-employment-suspend":               checkFlexSuspend,
		"flexible-employment-contribution-setting":  checkFlexGrade,
		"flexible-employment-continue-insurance":    checkFlexEnrolled,
		"flexible-employment-enrol":                 checkFlexEnrolled,
		"flexible-employment-due-assessment":        checkFlexAssessed,
		"flexible-employment-due-assessment-revoke": checkFlexRevoked,
		"retiree-eligibility-certification":         checkCertified,
		"survivor-eligibility-certification":        checkCertified,
	})
}

var may2022 = calc.MustYearMonth("202205")

// flexDossier is the applicant's dossier now.
func flexDossier(t *testing.T, x *effectEnv) ledger.Dossier {
	t.Helper()
	d, err := x.Ledger.Dossier(t.Context(), x.Account.PersonNo)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wantResult checks the 办理结果 the applicant reads.
func wantResult(t *testing.T, x *effectEnv, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(x.App.Result, p) {
			t.Errorf("result %q, want it to say %q", x.App.Result, p)
		}
	}
}

// newDraft opens a draft of business as the applicant: the fields it was
// prefilled with and its record table.
func newDraft(t *testing.T, x *effectEnv, business string) draftView {
	t.Helper()
	b := mustBusiness(t, business)
	w := x.Client.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"`+business+`"}`)
	wantCode(t, "draft of "+business, w, 201)
	return decode[draftView](t, w)
}

// draftView is a draft with its record table's cells.
type draftView struct {
	ID      string            `json:"id"`
	Version int64             `json:"version"`
	Fields  map[string]string `json:"fields"`
	Ledger  *struct {
		FlatColumns []string                    `json:"flatColumns"`
		Rows        []application.LedgerRowView `json:"rows"`
	} `json:"ledger"`
}

// 4.1: 暂停缴费 from next month; the flexible-employment spell ends with
// this month; 4.16 is refused now and 4.17 (续保) is open.
func checkFlexSuspend(t *testing.T, x *effectEnv) {
	d := flexDossier(t, x)
	june := may2022.AddMonths(1)
	if p := d.Person; p.Status != ledger.PersonSuspended || p.StatusFrom != june || p.InsuredType != ledger.InsuredFlexible {
		t.Errorf("person %s from %s (%s), want %s from %s", p.Status, p.StatusFrom, p.InsuredType, ledger.PersonSuspended, june)
	}
	for _, sp := range d.Spells {
		if sp.UnitNumber == demo.UnitSelfEmployed && sp.To != may2022 {
			t.Errorf("spell at the flexible-employment unit ends %s, want %s", sp.To, may2022)
		}
	}
	if len(d.Contributions) != len(x.Before.Contributions) {
		t.Errorf("%d contribution rows, were %d: only dues from 202206 are revoked and there were none", len(d.Contributions), len(x.Before.Contributions))
	}
	wantResult(t, x, "自2022年06月起暂停缴费")
	w := completeBusiness(t, x.Client, mustBusiness(t, "flexible-employment-contribution-setting"))
	wantCode(t, "4.16 after the suspension", w, 422, "没有正常缴费的灵活就业参保登记")
}

// 4.16: the grade of 2022 is the one chosen. The demo person already has
// the 60% grade the form's first sample chooses, so a second application
// chooses 100%: the grade changes and the next 4.25 draft assesses the
// months at its base (5865.00 × 20% = 1173.00).
func checkFlexGrade(t *testing.T, x *effectEnv) {
	wantGrade(t, x, x.Snapshot.Fields["contributionGrade"], "3519.00")
	wantResult(t, x, "2022年度缴费档次设置为按照社平工资60.0%缴费，月缴费基数3519.00元")

	app := applyAgain(t, x, "flexible-employment-contribution-setting", map[string]string{"contributionGrade": "1.00"})
	if !strings.Contains(app.Result, "按照社平工资100.0%缴费，月缴费基数5865.00元") {
		t.Errorf("second result %q", app.Result)
	}
	wantGrade(t, x, "1.00", "5865.00")
	dr := newDraft(t, x, "flexible-employment-due-assessment")
	if dr.Ledger == nil || len(dr.Ledger.Rows) == 0 {
		t.Fatal("the next 4.25 draft offers no months")
	}
	col := slices.Index(dr.Ledger.FlatColumns, "个人缴费金额")
	for _, r := range dr.Ledger.Rows {
		if r.Cells[col] != "1173.00" {
			t.Errorf("4.25 offers %s at %s, want 1173.00", r.Period, r.Cells[col])
		}
	}
}

func wantGrade(t *testing.T, x *effectEnv, ratio, base string) {
	t.Helper()
	g, ok := flexDossier(t, x).Grade(2022)
	if !ok || g.Ratio.StringFixed(2) != ratio || g.Base != ledger.MustFen(base) {
		t.Errorf("grade of 2022 %s %s (found %v), want %s %s", g.Ratio, g.Base, ok, ratio, base)
	}
}

// applyAgain submits another application of business (no materials
// needed) with the prefilled fields and overrides, has it approved and
// returns it completed.
func applyAgain(t *testing.T, x *effectEnv, business string, overrides map[string]string) *application.Application {
	t.Helper()
	b := mustBusiness(t, business)
	if len(apptest.Needed(b)) > 0 {
		t.Fatalf("applyAgain: %s needs materials", business)
	}
	dr := newDraft(t, x, business)
	fields := dr.Fields
	for k, v := range overrides {
		fields[k] = v
	}
	fill := apptest.NewFiller(b, fields)
	path := "/api/v1/" + b.Family + "/applications/" + dr.ID
	body, _ := json.Marshal(map[string]any{"version": dr.Version, "fields": fill.Fields})
	wantCode(t, "save", x.Client.do("PUT", path, string(body)), 200)
	wantCode(t, "submit", x.Client.withHeader("POST", path+"/submit", "", "Idempotency-Key", "again-"+dr.ID), 201)
	if d := settleReview(t, x.Runner, dr.ID, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("after submit the workflow is %s", d.Status)
	}
	// A TOTP code is good once: the reviewers log in again in the next
	// 30-second step.
	x.Runner.Clock().(*clock.Fixed).Advance(30 * time.Second)
	approve(t, x.Runner, b, dr.ID)
	if d := settleReview(t, x.Runner, dr.ID, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("workflow %s %s", d.Status, d.Cause)
	}
	cs, err := application.Read(t.Context(), x.Runner.Store, dr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cs.App.Status != application.StatusCompleted {
		t.Fatalf("second application %s", cs.App.Status)
	}
	return cs.App
}

// 4.17 and 4.18: 灵活就业人员, 参保缴费 from the start month, an open spell
// at the pooling area's flexible-employment unit from then, the grade of
// 2022; 4.25's next draft names that unit and 4.1 (暂停) is open.
func checkFlexEnrolled(t *testing.T, x *effectEnv) {
	start := startOf(t, x)
	d := flexDossier(t, x)
	if p := d.Person; p.InsuredType != ledger.InsuredFlexible || p.Status != ledger.PersonPaying || p.StatusFrom != start {
		t.Errorf("person %s %s from %s, want %s %s from %s", p.InsuredType, p.Status, p.StatusFrom, ledger.InsuredFlexible, ledger.PersonPaying, start)
	}
	i := slices.IndexFunc(d.Spells, func(sp ledger.Spell) bool { return sp.UnitNumber == demo.UnitSelfEmployed && sp.From == start })
	if i < 0 || !d.Spells[i].To.IsZero() {
		t.Fatalf("no open spell at %s from %s: %+v", demo.UnitSelfEmployed, start, d.Spells)
	}
	if len(d.Spells) != len(x.Before.Spells)+1 {
		t.Errorf("%d spells, were %d", len(d.Spells), len(x.Before.Spells))
	}
	wantGrade(t, x, x.Snapshot.Fields["contributionGrade"], "3519.00")
	if x.App.Business == "flexible-employment-enrol" {
		if p := d.Person; p.Info["phone"] != x.Snapshot.Fields["phone"] || p.FirstInsured.IsZero() {
			t.Errorf("person info %v, first insured %s", p.Info, p.FirstInsured)
		}
	}
	wantResult(t, x, "自"+strconv.Itoa(start.Year)+"年"+start.String()[4:]+"月起", "按照社平工资60.0%缴费")
	dr := newDraft(t, x, "flexible-employment-due-assessment")
	if dr.Fields["unitNumber"] != demo.UnitSelfEmployed {
		t.Errorf("4.25 prefills unit %q, want %s", dr.Fields["unitNumber"], demo.UnitSelfEmployed)
	}
	wantCode(t, "4.1 after the enrolment", completeBusiness(t, x.Client, mustBusiness(t, "flexible-employment-suspend")), 201)
}

// startOf is the start month the form gave (开始日期 of 4.17, 开始年月 of
// 4.18).
func startOf(t *testing.T, x *effectEnv) calc.YearMonth {
	t.Helper()
	f := x.Snapshot.Fields
	if d, err := calc.ParseDate(f["startDate"]); err == nil {
		return d.YearMonth()
	}
	ym, err := calc.ParseYearMonth(f["startYearMonth"])
	if err != nil {
		t.Fatalf("no start month in %v", f)
	}
	return ym
}

// 4.25: every ticked month is an assessed flexible due at the grade's base
// with the submitted amounts and the case's reference as its 缴费单号; the
// next 4.25 draft offers none of them and the next 4.26 draft lists them.
func checkFlexAssessed(t *testing.T, x *effectEnv) {
	b := mustBusiness(t, "flexible-employment-due-assessment")
	rows := snapRows(t, x)
	d := flexDossier(t, x)
	var sum ledger.Fen
	for _, r := range rows {
		c := find(t, d.Contributions, b, r, ledger.StatusAssessed)
		personal, toAccount := c.Parts[calc.Personal], c.Parts[calc.PersonalToAccount]
		if c.Kind != ledger.KindFlexible || c.Base != ledger.MustFen("3519.00") ||
			personal.Amount != ledger.MustFen(r.cells["个人缴费金额"]) || toAccount.Amount != ledger.MustFen(r.cells["个人缴费划入个人账户金额"]) ||
			!personal.Rate.Valid || personal.Rate.Decimal.StringFixed(2) != "0.20" {
			t.Errorf("%s: %+v, want the submitted %v at base 3519.00", r.period, c, r.cells)
		}
		if c.PaymentRef != x.App.Reference || c.Payable != personal.Amount {
			t.Errorf("%s: 缴费单号 %q payable %s, want %q %s", r.period, c.PaymentRef, c.Payable, x.App.Reference, personal.Amount)
		}
		sum += personal.Amount
	}
	if want := snapTotal(t, x, "合计金额"); sum != want {
		t.Errorf("assessed %s, want %s", sum, want)
	}
	wantResult(t, x, "个人缴费金额合计"+sum.String()+"元", x.App.Reference)
	if dr := newDraft(t, x, "flexible-employment-due-assessment"); dr.Ledger != nil && len(dr.Ledger.Rows) > 0 {
		t.Errorf("the next 4.25 draft still offers %d months", len(dr.Ledger.Rows))
	}
	dr := newDraft(t, x, "flexible-employment-due-assessment-revoke")
	if dr.Ledger == nil || len(dr.Ledger.Rows) != 4+len(rows) {
		t.Errorf("the next 4.26 draft lists %v, want the 4 assessed before and the %d new", dr.Ledger, len(rows))
	}
}

// 4.26: the ticked assessed dues are gone; the rest of the person's rows
// are untouched; the next 4.26 draft lists none of them.
func checkFlexRevoked(t *testing.T, x *effectEnv) {
	rows := snapRows(t, x)
	d := flexDossier(t, x)
	for _, r := range rows {
		for _, c := range d.Contributions {
			if c.Period == r.period && c.Kind == ledger.KindFlexible {
				t.Errorf("%s still has a flexible row (%s)", r.period, c.Status.Label())
			}
		}
	}
	if len(d.Contributions) != len(x.Before.Contributions)-len(rows) {
		t.Errorf("%d rows, were %d, %d revoked", len(d.Contributions), len(x.Before.Contributions), len(rows))
	}
	wantResult(t, x, "合计金额"+snapTotal(t, x, "合计金额").String()+"元")
	if dr := newDraft(t, x, "flexible-employment-due-assessment-revoke"); dr.Ledger != nil && len(dr.Ledger.Rows) > 0 {
		t.Errorf("the next 4.26 draft still lists %d months", len(dr.Ledger.Rows))
	}
}

// 4.2 and 5.15: the benefit records the year certified; nothing else of
// the benefit changes.
func checkCertified(t *testing.T, x *effectEnv) {
	person, kind := x.Account.PersonNo, ledger.BenefitRetiree
	if person == "" {
		person, kind = demo.PersonSurvivor, ledger.BenefitSurvivor
	}
	d, err := x.Ledger.Dossier(t.Context(), person)
	if err != nil {
		t.Fatal(err)
	}
	year, _ := strconv.Atoi(x.Snapshot.Fields["year"])
	i := slices.IndexFunc(d.Benefits, func(b ledger.Benefit) bool { return b.Kind == kind })
	if i < 0 {
		t.Fatalf("no %s benefit", kind)
	}
	b := d.Benefits[i]
	if b.Certified != year || b.Status != ledger.BenefitPaying {
		t.Errorf("benefit %s certified %d, want %s certified %d", b.Status, b.Certified, ledger.BenefitPaying, year)
	}
	wantResult(t, x, "已完成"+strconv.Itoa(year)+"年度"+kind.Label()+"领取资格认证")
}
