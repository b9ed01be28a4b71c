package tabletest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// CaseAddNotInteger is the name of the case that checks an add to an
// attribute holding a string is refused with table.ErrInvalid.
const CaseAddNotInteger = "add/not_an_integer"

// CaseAddConcurrent is the name of the case that races adds under a
// maximum from many goroutines.
const CaseAddConcurrent = "add/concurrent"

func addCases() []contractCase {
	return []contractCase{
		{"add/create_and_count", testAddCreateAndCount},
		{"add/max", testAddMax},
		{"add/versioned_writers", testAddVersion},
		{"add/expired_counts_as_absent", testAddExpired},
		{"add/transact", testAddTransact},
		{"add/invalid", testAddInvalid},
		{CaseAddNotInteger, testAddNotInteger},
		{CaseAddConcurrent, testAddConcurrent},
	}
}

func count(n int64) table.Counter { return table.Counter{Add: map[string]int64{"Count": n}} }

func testAddCreateAndCount(t *testing.T, s table.Store, _ *clock.Fixed) {
	c := table.Counter{Add: map[string]int64{"Files": 1, "Bytes": 2048}}
	wantNoErr(t, "Add to absent", s.Add(ctxT(t), item("QUOTA#1", "META", "T", "quota"), c))
	wantItem(t, s, item("QUOTA#1", "META", "T", "quota", "Files", int64(1), "Bytes", int64(2048), table.AttrVersion, int64(1)))

	mustPut(t, s, item("QUOTA#1", "META", "T", "quota", "Files", int64(1), "Bytes", int64(2048), table.AttrVersion, int64(1), "Kept", true))
	c = table.Counter{Add: map[string]int64{"Files": -1, "Bytes": -1000}}
	wantNoErr(t, "Add again", s.Add(ctxT(t), item("QUOTA#1", "META", "T", "quota2"), c))
	wantItem(t, s, item("QUOTA#1", "META", "T", "quota2", "Files", int64(0), "Bytes", int64(1048), table.AttrVersion, int64(2), "Kept", true))

	// A counted attribute the item lacks starts from 0.
	wantNoErr(t, "Add new attribute", s.Add(ctxT(t), item("QUOTA#1", "META"), count(-3)))
	wantItem(t, s, item("QUOTA#1", "META", "T", "quota2", "Files", int64(0), "Bytes", int64(1048), table.AttrVersion, int64(3), "Kept", true, "Count", int64(-3)))
}

func testAddMax(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := item("LIMIT#1", "MIN#1")
	capped := func(n, limit int64) table.Counter {
		return table.Counter{Add: map[string]int64{"Count": n}, Max: map[string]int64{"Count": limit}}
	}
	wantErrIs(t, "Add over the maximum to absent", s.Add(ctxT(t), k, capped(4, 3)), table.ErrConditionFailed)
	wantAbsent(t, s, k.Key())
	for i := range 3 {
		wantNoErr(t, "Add within the maximum", s.Add(ctxT(t), k, capped(1, 3)))
		wantItem(t, s, item("LIMIT#1", "MIN#1", "Count", int64(i+1), table.AttrVersion, int64(i+1)))
	}
	wantErrIs(t, "Add past the maximum", s.Add(ctxT(t), item("LIMIT#1", "MIN#1", "Changed", true), capped(1, 3)), table.ErrConditionFailed)
	wantItem(t, s, item("LIMIT#1", "MIN#1", "Count", int64(3), table.AttrVersion, int64(3)))
	// Two attributes: one past its maximum fails the add.
	two := table.Counter{Add: map[string]int64{"Count": 0, "Bytes": 10}, Max: map[string]int64{"Count": 3, "Bytes": 5}}
	wantErrIs(t, "Add with one attribute past", s.Add(ctxT(t), k, two), table.ErrConditionFailed)
	// A maximum far from int64's ends, and a negative amount, are exact.
	wantNoErr(t, "Add negative under a maximum", s.Add(ctxT(t), k, capped(-10, 9_223_372_036_854_775_807)))
	wantItem(t, s, item("LIMIT#1", "MIN#1", "Count", int64(-7), table.AttrVersion, int64(4)))
	wantErrIs(t, "Add under a negative maximum", s.Add(ctxT(t), k, capped(0, -8)), table.ErrConditionFailed)
}

func testAddVersion(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("Q", "V", table.AttrVersion, int64(4), "Count", int64(10)))
	wantNoErr(t, "Add", s.Add(ctxT(t), item("Q", "V"), count(5)))
	wantItem(t, s, item("Q", "V", table.AttrVersion, int64(5), "Count", int64(15)))
	wantErrIs(t, "Put IfVersion(4) after an add", s.Put(ctxT(t), item("Q", "V"), table.IfVersion(4)), table.ErrConditionFailed)
	wantNoErr(t, "Put IfVersion(5) after an add", s.Put(ctxT(t), item("Q", "V", table.AttrVersion, int64(6)), table.IfVersion(5)))
}

func testAddExpired(t *testing.T, s table.Store, clk *clock.Fixed) {
	now := clk.Now().Unix()
	old := item("THROTTLE#1", "MIN#1", "Count", int64(7), table.AttrTTL, now, table.AttrVersion, int64(7), "Stale", true)
	mustPut(t, s, old)
	wantNoErr(t, "Add over an expired item", s.Add(ctxT(t), item("THROTTLE#1", "MIN#1", table.AttrTTL, now+120), count(1)))
	wantItem(t, s, item("THROTTLE#1", "MIN#1", "Count", int64(1), table.AttrTTL, now+120, table.AttrVersion, int64(1)))

	mustPut(t, s, old)
	err := s.TransactWrite(ctxT(t), []table.Op{
		table.Put(item("OTHER", "X"), table.IfAbsent()),
		table.Add(item("THROTTLE#1", "MIN#1"), table.Counter{Add: map[string]int64{"Count": 2}, Max: map[string]int64{"Count": 2}}),
	})
	wantNoErr(t, "TransactWrite add over an expired item", err)
	wantItem(t, s, item("THROTTLE#1", "MIN#1", "Count", int64(2), table.AttrVersion, int64(1)))
	wantItem(t, s, item("OTHER", "X"))

	// The item's own TTL passing makes the next add start again.
	wantNoErr(t, "Add with TTL", s.Add(ctxT(t), item("THROTTLE#2", "MIN#1", table.AttrTTL, now+60), count(5)))
	clk.Advance(60 * time.Second)
	wantAbsent(t, s, table.Key{PK: "THROTTLE#2", SK: "MIN#1"})
	wantNoErr(t, "Add after the TTL", s.Add(ctxT(t), item("THROTTLE#2", "MIN#1", table.AttrTTL, now+180), count(1)))
	wantItem(t, s, item("THROTTLE#2", "MIN#1", "Count", int64(1), table.AttrTTL, now+180, table.AttrVersion, int64(1)))
}

func testAddTransact(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("APP#1", "META", table.AttrVersion, int64(2)))
	quota := func(files int64) table.Op {
		return table.Add(item("QUOTA#1", "META", "T", "quota"), table.Counter{
			Add: map[string]int64{"Files": files}, Max: map[string]int64{"Files": 2},
		})
	}
	upload := func(n string) table.Op { return table.Put(item("APP#1", "UPLOAD#"+n), table.IfAbsent()) }
	sameApp := table.Check(table.Key{PK: "APP#1", SK: "META"}, table.IfVersion(2))
	for _, n := range []string{"1", "2"} {
		wantNoErr(t, "TransactWrite upload "+n, s.TransactWrite(ctxT(t), []table.Op{quota(1), upload(n), sameApp}))
	}
	wantItem(t, s, item("QUOTA#1", "META", "T", "quota", "Files", int64(2), table.AttrVersion, int64(2)))

	// Past the maximum: the transaction is canceled at the add, nothing written.
	wantTxCanceled(t, s.TransactWrite(ctxT(t), []table.Op{upload("3"), quota(1), sameApp}), 1, table.Key{PK: "QUOTA#1", SK: "META"})
	wantAbsent(t, s, table.Key{PK: "APP#1", SK: "UPLOAD#3"})
	// Another op's condition failing leaves the counter alone.
	stale := table.Check(table.Key{PK: "APP#1", SK: "META"}, table.IfVersion(1))
	wantTxCanceled(t, s.TransactWrite(ctxT(t), []table.Op{quota(-1), stale}), 1, table.Key{PK: "APP#1", SK: "META"})
	wantItem(t, s, item("QUOTA#1", "META", "T", "quota", "Files", int64(2), table.AttrVersion, int64(2)))
	wantNoErr(t, "TransactWrite removal", s.TransactWrite(ctxT(t), []table.Op{quota(-1), table.Delete(table.Key{PK: "APP#1", SK: "UPLOAD#1"}, table.IfExists())}))
	wantItem(t, s, item("QUOTA#1", "META", "T", "quota", "Files", int64(1), table.AttrVersion, int64(3)))
	wantAbsent(t, s, table.Key{PK: "APP#1", SK: "UPLOAD#1"})
}

func testAddInvalid(t *testing.T, s table.Store, _ *clock.Fixed) {
	it := item("Q", "S")
	for _, c := range []struct {
		name string
		it   table.Item
		c    table.Counter
	}{
		{"no amounts", it, table.Counter{}},
		{"empty key", item("Q", ""), count(1)},
		{"item with Version", item("Q", "S", table.AttrVersion, int64(1)), count(1)},
		{"counted key", it, table.Counter{Add: map[string]int64{table.AttrSK: 1}}},
		{"counted TTL", it, table.Counter{Add: map[string]int64{table.AttrTTL: 1}}},
		{"counted Version", it, table.Counter{Add: map[string]int64{table.AttrVersion: 1}}},
		{"counted index key", it, table.Counter{Add: map[string]int64{table.AttrGSI1SK: 1}}},
		{"counted empty name", it, table.Counter{Add: map[string]int64{"": 1}}},
		{"counted and written", item("Q", "S", "Count", int64(1)), count(1)},
		{"maximum of uncounted", it, table.Counter{Add: map[string]int64{"Count": 1}, Max: map[string]int64{"Other": 1}}},
		{"float written", item("Q", "S", "F", 1.5), count(1)},
	} {
		wantErrIs(t, "Add "+c.name, s.Add(ctxT(t), c.it, c.c), table.ErrInvalid)
		err := s.TransactWrite(ctxT(t), []table.Op{table.Put(item("OTHER", "X"), table.Cond{}), table.Add(c.it, c.c)})
		wantErrIs(t, "TransactWrite add "+c.name, err, table.ErrInvalid)
	}
	op := table.Add(it, count(1))
	op.Cond = table.IfExists()
	wantErrIs(t, "TransactWrite add with a condition", s.TransactWrite(ctxT(t), []table.Op{op}), table.ErrInvalid)
	wantAbsent(t, s, it.Key())
	wantAbsent(t, s, table.Key{PK: "OTHER", SK: "X"})
}

func testAddNotInteger(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("Q", "S", "Count", "seven"))
	wantErrIs(t, "Add to a string", s.Add(ctxT(t), item("Q", "S"), count(1)), table.ErrInvalid)
	wantItem(t, s, item("Q", "S", "Count", "seven"))
}

// testAddConcurrent races 8 writers of 25 adds each under a maximum of
// 150: exactly 150 succeed, whatever the interleaving, and the rest fail
// their condition (never another error, never a lost add).
func testAddConcurrent(t *testing.T, s table.Store, _ *clock.Fixed) {
	const writers, each, limit = 8, 25, 150
	c := table.Counter{Add: map[string]int64{"Count": 1}, Max: map[string]int64{"Count": limit}}
	var (
		mu     sync.Mutex
		ok     int
		others []error
		wg     sync.WaitGroup
	)
	for range writers {
		wg.Go(func() {
			for range each {
				err := s.Add(ctxT(t), item("RACE", "COUNTER"), c)
				mu.Lock()
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, table.ErrConditionFailed):
					others = append(others, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(others) > 0 {
		t.Fatalf("%d adds failed otherwise than by their maximum, first: %v", len(others), others[0])
	}
	if ok != limit {
		t.Errorf("%d adds succeeded; want %d", ok, limit)
	}
	wantItem(t, s, item("RACE", "COUNTER", "Count", int64(limit), table.AttrVersion, int64(limit)))
}
