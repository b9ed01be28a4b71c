package refstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

func rate(year int, r, source string) refdata.Data {
	return refdata.Data{BookkeepingRates: []refdata.BookkeepingRate{{Year: year, Rate: decimal.RequireFromString(r), Status: "national", Source: source}}}
}

// version is what a test compares of a stored version.
type version struct{ Source, By, Reason string }

func versions(rows []refstore.Row) []version {
	out := make([]version, len(rows))
	for i, r := range rows {
		out[i] = version{r.Source, r.By, r.Reason}
	}
	return out
}

// TestHistoryKeepsEveryWrite: each changing write adds a version, written
// with the row and the change's operations; an unchanged write adds
// nothing and writes no operation.
func TestHistoryKeepsEveryWrite(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		clk := clock.Frozen(day)
		ls := refstore.New(st, clk, refstore.WithTTL(0))
		marker := func(n string) []table.Op {
			return []table.Op{table.Put(table.Item{table.AttrPK: "AUDIT#TEST", table.AttrSK: n}, table.IfAbsent())}
		}
		res, err := ls.PutChange(ctx, rate(2025, "0.0240", "人社厅发〔2025〕1号"), refstore.Change{By: "A1", Ops: marker("1")})
		if err != nil || res.Created != 1 {
			t.Fatalf("first write = %+v, %v", res, err)
		}
		clk.Advance(time.Minute)
		if _, err := ls.PutChange(ctx, rate(2025, "0.0250", "人社厅发〔2025〕2号"), refstore.Change{By: "A2", Reason: "更正", Ops: marker("2")}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		res, err = ls.PutChange(ctx, rate(2025, "0.0250", "人社厅发〔2025〕2号"), refstore.Change{By: "A3", Reason: "again", Ops: marker("3")})
		if err != nil || res != (table.SyncResult{Unchanged: 1}) {
			t.Fatalf("unchanged write = %+v, %v", res, err)
		}
		for n, want := range map[string]bool{"1": true, "2": true, "3": false} {
			if _, err := st.Get(ctx, table.Key{PK: "AUDIT#TEST", SK: n}); (err == nil) != want {
				t.Errorf("operation of write %s: written = %v, want %v", n, err == nil, want)
			}
		}
		h, err := ls.History(ctx, refstore.KindBookkeepingRate, "2025")
		if err != nil {
			t.Fatal(err)
		}
		want := []version{{"人社厅发〔2025〕1号", "A1", ""}, {"人社厅发〔2025〕2号", "A2", "更正"}}
		if diff := cmp.Diff(want, versions(h.Versions)); diff != "" || h.Default != nil {
			t.Errorf("history (-want +got):\n%s\ndefault %+v", diff, h.Default)
		}
		if len(h.Versions) == 2 && !h.Versions[1].Time().Equal(day.Add(time.Minute)) {
			t.Errorf("second version at %v, want %v", h.Versions[1].Time(), day.Add(time.Minute))
		}
		// A default has no stored version until one is written.
		h, err = ls.History(ctx, refstore.KindBookkeepingRate, "2021")
		if err != nil || h.Default == nil || len(h.Versions) != 0 || !strings.Contains(h.Default.Data, "0.0669") {
			t.Errorf("history of a default = %+v, %v", h, err)
		}
	})
}

// TestHistoryOfARowWithoutVersions: a row stored before versions were kept
// is its own first version.
func TestHistoryOfARowWithoutVersions(t *testing.T) {
	st := storetest.Bolt(t, clock.Frozen(day))
	ctx := t.Context()
	rows, err := refstore.Rows(rate(2025, "0.0240", "legacy import"))
	if err != nil {
		t.Fatal(err)
	}
	k := rows[0].Key()
	if err := st.Put(ctx, table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "refdata", "Kind": rows[0].Kind, "Name": rows[0].Name,
		"Source": rows[0].Source, "Data": rows[0].Data, table.AttrVersion: int64(1)}, table.IfAbsent()); err != nil {
		t.Fatal(err)
	}
	ls := refstore.New(st, clock.Frozen(day), refstore.WithTTL(0))
	if _, err := ls.PutChange(ctx, rate(2025, "0.0250", "correction"), refstore.Change{By: "A1", Reason: "更正"}); err != nil {
		t.Fatal(err)
	}
	h, err := ls.History(ctx, refstore.KindBookkeepingRate, "2025")
	if err != nil {
		t.Fatal(err)
	}
	// The legacy row was overwritten: only the correction is left, the
	// stored row being that version.
	if diff := cmp.Diff([]version{{"correction", "A1", "更正"}}, versions(h.Versions)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if h, err = ls.History(ctx, refstore.KindBookkeepingRate, "2030"); err != nil || h.Default != nil || len(h.Versions) != 0 {
		t.Errorf("history of nothing = %+v, %v", h, err)
	}
}

// TestInForce: every entry in force says where it comes from, contribution
// rates cut around a stored period included.
func TestInForce(t *testing.T) {
	st := storetest.Bolt(t, clock.Frozen(day))
	ctx := t.Context()
	ls := refstore.New(st, clock.Frozen(day), refstore.WithTTL(0))
	d := rate(2025, "0.0240", "人社厅发〔2025〕1号")
	d.ContributionRates = []refdata.ContributionRate{unitRate("employee", "202301", "202312", "0.15")}
	if _, err := ls.PutChange(ctx, d, refstore.Change{By: "A1"}); err != nil {
		t.Fatal(err)
	}
	f, err := ls.InForce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := ls.Load(ctx)
	if err != nil || f.Set.Version() != loaded.Version() {
		t.Fatalf("InForce and Load disagree: %v", err)
	}
	type got struct {
		From, To, StoredBy string
		Cut                bool
	}
	entries := map[string]got{}
	for _, e := range f.Entries {
		g := got{From: e.From, To: e.To, Cut: e.Cut}
		if e.Stored != nil {
			g.StoredBy = e.Stored.By + "/" + e.Stored.Name
		}
		entries[e.Kind+"/"+e.Name] = g
	}
	want := map[string]got{
		"bookkeeping_rate/2021":             {From: "202101", To: "202112"},
		"bookkeeping_rate/2025":             {From: "202501", To: "202512", StoredBy: "A1/2025"},
		"contribution_rate/employee-202101": {From: "202101", To: "202212", Cut: true},
		"contribution_rate/employee-202301": {From: "202301", To: "202312", StoredBy: "A1/employee-202301"},
		"contribution_rate/employee-202401": {From: "202401", Cut: true},
	}
	for k, w := range want {
		if g, ok := entries[k]; !ok || g != w {
			t.Errorf("%s = %+v (%v), want %+v", k, g, ok, w)
		}
	}
	for _, r := range []struct {
		row  refdata.Data
		want bool
	}{
		{rate(2025, "0.03", "x"), true},
		{rate(2026, "0.03", "x"), false},
		{refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("employee", "202312", "202312", "0.1")}}, true},
		{refdata.Data{ContributionRates: []refdata.ContributionRate{unitRate("flexible", "199001", "199012", "0.1")}}, false},
	} {
		rows, err := refstore.Rows(r.row)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Replaces(rows[0]); got != r.want {
			t.Errorf("Replaces(%s/%s) = %v, want %v", rows[0].Kind, rows[0].Name, got, r.want)
		}
	}
}

// TestInvalidData: data that does not merge is an *InvalidError; nothing
// is written.
func TestInvalidData(t *testing.T) {
	st := storetest.Bolt(t, clock.Frozen(day))
	ls := refstore.New(st, clock.Frozen(day), refstore.WithTTL(0))
	_, err := ls.PutChange(t.Context(), rate(2026, "1.5", "x"), refstore.Change{By: "A1"})
	var inv *refstore.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v, want an *InvalidError", err)
	}
	if h, _ := ls.History(t.Context(), refstore.KindBookkeepingRate, "2026"); len(h.Versions) != 0 {
		t.Errorf("refused data was written: %+v", h)
	}
}
