package survivorapi_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/survivor-benefits/survivorapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/workflow"
)

const (
	survivor = "2309001001"
	deceased = "2309001101"
)

// paying is a survivor benefit paid since 2021-03, never suspended.
func paying() ledger.Benefit {
	return ledger.Benefit{PersonNumber: survivor, Kind: ledger.BenefitSurvivor, Ref: deceased, Status: ledger.BenefitPaying,
		Monthly: ledger.MustFen("980.00"), Start: calc.MustYearMonth("202103"), Version: 3}
}

// resumed is paying again from 2022-09 after a suspension from 2022-06.
func resumed() ledger.Benefit {
	b := paying()
	b.StatusFrom = calc.MustYearMonth("202209")
	b.Info = map[string]string{"suspendStartDate": "2022-06-01"}
	return b
}

func suspended() ledger.Benefit {
	b := paying()
	b.Status, b.StatusFrom = ledger.BenefitSuspended, calc.MustYearMonth("202206")
	b.Info = map[string]string{"suspendReason": "1201", "suspendStartDate": "2022-06-01"}
	return b
}

// input is an application of business by the survivor holding b (and
// the earlier payments), decided on today.
func input(t *testing.T, business, today string, fields map[string]string, b ledger.Benefit, payments ...ledger.Payment) application.EffectInput {
	t.Helper()
	bus, ok := catalog.Default().Business(business)
	if !ok {
		t.Fatalf("no business %s", business)
	}
	d := &ledger.Dossier{Person: ledger.Person{Number: survivor, IDNumber: "230902195009120484", Name: "张秀英"},
		Benefits: []ledger.Benefit{b}, Payments: payments}
	return application.EffectInput{Business: bus, Snapshot: application.Snapshot{Fields: fields},
		App:     &application.Application{ID: "A1", Business: business, Person: survivor, Reference: "HL20220810-000001"},
		Records: application.Records{Dossier: d}, Today: calc.MustDate(today)}
}

// cannot reports whether err sends the case to staff.
func cannot(err error) bool {
	var te *workflow.TaskError
	return errors.As(err, &te) && te.Name == application.ErrCannot
}

func TestBackPayCoversTheUnpaidMonths(t *testing.T) {
	earlier := ledger.Payment{PersonNumber: survivor, Ref: "HL20220801-000009", Kind: "遗属供养人员待遇补发",
		Amount: ledger.MustFen("980.00"), Periods: []string{"202206"}, Status: ledger.PaymentDue}
	other := earlier
	other.Kind, other.Ref = "待遇退回", "HL20220801-000010"
	tests := []struct {
		name     string
		b        ledger.Benefit
		change   string
		payments []ledger.Payment
		periods  []string // nil: refused
		amount   string
	}{
		{"resumed: the suspended months up to now", resumed(), "2022-05-01", nil, []string{"202206", "202207", "202208"}, "2940.00"},
		{"resumed: from the change date", resumed(), "2022-07-15", nil, []string{"202207", "202208"}, "1960.00"},
		{"resumed: an earlier back-pay's months left out", resumed(), "2022-05-01", []ledger.Payment{earlier, other}, []string{"202207", "202208"}, "1960.00"},
		{"never suspended: the months before the start", func() ledger.Benefit { b := paying(); b.Start = calc.MustYearMonth("202207"); return b }(),
			"2022-05-13", nil, []string{"202205", "202206"}, "1960.00"},
		{"never suspended: nothing unpaid", paying(), "2022-05-01", nil, nil, ""},
		{"suspended: resume first", suspended(), "2022-05-01", nil, nil, ""},
		{"terminated", func() ledger.Benefit { b := paying(); b.Status = ledger.BenefitTerminated; return b }(), "2022-05-01", nil, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(t, "survivor-benefit-back-pay", "2022-08-10", map[string]string{"changeDate": tc.change}, tc.b, tc.payments...)
			e, err := survivorapi.Plugin.Effects["survivor-benefit-back-pay"](t.Context(), in)
			if tc.periods == nil {
				if !cannot(err) {
					t.Fatalf("got %+v, %v; want CannotApply", e, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := ledger.Payment{PersonNumber: survivor, Ref: "HL20220810-000001", Kind: "遗属供养人员待遇补发",
				Amount: ledger.MustFen(tc.amount), Periods: tc.periods, Status: ledger.PaymentDue, Application: "A1",
				Created: calc.MustDate("2022-08-10")}
			if diff := cmp.Diff([]ledger.Record{want}, e.Put); diff != "" {
				t.Errorf("put (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatusChanges(t *testing.T) {
	tests := []struct {
		name, business string
		b              ledger.Benefit
		fields         map[string]string
		status, from   string // "": refused
		info           map[string]string
		summary        string
	}{
		{"suspend from the next month", "survivor-benefit-suspend", paying(), map[string]string{"suspendReason": "1201"},
			ledger.BenefitSuspended, "202206", map[string]string{"suspendReason": "1201", "suspendStartDate": "2022-06-01"}, "自2022年06月起暂停发放遗属待遇。"},
		{"suspend a suspended benefit", "survivor-benefit-suspend", suspended(), map[string]string{"suspendReason": "1201"}, "", "", nil, ""},
		{"resume from the next month", "survivor-benefit-resume", suspended(), map[string]string{"changeDate": "2022-05-01"},
			ledger.BenefitPaying, "202206", map[string]string{"suspendStartDate": "2022-06-01"}, "自2022年06月起恢复发放遗属待遇。"},
		{"resume from a later change date", "survivor-benefit-resume", suspended(), map[string]string{"changeDate": "2022-09-20"},
			ledger.BenefitPaying, "202209", map[string]string{"suspendStartDate": "2022-06-01"}, "自2022年09月起恢复发放遗属待遇。"},
		{"resume a paying benefit", "survivor-benefit-resume", paying(), map[string]string{"changeDate": "2022-05-01"}, "", "", nil, ""},
		{"terminate after the end month", "survivor-benefit-terminate", suspended(),
			map[string]string{"personNumber": survivor, "idNumber": "230902195009120484", "terminationReason": "1401", "benefitEndDate": "2022-05-03"},
			ledger.BenefitTerminated, "202206", map[string]string{"suspendReason": "1201", "suspendStartDate": "2022-06-01", "terminationReason": "1401", "benefitEndDate": "2022-05-03"},
			"自2022年06月起终止发放遗属待遇。"},
		{"terminate: another ID number", "survivor-benefit-terminate", paying(),
			map[string]string{"personNumber": survivor, "idNumber": "23090219780111001X", "terminationReason": "1401", "benefitEndDate": "2022-05-03"}, "", "", nil, ""},
		{"terminate before the start", "survivor-benefit-terminate", paying(),
			map[string]string{"personNumber": survivor, "terminationReason": "1401", "benefitEndDate": "2020-05-03"}, "", "", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(t, tc.business, "2022-05-10", tc.fields, tc.b)
			e, err := survivorapi.Plugin.Effects[tc.business](t.Context(), in)
			if tc.status == "" {
				if !cannot(err) {
					t.Fatalf("got %+v, %v; want CannotApply", e, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.b
			want.Status, want.StatusFrom, want.Info = tc.status, calc.MustYearMonth(tc.from), tc.info
			if diff := cmp.Diff([]ledger.Record{want}, e.Put); diff != "" {
				t.Errorf("put (-want +got):\n%s", diff)
			}
			if e.Summary != tc.summary {
				t.Errorf("summary %q, want %q", e.Summary, tc.summary)
			}
			if len(e.History) == 0 || e.History[0].Field != "status" || e.History[0].New != tc.status {
				t.Errorf("history %+v", e.History)
			}
		})
	}
}

func TestInfoChangeKeepsTheOldValues(t *testing.T) {
	b := paying()
	b.Info = map[string]string{"benefitCalcBase": "100", "supportReason": "01", "supportRelation": "01"}
	fields := map[string]string{"personNumber": survivor, "dependantIdNumber": "230902195009120484", "name": "张秀英",
		"benefitCalcBase": "100.00", "supportReason": "02", "supportRelation": "01", "dependantType": "", "remark": "改供养原因"}
	e, err := survivorapi.Plugin.Effects["survivor-info-change"](t.Context(), input(t, "survivor-info-change", "2022-05-10", fields, b))
	if err != nil {
		t.Fatal(err)
	}
	want := b
	want.Info = map[string]string{"benefitCalcBase": "100", "supportReason": "02", "supportRelation": "01"}
	if diff := cmp.Diff([]ledger.Record{want}, e.Put); diff != "" {
		t.Errorf("put (-want +got):\n%s", diff)
	}
	wantHist := []application.Change{{Record: "遗属待遇", Field: "supportReason", Old: "配偶达到法定退休年龄", New: "完全丧失劳动能力"}}
	if diff := cmp.Diff(wantHist, e.History); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if e.Summary != "已修改遗属供养信息：供养原因。" {
		t.Errorf("summary %q", e.Summary)
	}
	if b.Info["supportReason"] != "01" {
		t.Error("the record read was changed in place")
	}
}
