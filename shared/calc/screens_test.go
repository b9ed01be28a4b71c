package calc_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

// Whole screens of the manual, computed from reference data and compared
// cell by cell, with the totals shown under them.

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

func money(d decimal.Decimal) string { return calc.FormatMoney(d) }

// cells51 renders a row in the column order of 5.1 and 5.5: period, base,
// unit, unit→account, personal, personal→account (amount, interest each).
func cells51(r calc.LedgerRow) []string {
	out := []string{r.Period.String(), money(r.Base)}
	for _, k := range calc.PartKinds {
		p := r.Part(k)
		out = append(out, money(p.Amount), money(p.Interest))
	}
	return out
}

func totalsOf(t calc.Totals) map[string]string {
	return map[string]string{"个人应缴金额": money(t.Personal), "单位应缴金额": money(t.Unit), "合计应缴总额": money(t.Total)}
}

// employeeRows builds rows from the reference contribution rates.
func employeeRows(t *testing.T, base string, periods []calc.YearMonth) []calc.Row {
	t.Helper()
	rows := make([]calc.Row, len(periods))
	for i, p := range periods {
		r, err := refdata.Default().ContributionRates(p, "企业职工")
		if err != nil {
			t.Fatal(err)
		}
		rows[i] = calc.Row{Period: p, Base: dec(t, base), Rates: r.PartRates}
	}
	return rows
}

func TestAPIExample(t *testing.T) {
	rows, err := calc.ParseRows([]calc.RowInput{{Period: "202009", Base: "2800.00", Unit: "0", Personal: "0.08"}})
	if err != nil {
		t.Fatal(err)
	}
	date, err := calc.ParseCalcDate("2022-05-10")
	if err != nil {
		t.Fatal(err)
	}
	res, err := calc.BackPayment(date, rows, refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	type part struct{ Amount, Interest string }
	type row struct {
		Period, Base   string
		Unit, Personal part
	}
	got := struct {
		Rows   []row
		Totals map[string]string
		Rates  map[int]string
	}{Totals: map[string]string{}, Rates: map[int]string{}}
	for _, r := range res.Rows {
		got.Rows = append(got.Rows, row{r.Period.String(), money(r.Base),
			part{money(r.Unit.Amount), money(r.Unit.Interest)}, part{money(r.Personal.Amount), money(r.Personal.Interest)}})
	}
	got.Totals["unit"], got.Totals["personal"], got.Totals["total"] = money(res.Totals.Unit), money(res.Totals.Personal), money(res.Totals.Total)
	for y, r := range res.RatesUsed {
		got.Rates[y] = r.StringFixed(4)
	}
	want := struct {
		Rows   []row
		Totals map[string]string
		Rates  map[int]string
	}{
		Rows:   []row{{"202009", "2800.00", part{"0.00", "0.00"}, part{"224.00", "19.80"}}},
		Totals: map[string]string{"unit": "0.00", "personal": "243.80", "total": "243.80"},
		Rates:  map[int]string{2020: "0.0604", 2021: "0.0669"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("back-payment (-want +got):\n%s", d)
	}
}

func TestScreen51EmployeeBackPayment(t *testing.T) {
	months, err := calc.UnpaidMonths(ym("201304"), ym("201312"), []calc.YearMonth{ym("201305"), ym("201306"), ym("201307"), ym("201308")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), employeeRows(t, "4538.00", months), refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"201304", "4538.00", "998.36", "657.96", "0.00", "0.00", "363.04", "239.26", "363.04", "239.26"},
		{"201309", "4538.00", "907.60", "578.24", "0.00", "0.00", "363.04", "231.30", "363.04", "231.30"},
		{"201310", "4538.00", "907.60", "574.26", "0.00", "0.00", "363.04", "229.70", "363.04", "229.70"},
		{"201311", "4538.00", "907.60", "570.28", "0.00", "0.00", "363.04", "228.11", "363.04", "228.11"},
		{"201312", "4538.00", "907.60", "566.30", "0.00", "0.00", "363.04", "226.52", "363.04", "226.52"},
	}
	var got [][]string
	for _, r := range res.Rows {
		got = append(got, cells51(r))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("补缴记录一览表 (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "0.00", "单位应缴金额": "0.00", "合计应缴总额": "0.00"}, totalsOf(calc.Sum(nil))); d != "" {
		t.Errorf("nothing ticked (-want +got):\n%s", d)
	}
	ticked, err := calc.Select(res.Rows, []calc.YearMonth{ym("201304"), ym("201309")})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "1196.64", "单位应缴金额": "3142.16", "合计应缴总额": "4338.80"}, totalsOf(calc.Sum(ticked))); d != "" {
		t.Errorf("201304 and 201309 ticked (-want +got):\n%s", d)
	}
}

func TestScreen55ArrearsClearance(t *testing.T) {
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), employeeRows(t, "3519", []calc.YearMonth{ym("202202")}), refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"202202", "3519.00", "563.04", "0.00", "0.00", "0.00", "281.52", "0.00", "281.52", "0.00"}, cells51(res.Rows[0])); d != "" {
		t.Errorf("欠款清欠记录 (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "281.52", "单位应缴金额": "563.04", "合计应缴总额": "844.56"}, totalsOf(res.Totals)); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if len(res.RatesUsed) != 0 {
		t.Errorf("current-year arrears used rates %v", res.RatesUsed)
	}
}

func TestScreen46BaseAdjustment(t *testing.T) {
	var in []calc.BaseDiffRow
	add := func(from, to, paid, adjusted string) {
		for p := ym(from); !p.After(ym(to)); p = p.AddMonths(1) {
			r, err := refdata.Default().ContributionRates(p, "employee")
			if err != nil {
				t.Fatal(err)
			}
			in = append(in, calc.BaseDiffRow{Period: p, PaidBase: dec(t, paid), AdjustedBase: dec(t, adjusted), Rates: r.PartRates})
		}
	}
	add("202009", "202012", "2901.00", "5701.00") // difference 2800.00
	add("202101", "202112", "2901.00", "4584.00") // difference 1683.00
	res, err := calc.BaseDifference(calc.MustDate("2022-05-10"), in, refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	// Column order of 4.6: period, base, personal, personal→account, unit, unit→account.
	var got [][]string
	for _, r := range res.Rows {
		row := []string{r.Period.String(), money(r.Base)}
		for _, k := range []calc.PartKind{calc.Personal, calc.PersonalToAccount, calc.Unit, calc.UnitToAccount} {
			row = append(row, money(r.Part(k).Amount), money(r.Part(k).Interest))
		}
		got = append(got, row)
	}
	want := [][]string{
		{"202009", "2800.00", "224.00", "19.80", "224.00", "19.80", "0.00", "0.00", "0.00", "0.00"},
		{"202010", "2800.00", "224.00", "18.59", "224.00", "18.59", "0.00", "0.00", "0.00", "0.00"},
		{"202011", "2800.00", "224.00", "17.39", "224.00", "17.39", "0.00", "0.00", "0.00", "0.00"},
		{"202012", "2800.00", "224.00", "16.19", "224.00", "16.19", "0.00", "0.00", "0.00", "0.00"},
		{"202101", "1683.00", "134.64", "9.01", "134.64", "9.01", "269.28", "18.01", "0.00", "0.00"},
		{"202102", "1683.00", "134.64", "8.26", "134.64", "8.26", "269.28", "16.51", "0.00", "0.00"},
		{"202103", "1683.00", "134.64", "7.51", "134.64", "7.51", "269.28", "15.01", "0.00", "0.00"},
		{"202104", "1683.00", "134.64", "6.76", "134.64", "6.76", "269.28", "13.51", "0.00", "0.00"},
		{"202105", "1683.00", "134.64", "6.00", "134.64", "6.00", "269.28", "12.01", "0.00", "0.00"},
		{"202106", "1683.00", "134.64", "5.25", "134.64", "5.25", "269.28", "10.51", "0.00", "0.00"},
		{"202107", "1683.00", "134.64", "4.50", "134.64", "4.50", "269.28", "9.01", "0.00", "0.00"},
		{"202108", "1683.00", "134.64", "3.75", "134.64", "3.75", "269.28", "7.51", "0.00", "0.00"},
		{"202109", "1683.00", "134.64", "3.00", "134.64", "3.00", "269.28", "6.00", "0.00", "0.00"},
		{"202110", "1683.00", "134.64", "2.25", "134.64", "2.25", "269.28", "4.50", "0.00", "0.00"},
		{"202111", "1683.00", "134.64", "1.50", "134.64", "1.50", "269.28", "3.00", "0.00", "0.00"},
		{"202112", "1683.00", "134.64", "0.75", "134.64", "0.75", "269.28", "1.50", "0.00", "0.00"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("差额补缴记录一览表 (-want +got):\n%s", d)
	}
	ticked, err := calc.Select(res.Rows, []calc.YearMonth{ym("202101"), ym("202102"), ym("202103")})
	if err != nil {
		t.Fatal(err)
	}
	// Not printed in the manual; the spec's inferred rule (amount + interest
	// of 个人应缴 and 单位应缴) gives 403.92+24.78+807.84+49.53.
	if got := money(calc.Sum(ticked).Total); got != "1286.07" {
		t.Errorf("合计金额 = %s, want 1286.07", got)
	}
}

func TestScreen49RateAdjustment(t *testing.T) {
	res, err := calc.RateDifference(calc.MustDate("2022-05-10"), []calc.RateDiffRow{{
		Period: ym("202103"), Base: dec(t, "8000.00"),
		Paid: calc.PartRates{Unit: dec(t, "0.08"), Personal: dec(t, "0.08"), PersonalToAccount: dec(t, "0.08")},
		Due:  calc.PartRates{Unit: dec(t, "0.16"), Personal: dec(t, "0.08"), PersonalToAccount: dec(t, "0.08")},
	}}, refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	r := res.Rows[0]
	var got []string
	got = append(got, r.Period.String(), money(r.Base))
	for _, k := range []calc.PartKind{calc.Personal, calc.PersonalToAccount, calc.Unit, calc.UnitToAccount} {
		p := r.Part(k)
		got = append(got, p.Rate.StringFixed(2), money(p.Amount), money(p.Interest))
	}
	want := []string{"202103", "8000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.08", "640.00", "35.68", "0.00", "0.00", "0.00"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("差额补缴记录 (-want +got):\n%s", d)
	}
	if got := money(res.Totals.Total); got != "675.68" {
		t.Errorf("合计金额 = %s, want 675.68", got)
	}
}

func TestScreen425And426FlexibleDue(t *testing.T) {
	ref := refdata.Default()
	grade, err := ref.Grade(2022, dec(t, "0.60"))
	if err != nil {
		t.Fatal(err)
	}
	if grade.Label != "按照社平工资60.0%缴费，月缴费基数3519.00元" {
		t.Errorf("grade label = %q", grade.Label)
	}
	g, b, err := calc.ParseGrade(grade.Label)
	if err != nil || !g.Equal(dec(t, "0.6")) || money(b) != "3519.00" {
		t.Errorf("ParseGrade(%q) = %s, %s, %v", grade.Label, g, b, err)
	}
	rates, err := ref.ContributionRates(ym("202205"), "灵活就业人员")
	if err != nil {
		t.Fatal(err)
	}
	var periods []calc.YearMonth
	for p := ym("202201"); !p.After(ym("202212")); p = p.AddMonths(1) {
		periods = append(periods, p)
	}
	res, err := calc.FlexibleDue(periods, grade.Base, rates.PartRates)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if got := [2]string{money(r.Personal.Amount), money(r.PersonalToAccount.Amount)}; got != [2]string{"703.80", "281.52"} {
			t.Errorf("%s: personal, to account = %v, want 703.80, 281.52 (policy 8%%)", r.Period, got)
		}
	}
	// 4.25: 202205-202212 all ticked.
	sel425 := calc.InRange(res.Rows, ym("202205"), calc.YearMonth{})
	if got := money(calc.Sum(sel425).Total); got != "5630.40" || len(sel425) != 8 {
		t.Errorf("4.25 合计金额 = %s over %d rows, want 5630.40 over 8", got, len(sel425))
	}
	// 4.26: query 2020-01..2022-04, all ticked.
	sel426 := calc.InRange(res.Rows, calc.MustYearMonth("2020-01"), calc.MustYearMonth("2022-04"))
	if got := money(calc.Sum(sel426).Total); got != "2815.20" || len(sel426) != 4 {
		t.Errorf("4.26 合计金额 = %s over %d rows, want 2815.20 over 4", got, len(sel426))
	}
}

func TestScreen44Refund(t *testing.T) {
	ref := refdata.Default()
	scope, err := ref.RefundScope("多重账户清理")
	if err != nil {
		t.Fatal(err)
	}
	if scope.Label != "个人缴费部分退费" {
		t.Errorf("退费范围 = %q", scope.Label)
	}
	res, err := calc.Assess(employeeRows(t, "2901", []calc.YearMonth{ym("202001"), ym("202002"), ym("202003")}))
	if err != nil {
		t.Fatal(err)
	}
	// Column order of 4.4: personal, personal→account, unit, unit→account.
	var got [][]string
	for _, r := range res.Rows {
		row := []string{r.Period.String(), money(r.Base)}
		for _, k := range []calc.PartKind{calc.Personal, calc.PersonalToAccount, calc.Unit, calc.UnitToAccount} {
			row = append(row, money(r.Part(k).Amount), money(r.Part(k).Interest))
		}
		got = append(got, row)
	}
	want := [][]string{
		{"202001", "2901.00", "232.08", "0.00", "232.08", "0.00", "464.16", "0.00", "0.00", "0.00"},
		{"202002", "2901.00", "232.08", "0.00", "232.08", "0.00", "0.00", "0.00", "0.00", "0.00"},
		{"202003", "2901.00", "232.08", "0.00", "232.08", "0.00", "0.00", "0.00", "0.00", "0.00"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("退费记录一览表 (-want +got):\n%s", d)
	}
	refund, err := calc.RefundOf(res.Rows, scope)
	if err != nil {
		t.Fatal(err)
	}
	// Not printed; the personal scope gives Σ个人实缴 = 696.24.
	if got := money(refund.Total); got != "696.24" {
		t.Errorf("合计金额 = %s, want 696.24", got)
	}
	if _, err := calc.RefundOf(res.Rows, calc.RefundScope{Code: "x", Parts: []calc.PartKind{calc.PersonalToAccount}}); err == nil {
		t.Error("a ToAccount scope was accepted")
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not an *apperr.Error", err)
	}
	if ae.Code != apperr.Invalid {
		t.Errorf("code = %s, want invalid", ae.Code)
	}
	return ae.Fields
}

func TestBackPaymentErrors(t *testing.T) {
	tests := []struct {
		name string
		rows []calc.RowInput
		date string
		want map[string]string
	}{
		{"month 13", []calc.RowInput{{Period: "202013", Base: "1", Personal: "0.08"}}, "2022-05-10",
			map[string]string{"rows[0].period": "费款所属期格式应为YYYYMM，月份为01-12"}},
		{"bad base and rate", []calc.RowInput{{Period: "202001", Base: "12,00", Unit: "8%"}}, "2022-05-10",
			map[string]string{"rows[0].base": "缴费基数应为金额，最多两位小数（如2800.00）", "rows[0].rates.unit": "比例应为小数（如0.08）"}},
		{"negative base", []calc.RowInput{{Period: "202001", Base: "-1.00", Personal: "0.08"}}, "2022-05-10",
			map[string]string{"rows[0].base": "缴费基数不能为负数"}},
		{"rate over 1", []calc.RowInput{{Period: "202001", Base: "100", Personal: "8"}}, "2022-05-10",
			map[string]string{"rows[0].rates.personal": "比例应在0到1之间（如0.08）"}},
		{"negative rate", []calc.RowInput{{Period: "202001", Base: "100", UnitToAccount: "-0.01"}}, "2022-05-10",
			map[string]string{"rows[0].rates.unitToAccount": "比例应在0到1之间（如0.08）"}},
		{"period after calc date", []calc.RowInput{{Period: "202206", Base: "100", Personal: "0.08"}}, "2022-05-10",
			map[string]string{"rows[0].period": "费款所属期202206晚于计算日期2022-05-10"}},
		{"duplicate period", []calc.RowInput{{Period: "202001", Base: "1"}, {Period: "2020-01", Base: "1"}}, "2022-05-10",
			map[string]string{"rows[1].period": "费款所属期202001与第1行重复"}},
		{"no rows", nil, "2022-05-10", map[string]string{"rows": "请至少选择一个费款所属期"}},
		{"bad date", []calc.RowInput{{Period: "202001", Base: "1"}}, "2022-02-30",
			map[string]string{"calcDate": "请填写正确的计算日期（如2022-05-10）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := calc.ParseRows(tt.rows)
			if err == nil {
				var date calc.Date
				date, err = calc.ParseCalcDate(tt.date)
				if err == nil {
					_, err = calc.BackPayment(date, rows, refdata.Default())
				}
			}
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, fieldsOf(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMissingRate(t *testing.T) {
	rows := []calc.Row{{Period: ym("201201"), Base: dec(t, "1000"), Rates: calc.PartRates{Personal: dec(t, "0.08")}}}
	_, err := calc.BackPayment(calc.MustDate("2022-05-10"), rows, refdata.Default())
	var mr *calc.MissingRateError
	if !errors.As(err, &mr) || mr.Year != 2012 {
		t.Fatalf("err = %v, want a MissingRateError for 2012", err)
	}
	if d := cmp.Diff(map[string]string{"rows[0].period": "缺少2012年度记账利率，无法计算利息"}, fieldsOf(t, err)); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
	// Calculating in 2026 needs the 2025 rate, not yet in the table.
	rows[0].Period = ym("202401")
	_, err = calc.BackPayment(calc.MustDate("2026-03-01"), rows, refdata.Default())
	if !errors.As(err, &mr) || mr.Year != 2025 {
		t.Fatalf("err = %v, want a MissingRateError for 2025", err)
	}
	// A zero amount needs no rate, and current-year rows none either.
	rows[0].Rates = calc.PartRates{}
	if _, err := calc.BackPayment(calc.MustDate("2026-03-01"), rows, refdata.Default()); err != nil {
		t.Errorf("zero amount: %v", err)
	}
	if _, err := calc.BackPayment(calc.MustDate("2026-03-01"), []calc.Row{{Period: ym("202601"), Base: dec(t, "1"), Rates: calc.PartRates{Unit: dec(t, "0.16")}}}, refdata.Default()); err != nil {
		t.Errorf("current year: %v", err)
	}
}

func TestDifferenceErrors(t *testing.T) {
	_, err := calc.BaseDifference(calc.MustDate("2022-05-10"), []calc.BaseDiffRow{{Period: ym("202101"), PaidBase: dec(t, "3000"), AdjustedBase: dec(t, "2000")}}, refdata.Default())
	if d := cmp.Diff(map[string]string{"rows[0].base": "调整后缴费基数低于已缴费基数，无需补缴"}, fieldsOf(t, err)); d != "" {
		t.Errorf("base difference (-want +got):\n%s", d)
	}
	_, err = calc.RateDifference(calc.MustDate("2022-05-10"), []calc.RateDiffRow{{Period: ym("202101"), Base: dec(t, "3000"), Paid: calc.PartRates{Unit: dec(t, "0.20")}, Due: calc.PartRates{Unit: dec(t, "0.16")}}}, refdata.Default())
	if d := cmp.Diff(map[string]string{"rows[0].rates.unit": "应缴比例低于已缴比例，无需补缴"}, fieldsOf(t, err)); d != "" {
		t.Errorf("rate difference (-want +got):\n%s", d)
	}
	if _, err := calc.Select(nil, []calc.YearMonth{ym("202101")}); err == nil {
		t.Error("Select of an absent period succeeded")
	}
	if _, err := calc.UnpaidMonths(ym("202102"), ym("202101"), nil); err == nil {
		t.Error("UnpaidMonths with to < from succeeded")
	}
}
