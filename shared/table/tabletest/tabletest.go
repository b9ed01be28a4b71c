// Package tabletest is the contract suite of the table port: every adapter
// of table.Store (boltstore, dynamostore) runs Run from its own tests, so
// the local runner and production agree on what the port means.
//
// The suite pins down, case by case:
//
//   - Get of an absent, present and expired item;
//   - Put and Delete under each condition (none, IfAbsent, IfExists,
//     IfAttrEquals, IfVersion including IfVersion(0) over an absent item);
//   - type-preserving values (string, int64, int and int32 read back as
//     int64, bool, []byte, nested []any and map[string]any, nil) and the
//     refusal of floats and malformed keys with table.ErrInvalid;
//   - TransactWrite of up to table.MaxTransactItems operations, all or
//     nothing, reporting the failed operation's index and key in a
//     *table.TxCanceledError;
//   - Query of the primary index and the sparse GSI1 and GSI2 with every
//     sort-key condition, forwards and backwards, and paging with opaque
//     cursors that visit every item exactly once;
//   - TTL: an item whose TTL (epoch seconds) is at or before the clock's now
//     is absent for Get, Query and conditions;
//   - Add, alone and in transactions: amounts added without a read, the
//     maximums, Version, an expired item counted as absent, the refusal
//     of malformed adds, and racing adds that lose nothing.
//
// Each case gets a fresh store from the adapter's constructor and a frozen
// clock it may move. An adapter that cannot honour a case (because of its
// test double, never because of the adapter itself) skips it by name through
// Options.Skip, with the reason written down.
package tabletest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/contract"
	"github.com/hljhrss/hrss/shared/table"
)

// CaseTransactAllOrNothing is the name of the case that checks a canceled
// transaction wrote nothing. Test doubles without atomic transactions skip it.
const CaseTransactAllOrNothing = "transact/all_or_nothing"

// CasePutIfAttrEqualsOtherType is the name of the case that checks
// IfAttrEquals fails, without error, when the stored attribute has another
// type than the value (DynamoDB's = is false across types).
const CasePutIfAttrEqualsOtherType = "put/if_attr_equals_other_type"

// CaseDeleteAbsentConditionHolds is the name of the case that checks a
// conditional Delete of an absent item succeeds when the condition holds
// for an absent item (IfAbsent, IfVersion(0)).
const CaseDeleteAbsentConditionHolds = "delete/absent_item_condition_holds"

// CaseEmptyCollections is the name of the case that checks empty lists,
// maps and byte slices round-trip as empty, not nil.
const CaseEmptyCollections = "values/empty_collections"

// Options tunes Run for one adapter.
type Options struct {
	// Skip maps a case name (see Cases) to the reason the adapter's test
	// environment cannot run it. The reason must not be empty; an unknown
	// name fails the suite so that a renamed case is not skipped silently.
	Skip map[string]string
}

// Start is the instant every case's frozen clock reads at first.
var Start = time.Date(2024, 3, 1, 9, 0, 0, 0, clock.Shanghai)

type contractCase struct {
	name string
	run  func(t *testing.T, s table.Store, clk *clock.Fixed)
}

// Cases returns the names of the contract cases, in the order Run runs them.
func Cases() []string {
	var names []string
	for _, c := range cases() {
		names = append(names, c.name)
	}
	return names
}

// Run runs every contract case as a subtest named for the case. newStore
// must return an empty store that reads time from clk; it should register
// its own clean-up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T, clk *clock.Fixed) table.Store, opts Options) {
	t.Helper()
	all := cases()
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.name
	}
	contract.Run(t, "tabletest", names, opts.Skip, func(t *testing.T, i int) {
		c := all[i]
		clk := clock.Frozen(Start)
		c.run(t, newStore(t, clk), clk)
	})
}

func cases() []contractCase {
	return append([]contractCase{
		{"get/absent", testGetAbsent},
		{"get/present", testGetPresent},
		{"put/unconditional", testPutUnconditional},
		{"put/if_absent", testPutIfAbsent},
		{"put/if_exists", testPutIfExists},
		{"put/if_attr_equals", testPutIfAttrEquals},
		{CasePutIfAttrEqualsOtherType, testPutIfAttrEqualsOtherType},
		{"put/if_version", testPutIfVersion},
		{"delete/unconditional", testDeleteUnconditional},
		{"delete/if_absent", testDeleteIfAbsent},
		{"delete/if_exists", testDeleteIfExists},
		{"delete/if_attr_equals", testDeleteIfAttrEquals},
		{"delete/if_version", testDeleteIfVersion},
		{CaseDeleteAbsentConditionHolds, testDeleteAbsentConditionHolds},
		{"values/round_trip", testValuesRoundTrip},
		{CaseEmptyCollections, testEmptyCollections},
		{"values/float_refused", testFloatRefused},
		{"values/invalid_item", testInvalidItem},
		{"transact/empty", testTransactEmpty},
		{"transact/mixed_ops", testTransactMixed},
		{"transact/max_items", testTransactMax},
		{"transact/too_many_items", testTransactTooMany},
		{"transact/duplicate_key", testTransactDuplicateKey},
		{"transact/invalid_op", testTransactInvalidOp},
		{"transact/canceled_index", testTransactCanceledIndex},
		{CaseTransactAllOrNothing, testTransactAllOrNothing},
		{"query/primary", func(t *testing.T, s table.Store, _ *clock.Fixed) { testQueryIndex(t, s, table.Primary) }},
		{"query/gsi1", func(t *testing.T, s table.Store, _ *clock.Fixed) { testQueryIndex(t, s, table.GSI1) }},
		{"query/gsi2", func(t *testing.T, s table.Store, _ *clock.Fixed) { testQueryIndex(t, s, table.GSI2) }},
		{"query/paging", testQueryPaging},
		{"query/gsi_equal_keys_paging", testQueryGSIEqualKeys},
		{"query/default_limit", testQueryDefaultLimit},
		{"query/invalid", testQueryInvalid},
		{"ttl/get", testTTLGet},
		{"ttl/query", testTTLQuery},
		{"ttl/conditions", testTTLConditions},
	}, addCases()...)
}

// ---- helpers ----

func ctxT(t *testing.T) context.Context { return t.Context() }

func mustPut(t *testing.T, s table.Store, it table.Item) {
	t.Helper()
	if err := s.Put(ctxT(t), it, table.Cond{}); err != nil {
		t.Fatalf("Put(%v): %v", it.Key(), err)
	}
}

func mustGet(t *testing.T, s table.Store, k table.Key) table.Item {
	t.Helper()
	it, err := s.Get(ctxT(t), k)
	if err != nil {
		t.Fatalf("Get(%v): %v", k, err)
	}
	return it
}

func wantAbsent(t *testing.T, s table.Store, k table.Key) {
	t.Helper()
	if it, err := s.Get(ctxT(t), k); !errors.Is(err, table.ErrNotFound) {
		t.Fatalf("Get(%v) = %v, %v; want ErrNotFound", k, it, err)
	}
}

func wantItem(t *testing.T, s table.Store, want table.Item) {
	t.Helper()
	got := mustGet(t, s, want.Key())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Get(%v) mismatch (-want +got):\n%s", want.Key(), diff)
	}
}

func wantErrIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v; want %v", what, err, target)
	}
}

func wantNoErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func item(pk, sk string, kv ...any) table.Item {
	it := table.Item{table.AttrPK: pk, table.AttrSK: sk}
	for i := 0; i+1 < len(kv); i += 2 {
		it[kv[i].(string)] = kv[i+1]
	}
	return it
}

// ---- get ----

func testGetAbsent(t *testing.T, s table.Store, _ *clock.Fixed) {
	wantAbsent(t, s, table.Key{PK: "APP#1", SK: "META"})
	mustPut(t, s, item("APP#1", "META"))
	for _, k := range []table.Key{{PK: "APP#1", SK: "META2"}, {PK: "APP#2", SK: "META"}, {PK: "APP#", SK: "META"}} {
		wantAbsent(t, s, k)
	}
}

func testGetPresent(t *testing.T, s table.Store, _ *clock.Fixed) {
	it := item("APP#1", "META", "Status", "submitted", "Fen", int64(12345))
	mustPut(t, s, it)
	wantItem(t, s, it)
	other := item("APP#1", "META#2", "Status", "draft")
	mustPut(t, s, other)
	wantItem(t, s, it)
	wantItem(t, s, other)
}

// ---- put ----

func testPutUnconditional(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("P", "S", "a", "1", "b", "2"))
	replaced := item("P", "S", "a", "3")
	mustPut(t, s, replaced)
	wantItem(t, s, replaced) // a put replaces the whole item: b is gone
}

func testPutIfAbsent(t *testing.T, s table.Store, _ *clock.Fixed) {
	first := item("P", "S", "n", int64(1))
	wantNoErr(t, "IfAbsent over absent", s.Put(ctxT(t), first, table.IfAbsent()))
	wantItem(t, s, first)
	err := s.Put(ctxT(t), item("P", "S", "n", int64(2)), table.IfAbsent())
	wantErrIs(t, "IfAbsent over present", err, table.ErrConditionFailed)
	wantItem(t, s, first)
}

func testPutIfExists(t *testing.T, s table.Store, _ *clock.Fixed) {
	err := s.Put(ctxT(t), item("P", "S", "n", int64(1)), table.IfExists())
	wantErrIs(t, "IfExists over absent", err, table.ErrConditionFailed)
	wantAbsent(t, s, table.Key{PK: "P", SK: "S"})
	mustPut(t, s, item("P", "S", "n", int64(1)))
	second := item("P", "S", "n", int64(2))
	wantNoErr(t, "IfExists over present", s.Put(ctxT(t), second, table.IfExists()))
	wantItem(t, s, second)
}

func testPutIfAttrEquals(t *testing.T, s table.Store, _ *clock.Fixed) {
	err := s.Put(ctxT(t), item("P", "S"), table.IfAttrEquals("Status", "draft"))
	wantErrIs(t, "IfAttrEquals over absent", err, table.ErrConditionFailed)
	wantAbsent(t, s, table.Key{PK: "P", SK: "S"})

	cur := item("P", "S", "Status", "draft", "Count", int64(3), "Open", true)
	mustPut(t, s, cur)
	for _, c := range []struct {
		name string
		cond table.Cond
	}{
		{"other string", table.IfAttrEquals("Status", "submitted")},
		{"other int", table.IfAttrEquals("Count", int64(4))},
		{"other bool", table.IfAttrEquals("Open", false)},
		{"missing attribute", table.IfAttrEquals("Missing", "draft")},
	} {
		err := s.Put(ctxT(t), item("P", "S", "Status", "x"), c.cond)
		wantErrIs(t, "IfAttrEquals "+c.name, err, table.ErrConditionFailed)
		wantItem(t, s, cur)
	}
	for i, c := range []table.Cond{
		table.IfAttrEquals("Status", "draft"),
		table.IfAttrEquals("Count", 3), // int compares as int64
		table.IfAttrEquals("Open", true),
	} {
		next := item("P", "S", "Status", "draft", "Count", int64(3), "Open", true, "Step", int64(i))
		wantNoErr(t, fmt.Sprintf("IfAttrEquals match %d", i), s.Put(ctxT(t), next, c))
		wantItem(t, s, next)
	}
}

func testPutIfAttrEqualsOtherType(t *testing.T, s table.Store, _ *clock.Fixed) {
	cur := item("P", "S", "Status", "draft", "Count", int64(3), "Open", true)
	mustPut(t, s, cur)
	for _, c := range []struct {
		name string
		cond table.Cond
	}{
		{"number vs string", table.IfAttrEquals("Count", "3")},
		{"string vs number", table.IfAttrEquals("Status", int64(3))},
		{"bool vs string", table.IfAttrEquals("Open", "true")},
	} {
		err := s.Put(ctxT(t), item("P", "S", "Status", "x"), c.cond)
		wantErrIs(t, "IfAttrEquals "+c.name, err, table.ErrConditionFailed)
		wantItem(t, s, cur)
	}
}

func testPutIfVersion(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	err := s.Put(ctxT(t), item("P", "S", table.AttrVersion, int64(2)), table.IfVersion(1))
	wantErrIs(t, "IfVersion(1) over absent", err, table.ErrConditionFailed)
	wantAbsent(t, s, k)

	v1 := item("P", "S", table.AttrVersion, int64(1))
	wantNoErr(t, "IfVersion(0) over absent", s.Put(ctxT(t), v1, table.IfVersion(0)))
	wantItem(t, s, v1)

	err = s.Put(ctxT(t), item("P", "S", table.AttrVersion, int64(1)), table.IfVersion(0))
	wantErrIs(t, "IfVersion(0) over version 1", err, table.ErrConditionFailed)
	err = s.Put(ctxT(t), item("P", "S", table.AttrVersion, int64(3)), table.IfVersion(2))
	wantErrIs(t, "IfVersion(2) over version 1", err, table.ErrConditionFailed)
	wantItem(t, s, v1)

	v2 := item("P", "S", table.AttrVersion, int64(2), "x", "y")
	wantNoErr(t, "IfVersion(1) over version 1", s.Put(ctxT(t), v2, table.IfVersion(1)))
	wantItem(t, s, v2)
	err = s.Put(ctxT(t), item("P", "S", table.AttrVersion, int64(2)), table.IfVersion(1))
	wantErrIs(t, "stale IfVersion(1) over version 2", err, table.ErrConditionFailed)
	wantItem(t, s, v2)

	// An existing item without Version counts as version 0.
	plain := item("P", "T", "x", "y")
	mustPut(t, s, plain)
	err = s.Put(ctxT(t), item("P", "T", table.AttrVersion, int64(2)), table.IfVersion(1))
	wantErrIs(t, "IfVersion(1) over unversioned", err, table.ErrConditionFailed)
	versioned := item("P", "T", table.AttrVersion, int64(1))
	wantNoErr(t, "IfVersion(0) over unversioned", s.Put(ctxT(t), versioned, table.IfVersion(0)))
	wantItem(t, s, versioned)
}

// ---- delete ----

func testDeleteUnconditional(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	wantNoErr(t, "Delete absent", s.Delete(ctxT(t), k, table.Cond{}))
	mustPut(t, s, item("P", "S"))
	keep := item("P", "S2")
	mustPut(t, s, keep)
	wantNoErr(t, "Delete present", s.Delete(ctxT(t), k, table.Cond{}))
	wantAbsent(t, s, k)
	wantItem(t, s, keep)
}

func testDeleteIfAbsent(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	it := item("P", "S")
	mustPut(t, s, it)
	wantErrIs(t, "Delete IfAbsent present", s.Delete(ctxT(t), k, table.IfAbsent()), table.ErrConditionFailed)
	wantItem(t, s, it)
}

func testDeleteAbsentConditionHolds(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	wantNoErr(t, "Delete IfAbsent absent", s.Delete(ctxT(t), k, table.IfAbsent()))
	wantNoErr(t, "Delete IfVersion(0) absent", s.Delete(ctxT(t), k, table.IfVersion(0)))
	mustPut(t, s, item("P", "OTHER", table.AttrVersion, int64(1)))
	wantNoErr(t, "Delete IfAbsent absent beside another item", s.Delete(ctxT(t), k, table.IfAbsent()))
	wantNoErr(t, "Delete IfVersion(0) absent beside another item", s.Delete(ctxT(t), k, table.IfVersion(0)))
	wantAbsent(t, s, k)
}

func testDeleteIfExists(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	wantErrIs(t, "Delete IfExists absent", s.Delete(ctxT(t), k, table.IfExists()), table.ErrConditionFailed)
	mustPut(t, s, item("P", "S"))
	wantNoErr(t, "Delete IfExists present", s.Delete(ctxT(t), k, table.IfExists()))
	wantAbsent(t, s, k)
}

func testDeleteIfAttrEquals(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	wantErrIs(t, "Delete IfAttrEquals absent", s.Delete(ctxT(t), k, table.IfAttrEquals("Status", "draft")), table.ErrConditionFailed)
	it := item("P", "S", "Status", "draft")
	mustPut(t, s, it)
	wantErrIs(t, "Delete IfAttrEquals mismatch", s.Delete(ctxT(t), k, table.IfAttrEquals("Status", "submitted")), table.ErrConditionFailed)
	wantItem(t, s, it)
	wantNoErr(t, "Delete IfAttrEquals match", s.Delete(ctxT(t), k, table.IfAttrEquals("Status", "draft")))
	wantAbsent(t, s, k)
}

func testDeleteIfVersion(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	wantErrIs(t, "Delete IfVersion(1) absent", s.Delete(ctxT(t), k, table.IfVersion(1)), table.ErrConditionFailed)
	it := item("P", "S", table.AttrVersion, int64(4))
	mustPut(t, s, it)
	wantErrIs(t, "Delete IfVersion(3)", s.Delete(ctxT(t), k, table.IfVersion(3)), table.ErrConditionFailed)
	wantErrIs(t, "Delete IfVersion(0)", s.Delete(ctxT(t), k, table.IfVersion(0)), table.ErrConditionFailed)
	wantItem(t, s, it)
	wantNoErr(t, "Delete IfVersion(4)", s.Delete(ctxT(t), k, table.IfVersion(4)))
	wantAbsent(t, s, k)
}

// ---- values ----

func testValuesRoundTrip(t *testing.T, s table.Store, _ *clock.Fixed) {
	in := table.Item{
		table.AttrPK: "PERSON#230827",
		table.AttrSK: "PROFILE",
		"GSI1PK":     "NAME#张三",
		"GSI1SK":     "2024-03-01T09:00:00+08:00",
		"name":       "张三 Zhang San",
		"fen":        int64(-9007199254740993), // not representable as float64
		"max":        int64(math.MaxInt64),
		"min":        int64(math.MinInt64),
		"zero":       int64(0),
		"int":        42,
		"int32":      int32(-7),
		"yes":        true,
		"no":         false,
		"bytes":      []byte{0, 1, 2, 0xfe, 0xff},
		"nil":        nil,
		"list": []any{
			"a", 1, int64(2), true, []byte{9}, nil,
			[]any{"nested", int32(3)},
			map[string]any{"k": "v", "n": 5},
		},
		"map": map[string]any{
			"s":    "值",
			"n":    int64(1 << 62),
			"b":    false,
			"nil":  nil,
			"list": []any{int64(7), "x"},
			"deep": map[string]any{"l": []any{"x"}, "m": map[string]any{"y": int64(1)}},
		},
	}
	want := table.Item{
		table.AttrPK: "PERSON#230827",
		table.AttrSK: "PROFILE",
		"GSI1PK":     "NAME#张三",
		"GSI1SK":     "2024-03-01T09:00:00+08:00",
		"name":       "张三 Zhang San",
		"fen":        int64(-9007199254740993),
		"max":        int64(math.MaxInt64),
		"min":        int64(math.MinInt64),
		"zero":       int64(0),
		"int":        int64(42),
		"int32":      int64(-7),
		"yes":        true,
		"no":         false,
		"bytes":      []byte{0, 1, 2, 0xfe, 0xff},
		"nil":        nil,
		"list": []any{
			"a", int64(1), int64(2), true, []byte{9}, nil,
			[]any{"nested", int64(3)},
			map[string]any{"k": "v", "n": int64(5)},
		},
		"map": map[string]any{
			"s":    "值",
			"n":    int64(1 << 62),
			"b":    false,
			"nil":  nil,
			"list": []any{int64(7), "x"},
			"deep": map[string]any{"l": []any{"x"}, "m": map[string]any{"y": int64(1)}},
		},
	}
	wantNoErr(t, "Put", s.Put(ctxT(t), in, table.IfAbsent()))
	wantItem(t, s, want)

	for _, q := range []table.Query{
		{PK: "PERSON#230827"},
		{Index: table.GSI1, PK: "NAME#张三"},
	} {
		page, err := s.Query(ctxT(t), q)
		wantNoErr(t, "Query "+q.Index, err)
		if diff := cmp.Diff([]table.Item{want}, page.Items); diff != "" {
			t.Errorf("Query(%q) mismatch (-want +got):\n%s", q.Index, diff)
		}
	}

	// The caller's item is not kept by reference.
	in["name"] = "changed"
	in["list"].([]any)[0] = "changed"
	wantItem(t, s, want)
	// Nor is the returned one.
	got := mustGet(t, s, want.Key())
	got["name"] = "changed"
	got["map"].(map[string]any)["s"] = "changed"
	wantItem(t, s, want)
}

func testEmptyCollections(t *testing.T, s table.Store, _ *clock.Fixed) {
	in := item("P", "S",
		"list", []any{},
		"map", map[string]any{},
		"bytes", []byte{},
		"nested", map[string]any{"l": []any{[]any{}}, "m": map[string]any{"m": map[string]any{}}},
	)
	mustPut(t, s, in)
	wantItem(t, s, in)
}

func testFloatRefused(t *testing.T, s table.Store, _ *clock.Fixed) {
	bad := []struct {
		name string
		v    any
	}{
		{"float64", 1.5},
		{"float32", float32(2)},
		{"float in list", []any{int64(1), 0.1}},
		{"float in map", map[string]any{"rate": 0.06}},
		{"float deep", map[string]any{"l": []any{map[string]any{"x": 1e3}}}},
	}
	k := table.Key{PK: "P", SK: "S"}
	for _, b := range bad {
		err := s.Put(ctxT(t), item("P", "S", "v", b.v), table.Cond{})
		wantErrIs(t, "Put "+b.name, err, table.ErrInvalid)
		err = s.TransactWrite(ctxT(t), []table.Op{table.Put(item("P", "S", "v", b.v), table.Cond{})})
		wantErrIs(t, "TransactWrite "+b.name, err, table.ErrInvalid)
		wantAbsent(t, s, k)
	}
	mustPut(t, s, item("P", "S", "rate", "0.06"))
	err := s.Put(ctxT(t), item("P", "S"), table.IfAttrEquals("rate", 0.06))
	wantErrIs(t, "IfAttrEquals float", err, table.ErrInvalid)
	err = s.Delete(ctxT(t), k, table.IfAttrEquals("rate", 0.06))
	wantErrIs(t, "Delete IfAttrEquals float", err, table.ErrInvalid)
	wantItem(t, s, item("P", "S", "rate", "0.06"))
}

func testInvalidItem(t *testing.T, s table.Store, _ *clock.Fixed) {
	bad := []table.Item{
		{table.AttrSK: "S"},
		{table.AttrPK: "P"},
		{table.AttrPK: "", table.AttrSK: "S"},
		{table.AttrPK: "P", table.AttrSK: ""},
		{table.AttrPK: int64(1), table.AttrSK: "S"},
		{table.AttrPK: "P", table.AttrSK: []byte("S")},
	}
	for i, it := range bad {
		wantErrIs(t, fmt.Sprintf("Put bad key %d", i), s.Put(ctxT(t), it, table.Cond{}), table.ErrInvalid)
	}
	for i, k := range []table.Key{{PK: "", SK: "S"}, {PK: "P", SK: ""}} {
		_, err := s.Get(ctxT(t), k)
		wantErrIs(t, fmt.Sprintf("Get bad key %d", i), err, table.ErrInvalid)
		wantErrIs(t, fmt.Sprintf("Delete bad key %d", i), s.Delete(ctxT(t), k, table.Cond{}), table.ErrInvalid)
	}
	// Index key attributes are strings when present.
	err := s.Put(ctxT(t), item("P", "S", table.AttrGSI1PK, int64(1), table.AttrGSI1SK, "x"), table.Cond{})
	wantErrIs(t, "Put numeric GSI1PK", err, table.ErrInvalid)
	err = s.Put(ctxT(t), item("P", "S", table.AttrGSI2PK, "Q", table.AttrGSI2SK, ""), table.Cond{})
	wantErrIs(t, "Put empty GSI2SK", err, table.ErrInvalid)
	err = s.Put(ctxT(t), item("P", "S", table.AttrTTL, "1700000000"), table.Cond{})
	wantErrIs(t, "Put string TTL", err, table.ErrInvalid)
	err = s.Put(ctxT(t), item("P", "S", "", "x"), table.Cond{})
	wantErrIs(t, "Put empty attribute name", err, table.ErrInvalid)
	err = s.Put(ctxT(t), item("P", "S", "ch", make(chan int)), table.Cond{})
	wantErrIs(t, "Put unsupported type", err, table.ErrInvalid)
	wantAbsent(t, s, table.Key{PK: "P", SK: "S"})
}

// ---- transactions ----

func testTransactEmpty(t *testing.T, s table.Store, _ *clock.Fixed) {
	wantNoErr(t, "TransactWrite(nil)", s.TransactWrite(ctxT(t), nil))
}

func testTransactMixed(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("APP#1", "META", table.AttrVersion, int64(1), "Status", "submitted"))
	mustPut(t, s, item("APP#1", "DRAFT"))
	mustPut(t, s, item("ACCOUNT#9", "PROFILE", "Status", "active"))
	next := item("APP#1", "META", table.AttrVersion, int64(2), "Status", "approved")
	audit := item("APP#1", "AUDIT#0001", "Action", "approve")
	err := s.TransactWrite(ctxT(t), []table.Op{
		table.Put(next, table.IfVersion(1)),
		table.Put(audit, table.IfAbsent()),
		table.Delete(table.Key{PK: "APP#1", SK: "DRAFT"}, table.IfExists()),
		table.Check(table.Key{PK: "ACCOUNT#9", SK: "PROFILE"}, table.IfAttrEquals("Status", "active")),
		table.Delete(table.Key{PK: "APP#1", SK: "NEVER"}, table.Cond{}),
	})
	wantNoErr(t, "TransactWrite", err)
	wantItem(t, s, next)
	wantItem(t, s, audit)
	wantAbsent(t, s, table.Key{PK: "APP#1", SK: "DRAFT"})
	wantItem(t, s, item("ACCOUNT#9", "PROFILE", "Status", "active"))
}

func testTransactMax(t *testing.T, s table.Store, _ *clock.Fixed) {
	var ops []table.Op
	var want []table.Item
	for i := range table.MaxTransactItems {
		it := item("BATCH", fmt.Sprintf("ROW#%03d", i), "n", int64(i))
		ops = append(ops, table.Put(it, table.IfAbsent()))
		want = append(want, it)
	}
	wantNoErr(t, "TransactWrite 100", s.TransactWrite(ctxT(t), ops))
	got := queryAll(t, s, table.Query{PK: "BATCH", Limit: table.MaxTransactItems})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("after TransactWrite (-want +got):\n%s", diff)
	}
}

func testTransactTooMany(t *testing.T, s table.Store, _ *clock.Fixed) {
	var ops []table.Op
	for i := range table.MaxTransactItems + 1 {
		ops = append(ops, table.Put(item("BATCH", fmt.Sprintf("ROW#%03d", i)), table.Cond{}))
	}
	wantErrIs(t, "TransactWrite 101", s.TransactWrite(ctxT(t), ops), table.ErrInvalid)
	if got := queryAll(t, s, table.Query{PK: "BATCH"}); len(got) != 0 {
		t.Fatalf("TransactWrite 101 wrote %d items", len(got))
	}
}

func testTransactDuplicateKey(t *testing.T, s table.Store, _ *clock.Fixed) {
	err := s.TransactWrite(ctxT(t), []table.Op{
		table.Put(item("P", "S", "n", int64(1)), table.Cond{}),
		table.Check(table.Key{PK: "P", SK: "S"}, table.IfAbsent()),
	})
	wantErrIs(t, "TransactWrite duplicate key", err, table.ErrInvalid)
	wantAbsent(t, s, table.Key{PK: "P", SK: "S"})
}

func testTransactInvalidOp(t *testing.T, s table.Store, _ *clock.Fixed) {
	k := table.Key{PK: "P", SK: "S"}
	for _, c := range []struct {
		name string
		op   table.Op
	}{
		{"check without condition", table.Check(k, table.Cond{})},
		{"unknown op kind", table.Op{Kind: table.OpKind(99), Key: k}},
		{"unknown condition kind", table.Put(item("P", "S"), table.Cond{Kind: table.CondKind(99)})},
		{"attribute condition without attribute", table.Put(item("P", "S"), table.IfAttrEquals("", "x"))},
		{"delete with empty key", table.Delete(table.Key{PK: "P"}, table.Cond{})},
	} {
		err := s.TransactWrite(ctxT(t), []table.Op{table.Put(item("OTHER", "X"), table.Cond{}), c.op})
		wantErrIs(t, "TransactWrite "+c.name, err, table.ErrInvalid)
		wantAbsent(t, s, table.Key{PK: "OTHER", SK: "X"})
	}
}

func wantTxCanceled(t *testing.T, err error, index int, k table.Key) {
	t.Helper()
	var tx *table.TxCanceledError
	if !errors.As(err, &tx) {
		t.Fatalf("err = %v; want *table.TxCanceledError", err)
	}
	if !errors.Is(err, table.ErrConditionFailed) {
		t.Errorf("errors.Is(%v, ErrConditionFailed) = false", err)
	}
	if diff := cmp.Diff(struct {
		Index int
		Key   table.Key
	}{index, k}, struct {
		Index int
		Key   table.Key
	}{tx.Index, tx.Key}); diff != "" {
		t.Errorf("TxCanceledError mismatch (-want +got):\n%s", diff)
	}
	if tx.Reason == "" {
		t.Errorf("TxCanceledError.Reason is empty")
	}
}

func testTransactCanceledIndex(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("P", "EXISTS", table.AttrVersion, int64(3), "Status", "draft"))
	okOps := func(n int) []table.Op {
		var ops []table.Op
		for i := range n {
			ops = append(ops, table.Put(item("Q", fmt.Sprintf("OK#%d", i)), table.Cond{}))
		}
		return ops
	}
	exists := table.Key{PK: "P", SK: "EXISTS"}
	absent := table.Key{PK: "P", SK: "ABSENT"}
	for _, c := range []struct {
		name  string
		index int
		op    table.Op
	}{
		{"put if absent", 0, table.Put(item("P", "EXISTS"), table.IfAbsent())},
		{"put if version", 2, table.Put(item("P", "EXISTS", table.AttrVersion, int64(3)), table.IfVersion(2))},
		{"put if exists", 1, table.Put(item("P", "ABSENT"), table.IfExists())},
		{"delete if exists", 3, table.Delete(absent, table.IfExists())},
		{"delete if attr", 1, table.Delete(exists, table.IfAttrEquals("Status", "approved"))},
		{"check if exists", 4, table.Check(absent, table.IfExists())},
		{"check if absent", 2, table.Check(exists, table.IfAbsent())},
		{"check if version", 0, table.Check(exists, table.IfVersion(0))},
	} {
		t.Run(c.name, func(t *testing.T) {
			ops := okOps(c.index)
			ops = append(ops, c.op)
			ops = append(ops, table.Put(item("Q", "AFTER"), table.Cond{}))
			wantTxCanceled(t, s.TransactWrite(ctxT(t), ops), c.index, c.op.Key)
			wantItem(t, s, item("P", "EXISTS", table.AttrVersion, int64(3), "Status", "draft"))
			wantAbsent(t, s, absent)
		})
	}
	// The first failing op is reported even when a later one fails too.
	err := s.TransactWrite(ctxT(t), []table.Op{
		table.Put(item("Q", "X"), table.Cond{}),
		table.Check(absent, table.IfExists()),
		table.Check(exists, table.IfAbsent()),
	})
	wantTxCanceled(t, err, 1, absent)
}

func testTransactAllOrNothing(t *testing.T, s table.Store, _ *clock.Fixed) {
	before := []table.Item{
		item("APP#1", "META", table.AttrVersion, int64(1), "Status", "submitted",
			table.AttrGSI2PK, "QUEUE", table.AttrGSI2SK, "PENDING#1"),
		item("APP#1", "DRAFT", "x", "y", table.AttrGSI1PK, "USER#1", table.AttrGSI1SK, "DRAFT"),
		item("APP#1", "AUDIT#0001", "Action", "submit", table.AttrVersion, int64(5)),
	}
	for _, it := range before {
		mustPut(t, s, it)
	}
	failingKey := table.Key{PK: "APP#1", SK: "AUDIT#0001"}
	for _, c := range []struct {
		name    string
		failing table.Op
	}{
		{"failing put", table.Put(item("APP#1", "AUDIT#0001", "Action", "overwrite"), table.IfAbsent())},
		{"failing delete", table.Delete(failingKey, table.IfVersion(4))},
		{"failing check", table.Check(failingKey, table.IfAttrEquals("Action", "approve"))},
	} {
		t.Run(c.name, func(t *testing.T) {
			ops := []table.Op{
				table.Put(item("APP#1", "META", table.AttrVersion, int64(2), "Status", "approved",
					table.AttrGSI2PK, "QUEUE", table.AttrGSI2SK, "DONE#1"), table.IfVersion(1)),
				table.Delete(table.Key{PK: "APP#1", SK: "DRAFT"}, table.IfExists()),
				table.Put(item("APP#1", "AUDIT#0002", "Action", "approve", table.AttrGSI1PK, "G", table.AttrGSI1SK, "1"), table.IfAbsent()),
			}
			for i := range 50 {
				ops = append(ops, table.Put(item("APP#2", fmt.Sprintf("ROW#%02d", i)), table.IfAbsent()))
			}
			ops = append(ops, c.failing, table.Put(item("APP#3", "META"), table.Cond{}))

			wantTxCanceled(t, s.TransactWrite(ctxT(t), ops), len(ops)-2, failingKey)
			for _, it := range before {
				wantItem(t, s, it)
			}
			for _, q := range []table.Query{
				{PK: "APP#2"}, {PK: "APP#3"},
				{Index: table.GSI1, PK: "G"},
				{Index: table.GSI2, PK: "QUEUE", SK: table.SKCond{Op: table.SKBeginsWith, Value: "DONE"}},
			} {
				if got := queryAll(t, s, q); len(got) != 0 {
					t.Errorf("canceled transaction left %d items in %s %s", len(got), indexName(q.Index), q.PK)
				}
			}
			wantQuery := func(q table.Query, want ...table.Item) {
				t.Helper()
				if diff := cmp.Diff(want, queryAll(t, s, q)); diff != "" {
					t.Errorf("Query(%+v) after canceled transaction (-want +got):\n%s", q, diff)
				}
			}
			wantQuery(table.Query{PK: "APP#1"}, before[2], before[1], before[0])
			wantQuery(table.Query{Index: table.GSI1, PK: "USER#1"}, before[1])
			wantQuery(table.Query{Index: table.GSI2, PK: "QUEUE"}, before[0])
		})
	}
}

// ---- queries ----

// sortKeys are the sort-key values every query dataset uses: ASCII order,
// prefixes of one another, and multi-byte UTF-8 that sorts after ASCII by
// byte order.
var sortKeys = []string{
	"2024-01-05#APP#3",
	"2024-01-05#APP#10",
	"2024-02",
	"2024-02-01#APP#7",
	"2024-02-29#APP#1",
	"2024-03-01#APP#2",
	"A",
	"APP",
	"APP#",
	"APQ",
	"B",
	"a",
	"z",
	"~",
	"é",
	"日本",
}

type indexAttrs struct{ pk, sk string }

func attrsOf(index string) indexAttrs {
	switch index {
	case table.GSI1:
		return indexAttrs{table.AttrGSI1PK, table.AttrGSI1SK}
	case table.GSI2:
		return indexAttrs{table.AttrGSI2PK, table.AttrGSI2SK}
	}
	return indexAttrs{table.AttrPK, table.AttrSK}
}

// queryDataset returns items that fill partition "X" of the primary index,
// of GSI1 and of GSI2 with sortKeys, together with neighbours that must not
// show up: other partitions whose names share a prefix, and items that have
// only one of an index's key attributes.
func queryDataset() []table.Item {
	var items []table.Item
	for i, sk := range sortKeys {
		items = append(items,
			item("X", sk, "n", int64(i)),
			item("X#", sk),
			item("XX", sk),
			item(fmt.Sprintf("G1#%02d", i), "ROW", table.AttrGSI1PK, "X", table.AttrGSI1SK, sk, "n", int64(i)),
			item(fmt.Sprintf("G2#%02d", i), "ROW", table.AttrGSI2PK, "X", table.AttrGSI2SK, sk, "n", int64(i)),
			item(fmt.Sprintf("G12#%02d", i), "ROW",
				table.AttrGSI1PK, "X#", table.AttrGSI1SK, sk,
				table.AttrGSI2PK, "XX", table.AttrGSI2SK, sk),
		)
	}
	items = append(items,
		item("SPARSE#1", "ROW", table.AttrGSI1PK, "X"),
		item("SPARSE#2", "ROW", table.AttrGSI1SK, "A"),
		item("SPARSE#3", "ROW", table.AttrGSI2PK, "X"),
		item("SPARSE#4", "ROW", table.AttrGSI2SK, "A"),
		item("SPARSE#5", "ROW", "n", int64(1)),
	)
	return items
}

func putAll(t *testing.T, s table.Store, items []table.Item) {
	t.Helper()
	for i := 0; i < len(items); i += table.MaxTransactItems {
		var ops []table.Op
		for _, it := range items[i:min(i+table.MaxTransactItems, len(items))] {
			ops = append(ops, table.Put(it, table.Cond{}))
		}
		if err := s.TransactWrite(ctxT(t), ops); err != nil {
			t.Fatalf("TransactWrite: %v", err)
		}
	}
}

// expect is the reference implementation of Query over items: the matching
// items in index order, ties on the index sort key broken by primary key.
func expect(items []table.Item, q table.Query) []table.Item {
	a := attrsOf(q.Index)
	var out []table.Item
	for _, it := range items {
		pk, okp := it[a.pk].(string)
		sk, oks := it[a.sk].(string)
		if !okp || !oks || pk != q.PK || !skMatches(q.SK, sk) {
			continue
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(x, y table.Item) int {
		return cmpItems(a, x, y)
	})
	if q.Backward {
		slices.Reverse(out)
	}
	return out
}

func cmpItems(a indexAttrs, x, y table.Item) int {
	if c := strings.Compare(x.String(a.sk), y.String(a.sk)); c != 0 {
		return c
	}
	if c := strings.Compare(x.String(table.AttrPK), y.String(table.AttrPK)); c != 0 {
		return c
	}
	return strings.Compare(x.String(table.AttrSK), y.String(table.AttrSK))
}

func skMatches(c table.SKCond, sk string) bool {
	switch c.Op {
	case table.SKAny:
		return true
	case table.SKEq:
		return sk == c.Value
	case table.SKBeginsWith:
		return strings.HasPrefix(sk, c.Value)
	case table.SKBetween:
		return c.Value <= sk && sk <= c.Value2
	case table.SKLt:
		return sk < c.Value
	case table.SKLe:
		return sk <= c.Value
	case table.SKGt:
		return sk > c.Value
	case table.SKGe:
		return sk >= c.Value
	}
	panic(fmt.Sprintf("unknown SKOp %d", c.Op))
}

type skCase struct {
	name string
	cond table.SKCond
}

var skCases = []skCase{
	{"any", table.SKCond{}},
	{"eq", table.SKCond{Op: table.SKEq, Value: "APP"}},
	{"eq_none", table.SKCond{Op: table.SKEq, Value: "AP"}},
	{"begins_with", table.SKCond{Op: table.SKBeginsWith, Value: "APP"}},
	{"begins_with_date", table.SKCond{Op: table.SKBeginsWith, Value: "2024-02"}},
	{"begins_with_utf8", table.SKCond{Op: table.SKBeginsWith, Value: "日"}},
	{"between", table.SKCond{Op: table.SKBetween, Value: "2024-02", Value2: "2024-03-01#APP#2"}},
	{"between_equal_bounds", table.SKCond{Op: table.SKBetween, Value: "APQ", Value2: "APQ"}},
	{"lt", table.SKCond{Op: table.SKLt, Value: "APP#"}},
	{"le", table.SKCond{Op: table.SKLe, Value: "APP#"}},
	{"gt", table.SKCond{Op: table.SKGt, Value: "z"}},
	{"ge", table.SKCond{Op: table.SKGe, Value: "z"}},
	{"gt_none", table.SKCond{Op: table.SKGt, Value: "日本"}},
}

// queryAll follows cursors to the end, checking the paging contract: every
// page but the last is full, and the last page may be short or empty.
func queryAll(t *testing.T, s table.Store, q table.Query) []table.Item {
	t.Helper()
	limit := q.Limit
	if limit == 0 {
		limit = table.DefaultLimit
	}
	var all []table.Item
	for range 1000 {
		page, err := s.Query(ctxT(t), q)
		if err != nil {
			t.Fatalf("Query(%+v): %v", q, err)
		}
		if len(page.Items) > limit {
			t.Fatalf("Query(%+v) returned %d items; limit %d", q, len(page.Items), limit)
		}
		all = append(all, page.Items...)
		if page.Cursor == "" {
			return all
		}
		if len(page.Items) != limit {
			t.Fatalf("Query(%+v) returned a short page (%d of %d items) with a cursor", q, len(page.Items), limit)
		}
		q.Cursor = page.Cursor
	}
	t.Fatalf("Query(%+v): more than 1000 pages", q)
	return nil
}

func testQueryIndex(t *testing.T, s table.Store, index string) {
	items := queryDataset()
	putAll(t, s, items)
	for _, c := range skCases {
		for _, backward := range []bool{false, true} {
			dir := "forward"
			if backward {
				dir = "backward"
			}
			t.Run(c.name+"/"+dir, func(t *testing.T) {
				q := table.Query{Index: index, PK: "X", SK: c.cond, Backward: backward}
				want := expect(items, q)
				page, err := s.Query(ctxT(t), q)
				wantNoErr(t, "Query", err)
				if diff := cmp.Diff(want, page.Items); diff != "" {
					t.Errorf("Query(%+v) mismatch (-want +got):\n%s", q, diff)
				}
				if page.Cursor != "" {
					t.Errorf("Query(%+v) cursor = %q with %d of %d items; want none", q, page.Cursor, len(page.Items), table.DefaultLimit)
				}
			})
		}
	}
}

func testQueryPaging(t *testing.T, s table.Store, _ *clock.Fixed) {
	items := queryDataset()
	putAll(t, s, items)
	for _, index := range []string{table.Primary, table.GSI1, table.GSI2} {
		for _, c := range []skCase{skCases[0], skCases[3], skCases[6], skCases[9], skCases[11]} {
			for _, limit := range []int{1, 2, 3, 5, len(sortKeys), len(sortKeys) + 1} {
				for _, backward := range []bool{false, true} {
					q := table.Query{Index: index, PK: "X", SK: c.cond, Limit: limit, Backward: backward}
					name := fmt.Sprintf("%s/%s/limit_%d/backward_%t", indexName(index), c.name, limit, backward)
					t.Run(name, func(t *testing.T) {
						want := expect(items, q)
						got := queryAll(t, s, q)
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("paged Query(%+v) mismatch (-want +got):\n%s", q, diff)
						}
					})
				}
			}
		}
	}
}

func testQueryGSIEqualKeys(t *testing.T, s table.Store, _ *clock.Fixed) {
	var items []table.Item
	for i := range 9 {
		// Three items share each GSI sort key: DynamoDB does not order
		// them, so the contract is only that paging sees each exactly once.
		sk := fmt.Sprintf("PENDING#%d", i/3)
		items = append(items, item(fmt.Sprintf("APP#%d", 8-i), "META",
			table.AttrGSI1PK, "QUEUE", table.AttrGSI1SK, sk,
			table.AttrGSI2PK, "QUEUE", table.AttrGSI2SK, sk))
	}
	putAll(t, s, items)
	for _, index := range []string{table.GSI1, table.GSI2} {
		a := attrsOf(index)
		for _, limit := range []int{1, 2, 4} {
			for _, backward := range []bool{false, true} {
				q := table.Query{Index: index, PK: "QUEUE", Limit: limit, Backward: backward}
				t.Run(fmt.Sprintf("%s/limit_%d/backward_%t", index, limit, backward), func(t *testing.T) {
					got := queryAll(t, s, q)
					for i := 1; i < len(got); i++ {
						c := strings.Compare(got[i-1].String(a.sk), got[i].String(a.sk))
						if (!backward && c > 0) || (backward && c < 0) {
							t.Errorf("items %d and %d out of order: %q, %q", i-1, i, got[i-1].String(a.sk), got[i].String(a.sk))
						}
					}
					sortByKey := func(x, y table.Item) int { return cmpItems(indexAttrs{table.AttrPK, table.AttrSK}, x, y) }
					slices.SortFunc(got, sortByKey)
					want := slices.Clone(items)
					slices.SortFunc(want, sortByKey)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("paged Query(%+v) did not see every item once (-want +got):\n%s", q, diff)
					}
				})
			}
		}
	}
}

func testQueryDefaultLimit(t *testing.T, s table.Store, _ *clock.Fixed) {
	var items []table.Item
	for i := range table.DefaultLimit + 5 {
		items = append(items, item("LEDGER#1", fmt.Sprintf("MONTH#%04d", i), "fen", int64(i)))
	}
	putAll(t, s, items)
	page, err := s.Query(ctxT(t), table.Query{PK: "LEDGER#1"})
	wantNoErr(t, "Query", err)
	if len(page.Items) != table.DefaultLimit || page.Cursor == "" {
		t.Fatalf("first page: %d items, cursor %q; want %d items and a cursor", len(page.Items), page.Cursor, table.DefaultLimit)
	}
	next, err := s.Query(ctxT(t), table.Query{PK: "LEDGER#1", Cursor: page.Cursor})
	wantNoErr(t, "Query page 2", err)
	if diff := cmp.Diff(items, append(page.Items, next.Items...)); diff != "" {
		t.Errorf("two pages mismatch (-want +got):\n%s", diff)
	}
	if next.Cursor != "" {
		t.Errorf("second page cursor = %q; want none", next.Cursor)
	}
}

func testQueryInvalid(t *testing.T, s table.Store, _ *clock.Fixed) {
	mustPut(t, s, item("P", "S"))
	for _, c := range []struct {
		name string
		q    table.Query
	}{
		{"empty partition key", table.Query{}},
		{"unknown index", table.Query{Index: "GSI3", PK: "P"}},
		{"negative limit", table.Query{PK: "P", Limit: -1}},
		{"garbage cursor", table.Query{PK: "P", Cursor: "%%%not a cursor%%%"}},
		{"unknown sort-key op", table.Query{PK: "P", SK: table.SKCond{Op: table.SKOp(99), Value: "S"}}},
		{"between with bounds reversed", table.Query{PK: "P", SK: table.SKCond{Op: table.SKBetween, Value: "b", Value2: "a"}}},
	} {
		_, err := s.Query(ctxT(t), c.q)
		wantErrIs(t, "Query "+c.name, err, table.ErrInvalid)
	}
}

// ---- TTL ----

func testTTLGet(t *testing.T, s table.Store, clk *clock.Fixed) {
	now := clk.Now().Unix()
	live := item("SESSION#1", "META", table.AttrTTL, now+60)
	dueNow := item("SESSION#2", "META", table.AttrTTL, now)
	past := item("SESSION#3", "META", table.AttrTTL, now-3600)
	none := item("SESSION#4", "META")
	for _, it := range []table.Item{live, dueNow, past, none} {
		mustPut(t, s, it)
	}
	wantItem(t, s, live)
	wantItem(t, s, none)
	wantAbsent(t, s, dueNow.Key())
	wantAbsent(t, s, past.Key())

	clk.Advance(59 * time.Second)
	wantItem(t, s, live)
	clk.Advance(time.Second)
	wantAbsent(t, s, live.Key())
	wantItem(t, s, none)
}

func testTTLQuery(t *testing.T, s table.Store, clk *clock.Fixed) {
	now := clk.Now().Unix()
	var items, live []table.Item
	for i := range 20 {
		ttl := now + 100
		if i%4 != 0 { // three in four expired, in runs longer than a page
			ttl = now - int64(i)
		}
		if i >= 5 && i < 12 {
			ttl = now // a run of seven items due exactly now
		}
		it := item("INBOX", fmt.Sprintf("MSG#%02d", i), table.AttrTTL, ttl,
			table.AttrGSI1PK, "INBOX", table.AttrGSI1SK, fmt.Sprintf("MSG#%02d", i),
			table.AttrGSI2PK, "INBOX", table.AttrGSI2SK, fmt.Sprintf("MSG#%02d", i))
		items = append(items, it)
		if ttl > now {
			live = append(live, it)
		}
	}
	items = append(items, item("INBOX", "PINNED",
		table.AttrGSI1PK, "INBOX", table.AttrGSI1SK, "PINNED",
		table.AttrGSI2PK, "INBOX", table.AttrGSI2SK, "PINNED"))
	live = append(live, items[len(items)-1])
	putAll(t, s, items)

	for _, index := range []string{table.Primary, table.GSI1, table.GSI2} {
		for _, limit := range []int{0, 1, 2, 3} {
			for _, backward := range []bool{false, true} {
				q := table.Query{Index: index, PK: "INBOX", Limit: limit, Backward: backward}
				t.Run(fmt.Sprintf("%s/limit_%d/backward_%t", indexName(index), limit, backward), func(t *testing.T) {
					want := slices.Clone(live)
					if backward {
						slices.Reverse(want)
					}
					if diff := cmp.Diff(want, queryAll(t, s, q)); diff != "" {
						t.Errorf("Query(%+v) mismatch (-want +got):\n%s", q, diff)
					}
				})
			}
		}
	}

	clk.Advance(100 * time.Second)
	got := queryAll(t, s, table.Query{PK: "INBOX"})
	if diff := cmp.Diff([]table.Item{live[len(live)-1]}, got); diff != "" {
		t.Errorf("after every TTL passed (-want +got):\n%s", diff)
	}
}

func testTTLConditions(t *testing.T, s table.Store, clk *clock.Fixed) {
	now := clk.Now().Unix()
	expired := item("CODE#1", "META", table.AttrTTL, now, table.AttrVersion, int64(3), "Status", "sent")
	mustPut(t, s, expired)
	k := expired.Key()

	wantErrIs(t, "Put IfExists over expired", s.Put(ctxT(t), item("CODE#1", "META"), table.IfExists()), table.ErrConditionFailed)
	wantErrIs(t, "Put IfAttrEquals over expired", s.Put(ctxT(t), item("CODE#1", "META"), table.IfAttrEquals("Status", "sent")), table.ErrConditionFailed)
	wantErrIs(t, "Put IfVersion(3) over expired", s.Put(ctxT(t), item("CODE#1", "META"), table.IfVersion(3)), table.ErrConditionFailed)
	wantErrIs(t, "Delete IfExists expired", s.Delete(ctxT(t), k, table.IfExists()), table.ErrConditionFailed)
	wantNoErr(t, "Delete IfAbsent expired", s.Delete(ctxT(t), k, table.IfAbsent()))
	err := s.TransactWrite(ctxT(t), []table.Op{
		table.Check(k, table.IfExists()),
		table.Put(item("OTHER", "X"), table.Cond{}),
	})
	wantTxCanceled(t, err, 0, k)
	wantAbsent(t, s, table.Key{PK: "OTHER", SK: "X"})

	v1 := item("CODE#1", "META", table.AttrVersion, int64(1), table.AttrTTL, now+300)
	wantNoErr(t, "Put IfVersion(0) over expired", s.Put(ctxT(t), v1, table.IfVersion(0)))
	wantItem(t, s, v1)

	mustPut(t, s, expired)
	fresh := item("CODE#1", "META", "Status", "new")
	wantNoErr(t, "Put IfAbsent over expired", s.Put(ctxT(t), fresh, table.IfAbsent()))
	wantItem(t, s, fresh)

	mustPut(t, s, expired)
	err = s.TransactWrite(ctxT(t), []table.Op{
		table.Put(fresh, table.IfAbsent()),
		table.Check(table.Key{PK: "CODE#2", SK: "META"}, table.IfAbsent()),
	})
	wantNoErr(t, "TransactWrite IfAbsent over expired", err)
	wantItem(t, s, fresh)
}

func indexName(index string) string {
	if index == table.Primary {
		return "primary"
	}
	return index
}
