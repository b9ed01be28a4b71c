package calc_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

// Whole screens of the manual, computed from reference data and compared
// cell by cell, with the totals shown under them. The record tables read
// from the ledger go through the same functions (shared/recordtable); the
// demo data reproduces them there too.

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

func money(d decimal.Decimal) string { return calc.FormatMoney(d) }

// cells renders a row's amount and interest in the given part order.
func cells(r calc.LedgerRow, order ...calc.PartKind) []string {
	if len(order) == 0 {
		order = calc.PartKinds[:]
	}
	out := []string{r.Period.String(), money(r.Base)}
	for _, k := range order {
		out = append(out, money(r.Parts[k].Amount), money(r.Parts[k].Interest))
	}
	return out
}

func totalsOf(t calc.Totals) map[string]string {
	return map[string]string{"个人应缴金额": money(t.Of(calc.TotalPersonal).Value()), "单位应缴金额": money(t.Of(calc.TotalUnit).Value()),
		"合计应缴总额": money(t.Of(calc.TotalAll).Value())}
}

// employeeRows builds rows from the reference contribution rates.
func employeeRows(t *testing.T, base string, periods ...calc.YearMonth) []calc.Row {
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

func months(from, to string) []calc.YearMonth {
	var out []calc.YearMonth
	for p := ym(from); !p.After(ym(to)); p = p.AddMonths(1) {
		out = append(out, p)
	}
	return out
}

func TestAPIExample(t *testing.T) {
	rows := []calc.Row{{Period: ym("202009"), Base: dec(t, "2800.00"), Rates: calc.PartRates{calc.Personal: dec(t, "0.08")}}}
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), rows, refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"202009", "2800.00", "0.00", "0.00", "0.00", "0.00", "224.00", "19.80", "0.00", "0.00"}, cells(res.Rows[0])); d != "" {
		t.Errorf("row (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "243.80", "单位应缴金额": "0.00", "合计应缴总额": "243.80"}, totalsOf(res.Totals)); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	used := map[int]string{}
	for y, r := range res.RatesUsed {
		used[y] = r.StringFixed(4)
	}
	if d := cmp.Diff(map[int]string{2020: "0.0604", 2021: "0.0669"}, used); d != "" || res.Provisional != nil {
		t.Errorf("rates used (-want +got):\n%s provisional %+v", d, res.Provisional)
	}
}

func TestScreen51EmployeeBackPayment(t *testing.T) {
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), employeeRows(t, "4538.00", append([]calc.YearMonth{ym("201304")}, months("201309", "201312")...)...), refdata.Default())
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
		got = append(got, cells(r))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("补缴记录一览表 (-want +got):\n%s", d)
	}
	none, err := calc.Select(res.Rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "0.00", "单位应缴金额": "0.00", "合计应缴总额": "0.00"}, totalsOf(calc.Sum(res.Rows, none))); d != "" {
		t.Errorf("nothing ticked (-want +got):\n%s", d)
	}
	ticked, err := calc.Select(res.Rows, []calc.YearMonth{ym("201304"), ym("201309")})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "1196.64", "单位应缴金额": "3142.16", "合计应缴总额": "4338.80"}, totalsOf(calc.Sum(res.Rows, ticked))); d != "" {
		t.Errorf("201304 and 201309 ticked (-want +got):\n%s", d)
	}
}

func TestScreen55ArrearsClearance(t *testing.T) {
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), employeeRows(t, "3519", ym("202202")), refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"202202", "3519.00", "563.04", "0.00", "0.00", "0.00", "281.52", "0.00", "281.52", "0.00"}, cells(res.Rows[0])); d != "" {
		t.Errorf("欠款清欠记录 (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]string{"个人应缴金额": "281.52", "单位应缴金额": "563.04", "合计应缴总额": "844.56"}, totalsOf(res.Totals)); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if len(res.RatesUsed) != 0 {
		t.Errorf("current-year arrears used rates %v", res.RatesUsed)
	}
}

// 4.6 charges the base difference (adjusted − paid) at the period's rates:
// the ledger stores the difference as the row's base.
func TestScreen46BaseAdjustment(t *testing.T) {
	rows := append(employeeRows(t, "2800.00", months("202009", "202012")...), employeeRows(t, "1683.00", months("202101", "202112")...)...)
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), rows, refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	// Column order of 4.6: period, base, personal, personal→account, unit, unit→account.
	var got [][]string
	for _, r := range res.Rows {
		got = append(got, cells(r, calc.Personal, calc.PersonalToAccount, calc.Unit, calc.UnitToAccount))
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
	if got := money(calc.Sum(res.Rows, ticked).Of(calc.TotalAll).Value()); got != "1286.07" {
		t.Errorf("合计金额 = %s, want 1286.07", got)
	}
}

// 4.9 charges the rate difference (due − paid) on the base: the ledger
// stores the difference as the row's rates.
func TestScreen49RateAdjustment(t *testing.T) {
	res, err := calc.BackPayment(calc.MustDate("2022-05-10"), []calc.Row{{Period: ym("202103"), Base: dec(t, "8000.00"),
		Rates: calc.PartRates{calc.Unit: dec(t, "0.08")}}}, refdata.Default())
	if err != nil {
		t.Fatal(err)
	}
	r := res.Rows[0]
	got := []string{r.Period.String(), money(r.Base)}
	for _, k := range []calc.PartKind{calc.Personal, calc.PersonalToAccount, calc.Unit, calc.UnitToAccount} {
		p := r.Parts[k]
		got = append(got, p.Rate.Decimal.StringFixed(2), money(p.Amount), money(p.Interest))
	}
	want := []string{"202103", "8000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.08", "640.00", "35.68", "0.00", "0.00", "0.00"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("差额补缴记录 (-want +got):\n%s", d)
	}
	if got := money(res.Totals.Of(calc.TotalAll).Value()); got != "675.68" {
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
	res, err := calc.FlexibleDue(months("202201", "202212"), grade.Base, rates.PartRates)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if got := [2]string{money(r.Parts[calc.Personal].Amount), money(r.Parts[calc.PersonalToAccount].Amount)}; got != [2]string{"703.80", "281.52"} {
			t.Errorf("%s: personal, to account = %v, want 703.80, 281.52 (policy 8%%)", r.Period, got)
		}
	}
	// 4.25: 202205-202212 all ticked.
	sel425 := calc.InRange(slices.Clone(res.Rows), ym("202205"), calc.YearMonth{})
	if got := money(calc.Sum(sel425, nil).Of(calc.TotalPersonal).Value()); got != "5630.40" || len(sel425) != 8 {
		t.Errorf("4.25 合计金额 = %s over %d rows, want 5630.40 over 8", got, len(sel425))
	}
	// 4.26: query 2020-01..2022-04, all ticked.
	sel426 := calc.InRange(slices.Clone(res.Rows), calc.MustYearMonth("2020-01"), calc.MustYearMonth("2022-04"))
	if got := money(calc.Sum(sel426, nil).Of(calc.TotalPersonal).Value()); got != "2815.20" || len(sel426) != 4 {
		t.Errorf("4.26 合计金额 = %s over %d rows, want 2815.20 over 4", got, len(sel426))
	}
	empty, err := calc.FlexibleDue(nil, grade.Base, rates.PartRates)
	if err != nil || len(empty.Rows) != 0 || !empty.Totals.Of(calc.TotalAll).Value().IsZero() {
		t.Errorf("no months: %+v, %v", empty, err)
	}
}

// problemsOf returns the problems of err by a readable key.
func problemsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("error %v is not Invalid", err)
	}
	out := map[string]string{}
	for _, p := range calc.ProblemsOf(err) {
		k := map[calc.Input]string{calc.InputCalcDate: "calcDate", calc.InputRows: "rows", calc.InputPeriod: "period",
			calc.InputBase: "base", calc.InputRate: "rate", calc.InputSelected: "selected"}[p.Input]
		if p.Input.ForRow() {
			k = k + "@" + string(rune('0'+p.Row))
		}
		if p.Input == calc.InputRate {
			k += "." + p.Part.String()
		}
		out[k] = p.Message
	}
	return out
}

func TestBackPaymentErrors(t *testing.T) {
	row := func(period, base string, rates calc.PartRates) calc.Row {
		p, _ := calc.ParseYearMonth(period)
		return calc.Row{Period: p, Base: dec(t, base), Rates: rates}
	}
	r8 := calc.PartRates{calc.Personal: decimal.RequireFromString("0.08")}
	tests := []struct {
		name string
		rows []calc.Row
		date calc.Date
		want map[string]string
	}{
		{"month 13", []calc.Row{{Period: calc.YearMonth{Year: 2020, Month: 13}, Base: dec(t, "1"), Rates: r8}}, calc.MustDate("2022-05-10"),
			map[string]string{"period@0": "费款所属期格式应为YYYYMM，月份为01-12"}},
		{"negative base", []calc.Row{row("202001", "-1.00", r8)}, calc.MustDate("2022-05-10"),
			map[string]string{"base@0": "缴费基数不能为负数"}},
		{"rate over 1", []calc.Row{row("202001", "100", calc.PartRates{calc.Personal: dec(t, "8")})}, calc.MustDate("2022-05-10"),
			map[string]string{"rate@0.personal": "比例应在0到1之间（如0.08）"}},
		{"negative rate", []calc.Row{row("202001", "100", calc.PartRates{calc.UnitToAccount: dec(t, "-0.01")})}, calc.MustDate("2022-05-10"),
			map[string]string{"rate@0.unitToAccount": "比例应在0到1之间（如0.08）"}},
		{"period after calc date", []calc.Row{row("202206", "100", r8)}, calc.MustDate("2022-05-10"),
			map[string]string{"period@0": "费款所属期202206晚于计算日期2022-05-10"}},
		{"duplicate period", []calc.Row{row("202001", "1", r8), row("202001", "1", r8)}, calc.MustDate("2022-05-10"),
			map[string]string{"period@1": "费款所属期202001与第1行重复"}},
		{"no rows", nil, calc.MustDate("2022-05-10"), map[string]string{"rows": "请至少选择一个费款所属期"}},
		{"bad date", []calc.Row{row("202001", "1", r8)}, calc.Date{Year: 2022, Month: 2, Day: 30},
			map[string]string{"calcDate": "请填写正确的计算日期（如2022-05-10）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := calc.BackPayment(tt.date, tt.rows, refdata.Default())
			if diff := cmp.Diff(tt.want, problemsOf(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if e := apperr.As(err); len(tt.want) == 1 && e.Message == "" {
				t.Errorf("one problem, no message: %v", err)
			}
		})
	}
	if _, err := calc.Select(nil, []calc.YearMonth{ym("202101")}); problemsOf(t, err)["selected"] != "费款所属期202101不在记录一览表中" {
		t.Errorf("Select of an absent period: %v", err)
	}
}

// A year with no rate up to the latest published one is an error naming
// it; the years after it are charged at the latest published rate and
// flagged (see TestProvisional).
func TestMissingRate(t *testing.T) {
	rows := []calc.Row{{Period: ym("201201"), Base: dec(t, "1000"), Rates: calc.PartRates{calc.Personal: dec(t, "0.08")}}}
	_, err := calc.BackPayment(calc.MustDate("2022-05-10"), rows, refdata.Default())
	if d := cmp.Diff(map[string]string{"period@0": "缺少2012年度记账利率，无法计算利息"}, problemsOf(t, err)); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	// A zero amount needs no rate, and current-year rows none either.
	rows[0].Rates = calc.PartRates{}
	if _, err := calc.BackPayment(calc.MustDate("2022-03-01"), rows, refdata.Default()); err != nil {
		t.Errorf("zero amount: %v", err)
	}
	if _, err := calc.BackPayment(calc.MustDate("2026-03-01"), []calc.Row{{Period: ym("202601"), Base: dec(t, "1"), Rates: calc.PartRates{calc.Unit: dec(t, "0.16")}}}, refdata.Default()); err != nil {
		t.Errorf("current year: %v", err)
	}
	// A table that charges no stand-in refuses the unpublished year.
	_, err = calc.BackPayment(calc.MustDate("2026-03-01"), []calc.Row{{Period: ym("202401"), Base: dec(t, "1000"), Rates: calc.PartRates{calc.Unit: dec(t, "0.16")}}}, noStandIn{refdata.Default()})
	if d := cmp.Diff(map[string]string{"period@0": "缺少2025年度记账利率，无法计算利息"}, problemsOf(t, err)); d != "" {
		t.Errorf("without stand-in (-want +got):\n%s", d)
	}
}

// noStandIn is a rate table whose rule is "none".
type noStandIn struct{ calc.RateTable }

func (noStandIn) StandIn() (int, bool) { return 0, false }
