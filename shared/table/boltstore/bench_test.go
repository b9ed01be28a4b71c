package boltstore_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/table/tabletest"
)

// BenchmarkQuery reads a partition of 200 ledger-like items in one page,
// the shape of a ledger view.
func BenchmarkQuery(b *testing.B) {
	ctx := b.Context()
	s, err := boltstore.Open(filepath.Join(b.TempDir(), "table.db"), clock.Frozen(tabletest.Start))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 200
	ops := make([]table.Op, 0, 100)
	for i := range n {
		it := table.Item{
			table.AttrPK: "LEDGER#PERSON#230102199001011234", table.AttrSK: fmt.Sprintf("ROW#%06d", i),
			table.AttrGSI1PK: "UNIT#91230100MA1234567X", table.AttrGSI1SK: fmt.Sprintf("%06d#230102199001011234", i),
			table.AttrVersion: int64(1), "month": fmt.Sprintf("%04d-%02d", 2000+i/12, 1+i%12), "base": int64(523400 + i),
			"personal": int64(41872), "unit": int64(83744), "kind": "normal", "paid": i%3 == 0, "note": "",
			"rows": []any{map[string]any{"insurance": "pension", "fen": int64(41872)}, map[string]any{"insurance": "medical", "fen": int64(10468)}},
		}
		ops = append(ops, table.Put(it, table.Cond{}))
		if len(ops) == cap(ops) {
			if err := s.TransactWrite(ctx, ops); err != nil {
				b.Fatal(err)
			}
			ops = ops[:0]
		}
	}
	q := table.Query{PK: "LEDGER#PERSON#230102199001011234", Limit: n}
	b.ReportAllocs()
	for b.Loop() {
		page, err := s.Query(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Items) != n {
			b.Fatalf("%d items; want %d", len(page.Items), n)
		}
	}
}
