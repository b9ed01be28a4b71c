package runner_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
)

// The decision effects of the survivor-benefits (4.8, 4.10, 4.15, 4.19,
// 4.27) and personal-info (4.3, 4.7, 4.23) families.

func init() {
	registerEffectSetups(map[string]effectSetup{
		// The demo survivor's benefit is paying: 4.10 resumes it once
		// suspended (since April), 4.27 pays back the suspended months once
		// it is resumed (suspended from March, paying again from June: May
		// is unpaid, and 4.27's 变更日期 is in May).
		"survivor-benefit-resume": {Owner: demo.PersonSurvivor, Prepare: func(t *testing.T, ls *ledger.Store) {
			survivorBenefitSet(t, ls, ledger.BenefitSuspended, "202204", map[string]string{"suspendStartDate": "2022-04-01", "suspendReason": "1"})
		}},
		"survivor-benefit-back-pay": {Owner: demo.PersonSurvivor, Prepare: func(t *testing.T, ls *ledger.Store) {
			survivorBenefitSet(t, ls, ledger.BenefitPaying, "202206", map[string]string{"suspendStartDate": "2022-03-01"})
		}},
		// 4.19 is reported for a survivor: the survivor's own account.
		"survivor-benefit-terminate": {Owner: demo.PersonSurvivor},
	})
	registerEffects(map[string]effectCheck{
		"survivor-info-change":           checkSurvivorInfoChange,
		"survivor-benefit-suspend":       checkSurvivorSuspend,
		"survivor-benefit-resume":        checkSurvivorResume,
		"survivor-benefit-terminate":     checkSurvivorTerminate,
		"survivor-benefit-back-pay":      checkSurvivorBackPay,
		"personal-key-info-change":       checkKeyInfoChange,
		"personal-basic-info-change":     checkBasicInfoChange,
		"in-service-admin-determination": checkAdminDetermination,
	})
}

// peopleStated are the submitted values of the fields an applicant states in b
// (not the read-only identity fields, not 备注), non-empty: what the
// effects write.
func peopleStated(b *catalog.Business, fields map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range b.Fields {
		if v := fields[f.Key]; v != "" && f.ReadOnly != "always" && f.Key != "personNumber" && f.Key != "socialSecurityNumber" && f.Key != "remark" {
			out[f.Key] = v
		}
	}
	return out
}

// peopleNextMonth is the month after the runner's today.
func peopleNextMonth(x *effectEnv) calc.YearMonth {
	return calc.DateOf(x.Runner.Clock().Now().In(clock.Shanghai)).YearMonth().AddMonths(1)
}

func peopleMonth(m calc.YearMonth) string { return fmt.Sprintf("%04d年%02d月", m.Year, int(m.Month)) }

// survivorBenefitNow reads the person's survivor benefit now.
func survivorBenefitNow(t *testing.T, x *effectEnv, person string) ledger.Benefit {
	t.Helper()
	d, err := x.Ledger.Dossier(t.Context(), person)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Benefits {
		if b.Kind == ledger.BenefitSurvivor && b.PersonNumber == person {
			return b
		}
	}
	t.Fatalf("%s has no survivor benefit", person)
	return ledger.Benefit{}
}

func peoplePerson(t *testing.T, x *effectEnv) ledger.Person {
	t.Helper()
	p, err := x.Ledger.Person(t.Context(), x.Account.PersonNo)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// peopleDraft opens a new draft of business as the applicant and returns its
// prefilled fields (identifiers masked).
func peopleDraft(t *testing.T, x *effectEnv, business string) map[string]string {
	t.Helper()
	b := mustBusiness(t, business)
	w := x.Client.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"`+business+`"}`)
	if w.Code != 201 {
		t.Fatalf("new draft of %s: %d %s", business, w.Code, w.Body)
	}
	return decode[draftJSON](t, w).Fields
}

// peoplePrefill checks a prefilled value the records give today.
func peoplePrefill(t *testing.T, fields map[string]string, business, key, want string) {
	t.Helper()
	if got := fields[key]; got != want {
		t.Errorf("next draft of %s prefills %s = %q, want %q", business, key, got, want)
	}
}

// peopleInfoPrefill checks a value kept in a record's Info that a later draft
// prefills once prefill reads Info (shared/application/prefill.go does
// not yet): absent is logged, a different value is an error.
func peopleInfoPrefill(t *testing.T, fields map[string]string, business, key, want string) {
	t.Helper()
	switch got, ok := fields[key]; {
	case !ok:
		t.Logf("next draft of %s does not prefill %s (%q is in Info; prefill does not read Info yet)", business, key, want)
	case got != want:
		t.Errorf("next draft of %s prefills %s = %q, want %q", business, key, got, want)
	}
}

func checkSurvivorInfoChange(t *testing.T, x *effectEnv) {
	b := survivorBenefitNow(t, x, x.Account.PersonNo)
	want := peopleStated(mustBusiness(t, "survivor-info-change"), x.Snapshot.Fields)
	if len(want) == 0 {
		t.Fatal("nothing stated")
	}
	for k, v := range want {
		if b.Info[k] != v {
			t.Errorf("benefit Info[%s] = %q, want %q", k, b.Info[k], v)
		}
	}
	if b.Status != ledger.BenefitPaying || b.Monthly != survivorBenefitBefore(t, x).Monthly {
		t.Errorf("status %s monthly %s changed", b.Status, b.Monthly)
	}
	if !strings.HasPrefix(x.App.Result, "已修改遗属供养信息：") {
		t.Errorf("result %q", x.App.Result)
	}
	next := peopleDraft(t, x, "survivor-info-change")
	peopleInfoPrefill(t, next, "survivor-info-change", "benefitCalcBase", want["benefitCalcBase"])
	peopleInfoPrefill(t, next, "survivor-info-change", "dependantBenefitRatio", want["dependantBenefitRatio"])
}

// survivorBenefitBefore is the applicant's survivor benefit before approval.
func survivorBenefitBefore(t *testing.T, x *effectEnv) ledger.Benefit {
	t.Helper()
	for _, b := range x.Before.Benefits {
		if b.Kind == ledger.BenefitSurvivor {
			return b
		}
	}
	t.Fatal("no survivor benefit before")
	return ledger.Benefit{}
}

func checkSurvivorSuspend(t *testing.T, x *effectEnv) {
	b := survivorBenefitNow(t, x, x.Account.PersonNo)
	from := peopleNextMonth(x)
	if b.Status != ledger.BenefitSuspended || b.StatusFrom != from {
		t.Errorf("benefit %s from %s, want %s from %s", b.Status, b.StatusFrom, ledger.BenefitSuspended, from)
	}
	if b.Info["suspendReason"] != x.Snapshot.Fields["suspendReason"] || b.Info["suspendStartDate"] != from.Dashed()+"-01" {
		t.Errorf("benefit Info %v", b.Info)
	}
	if want := "自" + peopleMonth(from) + "起暂停发放遗属待遇。"; x.App.Result != want {
		t.Errorf("result %q, want %q", x.App.Result, want)
	}
	// 待遇发放状态 as 4.21 prefills it from the person's benefit.
	peoplePrefill(t, peopleDraft(t, x, "retiree-benefit-back-pay"), "retiree-benefit-back-pay", "benefitPaymentStatus", peopleCode(t, "benefitPaymentStatus", ledger.BenefitSuspended))
}

func checkSurvivorResume(t *testing.T, x *effectEnv) {
	if before := survivorBenefitBefore(t, x); before.Status != ledger.BenefitSuspended {
		t.Fatalf("before: %s", before.Status)
	}
	b := survivorBenefitNow(t, x, x.Account.PersonNo)
	from := peopleNextMonth(x)
	if d, err := calc.ParseDate(x.Snapshot.Fields["changeDate"]); err == nil && d.YearMonth().After(from) {
		from = d.YearMonth()
	}
	if b.Status != ledger.BenefitPaying || b.StatusFrom != from {
		t.Errorf("benefit %s from %s, want %s from %s", b.Status, b.StatusFrom, ledger.BenefitPaying, from)
	}
	if _, ok := b.Info["suspendReason"]; ok {
		t.Errorf("suspendReason kept: %v", b.Info)
	}
	if want := "自" + peopleMonth(from) + "起恢复发放遗属待遇。"; x.App.Result != want {
		t.Errorf("result %q, want %q", x.App.Result, want)
	}
	peoplePrefill(t, peopleDraft(t, x, "retiree-benefit-back-pay"), "retiree-benefit-back-pay", "benefitPaymentStatus", peopleCode(t, "benefitPaymentStatus", ledger.BenefitPaying))
}

func checkSurvivorTerminate(t *testing.T, x *effectEnv) {
	person := x.Snapshot.Fields["personNumber"]
	b := survivorBenefitNow(t, x, person)
	end, err := calc.ParseDate(x.Snapshot.Fields["benefitEndDate"])
	if err != nil {
		t.Fatal(err)
	}
	from := end.YearMonth().AddMonths(1)
	if b.Status != ledger.BenefitTerminated || b.StatusFrom != from {
		t.Errorf("benefit %s from %s, want %s from %s", b.Status, b.StatusFrom, ledger.BenefitTerminated, from)
	}
	if b.Info["terminationReason"] != x.Snapshot.Fields["terminationReason"] || b.Info["benefitEndDate"] != end.String() {
		t.Errorf("benefit Info %v", b.Info)
	}
	if want := "自" + peopleMonth(from) + "起终止发放遗属待遇。"; x.App.Result != want {
		t.Errorf("result %q, want %q", x.App.Result, want)
	}
	if person == x.Account.PersonNo {
		peoplePrefill(t, peopleDraft(t, x, "retiree-benefit-back-pay"), "retiree-benefit-back-pay", "benefitPaymentStatus", peopleCode(t, "benefitPaymentStatus", ledger.BenefitTerminated))
	}
}

func checkSurvivorBackPay(t *testing.T, x *effectEnv) {
	d, err := x.Ledger.Dossier(t.Context(), x.Account.PersonNo)
	if err != nil {
		t.Fatal(err)
	}
	var p *ledger.Payment
	for i := range d.Payments {
		if d.Payments[i].Ref == x.App.Reference {
			p = &d.Payments[i]
		}
	}
	if p == nil {
		t.Fatalf("no payment %s in %+v", x.App.Reference, d.Payments)
	}
	b := survivorBenefitNow(t, x, x.Account.PersonNo)
	change, _ := calc.ParseDate(x.Snapshot.Fields["changeDate"])
	now := calc.DateOf(x.Runner.Clock().Now().In(clock.Shanghai)).YearMonth()
	earlier := map[string]bool{}
	for _, q := range x.Before.Payments {
		for _, m := range q.Periods {
			earlier[m] = true
		}
	}
	if p.Kind != "遗属供养人员待遇补发" || p.Status != ledger.PaymentDue || p.Application != x.App.ID || len(p.Periods) == 0 ||
		p.Amount != b.Monthly*ledger.Fen(len(p.Periods)) {
		t.Errorf("payment %+v (monthly %s)", *p, b.Monthly)
	}
	for _, m := range p.Periods {
		ym := calc.MustYearMonth(m)
		if ym.Before(change.YearMonth()) || ym.After(now) || earlier[m] {
			t.Errorf("month %s: before the change date %s, after %s, or paid back before", m, change, now)
		}
	}
	if !strings.Contains(x.App.Result, "补发金额合计"+p.Amount.String()+"元") || !strings.Contains(x.App.Result, x.App.Reference) {
		t.Errorf("result %q", x.App.Result)
	}
}

func checkKeyInfoChange(t *testing.T, x *effectEnv) {
	p := peoplePerson(t, x)
	f := x.Snapshot.Fields
	gender, _ := catalog.Default().Tables().Table("gender")
	g, _ := gender.Lookup(f["gender"])
	got := map[string]string{"name": p.Name, "gender": string(p.Gender), "idNumber": p.IDNumber, "birthDate": p.BirthDate.String(),
		"workStartDate": p.WorkStart.String(), "insuredDate": p.Info["insuredDate"]}
	want := map[string]string{"name": f["name"], "gender": g.Label, "idNumber": strings.ToUpper(f["idNumber"]), "birthDate": f["birthDate"],
		"workStartDate": f["workStartDate"], "insuredDate": f["insuredDate"]}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("person %s = %q, want %q", k, got[k], want[k])
		}
	}
	if !strings.HasPrefix(x.App.Result, "已修改个人关键信息：") || strings.Contains(x.App.Result, p.IDNumber) {
		t.Errorf("result %q", x.App.Result)
	}
	// The ID-number index follows the change.
	if q, err := x.Ledger.PersonByIDNumber(t.Context(), p.IDNumber); err != nil || q.Number != p.Number {
		t.Errorf("person by the new ID number: %s, %v", q.Number, err)
	}
	next := peopleDraft(t, x, "in-service-pension-account-refund")
	peoplePrefill(t, next, "in-service-pension-account-refund", "gender", f["gender"])
	peoplePrefill(t, next, "in-service-pension-account-refund", "idNumber", checks.MaskID(p.IDNumber))
}

func checkBasicInfoChange(t *testing.T, x *effectEnv) {
	p := peoplePerson(t, x)
	for k, v := range peopleStated(mustBusiness(t, "personal-basic-info-change"), x.Snapshot.Fields) {
		got := p.Info[k]
		if k == "personalIdentity" && got == "" {
			got = peopleCode(t, "personalIdentity", string(p.Identity))
		}
		if got != v {
			t.Errorf("person %s = %q, want %q", k, got, v)
		}
	}
	if !strings.HasPrefix(x.App.Result, "已修改个人基本信息：") {
		t.Errorf("result %q", x.App.Result)
	}
	next := peopleDraft(t, x, "in-service-pension-account-refund")
	peopleInfoPrefill(t, next, "in-service-pension-account-refund", "ethnicity", x.Snapshot.Fields["ethnicity"])
	if v := x.Snapshot.Fields["phone"]; v != "" {
		peopleInfoPrefill(t, peopleDraft(t, x, "benefit-payment-return"), "benefit-payment-return", "phone", v)
	}
}

func peopleCode(t *testing.T, table, label string) string {
	t.Helper()
	tb, _ := catalog.Default().Tables().Table(table)
	e, ok := tb.ByLabel(label)
	if !ok {
		return label
	}
	return e.Code
}

func checkAdminDetermination(t *testing.T, x *effectEnv) {
	p := peoplePerson(t, x)
	f := x.Snapshot.Fields
	if strconv.Itoa(p.DeemedMonths) != f["pensionDeemedContributionMonths"] || p.FirstInsured.Dashed() != f["firstInsuredYearMonth"] ||
		p.WorkStart.String() != f["workStartDate"] {
		t.Errorf("person deemed %d, first insured %s, work start %s; submitted %v", p.DeemedMonths, p.FirstInsured, p.WorkStart, f)
	}
	for _, k := range []string{"insuredDate", "insuranceEndDate", "accountEstablishedYearMonth", "nonLocalContributionMonths", "unitName"} {
		if p.Info[k] != f[k] {
			t.Errorf("person Info[%s] = %q, want %q", k, p.Info[k], f[k])
		}
	}
	if !strings.Contains(x.App.Result, "视同缴费月数为"+f["pensionDeemedContributionMonths"]+"个月") {
		t.Errorf("result %q", x.App.Result)
	}
	next := peopleDraft(t, x, "in-service-pension-account-refund")
	peoplePrefill(t, next, "in-service-pension-account-refund", "deemedContributionMonths", f["pensionDeemedContributionMonths"])
}

// peopleDecide is decide on a runner that already decided others: with a
// fresh TOTP code for the reviewers (a code logs in once).
func peopleDecide(t *testing.T, r *runner.Runner, acct demo.Account, business string) *effectEnv {
	t.Helper()
	r.Clock().(*clock.Fixed).Advance(31 * time.Second)
	return decide(t, r, acct, mustBusiness(t, business))
}

func peopleAccount(t *testing.T, person string) demo.Account {
	t.Helper()
	for _, a := range demo.Accounts() {
		if a.PersonNo == person {
			return a
		}
	}
	t.Fatalf("no demo account for %s", person)
	return demo.Account{}
}

// TestSurvivorBenefitEffectsInSequence: the survivor suspends the benefit
// on 2022-05-10 (from June), resumes it three months later (from
// September) and claims the back-pay of the suspended months (June to
// August, 3 × 980.00); in a second ledger, the benefit is terminated.
// TestDecisionEffects cannot reach these from the demo ledger: the demo
// survivor's benefit is paying (4.10 needs it suspended, 4.27 needs unpaid
// months), and 4.19's first demo account holds no survivor benefit.
func TestSurvivorBenefitEffectsInSequence(t *testing.T) {
	if testing.Short() {
		t.Skip("a runner")
	}
	acct := peopleAccount(t, demo.PersonSurvivor)
	r := seededRunner(t)
	x := peopleDecide(t, r, acct, "survivor-benefit-suspend")
	checkSurvivorSuspend(t, x)

	r.Clock().(*clock.Fixed).Advance(92 * 24 * time.Hour) // 2022-08-10
	x = peopleDecide(t, r, acct, "survivor-benefit-resume")
	checkSurvivorResume(t, x)
	if b := survivorBenefitNow(t, x, acct.PersonNo); b.StatusFrom != calc.MustYearMonth("202209") {
		t.Errorf("resumed from %s, want 202209", b.StatusFrom)
	}

	x = peopleDecide(t, r, acct, "survivor-benefit-back-pay")
	checkSurvivorBackPay(t, x)
	var periods []string
	var amount ledger.Fen
	for _, p := range survivorPayments(t, x) {
		periods, amount = append(periods, p.Periods...), amount+p.Amount
	}
	if want := []string{"202206", "202207", "202208"}; !slices.Equal(periods, want) || amount != ledger.MustFen("2940.00") {
		t.Errorf("back-pay %v %s, want %v 2940.00", periods, amount, want)
	}

	r2 := seededRunner(t)
	checkSurvivorTerminate(t, peopleDecide(t, r2, acct, "survivor-benefit-terminate"))
}

// survivorBenefitSet sets the demo survivor's benefit status from a month.
func survivorBenefitSet(t *testing.T, ls *ledger.Store, status, from string, info map[string]string) {
	t.Helper()
	d, err := ls.Dossier(t.Context(), demo.PersonSurvivor)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Benefits {
		if b.Kind == ledger.BenefitSurvivor {
			b.Status, b.StatusFrom, b.Info = status, calc.MustYearMonth(from), info
			if err := ls.Write(t.Context(), ledger.Changes{Put: []ledger.Record{b}}); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("the demo survivor has no survivor benefit")
}

func survivorPayments(t *testing.T, x *effectEnv) []ledger.Payment {
	t.Helper()
	d, err := x.Ledger.Dossier(context.Background(), x.Account.PersonNo)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(slices.Clone(d.Payments), func(p ledger.Payment) bool { return p.Kind != "遗属供养人员待遇补发" })
}
