package calc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

// TestProvisional: interest that needs the rate of a year after the latest
// published one (2024 in the reference data) is charged at the latest
// rate and flagged, row part by row part and in the totals; figures that
// need no unpublished year carry no flag; once the year's rate is
// imported the same calculation uses it and the flag disappears.
func TestProvisional(t *testing.T) {
	// 1000.00 due 202406: (1 + 2.62%·7/12)·(1 + r2025) − 1.
	rows := []calc.Row{
		{Period: ym("202406"), Base: dec(t, "1000.00"), Rates: calc.PartRates{calc.Unit: dec(t, "1"), calc.PersonalToAccount: dec(t, "0.08")}},
		{Period: ym("202310"), Base: dec(t, "0"), Rates: calc.PartRates{calc.Unit: dec(t, "0.16")}}, // zero amount: no interest, no flag
	}
	set := refdata.Default()
	for _, date := range []string{"2026-06-01", "2026-12-31"} {
		t.Run(date, func(t *testing.T) {
			res, err := calc.BackPayment(calc.MustDate(date), rows, set)
			if err != nil {
				t.Fatal(err)
			}
			unit := res.Rows[0].Parts[calc.Unit]
			if money(unit.Interest) != "41.88" || !unit.Provisional {
				t.Errorf("unit part = %s provisional %t, want 41.88 at 2.62%% for 2025, provisional", money(unit.Interest), unit.Provisional)
			}
			if p := res.Rows[0].Parts[calc.PersonalToAccount]; !p.Provisional || money(p.Interest) != "3.35" {
				t.Errorf("to-account part = %+v", p)
			}
			for _, k := range []calc.PartKind{calc.Personal, calc.UnitToAccount} {
				if res.Rows[0].Parts[k].Provisional {
					t.Errorf("%s: zero amount flagged", k)
				}
			}
			for _, p := range res.Rows[1].Parts {
				if p.Provisional {
					t.Error("zero row flagged")
				}
			}
			if !res.Totals.Of(calc.TotalUnit).Provisional || !res.Totals.Of(calc.TotalAll).Provisional || res.Totals.Of(calc.TotalPersonal).Provisional {
				t.Errorf("totals %+v", res.Totals)
			}
			if res.Provisional == nil {
				t.Fatal("no provisional description")
			}
			if d := cmp.Diff([]int{2025}, res.Provisional.Years); d != "" || res.Provisional.RateYear != 2024 || res.Provisional.Rate.String() != "0.0262" {
				t.Errorf("provisional %+v", res.Provisional)
			}
			if got := res.Provisional.Note(); got != "2025年度记账利率尚未公布，暂按2024年度记账利率2.62%计息，公布后据实调整" {
				t.Errorf("note %q", got)
			}
			if _, ok := res.RatesUsed[2025]; ok || res.RatesUsed[2024].String() != "0.0262" {
				t.Errorf("rates used %v: 2025 is not a published rate", res.RatesUsed)
			}
		})
	}
	t.Run("calculated in 2025", func(t *testing.T) {
		res, err := calc.BackPayment(calc.MustDate("2025-06-01"), rows, set)
		if err != nil {
			t.Fatal(err)
		}
		if p := res.Rows[0].Parts[calc.Unit]; p.Provisional || money(p.Interest) != "15.28" || res.Provisional != nil || res.Totals.Of(calc.TotalAll).Provisional {
			t.Errorf("no unpublished year needed: %+v, %+v", p, res.Provisional)
		}
	})
	t.Run("2025 imported", func(t *testing.T) {
		with, err := set.Merge(refdata.Data{BookkeepingRates: []refdata.BookkeepingRate{{Year: 2025, Rate: dec(t, "0.03"), Status: "national", Source: "test"}}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := calc.BackPayment(calc.MustDate("2026-06-01"), rows, with)
		if err != nil {
			t.Fatal(err)
		}
		if p := res.Rows[0].Parts[calc.Unit]; p.Provisional || money(p.Interest) != "45.74" || res.Provisional != nil {
			t.Errorf("with the 2025 rate: %+v, %+v", p, res.Provisional)
		}
	})
	t.Run("two unpublished years", func(t *testing.T) {
		res, err := calc.BackPayment(calc.MustDate("2027-12-31"), rows[:1], set)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]int{2025, 2026}, res.Provisional.Years); d != "" {
			t.Error(d)
		}
		if got := res.Provisional.Note(); got != "2025、2026年度记账利率尚未公布，暂按2024年度记账利率2.62%计息，公布后据实调整" {
			t.Errorf("note %q", got)
		}
	})
}
