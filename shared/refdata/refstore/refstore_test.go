package refstore_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

func unitRate(insured, from, to, unit string) refdata.ContributionRate {
	u := decimal.RequireFromString(unit)
	c := refdata.ContributionRate{Insured: insured, From: ym(from), Unit: &u, Source: "test correction " + unit}
	if to != "" {
		c.To = ym(to)
	}
	return c
}

// wantUnitRates checks the employee unit rate in force for each month.
func wantUnitRates(t *testing.T, ls *refstore.Store, want map[string]string) {
	t.Helper()
	set, err := ls.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for period, w := range want {
		r, err := set.ContributionRates(ym(period), "employee")
		if err != nil || r.PartRates[calc.Unit].String() != w {
			t.Errorf("unit rate %s = %s, %v; want %s", period, r.PartRates[calc.Unit], err, w)
		}
	}
}

// TestRefDataLastWriteWins: stored corrections replay in the order they
// were written, so the rate in force afterwards is the one Put's
// check approved, whatever the rows' keys (start months) are.
func TestRefDataLastWriteWins(t *testing.T) {
	want := map[string]string{"202212": "0.16", "202301": "0.15", "202305": "0.15", "202306": "0.15",
		"202309": "0.15", "202312": "0.15", "202401": "0.1", "203001": "0.1"}
	t.Run("two writes", func(t *testing.T) {
		storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
			// The same frozen clock for both writes: the order must hold
			// without the clock moving.
			ls := refstore.New(st, clock.Frozen(day), refstore.WithTTL(0))
			ctx := t.Context()
			if _, err := ls.Put(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202306", "", "0.10")}}); err != nil {
				t.Fatal(err)
			}
			wantUnitRates(t, ls, map[string]string{"202305": "0.16", "202306": "0.1", "202309": "0.1"})
			if _, err := ls.Put(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202301", "202312", "0.15")}}); err != nil {
				t.Fatal(err)
			}
			wantUnitRates(t, ls, want)
			// A store opened afterwards (another Lambda instance) agrees.
			wantUnitRates(t, refstore.New(st, clock.Frozen(day.Add(-time.Hour))), want)
			// Storing the same correction again changes nothing, also not
			// its place in the order.
			res, err := ls.Put(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202306", "", "0.10")}})
			if err != nil || res != (table.SyncResult{Unchanged: 1}) {
				t.Errorf("Put again = %+v, %v", res, err)
			}
			wantUnitRates(t, ls, want)
		})
	})
	t.Run("one write", func(t *testing.T) {
		storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
			// Within one write, the rows apply in the order given (a
			// file's rows in file order).
			ls := refstore.New(st, clock.Frozen(day), refstore.WithTTL(0))
			if _, err := ls.Put(t.Context(), refdata.Data{ContributionRates: []refdata.ContributionRate{
				unitRate("employee", "202306", "", "0.10"), unitRate("employee", "202301", "202312", "0.15"),
			}}); err != nil {
				t.Fatal(err)
			}
			wantUnitRates(t, ls, want)
		})
	})
}

// TestRefDataRewrittenKey: a correction stored again under the same natural
// key with other content replaces the stored row and moves to the end of
// the order; the check and the data in force agree.
func TestRefDataRewrittenKey(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		clk := clock.Frozen(day)
		ls := refstore.New(st, clk, refstore.WithTTL(0))
		ctx := t.Context()
		for _, c := range []refdata.ContributionRate{
			unitRate("employee", "202301", "202312", "0.15"),
			unitRate("employee", "202306", "", "0.10"),
			unitRate("employee", "202301", "202312", "0.13"), // replaces the first row
		} {
			clk.Advance(time.Second)
			if _, err := ls.Put(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{c}}); err != nil {
				t.Fatal(err)
			}
		}
		// The 13% row replaced the 15% one and was written after the 10%.
		wantUnitRates(t, ls, map[string]string{"202212": "0.16", "202301": "0.13", "202306": "0.13", "202312": "0.13",
			"202401": "0.1"})
	})
}

// TestRefDataLegacyRows: rows stored before the write sequence existed
// replay first, in key order, and later writes win over them.
func TestRefDataLegacyRows(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		rows, err := refstore.Rows(refdata.Data{ContributionRates: []refdata.ContributionRate{
			unitRate("employee", "202301", "202312", "0.15"), unitRate("employee", "202306", "", "0.10"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows { // as the code before the sequence wrote them
			k := r.Key()
			if err := st.Put(ctx, table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "refdata", "Kind": r.Kind, "Name": r.Name,
				"Source": r.Source, "From": r.From, "Data": r.Data, table.AttrVersion: int64(1)}, table.IfAbsent()); err != nil {
				t.Fatal(err)
			}
		}
		ls := refstore.New(st, clock.Frozen(day), refstore.WithTTL(0))
		wantUnitRates(t, ls, map[string]string{"202301": "0.15", "202305": "0.15", "202306": "0.1", "202401": "0.1"})
		if _, err := ls.Put(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202201", "202308", "0.12")}}); err != nil {
			t.Fatal(err)
		}
		wantUnitRates(t, ls, map[string]string{"202201": "0.12", "202308": "0.12", "202309": "0.1", "202401": "0.1"})
	})
}

func TestRefData(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		clk := clock.Frozen(day)
		ls := refstore.New(st, clk)
		set, err := ls.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if set.Version() != refdata.Default().Version() {
			t.Error("an empty table must give the embedded defaults")
		}
		if _, err := set.RateInfo(2025); err == nil {
			t.Fatal("the defaults have no 2025 rate (test premise)")
		}
		d := refdata.Data{
			BookkeepingRates: []refdata.BookkeepingRate{{Year: 2025, Rate: decimal.RequireFromString("0.0240"), Status: "national", Source: "test import"}},
			AverageWages: []refdata.AverageWage{{Year: 2021, Monthly: decimal.RequireFromString("5500.00"), Floor: decimal.RequireFromString("0.60"),
				Ceiling: decimal.RequireFromString("3.00"), Source: "test import"}},
		}
		res, err := ls.Put(ctx, d)
		if err != nil || res.Created != 2 {
			t.Fatalf("Put = %+v, %v", res, err)
		}
		if res, err := ls.Put(ctx, d); err != nil || res.Unchanged != 2 {
			t.Fatalf("Put again = %+v, %v", res, err)
		}
		set, err = ls.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := set.Rate(2025); err != nil || !r.Equal(decimal.RequireFromString("0.024")) {
			t.Errorf("2025 rate = %v, %v", r, err)
		}
		if r, err := set.Rate(2021); err != nil || !r.Equal(decimal.RequireFromString("0.0669")) {
			t.Errorf("defaults lost: 2021 = %v, %v", r, err)
		}
		if _, err := set.AverageWage(2021); err != nil {
			t.Error(err)
		}
		stored, err := ls.Stored(ctx)
		if err != nil || len(stored.BookkeepingRates) != 1 || len(stored.AverageWages) != 1 {
			t.Errorf("Stored = %+v, %v", stored, err)
		}
		bad := refdata.Data{BookkeepingRates: []refdata.BookkeepingRate{{Year: 2026, Rate: decimal.RequireFromString("1.5"), Source: "x"}}}
		if _, err := ls.Put(ctx, bad); err == nil {
			t.Error("a rate above 1 must be refused")
		}
	})
}

func TestRowsRoundTrip(t *testing.T) {
	rows, err := refstore.Rows(refdata.Default().Data())
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.Frozen(day)
	ls := refstore.New(storetest.Bolt(t, clk), clk)
	if _, err := ls.Put(t.Context(), refdata.Default().Data()); err != nil {
		t.Fatal(err)
	}
	stored, err := ls.Stored(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	set, err := refdata.New(stored)
	if err != nil {
		t.Fatal(err)
	}
	if set.Version() != refdata.Default().Version() {
		t.Errorf("%d rows stored and read back do not give the defaults", len(rows))
	}
	for _, r := range rows {
		if r.Source == "" && r.Kind != refstore.KindInsuredType {
			t.Errorf("row %s/%s has no source", r.Kind, r.Name)
		}
	}
}
