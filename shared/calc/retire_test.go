package calc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

func rule(t *testing.T, asOf string) calc.RetirementRule {
	t.Helper()
	r, err := refdata.Default().RetirementRule(calc.MustDate(asOf))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The reform's 对照表 (annexes of the 2024-09-13 decision): 出生时间 →
// 改革后法定退休年龄 and 改革后退休时间.
func TestLegalRetirementReform(t *testing.T) {
	reform := rule(t, "2025-01-01")
	tests := []struct {
		name     string
		birth    string
		gender   calc.Gender
		identity calc.Identity
		age      string
		month    string
	}{
		{"man 1964-12 not delayed", "1964-12-15", calc.Male, calc.Worker, "60岁", "202412"},
		{"man 1965-01 first step", "1965-01-10", calc.Male, calc.Worker, "60岁1个月", "202502"},
		{"man 1965-04 end of first step", "1965-04-30", calc.Male, calc.Cadre, "60岁1个月", "202505"},
		{"man 1965-05 second step", "1965-05-01", calc.Male, calc.Worker, "60岁2个月", "202507"},
		{"man 1970-01", "1970-01-01", calc.Male, calc.Worker, "61岁4个月", "203105"},
		{"man 1976-08 one step short", "1976-08-01", calc.Male, calc.Worker, "62岁11个月", "203907"},
		{"man 1976-09 reaches 63", "1976-09-01", calc.Male, calc.Worker, "63岁", "203909"},
		{"man 1990 capped at 63", "1990-06-01", calc.Male, calc.Worker, "63岁", "205306"},
		{"woman cadre 1969-12 not delayed", "1969-12-01", calc.Female, calc.Cadre, "55岁", "202412"},
		{"woman cadre 1970-01", "1970-01-01", calc.Female, calc.Cadre, "55岁1个月", "202502"},
		{"woman cadre 1970-05", "1970-05-20", calc.Female, calc.Cadre, "55岁2个月", "202507"},
		{"woman cadre 1981-08", "1981-08-01", calc.Female, calc.Cadre, "57岁11个月", "203907"},
		{"woman cadre 1981-09 reaches 58", "1981-09-01", calc.Female, calc.Cadre, "58岁", "203909"},
		{"woman worker 1974-12 not delayed", "1974-12-31", calc.Female, calc.Worker, "50岁", "202412"},
		{"woman worker 1975-01", "1975-01-31", calc.Female, calc.Worker, "50岁1个月", "202502"},
		{"woman worker 1975-02", "1975-02-01", calc.Female, calc.Worker, "50岁1个月", "202503"},
		{"woman worker 1975-03", "1975-03-01", calc.Female, calc.Worker, "50岁2个月", "202505"},
		{"woman worker 1980-01", "1980-01-01", calc.Female, calc.Worker, "52岁7个月", "203208"},
		{"woman worker 1984-10", "1984-10-01", calc.Female, calc.Worker, "54岁11个月", "203909"},
		{"woman worker 1984-11 reaches 55", "1984-11-01", calc.Female, calc.Worker, "55岁", "203911"},
		{"woman worker 1995 capped at 55", "1995-03-01", calc.Female, calc.Worker, "55岁", "205003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reform.Legal(calc.MustDate(tt.birth), tt.gender, tt.identity)
			if err != nil {
				t.Fatal(err)
			}
			if got.AgeText() != tt.age || got.Month.String() != tt.month {
				t.Errorf("Legal = %s %s, want %s %s", got.AgeText(), got.Month, tt.age, tt.month)
			}
		})
	}
}

// The official table steps: every 4 birth months (men, women cadres) or 2
// (women workers) add one month, so the retirement month advances by 5 or 3
// months per step and the age never decreases.
func TestLegalRetirementSteps(t *testing.T) {
	reform := rule(t, "2025-01-01")
	for _, g := range []struct {
		gender   calc.Gender
		identity calc.Identity
		from     string
	}{{calc.Male, calc.Worker, "1960-01-01"}, {calc.Female, calc.Cadre, "1965-01-01"}, {calc.Female, calc.Worker, "1970-01-01"}} {
		prev := calc.LegalRetirement{}
		for b := calc.MustDate(g.from); b.Year < 1995; b = b.AddMonths(1) {
			got, err := reform.Legal(b, g.gender, g.identity)
			if err != nil {
				t.Fatal(err)
			}
			if prev.AgeMonths != 0 && (got.AgeMonths < prev.AgeMonths || got.AgeMonths > prev.AgeMonths+1 || !got.Month.After(prev.Month)) {
				t.Fatalf("%s %s born %s: %s %s after %s %s", g.gender, g.identity, b, got.AgeText(), got.Month, prev.AgeText(), prev.Month)
			}
			prev = got
		}
	}
}

// The manual's 2022 forms were filled under the old ages.
func TestManualRetirementForms(t *testing.T) {
	old := rule(t, "2022-02-15")
	if old.Name != "pre-2025" {
		t.Fatalf("rule in force 2022 = %s", old.Name)
	}
	tests := []struct {
		name        string
		birth, date string
		early       int
	}{
		{"4.22 born 1969-05-18, retiring 2022-02-15", "1969-05-18", "2022-02-15", 87},
		{"5.3 born 1970-03-10, retiring 2022-02-28", "1970-03-10", "2022-02-28", 97},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			legal, err := old.Legal(calc.MustDate(tt.birth), calc.Male, calc.Worker)
			if err != nil {
				t.Fatal(err)
			}
			if got := calc.EarlyRetirementMonths(legal, calc.MustDate(tt.date)); got != tt.early {
				t.Errorf("提前退休月数 = %d, want %d", got, tt.early)
			}
		})
	}
	legal, _ := old.Legal(calc.MustDate("1975-01-01"), calc.Female, calc.Worker)
	if legal.AgeText() != "50岁" || legal.Month.String() != "202501" {
		t.Errorf("old rule woman worker = %s %s", legal.AgeText(), legal.Month)
	}
	if got := calc.EarlyRetirementMonths(legal, calc.MustDate("2026-01-01")); got != 0 {
		t.Errorf("retiring late: early months = %d", got)
	}
}

func TestRetirementErrors(t *testing.T) {
	r := rule(t, "2025-06-01")
	if _, err := r.Legal(calc.MustDate("1975-01-01"), calc.Female, "农民"); err == nil {
		t.Error("unknown identity for a woman accepted")
	} else if ps := calc.ProblemsOf(err); len(ps) != 1 || ps[0].Input != calc.InputIdentity || ps[0].Message != "个人身份“农民”无法确定法定退休年龄，请选择工人或干部" {
		t.Errorf("problems %+v", ps)
	}
	if _, err := r.Legal(calc.MustDate("1975-01-01"), "", calc.Worker); err == nil {
		t.Error("missing gender accepted")
	}
	if _, err := refdata.Default().RetirementRule(calc.MustDate("1970-01-01")); err == nil {
		t.Error("rule before any law accepted")
	}
}

func TestContributionMonths(t *testing.T) {
	var paid []calc.YearMonth
	for p := calc.MustYearMonth("201701"); !p.After(calc.MustYearMonth("202112")); p = p.AddMonths(1) {
		paid = append(paid, p)
	}
	paid = append(paid, calc.MustYearMonth("201701"), calc.YearMonth{}) // a duplicate and a zero period
	got, err := calc.CountContributionMonths(paid, 24)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(calc.ContributionMonths{Actual: 60, Deemed: 24, Total: 84}, got); d != "" {
		t.Error(d)
	}
	if _, err := calc.CountContributionMonths(paid, -1); err == nil {
		t.Error("negative deemed months accepted")
	}
	reform := rule(t, "2025-01-01")
	for year, want := range map[int]int{2025: 180, 2029: 180, 2030: 186, 2031: 192, 2039: 240, 2045: 240} {
		if got := reform.MinimumContributionMonths(year); got != want {
			t.Errorf("minimum months %d = %d, want %d", year, got, want)
		}
	}
	if got := rule(t, "2022-01-01").MinimumContributionMonths(2030); got != 180 {
		t.Errorf("old rule minimum = %d", got)
	}
}
