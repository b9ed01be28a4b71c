package table_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/table"
)

// wantInvalid checks err against want: "" for no error, else an error that
// wraps table.ErrInvalid and whose message contains want.
func wantInvalid(t *testing.T, what string, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s: err = %v; want nil", what, err)
		}
		return
	}
	if !errors.Is(err, table.ErrInvalid) {
		t.Errorf("%s: err = %v; want ErrInvalid", what, err)
		return
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: err = %q; want it to contain %q", what, err, want)
	}
}

var (
	maxPK = strings.Repeat("p", table.MaxPartitionKeyBytes)
	maxSK = strings.Repeat("s", table.MaxSortKeyBytes)
)

func TestKeyValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		k    table.Key
		want string
	}{
		{"ok", table.Key{PK: "P", SK: "S"}, ""},
		{"at limits", table.Key{PK: maxPK, SK: maxSK}, ""},
		{"multibyte at limit", table.Key{PK: strings.Repeat("é", table.MaxPartitionKeyBytes/2), SK: "S"}, ""},
		{"zero", table.Key{}, "empty key"},
		{"empty PK", table.Key{SK: "S"}, "empty key"},
		{"empty SK", table.Key{PK: "P"}, "empty key"},
		{"PK too long", table.Key{PK: maxPK + "p", SK: "S"}, "key too long (PK 2049 bytes"},
		{"SK too long", table.Key{PK: "P", SK: maxSK + "s"}, "SK 1025 bytes"},
		{"multibyte PK too long", table.Key{PK: strings.Repeat("é", table.MaxPartitionKeyBytes/2+1), SK: "S"}, "key too long"},
	} {
		t.Run(c.name, func(t *testing.T) { wantInvalid(t, "Validate", c.k.Validate(), c.want) })
	}
}

func TestCheckItem(t *testing.T) {
	it := func(kv ...any) table.Item {
		m := table.Item{table.AttrPK: "P", table.AttrSK: "S"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	for _, c := range []struct {
		name string
		it   table.Item
		want string // "" for valid
	}{
		{"keys only", it(), ""},
		{"keys at limits", table.Item{table.AttrPK: maxPK, table.AttrSK: maxSK}, ""},
		{"values unchecked", it("rate", 0.06, "ch", make(chan int)), ""},
		{"all index keys", it(table.AttrGSI1PK, "A", table.AttrGSI1SK, "B", table.AttrGSI2PK, "C", table.AttrGSI2SK, "D"), ""},
		{"one index key of a pair", it(table.AttrGSI1PK, "A"), ""},
		{"index keys at limits", it(table.AttrGSI2PK, maxPK, table.AttrGSI2SK, maxSK), ""},
		{"TTL int64", it(table.AttrTTL, int64(1700000000)), ""},
		{"TTL int", it(table.AttrTTL, 1700000000), ""},
		{"TTL int32", it(table.AttrTTL, int32(1700000000)), ""},
		{"Version and others", it(table.AttrVersion, int64(3), "Status", "ok", "n", nil), ""},

		{"nil item", nil, "PK and SK must be strings, got <nil> and <nil>"},
		{"no PK", table.Item{table.AttrSK: "S"}, "PK and SK must be strings"},
		{"no SK", table.Item{table.AttrPK: "P"}, "PK and SK must be strings"},
		{"numeric PK", table.Item{table.AttrPK: int64(1), table.AttrSK: "S"}, "got int64 and string"},
		{"bytes SK", table.Item{table.AttrPK: "P", table.AttrSK: []byte("S")}, "got string and []uint8"},
		{"empty PK", table.Item{table.AttrPK: "", table.AttrSK: "S"}, "empty key"},
		{"empty SK", table.Item{table.AttrPK: "P", table.AttrSK: ""}, "empty key"},
		{"PK too long", table.Item{table.AttrPK: maxPK + "p", table.AttrSK: "S"}, "key too long"},
		{"SK too long", table.Item{table.AttrPK: "P", table.AttrSK: maxSK + "s"}, "key too long"},
		{"numeric GSI1PK", it(table.AttrGSI1PK, int64(1), table.AttrGSI1SK, "x"), "index key attribute GSI1PK"},
		{"nil GSI1SK", it(table.AttrGSI1SK, nil), "index key attribute GSI1SK"},
		{"empty GSI2SK", it(table.AttrGSI2PK, "Q", table.AttrGSI2SK, ""), "index key attribute GSI2SK must be a non-empty string of at most 1024 bytes"},
		{"GSI2PK too long", it(table.AttrGSI2PK, maxPK+"p"), "index key attribute GSI2PK must be a non-empty string of at most 2048 bytes"},
		{"GSI1SK too long", it(table.AttrGSI1SK, maxSK+"s"), "index key attribute GSI1SK"},
		{"string TTL", it(table.AttrTTL, "1700000000"), "TTL must be integer epoch seconds, got string"},
		{"float TTL", it(table.AttrTTL, 1.7e9), "TTL must be integer"},
		{"nil TTL", it(table.AttrTTL, nil), "TTL must be integer"},
		{"empty attribute name", it("", "x"), "empty attribute name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := table.CheckItem(c.it)
			wantInvalid(t, "CheckItem", err, c.want)
			if c.want == "" && k != c.it.Key() {
				t.Errorf("CheckItem key = %+v; want %+v", k, c.it.Key())
			}
			if c.want != "" && k != (table.Key{}) {
				t.Errorf("CheckItem key = %+v on error; want zero", k)
			}
		})
	}
}

func TestCondValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		c    table.Cond
		want string
	}{
		{"none", table.Cond{}, ""},
		{"absent", table.IfAbsent(), ""},
		{"exists", table.IfExists(), ""},
		{"attr equals", table.IfAttrEquals("Status", "active"), ""},
		{"attr equals nil", table.IfAttrEquals("Status", nil), ""},
		{"attr equals float left to adapters", table.IfAttrEquals("rate", 0.06), ""},
		{"version", table.IfVersion(7), ""},
		{"version 0", table.IfVersion(0), ""},
		{"version int", table.Cond{Kind: table.CondVersion, Value: 7}, ""},
		{"attr equals without attribute", table.IfAttrEquals("", "x"), "attribute condition without attribute name"},
		{"version string", table.Cond{Kind: table.CondVersion, Value: "7"}, "version condition value string is not an integer"},
		{"version nil", table.Cond{Kind: table.CondVersion}, "version condition value <nil> is not an integer"},
		{"unknown kind", table.Cond{Kind: table.CondKind(99)}, "unknown condition kind 99"},
	} {
		t.Run(c.name, func(t *testing.T) { wantInvalid(t, "Validate", c.c.Validate(), c.want) })
	}
}

func TestCondVersionValue(t *testing.T) {
	version := func(v any) table.Cond { return table.Cond{Kind: table.CondVersion, Attr: table.AttrVersion, Value: v} }
	for _, c := range []struct {
		name   string
		c      table.Cond
		wantN  int64
		errMsg string
	}{
		{"IfVersion", table.IfVersion(42), 42, ""},
		{"zero", table.IfVersion(0), 0, ""},
		{"int64 max", table.IfVersion(1<<63 - 1), 1<<63 - 1, ""},
		{"negative", version(int64(-1)), -1, ""},
		{"int", version(5), 5, ""},
		{"int32", version(int32(6)), 6, ""},
		{"uint64", version(uint64(1)), 0, "version condition value uint64 is not an integer"},
		{"int8", version(int8(1)), 0, "not an integer"},
		{"float", version(1.0), 0, "version condition value float64 is not an integer"},
		{"string", version("1"), 0, "not an integer"},
		{"nil", version(nil), 0, "not an integer"},
		{"other kind", table.IfAttrEquals(table.AttrVersion, int64(1)), 0, "not a version condition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := c.c.VersionValue()
			wantInvalid(t, "VersionValue", err, c.errMsg)
			if n != c.wantN {
				t.Errorf("VersionValue = %d; want %d", n, c.wantN)
			}
		})
	}
}

func TestCheckTransaction(t *testing.T) {
	item := func(pk, sk string) table.Item { return table.Item{table.AttrPK: pk, table.AttrSK: sk} }
	k := func(pk, sk string) table.Key { return table.Key{PK: pk, SK: sk} }
	puts := func(n int) []table.Op {
		ops := make([]table.Op, n)
		for i := range ops {
			ops[i] = table.Put(item("BATCH", fmt.Sprintf("ROW#%03d", i)), table.IfAbsent())
		}
		return ops
	}
	for _, c := range []struct {
		name     string
		ops      []table.Op
		wantKeys int    // number of keys returned when valid
		want     string // "" for valid
	}{
		{"none", nil, 0, ""},
		{"mixed", []table.Op{
			table.Put(item("APP#1", "META"), table.IfVersion(1)),
			table.Delete(k("APP#1", "DRAFT"), table.IfExists()),
			table.Check(k("ACCOUNT#9", "PROFILE"), table.IfAttrEquals("Status", "active")),
			table.Delete(k("APP#1", "NEVER"), table.Cond{}),
		}, 4, ""},
		{"same PK, other SK", []table.Op{table.Put(item("P", "A"), table.Cond{}), table.Put(item("P", "B"), table.Cond{})}, 2, ""},
		{"max", puts(table.MaxTransactItems), table.MaxTransactItems, ""},

		{"too many", puts(table.MaxTransactItems + 1), 0, "transaction of 101 ops; at most 100"},
		{"duplicate key", []table.Op{
			table.Put(item("P", "S"), table.Cond{}),
			table.Check(k("P", "S"), table.IfAbsent()),
		}, 0, "transact op 1: two ops on …/…"},
		{"check without condition", []table.Op{table.Check(k("P", "S"), table.Cond{})}, 0, "transact op 0: table: invalid request: check without a condition"},
		{"unknown op kind", []table.Op{table.Put(item("O", "X"), table.Cond{}), {Kind: table.OpKind(99), Key: k("P", "S")}}, 0, "transact op 1: table: invalid request: unknown op kind 99"},
		{"zero op", []table.Op{{}}, 0, "unknown op kind 0"},
		{"put with bad item", []table.Op{table.Put(item("P", ""), table.Cond{})}, 0, "transact op 0: table: invalid request: empty key"},
		{"put with string TTL", []table.Op{table.Put(table.Item{table.AttrPK: "P", table.AttrSK: "S", table.AttrTTL: "1"}, table.Cond{})}, 0, "TTL must be integer"},
		{"delete with empty key", []table.Op{table.Delete(k("P", ""), table.Cond{})}, 0, "empty key"},
		{"check with long key", []table.Op{table.Check(k("P", maxSK+"s"), table.IfExists())}, 0, "key too long"},
		{"unknown condition kind", []table.Op{table.Put(item("P", "S"), table.Cond{Kind: table.CondKind(99)})}, 0, "unknown condition kind 99"},
		{"attribute condition without attribute", []table.Op{table.Delete(k("P", "S"), table.IfAttrEquals("", "x"))}, 0, "attribute condition without attribute name"},
		{"version not an integer", []table.Op{table.Check(k("P", "S"), table.Cond{Kind: table.CondVersion, Value: "1"})}, 0, "not an integer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			keys, err := table.CheckTransaction(c.ops)
			wantInvalid(t, "CheckTransaction", err, c.want)
			if c.want != "" {
				if keys != nil {
					t.Errorf("keys = %v on error; want nil", keys)
				}
				return
			}
			if len(keys) != c.wantKeys {
				t.Fatalf("len(keys) = %d; want %d", len(keys), c.wantKeys)
			}
			for i, op := range c.ops {
				want := op.Key
				if op.Kind == table.OpPut {
					want = op.Item.Key()
				}
				if keys[i] != want {
					t.Errorf("keys[%d] = %+v; want %+v", i, keys[i], want)
				}
			}
		})
	}
}

func TestCheckTransactionPutKeyFromItem(t *testing.T) {
	// The key of a put is its item's, whatever Op.Key says.
	op := table.Op{Kind: table.OpPut, Item: table.Item{table.AttrPK: "P", table.AttrSK: "S"}, Key: table.Key{PK: "X", SK: "Y"}}
	keys, err := table.CheckTransaction([]table.Op{op})
	if err != nil {
		t.Fatal(err)
	}
	if want := (table.Key{PK: "P", SK: "S"}); keys[0] != want {
		t.Errorf("key = %+v; want %+v", keys[0], want)
	}
}

func TestSKCondValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		c    table.SKCond
		want string
	}{
		{"any", table.SKCond{}, ""},
		{"eq", table.SKCond{Op: table.SKEq, Value: "a"}, ""},
		{"begins with empty", table.SKCond{Op: table.SKBeginsWith}, ""},
		{"lt", table.SKCond{Op: table.SKLt, Value: "a"}, ""},
		{"le", table.SKCond{Op: table.SKLe, Value: "a"}, ""},
		{"gt", table.SKCond{Op: table.SKGt, Value: "a"}, ""},
		{"ge", table.SKCond{Op: table.SKGe, Value: "a"}, ""},
		{"between", table.SKCond{Op: table.SKBetween, Value: "a", Value2: "b"}, ""},
		{"between equal bounds", table.SKCond{Op: table.SKBetween, Value: "a", Value2: "a"}, ""},
		{"between reversed", table.SKCond{Op: table.SKBetween, Value: "b", Value2: "a"}, `between "b" and "a": lower bound above upper bound`},
		{"between reversed by byte order", table.SKCond{Op: table.SKBetween, Value: "é", Value2: "z"}, "lower bound above upper bound"},
		{"unknown op", table.SKCond{Op: table.SKOp(99), Value: "a"}, "unknown sort-key condition 99"},
	} {
		t.Run(c.name, func(t *testing.T) { wantInvalid(t, "Validate", c.c.Validate(), c.want) })
	}
}

func TestQueryPageSize(t *testing.T) {
	for _, c := range []struct {
		name string
		q    table.Query
		size int
		want string
	}{
		{"default limit", table.Query{PK: "P"}, table.DefaultLimit, ""},
		{"limit 1", table.Query{PK: "P", Limit: 1}, 1, ""},
		{"limit above default", table.Query{PK: "P", Limit: 1000}, 1000, ""},
		{"GSI1", table.Query{Index: table.GSI1, PK: "P", Limit: 5}, 5, ""},
		{"GSI2 backward", table.Query{Index: table.GSI2, PK: "P", Backward: true}, table.DefaultLimit, ""},
		{"cursor left to adapters", table.Query{PK: "P", Cursor: "%%%not a cursor%%%"}, table.DefaultLimit, ""},
		{"sort-key condition", table.Query{PK: "P", SK: table.SKCond{Op: table.SKBetween, Value: "a", Value2: "b"}}, table.DefaultLimit, ""},

		{"zero query", table.Query{}, 0, "query without partition key"},
		{"unknown index", table.Query{Index: "GSI3", PK: "P"}, 0, `unknown index "GSI3"`},
		{"index name case", table.Query{Index: "gsi1", PK: "P"}, 0, "unknown index"},
		{"unknown index before PK", table.Query{Index: "GSI3"}, 0, "unknown index"},
		{"negative limit", table.Query{PK: "P", Limit: -1}, 0, "negative limit -1"},
		{"unknown sort-key op", table.Query{PK: "P", SK: table.SKCond{Op: table.SKOp(99), Value: "S"}}, 0, "unknown sort-key condition 99"},
		{"between with bounds reversed", table.Query{PK: "P", SK: table.SKCond{Op: table.SKBetween, Value: "b", Value2: "a"}}, 0, "lower bound above upper bound"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := c.q.PageSize()
			wantInvalid(t, "PageSize", err, c.want)
			if n != c.size {
				t.Errorf("PageSize = %d; want %d", n, c.size)
			}
		})
	}
}

func TestItemInt(t *testing.T) {
	it := table.Item{"a": int64(-7), "b": 8, "c": int32(9), "d": "10", "e": 1.5, "f": nil}
	for _, c := range []struct {
		name string
		want int64
	}{
		{"a", -7}, {"b", 8}, {"c", 9}, {"d", 0}, {"e", 0}, {"f", 0}, {"missing", 0},
	} {
		if got := it.Int(c.name); got != c.want {
			t.Errorf("Int(%q) = %d; want %d", c.name, got, c.want)
		}
	}
}

func TestKeyStringRedacts(t *testing.T) {
	for _, tt := range []struct {
		k    table.Key
		want string
	}{
		{table.Key{PK: "LEDGER#PERSON#2309000501", SK: "CONTRIB#202009#2309900401#regular"}, "LEDGER#…/CONTRIB#…"},
		{table.Key{PK: "PLATFORM", SK: "HEARTBEAT"}, "…/…"},
		{table.Key{}, "…/…"},
	} {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.k, got, tt.want)
		}
		if got := fmt.Sprint(&table.TxCanceledError{Key: tt.k}); strings.Contains(got, "2309000501") {
			t.Errorf("TxCanceledError leaks the key: %s", got)
		}
	}
}
