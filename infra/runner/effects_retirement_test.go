package runner_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
)

// The effects of the retirement-benefits family
// (functions/retirement-benefits/retirementapi/effects.go).
func init() {
	registerEffectSetups(map[string]effectSetup{
		// The retiree's own businesses: the first account listing them is
		// not a retiree.
		"retiree-benefit-terminate": {Owner: demo.PersonRetiree},
		"benefit-payment-return":    {Owner: demo.PersonRetiree},
		// 4.14 resumes a suspended benefit: suspended since March.
		"retiree-benefit-resume": {Owner: demo.PersonRetiree, Prepare: func(t *testing.T, ls *ledger.Store) {
			d, err := ls.Dossier(t.Context(), demo.PersonRetiree)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range d.Benefits {
				if b.Kind == ledger.BenefitRetiree {
					b.Status, b.StatusFrom = ledger.BenefitSuspended, calc.MustYearMonth("202203")
					b.Info = map[string]string{"suspendStartDate": "2022-03-01", "suspendReason": "1"}
					if err := ls.Write(t.Context(), ledger.Changes{Put: []ledger.Record{b}}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}},
	})
	registerEffects(map[string]effectCheck{
		"retiree-benefit-suspend": func(t *testing.T, x *effectEnv) {
			retCheckStatus(t, x, ledger.BenefitPaying, ledger.BenefitSuspended, "suspendStartDate")
			// The next form that shows the status shows the new one.
			if got := retDraftFields(t, x, "retiree-benefit-back-pay")["benefitPaymentStatus"]; got != "2" {
				t.Errorf("4.21 prefills 待遇发放状态 %q, want 2 (暂停发放)", got)
			}
		},
		"retiree-benefit-resume": func(t *testing.T, x *effectEnv) {
			retCheckStatus(t, x, ledger.BenefitSuspended, ledger.BenefitPaying, "changeDate")
			if got := retDraftFields(t, x, "retiree-benefit-back-pay")["benefitPaymentStatus"]; got != "1" {
				t.Errorf("4.21 prefills 待遇发放状态 %q, want 1 (正常发放)", got)
			}
		},
		"retiree-benefit-terminate": func(t *testing.T, x *effectEnv) {
			b := retCheckStatus(t, x, "", ledger.BenefitTerminated, "benefitEndDate")
			if b.Info["terminationReason"] != x.Snapshot.Fields["terminationReason"] {
				t.Errorf("终止原因 kept %q, want %q", b.Info["terminationReason"], x.Snapshot.Fields["terminationReason"])
			}
		},
		"retiree-benefit-terminate-enterprise": func(t *testing.T, x *effectEnv) {
			b := retCheckStatus(t, x, "", ledger.BenefitTerminated, "benefitEndDate")
			d := retDossier(t, x, b.PersonNumber)
			if !slices.ContainsFunc(d.Spells, func(s ledger.Spell) bool { return s.UnitNumber == x.Account.UnitNo }) {
				t.Errorf("the unit terminated the benefit of a person never employed there")
			}
		},
		"in-service-pension-account-refund":          retCheckAccountRefund,
		"retiree-payment-info-maintenance":           retCheckPaymentInfo,
		"benefit-payment-return":                     retCheckPayable,
		"retiree-benefit-back-pay":                   retCheckPayable,
		"retirement-qualification-admin-revision":    retCheckRetirement,
		"flexible-employment-retirement-application": retCheckRetirement,
		"retirement-application":                     retCheckRetirement,
	})
}

// retSubject is the person the application is about: the form's 人员编号,
// or the applicant for the businesses about one's own pension (whose form
// may carry a typed number).
func retSubject(x *effectEnv) string {
	switch x.App.Business {
	case "retiree-benefit-suspend", "retiree-benefit-resume", "retiree-payment-info-maintenance", "retiree-benefit-back-pay":
		return x.Account.PersonNo
	}
	if p := x.Snapshot.Fields["personNumber"]; p != "" {
		return p
	}
	return x.Account.PersonNo
}

// retBefore is the subject's dossier before approval: the harness's for the
// applicant, else the demo seed's (the ledger every run starts from).
func retBefore(t *testing.T, x *effectEnv, number string) ledger.Dossier {
	t.Helper()
	if number == x.Account.PersonNo {
		return x.Before
	}
	var d ledger.Dossier
	for _, r := range demo.Records() {
		switch r := r.(type) {
		case ledger.Person:
			if r.Number == number {
				d.Person = r
			}
		case ledger.Spell:
			if r.PersonNumber == number {
				d.Spells = append(d.Spells, r)
			}
		case ledger.Contribution:
			if r.PersonNumber == number {
				d.Contributions = append(d.Contributions, r)
			}
		case ledger.Benefit:
			if r.PersonNumber == number {
				d.Benefits = append(d.Benefits, r)
			}
		}
	}
	if d.Person.Number == "" {
		t.Fatalf("the form names %s, not a demo person", number)
	}
	return d
}

func retDossier(t *testing.T, x *effectEnv, number string) ledger.Dossier {
	t.Helper()
	d, err := x.Ledger.Dossier(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func retRetiree(t *testing.T, d ledger.Dossier) ledger.Benefit {
	t.Helper()
	for _, b := range d.Benefits {
		if b.Kind == ledger.BenefitRetiree && b.PersonNumber == d.Person.Number {
			return b
		}
	}
	t.Fatalf("no retiree benefit of %s", d.Person.Number)
	return ledger.Benefit{}
}

// retFormDate is a date field of the submitted form.
func retFormDate(t *testing.T, x *effectEnv, key string) calc.Date {
	t.Helper()
	d, err := calc.ParseDate(x.Snapshot.Fields[key])
	if err != nil {
		t.Fatalf("form %s: %v", key, err)
	}
	return d
}

// retDraftFields opens a draft of a business for the applicant and returns
// its prefilled fields (as the portal shows them: identifiers masked).
func retDraftFields(t *testing.T, x *effectEnv, business string) map[string]string {
	t.Helper()
	b := mustBusiness(t, business)
	w := x.Client.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"`+business+`"}`)
	wantCode(t, "draft of "+business, w, 201)
	return decode[draftJSON](t, w).Fields
}

// retCheckStatus: the retiree benefit moved from was ("" any but
// terminated) to status from the month of the form's dateKey.
func retCheckStatus(t *testing.T, x *effectEnv, was, status, dateKey string) ledger.Benefit {
	t.Helper()
	n := retSubject(x)
	old := retRetiree(t, retBefore(t, x, n))
	if (was != "" && old.Status != was) || old.Status == ledger.BenefitTerminated {
		t.Fatalf("before approval the benefit was %s", old.Status)
	}
	b := retRetiree(t, retDossier(t, x, n))
	from := retFormDate(t, x, dateKey).YearMonth()
	if b.Status != status || b.StatusFrom != from {
		t.Errorf("benefit %s from %s, want %s from %s", b.Status, b.StatusFrom, status, from)
	}
	if b.Monthly != old.Monthly || b.Payment != old.Payment || b.Start != old.Start {
		t.Errorf("the status change changed more: %+v → %+v", old, b)
	}
	if want := fmt.Sprintf("%04d年%02d月起", from.Year, int(from.Month)); !strings.Contains(x.App.Result, want) {
		t.Errorf("result %q, want it to say %s", x.App.Result, want)
	}
	return b
}

// retCheckPaymentInfo (4.13): the benefit is paid to the form's account; the
// next form that shows the account shows it (masked).
func retCheckPaymentInfo(t *testing.T, x *effectEnv) {
	f := x.Snapshot.Fields
	b := retRetiree(t, retDossier(t, x, x.Account.PersonNo))
	bank, ok := catalog.Default().Tables().Table("bankCode")
	if !ok {
		t.Fatal("no bankCode table")
	}
	e, _ := bank.Lookup(f["bankCode"])
	want := ledger.PaymentAccount{BankName: e.Label, AccountName: f["bankAccountName"], AccountNumber: f["bankAccount"]}
	if b.Payment != want {
		t.Errorf("payment account %+v, want %+v", b.Payment, want)
	}
	if b.Info["paymentMethod"] != f["paymentMethod"] || b.Info["ssCardNumber"] != f["ssCardNumber"] {
		t.Errorf("发放信息 kept %v", b.Info)
	}
	if strings.Contains(x.App.Result, f["bankAccount"]) || !strings.Contains(x.App.Result, checks.MaskAccount(f["bankAccount"])) {
		t.Errorf("result %q: want the account masked", x.App.Result)
	}
	next := retDraftFields(t, x, "retiree-benefit-terminate")
	if next["bankAccount"] != checks.MaskAccount(f["bankAccount"]) || next["bankAccountName"] != f["bankAccountName"] {
		t.Errorf("4.11 prefills %q %q, want the new account", next["bankAccount"], next["bankAccountName"])
	}
}

// retCheckPayable (4.20, 4.21): a payable item of the monthly amount for
// every month from the 变更日期 through the current month.
func retCheckPayable(t *testing.T, x *effectEnv) {
	n := retSubject(x)
	d := retDossier(t, x, n)
	b := retRetiree(t, d)
	var pay *ledger.Payment
	for i := range d.Payments {
		if d.Payments[i].Ref == x.App.Reference {
			pay = &d.Payments[i]
		}
	}
	if pay == nil {
		t.Fatalf("no payable item %s", x.App.Reference)
	}
	var months []string
	today := calc.DateOf(x.Runner.Clock().Now().In(clock.Shanghai)).YearMonth()
	for m := retFormDate(t, x, "changeDate").YearMonth(); !m.After(today); m = m.AddMonths(1) {
		months = append(months, m.String())
	}
	b2 := mustBusiness(t, x.App.Business)
	if pay.Kind != b2.Name || pay.Status != ledger.PaymentDue || pay.Application != x.App.ID || !slices.Equal(pay.Periods, months) {
		t.Errorf("payable %+v, want %s of %v", *pay, b2.Name, months)
	}
	if want := b.Monthly * ledger.Fen(len(months)); pay.Amount != want {
		t.Errorf("amount %s, want %s", pay.Amount, want)
	}
	if !strings.Contains(x.App.Result, pay.Amount.String()+"元") || !strings.Contains(x.App.Result, x.App.Reference) {
		t.Errorf("result %q", x.App.Result)
	}
}

// retCheckAccountRefund (4.12): every paid row with a share credited to the
// individual account is refunded with that share; the insurance ended.
func retCheckAccountRefund(t *testing.T, x *effectEnv) {
	n := retSubject(x)
	old, now := retBefore(t, x, n), retDossier(t, x, n)
	after := map[table.Key]ledger.Contribution{}
	for _, c := range now.Contributions {
		after[c.Key()] = c
	}
	var total ledger.Fen
	rows := 0
	for _, c := range old.Contributions {
		share := c.Parts[calc.UnitToAccount].Amount + c.Parts[calc.UnitToAccount].Interest +
			c.Parts[calc.PersonalToAccount].Amount + c.Parts[calc.PersonalToAccount].Interest
		got := after[c.Key()]
		if c.Status != ledger.StatusPaid || share == 0 {
			if got.Status != c.Status {
				t.Errorf("%s: %s became %s", c.Period, c.Status, got.Status)
			}
			continue
		}
		rows++
		total += share
		if got.Status != ledger.StatusRefunded || got.Refund != share || got.PaymentRef != x.App.Reference {
			t.Errorf("%s: %s refund %s ref %s, want refunded %s", c.Period, got.Status, got.Refund, got.PaymentRef, share)
		}
	}
	if rows == 0 {
		t.Fatal("the person had no account rows to return")
	}
	if want := fmt.Sprintf("%d条缴费记录，返还金额合计%s元", rows, total); !strings.Contains(x.App.Result, want) {
		t.Errorf("result %q, want %s", x.App.Result, want)
	}
	p := now.Person
	end := retFormDate(t, x, "changeDate").YearMonth()
	if p.Status != "终止参保" || p.StatusFrom != end || p.Account.Balance != 0 {
		t.Errorf("person %s from %s balance %s, want 终止参保 from %s, 0", p.Status, p.StatusFrom, p.Account.Balance, end)
	}
	retCheckSpellsClosed(t, old, now, end)
}

// retCheckRetirement (4.22, 4.24, 5.3): the retirement is recorded and the
// person stops paying.
func retCheckRetirement(t *testing.T, x *effectEnv) {
	n := retSubject(x)
	old, now := retBefore(t, x, n), retDossier(t, x, n)
	date := retFormDate(t, x, "retirementDate")
	p := now.Person
	if p.Retired != date || p.Info["retirementCategory"] != x.Snapshot.Fields["retirementCategory"] {
		t.Errorf("retired %s (%s), want %s (%s)", p.Retired, p.Info["retirementCategory"], date, x.Snapshot.Fields["retirementCategory"])
	}
	if p.Status != "离退休" || p.StatusFrom != date.YearMonth().AddMonths(1) {
		t.Errorf("status %s from %s, want 离退休 from the month after %s", p.Status, p.StatusFrom, date)
	}
	if acct := x.Snapshot.Fields["bankAccount"]; acct != "" && p.Info["bankAccount"] != acct {
		t.Errorf("the pension account of the form is not kept")
	}
	retCheckSpellsClosed(t, old, now, date.YearMonth())
	if x.App.Business == "retirement-application" && !slices.ContainsFunc(old.Spells, func(s ledger.Spell) bool {
		return s.UnitNumber == x.Account.UnitNo && s.To.IsZero()
	}) {
		t.Errorf("the unit retired a person it did not employ")
	}
	if !strings.Contains(x.App.Result, "已办理退休") {
		t.Errorf("result %q", x.App.Result)
	}
}

// retCheckSpellsClosed: the spells ongoing before end in month; the others
// are unchanged.
func retCheckSpellsClosed(t *testing.T, old, now ledger.Dossier, month calc.YearMonth) {
	t.Helper()
	for _, s := range old.Spells {
		i := slices.IndexFunc(now.Spells, func(n ledger.Spell) bool { return n.Key() == s.Key() })
		if i < 0 {
			t.Errorf("spell %s %s gone", s.UnitNumber, s.From)
			continue
		}
		want := s.To
		if want.IsZero() {
			want = month
		}
		if got := now.Spells[i].To; got != want {
			t.Errorf("spell %s from %s ends %s, want %s", s.UnitNumber, s.From, got, want)
		}
	}
}
