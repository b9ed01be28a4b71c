package ledger_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/ledger/internal/storetest"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
)

func unitRate(insured, from, to, unit string) refdata.ContributionRate {
	u := decimal.RequireFromString(unit)
	c := refdata.ContributionRate{Insured: insured, From: ym(from), Unit: &u, Source: "test correction " + unit}
	if to != "" {
		c.To = ym(to)
	}
	return c
}

// wantUnitRates checks the employee unit rate in force for each month.
func wantUnitRates(t *testing.T, ls *ledger.Store, want map[string]string) {
	t.Helper()
	set, err := ls.RefData(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for period, w := range want {
		r, err := set.ContributionRates(ym(period), "employee")
		if err != nil || r.Unit.String() != w {
			t.Errorf("unit rate %s = %s, %v; want %s", period, r.Unit, err, w)
		}
	}
}

// TestRefDataLastWriteWins: stored corrections replay in the order they
// were written, so the rate in force afterwards is the one PutRefData's
// check approved, whatever the rows' keys (start months) are.
func TestRefDataLastWriteWins(t *testing.T) {
	want := map[string]string{"202212": "0.16", "202301": "0.15", "202305": "0.15", "202306": "0.15",
		"202309": "0.15", "202312": "0.15", "202401": "0.1", "203001": "0.1"}
	t.Run("two writes", func(t *testing.T) {
		storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
			// The same frozen clock for both writes: the order must hold
			// without the clock moving.
			ls := ledger.NewStore(st, clock.Frozen(day), ledger.WithRefDataTTL(0))
			ctx := t.Context()
			if _, err := ls.PutRefData(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202306", "", "0.10")}}); err != nil {
				t.Fatal(err)
			}
			wantUnitRates(t, ls, map[string]string{"202305": "0.16", "202306": "0.1", "202309": "0.1"})
			if _, err := ls.PutRefData(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202301", "202312", "0.15")}}); err != nil {
				t.Fatal(err)
			}
			wantUnitRates(t, ls, want)
			// A store opened afterwards (another Lambda instance) agrees.
			wantUnitRates(t, ledger.NewStore(st, clock.Frozen(day.Add(-time.Hour))), want)
			// Storing the same correction again changes nothing, also not
			// its place in the order.
			res, err := ls.PutRefData(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202306", "", "0.10")}})
			if err != nil || res != (ledger.SyncResult{Unchanged: 1}) {
				t.Errorf("PutRefData again = %+v, %v", res, err)
			}
			wantUnitRates(t, ls, want)
		})
	})
	t.Run("one write", func(t *testing.T) {
		storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
			// Within one write, the rows apply in the order given (a
			// file's rows in file order).
			ls := ledger.NewStore(st, clock.Frozen(day), ledger.WithRefDataTTL(0))
			if _, err := ls.PutRefData(t.Context(), refdata.Data{ContributionRates: []refdata.ContributionRate{
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
		ls := ledger.NewStore(st, clk, ledger.WithRefDataTTL(0))
		ctx := t.Context()
		for _, c := range []refdata.ContributionRate{
			unitRate("employee", "202301", "202312", "0.15"),
			unitRate("employee", "202306", "", "0.10"),
			unitRate("employee", "202301", "202312", "0.13"), // replaces the first row
		} {
			clk.Advance(time.Second)
			if _, err := ls.PutRefData(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{c}}); err != nil {
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
		rows, err := ledger.RefRows(refdata.Data{ContributionRates: []refdata.ContributionRate{
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
		ls := ledger.NewStore(st, clock.Frozen(day), ledger.WithRefDataTTL(0))
		wantUnitRates(t, ls, map[string]string{"202301": "0.15", "202305": "0.15", "202306": "0.1", "202401": "0.1"})
		if _, err := ls.PutRefData(ctx, refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202201", "202308", "0.12")}}); err != nil {
			t.Fatal(err)
		}
		wantUnitRates(t, ls, map[string]string{"202201": "0.12", "202308": "0.12", "202309": "0.1", "202401": "0.1"})
	})
}
