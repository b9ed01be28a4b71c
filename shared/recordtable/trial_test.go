package recordtable_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

func TestTrial(t *testing.T) {
	s, _ := service(t, storetest.Bolt(t, clock.Frozen(day)), day)
	rates := [calc.NumParts]string{calc.Personal: "0.08"}
	// Rows without rates take the reference rates of the period: 5.1's
	// 201304 (22%) and 201309 (20%) on 4538.00, calculated on the manual's day.
	res, err := s.Trial(t.Context(), recordtable.TrialInput{Rows: []recordtable.TrialRow{
		{Period: "201304", Base: "4538.00"}, {Period: "2013-09", Base: "4538"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, k := range []calc.TotalKind{calc.TotalUnit, calc.TotalPersonal, calc.TotalAll} {
		got[map[calc.TotalKind]string{calc.TotalUnit: "unit", calc.TotalPersonal: "personal", calc.TotalAll: "all"}[k]] = calc.FormatMoney(res.Totals.Of(k).Value())
	}
	if d := cmp.Diff(map[string]string{"unit": "3142.16", "personal": "1196.64", "all": "4338.80"}, got); d != "" || res.CalcDate != calc.MustDate("2022-05-10") {
		t.Errorf("totals (-want +got):\n%s calc date %s", d, res.CalcDate)
	}

	flex, err := s.Trial(t.Context(), recordtable.TrialInput{Insured: "灵活就业人员", CalcDate: "2022-05-10", Rows: []recordtable.TrialRow{{Period: "202201", Base: "3519"}}})
	if err != nil || calc.FormatMoney(flex.Rows[0].Parts[calc.Personal].Amount) != "703.80" {
		t.Errorf("flexible: %+v, %v", flex.Rows, err)
	}

	for _, tt := range []struct {
		name string
		in   recordtable.TrialInput
		want []calc.Problem
	}{
		{"text that does not parse", recordtable.TrialInput{Rows: []recordtable.TrialRow{
			{Period: "202013", Base: "12,00", Rates: &[calc.NumParts]string{calc.Unit: "8%"}}}},
			[]calc.Problem{{Input: calc.InputPeriod, Message: "费款所属期格式应为YYYYMM，月份为01-12"},
				{Input: calc.InputBase, Message: "缴费基数应为金额，最多两位小数（如2800.00）"},
				{Input: calc.InputRate, Part: calc.Unit, Message: "比例应为小数（如0.08）"}}},
		{"no base", recordtable.TrialInput{Rows: []recordtable.TrialRow{{Period: "202101", Rates: &rates}}},
			[]calc.Problem{{Input: calc.InputBase, Message: "请填写缴费基数"}}},
		{"no reference rates", recordtable.TrialInput{Rows: []recordtable.TrialRow{{Period: "201501", Base: "3000"}}},
			[]calc.Problem{{Input: calc.InputRates, Message: "缺少企业职工费款所属期201501的缴费比例，请填写比例"}}},
		{"unknown insured type", recordtable.TrialInput{Insured: "公务员", Rows: []recordtable.TrialRow{{Period: "202101", Base: "3000"}}},
			[]calc.Problem{{Input: calc.InputInsured, Message: "参保身份应为企业职工或灵活就业人员"}}},
		{"calculation date after next year", recordtable.TrialInput{CalcDate: "2024-01-01", Rows: []recordtable.TrialRow{{Period: "202101", Base: "3000", Rates: &rates}}},
			[]calc.Problem{{Input: calc.InputCalcDate, Message: "计算日期不能晚于2023-12-31（次年年底）"}}},
		{"not a date", recordtable.TrialInput{CalcDate: "2022-02-30", Rows: []recordtable.TrialRow{{Period: "202101", Base: "3000", Rates: &rates}}},
			[]calc.Problem{{Input: calc.InputCalcDate, Message: "请填写正确的计算日期（如2022-05-10）"}}},
		{"too many", recordtable.TrialInput{Rows: make([]recordtable.TrialRow, recordtable.MaxTrialRows+1)},
			[]calc.Problem{{Input: calc.InputRows, Message: "一次最多计算600个月，请分批试算"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Trial(t.Context(), tt.in)
			if d := cmp.Diff(tt.want, []calc.Problem(calc.ProblemsOf(err))); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}
