package calc_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/calc"
)

func TestParseYearMonth(t *testing.T) {
	tests := []struct {
		in   string
		want calc.YearMonth
		ok   bool
	}{
		{"202009", calc.YearMonth{Year: 2020, Month: time.September}, true},
		{"2020-09", calc.YearMonth{Year: 2020, Month: time.September}, true},
		{"199601", calc.YearMonth{Year: 1996, Month: time.January}, true},
		{"202013", calc.YearMonth{}, false},
		{"202000", calc.YearMonth{}, false},
		{"2020-13", calc.YearMonth{}, false},
		{"2020/09", calc.YearMonth{}, false},
		{"20209", calc.YearMonth{}, false},
		{"+20209", calc.YearMonth{}, false},
		{"2020-9", calc.YearMonth{}, false},
		{"", calc.YearMonth{}, false},
		{"189912", calc.YearMonth{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := calc.ParseYearMonth(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseYearMonth(%q) = %v, %v; want %v ok=%t", tt.in, got, err, tt.want, tt.ok)
			}
			if tt.ok && got.String() != "202009" && got.String() != "199601" {
				t.Errorf("String = %q", got.String())
			}
		})
	}
}

func TestYearMonthArithmetic(t *testing.T) {
	p := calc.MustYearMonth("202011")
	if got := p.AddMonths(2).String(); got != "202101" {
		t.Errorf("AddMonths(2) = %s", got)
	}
	if got := p.AddMonths(-11).String(); got != "201912" {
		t.Errorf("AddMonths(-11) = %s", got)
	}
	if calc.MonthsBetween(calc.MustYearMonth("202202"), calc.MustYearMonth("202905")) != 87 {
		t.Error("MonthsBetween 202202..202905 != 87")
	}
	if !p.Before(p.AddMonths(1)) || p.After(p) || p.Compare(p) != 0 {
		t.Error("ordering")
	}
}

func TestDate(t *testing.T) {
	for in, want := range map[string]string{"2022-05-10": "2022-05-10", "20211101": "2021-11-01"} {
		d, err := calc.ParseDate(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v", in, d, err)
		}
	}
	for _, bad := range []string{"2022-02-30", "2022-13-01", "2022/05/10", "1969-05-88", ""} {
		if _, err := calc.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if got := calc.MustDate("2024-01-31").AddMonths(1).String(); got != "2024-02-29" {
		t.Errorf("AddMonths clamps: %s", got)
	}
}

func TestTextRoundTrip(t *testing.T) {
	type wire struct {
		Period calc.YearMonth `json:"period"`
		Date   calc.Date      `json:"date"`
	}
	var w wire
	if err := json.Unmarshal([]byte(`{"period":"2020-09","date":"2022-05-10"}`), &w); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(w)
	if d := cmp.Diff(`{"period":"202009","date":"2022-05-10"}`, string(b)); d != "" {
		t.Error(d)
	}
	if err := json.Unmarshal([]byte(`{"period":"202013"}`), &w); err == nil {
		t.Error("202013 accepted")
	}
}

func TestMoney(t *testing.T) {
	tests := []struct{ base, rate, want string }{
		{"66.67", "0.03", "2.00"},   // 2.0001: not rounded up
		{"247.33", "0.03", "7.42"},  // 7.4199: not truncated
		{"247.33", "0.17", "42.05"}, // 42.0461
		{"3519", "0.20", "703.80"},
		{"3519", "0.08", "281.52"},
		{"4538.00", "0.22", "998.36"},
		{"0.25", "0.02", "0.01"}, // 0.005: half up
		{"0.25", "0.0199", "0.00"},
		{"0", "0.16", "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.base+"x"+tt.rate, func(t *testing.T) {
			got := calc.FormatMoney(calc.MonthlyAmount(dec(t, tt.base), dec(t, tt.rate)))
			if got != tt.want {
				t.Errorf("= %s, want %s", got, tt.want)
			}
		})
	}
	if got := calc.FormatMoney(calc.RoundHalfUp2(dec(t, "-2.005"))); got != "-2.01" {
		t.Errorf("negative half = %s, want -2.01 (away from zero)", got)
	}
	for _, bad := range []string{"1.005", "1e3", "1,000", " 1", "", "."} {
		if _, err := calc.ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
	if d, err := calc.ParseMoney("1.500"); err != nil || calc.FormatMoney(d) != "1.50" {
		t.Errorf("ParseMoney(1.500) = %v, %v", d, err)
	}
}

func TestGradeAndLimits(t *testing.T) {
	if got := calc.GradeBase(dec(t, "4835.00"), dec(t, "0.60")); calc.FormatMoney(got) != "2901.00" {
		t.Errorf("2020 60%% base = %s", got)
	}
	for in, want := range map[string]string{"0.60": "0.6", "60%": "0.6", "按照社平工资100.0%缴费，月缴费基数5865.00元": "1"} {
		g, _, err := calc.ParseGrade(in)
		if err != nil || g.String() != want {
			t.Errorf("ParseGrade(%q) = %s, %v", in, g, err)
		}
	}
	if _, _, err := calc.ParseGrade("六成"); err == nil {
		t.Error("ParseGrade accepted text")
	}
	l := calc.BaseLimits{Floor: dec(t, "3519.00"), Ceiling: dec(t, "17595.00")}
	for wage, want := range map[string]string{"1000": "3519.00", "6661": "6661.00", "20000": "17595.00"} {
		if got := calc.FormatMoney(l.Clamp(dec(t, wage))); got != want {
			t.Errorf("Clamp(%s) = %s, want %s", wage, got, want)
		}
	}
}

func TestInterestSigns(t *testing.T) {
	rates := calc.RateMap{2020: dec(t, "0.0604"), 2021: dec(t, "0.0669")}
	for amount, want := range map[string]string{"224.00": "19.80", "-224.00": "-19.80", "224.005": "19.80", "0": "0.00"} {
		var row calc.LedgerRow
		row.Period = calc.MustYearMonth("202009")
		row.Parts[calc.Personal].Amount = dec(t, amount)
		res, err := calc.Accrue(calc.MustDate("2022-05-10"), []calc.LedgerRow{row}, rates)
		if err != nil || calc.FormatMoney(res.Rows[0].Parts[calc.Personal].Interest) != want {
			t.Errorf("interest on %s = %v, %v; want %s", amount, res.Rows, err, want)
		}
	}
}

func TestPlainNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "2800.00": true, "-1.05": true, "+3": true, ".5": true, "5.": true,
		"": false, ".": false, "-": false, "1e3": false, "1,000": false, " 1": false, "1.2.3": false, "0x10": false, "١٢": false,
	} {
		if got := calc.PlainNumber(s); got != want {
			t.Errorf("PlainNumber(%q) = %t, want %t", s, got, want)
		}
	}
}
