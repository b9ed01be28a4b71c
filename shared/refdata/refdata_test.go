package refdata_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr(s string) *decimal.Decimal { d := dec(s); return &d }

func TestLoad(t *testing.T) {
	s, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != refdata.Default().Version() || !strings.HasPrefix(s.Version(), "sha256:") {
		t.Errorf("version %q vs default %q", s.Version(), refdata.Default().Version())
	}
	if d := cmp.Diff([]int{2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024}, s.RateYears()); d != "" {
		t.Error(d)
	}
}

// The table of ../shared/spec/calculations.md §3.
func TestBookkeepingRates(t *testing.T) {
	want := map[int]string{2013: "0.0325", 2014: "0.033", 2015: "0.025", 2016: "0.0831", 2017: "0.0712", 2018: "0.0829",
		2019: "0.0761", 2020: "0.0604", 2021: "0.0669", 2022: "0.0612", 2023: "0.0397", 2024: "0.0262"}
	s := refdata.Default()
	for y, w := range want {
		r, err := s.Rate(y)
		if err != nil || r.String() != w {
			t.Errorf("Rate(%d) = %s, %v; want %s", y, r, err, w)
		}
		info, _ := s.RateInfo(y)
		if info.Source == "" || info.Status == "" {
			t.Errorf("%d: no source or status", y)
		}
	}
	_, err := s.Rate(2025)
	var mr *calc.MissingRateError
	if !errors.As(err, &mr) || mr.Year != 2025 || !strings.Contains(mr.Message(), "2025年度记账利率") {
		t.Errorf("Rate(2025) error = %v", err)
	}
}

func TestRateOrderSwap(t *testing.T) {
	s := refdata.Default()
	sw, err := s.SwapRates(2015, 2014)
	if err != nil {
		t.Fatal(err)
	}
	r14, _ := sw.Rate(2014)
	r15, _ := sw.Rate(2015)
	if r14.String() != "0.025" || r15.String() != "0.033" {
		t.Errorf("swapped 2014, 2015 = %s, %s", r14, r15)
	}
	if sw.Version() == s.Version() {
		t.Error("swapping did not change the version")
	}
	back, err := sw.SwapRates(2014, 2015)
	if err != nil {
		t.Fatal(err)
	}
	if back.Version() != s.Version() {
		t.Error("swapping twice is not the original")
	}
	// The product (1+r2014)(1+r2015) is what the manual pins.
	p := func(x *refdata.Set) string {
		a, _ := x.Rate(2014)
		b, _ := x.Rate(2015)
		return a.Add(decimal.NewFromInt(1)).Mul(b.Add(decimal.NewFromInt(1))).String()
	}
	if p(s) != "1.058825" || p(sw) != "1.058825" {
		t.Errorf("product %s / %s", p(s), p(sw))
	}
	if _, err := s.SwapRates(2010, 2014); err == nil {
		t.Error("swapping with a missing year accepted")
	}
	var flagged []string
	for _, f := range s.Flags() {
		flagged = append(flagged, f.Key)
	}
	for _, k := range []string{"bookkeeping_rates/2014", "bookkeeping_rates/2015", "rate_orders/2014-2015"} {
		if !strings.Contains(strings.Join(flagged, " "), k) {
			t.Errorf("%s not flagged: %v", k, flagged)
		}
	}
}

// The rates of ../shared/spec/calculations.md §4.
func TestContributionRates(t *testing.T) {
	type r struct{ Unit, Personal, UnitToAccount, PersonalToAccount string }
	tests := []struct {
		period, insured string
		want            r
		unknown         []calc.PartKind
	}{
		{"199602", "企业职工", r{"0.17", "0.03", "0", "0.03"}, []calc.PartKind{calc.UnitToAccount}},
		{"201304", "employee", r{"0.22", "0.08", "0", "0.08"}, nil},
		{"201309", "employee", r{"0.2", "0.08", "0", "0.08"}, nil},
		{"202001", "employee", r{"0.16", "0.08", "0", "0.08"}, nil},
		{"202002", "employee", r{"0", "0.08", "0", "0.08"}, nil},
		{"202012", "employee", r{"0", "0.08", "0", "0.08"}, nil},
		{"202101", "employee", r{"0.16", "0.08", "0", "0.08"}, nil},
		{"202202", "职工", r{"0.16", "0.08", "0", "0.08"}, nil},
		{"202201", "灵活就业人员", r{"0", "0.2", "0", "0.08"}, nil},
		{"202205", "flexible", r{"0", "0.2", "0", "0.08"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.period+"/"+tt.insured, func(t *testing.T) {
			got, err := refdata.Default().ContributionRates(calc.MustYearMonth(tt.period), tt.insured)
			if err != nil {
				t.Fatal(err)
			}
			g := r{got.PartRates[calc.Unit].String(), got.PartRates[calc.Personal].String(), got.PartRates[calc.UnitToAccount].String(), got.PartRates[calc.PersonalToAccount].String()}
			if d := cmp.Diff(tt.want, g); d != "" {
				t.Error(d)
			}
			if d := cmp.Diff(tt.unknown, got.Unknown); d != "" {
				t.Errorf("unknown: %s", d)
			}
			if got.Source == "" {
				t.Error("no source")
			}
		})
	}
	for _, bad := range []struct{ period, insured string }{{"201305", "employee"}, {"200001", "employee"}, {"202201", "农民"}} {
		_, err := refdata.Default().ContributionRates(calc.MustYearMonth(bad.period), bad.insured)
		var me *refdata.MissingError
		if !errors.As(err, &me) || me.Message() == "" {
			t.Errorf("%v: error %v, want a MissingError", bad, err)
		}
	}
}

func TestWagesAndGrades(t *testing.T) {
	s := refdata.Default()
	for year, want := range map[int][2]string{2020: {"4835.00", "2901.00"}, 2022: {"5865.00", "3519.00"}} {
		w, err := s.AverageWage(year)
		if err != nil || w.StringFixed(2) != want[0] {
			t.Errorf("AverageWage(%d) = %s, %v", year, w, err)
		}
		l, err := s.BaseLimits(year)
		if err != nil || l.Floor.StringFixed(2) != want[1] || !l.Ceiling.Equal(w.Mul(dec("3"))) {
			t.Errorf("BaseLimits(%d) = %+v, %v", year, l, err)
		}
		gs, err := s.Grades(year)
		if err != nil || len(gs) == 0 || gs[0].Base.StringFixed(2) != want[1] {
			t.Errorf("Grades(%d) = %v, %v", year, gs, err)
		}
	}
	if _, err := s.AverageWage(2021); err == nil || !strings.Contains(err.(*refdata.MissingError).Message(), "2021年度社会平均工资") {
		t.Errorf("AverageWage(2021) = %v", err)
	}
	if _, err := s.Grade(2022, dec("0.65")); err == nil {
		t.Error("grade 65% accepted")
	}
}

func TestRefundScope(t *testing.T) {
	s := refdata.Default()
	sc, err := s.RefundScope("多重账户清理")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(calc.RefundScope{Code: "personal", Label: "个人缴费部分退费", Parts: []calc.PartKind{calc.Personal}}, sc); d != "" {
		t.Error(d)
	}
	if _, err := s.RefundScope("出国定居"); err == nil {
		t.Error("unknown reason accepted")
	}
	if d := cmp.Diff([]string{"多重账户清理"}, s.RefundReasons()); d != "" {
		t.Error(d)
	}
}

func TestMerge(t *testing.T) {
	base := refdata.Default()
	merged, err := base.Merge(refdata.Data{
		BookkeepingRates: []refdata.BookkeepingRate{
			{Year: 2025, Rate: dec("0.0250"), Status: "national", Source: "import test"},
			{Year: 2013, Rate: dec("0.0300"), Status: "provincial", Source: "override test"},
		},
		ContributionRates: []refdata.ContributionRate{{
			Insured: "employee", From: calc.MustYearMonth("202301"), To: calc.MustYearMonth("202306"),
			Unit: ptr("0.15"), Personal: ptr("0.08"), UnitToAccount: ptr("0"), PersonalToAccount: ptr("0.08"), Source: "import test",
		}},
		AverageWages: []refdata.AverageWage{{Year: 2023, Monthly: dec("6000"), Floor: dec("0.6"), Ceiling: dec("3"), Source: "import test"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := merged.Rate(2025); r.String() != "0.025" {
		t.Errorf("added 2025 = %s", r)
	}
	if r, _ := merged.Rate(2013); r.String() != "0.03" {
		t.Errorf("overridden 2013 = %s", r)
	}
	if r, _ := base.Rate(2013); r.String() != "0.0325" {
		t.Errorf("base changed: 2013 = %s", r)
	}
	for period, want := range map[string]string{"202212": "0.16", "202301": "0.15", "202306": "0.15", "202307": "0.16", "203001": "0.16"} {
		r, err := merged.ContributionRates(calc.MustYearMonth(period), "employee")
		if err != nil || r.PartRates[calc.Unit].String() != want {
			t.Errorf("merged unit rate %s = %s, %v; want %s", period, r.PartRates[calc.Unit], err, want)
		}
	}
	if w, _ := merged.AverageWage(2023); w.String() != "6000" {
		t.Errorf("added wage = %s", w)
	}
	if merged.Version() == base.Version() {
		t.Error("version unchanged by merge")
	}
	// A merge is data: storing and reloading it gives the same set.
	b, err := json.Marshal(merged.Data())
	if err != nil {
		t.Fatal(err)
	}
	var d refdata.Data
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	again, err := refdata.New(d)
	if err != nil {
		t.Fatal(err)
	}
	if again.Version() != merged.Version() {
		t.Errorf("round trip version %s != %s", again.Version(), merged.Version())
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown key", "bookkeeping_rates:\n  - year: 2013\n    rate: \"0.03\"\n    sauce: x\n", "sauce"},
		{"rate over 1", "bookkeeping_rates:\n  - {year: 2013, rate: \"1.5\", status: x, source: y}\n", "outside 0-1"},
		{"no source", "bookkeeping_rates:\n  - {year: 2013, rate: \"0.03\", status: x}\n", "no source"},
		{"duplicate year", "bookkeeping_rates:\n  - {year: 2013, rate: \"0.03\", status: x, source: y}\n  - {year: 2013, rate: \"0.03\", status: x, source: y}\n", "twice"},
		{"overlap", "insured_types: [{code: employee, label_zh: 企业职工}]\ncontribution_rates:\n" +
			"  - {insured: employee, from: \"202001\", to: \"202012\", unit: \"0.16\", source: a}\n" +
			"  - {insured: employee, from: \"202006\", unit: \"0.16\", source: b}\n", "overlaps"},
		{"bad month", "contribution_rates:\n  - {insured: employee, from: \"202013\", source: a}\n", "month must be 01-12"},
		{"reason without scope", "refund_reasons:\n  - {reason_zh: 出国定居, scope: all, source: x}\n", "unknown scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := refdata.Parse([]byte(tt.yaml))
			if err == nil {
				_, err = refdata.New(d)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestRetirementRules(t *testing.T) {
	s := refdata.Default()
	rules := s.RetirementRules()
	if len(rules) != 2 || rules[0].Name != "pre-2025" || rules[1].Name != "gradual-2025" {
		t.Fatalf("rules = %v", rules)
	}
	for date, want := range map[string]string{"2022-02-15": "pre-2025", "2024-12-31": "pre-2025", "2025-01-01": "gradual-2025"} {
		r, err := s.RetirementRule(calc.MustDate(date))
		if err != nil || r.Name != want {
			t.Errorf("RetirementRule(%s) = %s, %v; want %s", date, r.Name, err, want)
		}
	}
	if !strings.Contains(rules[1].Source, "渐进式延迟法定退休年龄的决定") {
		t.Errorf("reform source = %q", rules[1].Source)
	}
}

// TestProvisionalInterest: the embedded data charges the years after the
// latest published rate at that rate (flagged as an inferred practice); a
// merged "none" rule turns it off, and an imported later rate moves it.
func TestProvisionalInterest(t *testing.T) {
	s := refdata.Default()
	if y, ok := s.StandIn(); !ok || y != 2024 {
		t.Errorf("StandIn = %d, %t; want 2024, true", y, ok)
	}
	p := s.ProvisionalInterest()
	if p.Rule != refdata.ProvisionalLatest || p.Source == "" || p.Flag == "" {
		t.Errorf("rule %+v", p)
	}
	flagged := false
	for _, f := range s.Flags() {
		flagged = flagged || f.Key == "provisional_interest"
	}
	if !flagged {
		t.Error("the provisional rule is not flagged as inferred")
	}
	off, err := s.Merge(refdata.Data{ProvisionalInterest: &refdata.ProvisionalInterest{Rule: refdata.ProvisionalNone, Source: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := off.StandIn(); ok {
		t.Error("rule none still stands in")
	}
	later, err := s.Merge(refdata.Data{BookkeepingRates: []refdata.BookkeepingRate{{Year: 2025, Rate: decimal.RequireFromString("0.0300"), Status: "national", Source: "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	if y, ok := later.StandIn(); !ok || y != 2025 {
		t.Errorf("after importing 2025: StandIn = %d, %t", y, ok)
	}
	if _, err := s.Merge(refdata.Data{ProvisionalInterest: &refdata.ProvisionalInterest{Rule: "guess", Source: "test"}}); err == nil {
		t.Error("unknown rule accepted")
	}
}
