package calc_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

// The real table starts in 2013, so the 40-year benchmark uses a synthetic
// table for 1982..2024: the published rates where they exist, 4.00%–8.00%
// cycling before.
func syntheticRates(b *testing.B) calc.RateMap {
	b.Helper()
	m := calc.RateMap{}
	for y := 1982; y <= 2024; y++ {
		m[y] = decimal.New(int64(400+(y%5)*100), -4)
	}
	for _, y := range refdata.Default().RateYears() {
		r, _ := refdata.Default().Rate(y)
		m[y] = r
	}
	return m
}

func benchRows(n int, from calc.YearMonth) []calc.Row {
	rows := make([]calc.Row, n)
	for i := range rows {
		rows[i] = calc.Row{
			Period: from.AddMonths(i),
			Base:   decimal.New(int64(180000+i*731), -2),
			Rates: calc.PartRates{
				calc.Unit: decimal.New(16, -2), calc.Personal: decimal.New(8, -2),
				calc.PersonalToAccount: decimal.New(8, -2),
			},
		}
	}
	return rows
}

// BenchmarkBackPayment40Years: 480 months (1985-01..2024-12) × 4 parts with
// interest, calculated on 2025-05-10 (E = 2024).
func BenchmarkBackPayment40Years(b *testing.B) {
	rates := syntheticRates(b)
	rows := benchRows(480, calc.MustYearMonth("198501"))
	date := calc.MustDate("2025-05-10")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := calc.BackPayment(date, rows, rates); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackPayment12Months: a typical screen (one year of 5.1 or 4.6).
func BenchmarkBackPayment12Months(b *testing.B) {
	rows := benchRows(12, calc.MustYearMonth("202101"))
	date := calc.MustDate("2022-05-10")
	set := refdata.Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := calc.BackPayment(date, rows, set); err != nil {
			b.Fatal(err)
		}
	}
}
