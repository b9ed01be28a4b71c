package boltstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/tabletest"
)

// randValue returns a random attribute value nested at most depth levels,
// and the value it must read back as (int and int32 read back as int64, a
// nil []byte as an empty one).
func randValue(r *rand.Rand, depth int, valid bool) (v, want any) {
	n := 8
	if depth > 0 {
		n = 10
	}
	switch r.IntN(n) {
	case 0:
		return nil, nil
	case 1:
		b := r.IntN(2) == 0
		return b, b
	case 2:
		s := randString(r, valid)
		return s, s
	case 3:
		x := []int64{0, 1, -1, 127, 128, -129, math.MaxInt64, math.MinInt64, r.Int64(), -r.Int64()}[r.IntN(10)]
		return x, x
	case 4:
		x := r.IntN(1 << 20)
		return x, int64(x)
	case 5:
		x := r.Int32() - 1<<30
		return x, int64(x)
	case 6:
		if r.IntN(4) == 0 {
			return []byte(nil), []byte{}
		}
		b := []byte(randString(r, valid))
		return b, bytes.Clone(b)
	case 7:
		return []byte{}, []byte{}
	case 8:
		l, lw := make([]any, r.IntN(5)), make([]any, 0, 5)
		for i := range l {
			var w any
			l[i], w = randValue(r, depth-1, valid)
			lw = append(lw, w)
		}
		return l, lw
	default:
		m, mw := map[string]any{}, map[string]any{}
		for range r.IntN(5) {
			k := randString(r, valid)
			m[k], mw[k] = randValue(r, depth-1, valid)
		}
		return m, mw
	}
}

// randString returns a short string, sometimes empty, with NUL bytes,
// multi-byte UTF-8 and, unless valid, invalid UTF-8.
func randString(r *rand.Rand, valid bool) string {
	const alphabet = "ab{}\"\\\x00\x01\x7f\x80\xffé中#"
	var sb strings.Builder
	for range r.IntN(12) {
		i := r.IntN(len(alphabet))
		sb.WriteByte(alphabet[i])
	}
	if valid { // the legacy JSON encoding replaced invalid UTF-8
		return strings.ToValidUTF8(sb.String(), "?")
	}
	if r.IntN(10) == 0 {
		sb.WriteString(strings.Repeat("x", 200+r.IntN(200))) // lengths over one varint byte
	}
	return sb.String()
}

// randItem returns a random item and the item it must read back as.
func randItem(r *rand.Rand, valid bool) (it, want table.Item) {
	it = table.Item{table.AttrPK: "P#" + strconv.Itoa(r.IntN(100)), table.AttrSK: "S#" + strconv.Itoa(r.IntN(100))}
	want = table.Item{table.AttrPK: it[table.AttrPK], table.AttrSK: it[table.AttrSK]}
	for range r.IntN(8) {
		name := randString(r, valid)
		if name == "" || name == table.AttrPK || name == table.AttrSK {
			continue
		}
		it[name], want[name] = randValue(r, 4, valid)
	}
	return it, want
}

func TestCodecRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		it, want := randItem(r, i%2 == 0)
		st, err := encodeItem(it)
		if err != nil {
			t.Fatalf("item %d: encodeItem: %v", i, err)
		}
		if st.data[0] != formatV1 {
			t.Fatalf("item %d: first byte %#x", i, st.data[0])
		}
		got, err := decodeRecord(st.data)
		if err != nil {
			t.Fatalf("item %d: decodeRecord: %v", i, err)
		}
		if diff := cmp.Diff(want, table.Item(got)); diff != "" {
			t.Fatalf("item %d (-want +got):\n%s", i, diff)
		}
		// Canonical: the decoded item encodes to the same bytes.
		again, err := appendRecord(nil, table.Item(got))
		if err != nil || !bytes.Equal(again, st.data) {
			t.Fatalf("item %d: re-encoding differs (err %v)", i, err)
		}
	}
}

func TestDecodeDoesNotAliasInput(t *testing.T) {
	st, err := encodeItem(table.Item{table.AttrPK: "P", table.AttrSK: "S", "b": []byte("bytes"), "s": "string"})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Clone(st.data)
	rec, err := decodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 0xAA // bbolt reuses its pages once the transaction ends
	}
	want := table.Item{table.AttrPK: "P", table.AttrSK: "S", "b": []byte("bytes"), "s": "string"}
	if diff := cmp.Diff(want, table.Item(rec)); diff != "" {
		t.Errorf("after overwriting the input (-want +got):\n%s", diff)
	}
}

func TestEncodeRefuses(t *testing.T) {
	deep := any("leaf")
	for range maxDepth + 1 {
		deep = []any{deep}
	}
	okDeep := any("leaf")
	for range maxDepth {
		okDeep = map[string]any{"k": okDeep}
	}
	cyclic := []any{nil}
	cyclic[0] = cyclic
	for _, tc := range []struct {
		name string
		v    any
		msg  string
	}{
		{"float64", 1.5, "attribute v: table: invalid request: float 1.5 refused"},
		{"float32", float32(2), "float 2 refused"},
		{"nested float", map[string]any{"a": []any{"x", 0.5}}, "attribute v: .a: [1]: table: invalid request: float 0.5 refused"},
		{"uint", uint(1), "unsupported attribute type uint"},
		{"struct", struct{}{}, "unsupported attribute type struct {}"},
		{"too deep", deep, "nested deeper than 10000 levels"},
		{"cyclic", cyclic, "nested deeper than 10000 levels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := encodeItem(table.Item{table.AttrPK: "P", table.AttrSK: "S", "v": tc.v})
			if !errors.Is(err, table.ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v; want ErrInvalid containing %q", err, tc.msg)
			}
		})
	}
	st, err := encodeItem(table.Item{table.AttrPK: "P", table.AttrSK: "S", "v": okDeep})
	if err != nil {
		t.Fatalf("item nested %d levels: %v", maxDepth, err)
	}
	if _, err := decodeRecord(st.data); err != nil {
		t.Fatalf("item nested %d levels: decode: %v", maxDepth, err)
	}
	if _, err := checkCond(table.IfAttrEquals("v", 1.5)); !errors.Is(err, table.ErrInvalid) {
		t.Errorf("condition on a float: err = %v; want ErrInvalid", err)
	}
}

// sampleEncodings returns encoded items for corruption tests and fuzz
// seeds.
func sampleEncodings(t testing.TB) [][]byte {
	r := rand.New(rand.NewPCG(3, 4))
	out := [][]byte{}
	for range 20 {
		it, _ := randItem(r, false)
		st, err := encodeItem(it)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, st.data)
	}
	return out
}

func TestDecodeCorrupt(t *testing.T) {
	for _, data := range sampleEncodings(t) {
		for n := range len(data) {
			if _, err := decodeRecord(data[:n]); err == nil {
				t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
			}
		}
		if _, err := decodeRecord(append(bytes.Clone(data), 0)); err == nil {
			t.Fatal("trailing byte: no error")
		}
		// Any single corrupt byte decodes to some item or fails; it never
		// panics (a panic fails the test).
		for i := range data {
			for _, b := range []byte{0x00, 0x07, 0x08, 0x7f, 0x80, 0xff, data[i] ^ 1} {
				c := bytes.Clone(data)
				c[i] = b
				_, _ = decodeRecord(c)
			}
		}
	}
	for _, data := range [][]byte{
		{},
		{0x00},
		{'[', ']'},
		{formatV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // count overflows
		{formatV1, 0x01, 0x01, 'a', 0x08},                                      // unknown tag
		{formatV1, 0x01, 0x01, 'a', tagL, 0xff, 0xff, 0xff, 0x0f},              // huge count
		{formatV1, 0x02, 0x01, 'a', tagNull, 0x01, 'a', tagNull},               // duplicate attribute
		{formatV1, 0x01, 0x01, 'a', tagM, 0x02, 0x00, tagNull, 0x00, tagNull},  // duplicate key
		{formatV1, 0x01, 0x01, 'a', tagS, 0x05, 'x'},                           // short string
		[]byte(`{"a":{"N":"1.5"}}`),
		[]byte(`{"a":{}}`),
		[]byte(`{"a":`),
		append(append([]byte{formatV1, 0x01, 0x01, 'a'}, bytes.Repeat([]byte{tagL, 0x01}, maxDepth+1)...), tagNull),
	} {
		if rec, err := decodeRecord(data); err == nil {
			t.Errorf("decodeRecord(%q) = %v; want an error", data, rec)
		}
	}
}

// FuzzCodecRoundTrip decodes arbitrary bytes: the decoder must return an
// error or an item, never panic, and an item it returns must re-encode to
// bytes that decode to the same item and re-encode to the same bytes.
// Seeds are in testdata/fuzz/FuzzCodecRoundTrip; run with
// go test -run XXX -fuzz FuzzCodecRoundTrip -fuzztime 30s.
func FuzzCodecRoundTrip(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := decodeRecord(data)
		if err != nil {
			return
		}
		enc, err := appendRecord(nil, table.Item(rec))
		if err != nil {
			t.Fatalf("decoded item does not encode: %v", err)
		}
		rec2, err := decodeRecord(enc)
		if err != nil {
			t.Fatalf("re-encoded item does not decode: %v", err)
		}
		if diff := cmp.Diff(table.Item(rec), table.Item(rec2)); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		enc2, err := appendRecord(nil, table.Item(rec2))
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not canonical (err %v)", err)
		}
	})
}

// ---- the legacy JSON encoding ----

// legacyValue is the former encoder: a Go value to its JSON tagged form.
func legacyValue(v any) (av, error) {
	switch x := v.(type) {
	case nil:
		return av{NULL: true}, nil
	case string:
		return av{S: &x}, nil
	case int64:
		n := strconv.FormatInt(x, 10)
		return av{N: &n}, nil
	case int:
		n := strconv.FormatInt(int64(x), 10)
		return av{N: &n}, nil
	case bool:
		return av{BOOL: &x}, nil
	case []byte:
		b := bytes.Clone(x)
		if b == nil {
			b = []byte{}
		}
		return av{B: &b}, nil
	case []any:
		l := make([]av, len(x))
		for i, e := range x {
			ev, err := legacyValue(e)
			if err != nil {
				return av{}, err
			}
			l[i] = ev
		}
		return av{L: &l}, nil
	case map[string]any:
		m := make(map[string]av, len(x))
		for k, e := range x {
			ev, err := legacyValue(e)
			if err != nil {
				return av{}, err
			}
			m[k] = ev
		}
		return av{M: &m}, nil
	}
	return av{}, fmt.Errorf("legacy encoder: unsupported %T", v)
}

// legacyItem is the former item encoder: JSON of the tagged attributes.
func legacyItem(t testing.TB, it table.Item) stored {
	t.Helper()
	k, err := table.CheckItem(it)
	if err != nil {
		t.Fatal(err)
	}
	rec := make(map[string]av, len(it))
	for name, v := range it {
		if rec[name], err = legacyValue(v); err != nil {
			t.Fatal(err)
		}
	}
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return stored{key: k, rec: record(it), data: data}
}

// putLegacy writes items in the legacy encoding, with their index and TTL
// entries, as a former version of the store did.
func putLegacy(t testing.TB, s *Store, items ...stored) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, st := range items {
			if err := write(tx, primaryKey(st.key), st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDecodeLegacyLiteral(t *testing.T) {
	// Bytes as the JSON encoder wrote them.
	data := []byte(`{"GSI1PK":{"S":"G"},"GSI1SK":{"S":"1"},"PK":{"S":"A#1"},"SK":{"S":"META"},` +
		`"Version":{"N":"3"},"b":{"B":"AQID"},"e":{"B":""},"fen":{"N":"-123456789012"},"l":{"L":[{"S":"x"},{"NULL":true},{"BOOL":false}]},` +
		`"m":{"M":{"k":{"N":"1"},"n":{"M":{}}}},"ok":{"BOOL":true},"z":{"NULL":true}}`)
	want := table.Item{
		table.AttrGSI1PK: "G", table.AttrGSI1SK: "1", table.AttrPK: "A#1", table.AttrSK: "META",
		table.AttrVersion: int64(3), "b": []byte{1, 2, 3}, "e": []byte{}, "fen": int64(-123456789012),
		"l": []any{"x", nil, false}, "m": map[string]any{"k": int64(1), "n": map[string]any{}}, "ok": true, "z": nil,
	}
	rec, err := decodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, table.Item(rec)); diff != "" {
		t.Errorf("legacy literal (-want +got):\n%s", diff)
	}
	if got := legacyItem(t, want).data; !bytes.Equal(got, data) {
		t.Errorf("test's legacy encoder writes\n%s\nwant\n%s", got, data)
	}
}

// TestReadsLegacyItems writes items in the legacy JSON encoding into a
// file, reopens it and uses them through the port: reads, indexes,
// conditions, overwrites (which switch them to the binary encoding),
// deletes and the sweeper.
func TestReadsLegacyItems(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "table.db")
	clk := clock.Frozen(tabletest.Start)
	now := clk.Now().Unix()
	r := rand.New(rand.NewPCG(5, 6))
	var want []table.Item
	var legacy []stored
	for i := range 50 {
		_, w := randItem(r, true)
		w[table.AttrPK] = "LEGACY"
		w[table.AttrSK] = fmt.Sprintf("%03d", i)
		w[table.AttrGSI1PK] = "G"
		w[table.AttrGSI1SK] = fmt.Sprintf("%03d", 100-i)
		w[table.AttrVersion] = int64(i + 1)
		want = append(want, w)
		legacy = append(legacy, legacyItem(t, w))
	}
	expiring := table.Item{table.AttrPK: "LEGACY", table.AttrSK: "zz-ttl", table.AttrTTL: now + 5}
	legacy = append(legacy, legacyItem(t, expiring))

	s, err := Open(path, clk)
	if err != nil {
		t.Fatal(err)
	}
	putLegacy(t, s, legacy...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })

	got, err := s.Get(ctx, want[7].Key())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[7], got); diff != "" {
		t.Errorf("Get legacy item (-want +got):\n%s", diff)
	}
	page, err := s.Query(ctx, table.Query{PK: "LEGACY", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(append([]table.Item{}, want...), expiring), page.Items); diff != "" {
		t.Errorf("Query legacy items (-want +got):\n%s", diff)
	}
	gsi, err := s.Query(ctx, table.Query{Index: table.GSI1, PK: "G", Backward: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, gsi.Items); diff != "" {
		t.Errorf("GSI1 over legacy items (-want +got):\n%s", diff)
	}

	// Conditions compare against legacy values.
	k := want[3].Key()
	if err := s.Put(ctx, want[3], table.IfAttrEquals(table.AttrGSI1SK, "097")); err != nil {
		t.Errorf("IfAttrEqual on a legacy item: %v", err)
	}
	mixed := table.Item{table.AttrPK: "LEGACY", table.AttrSK: "mixed", "m": map[string]any{"n": int64(1), "l": []any{[]byte{7}, nil, "s"}}}
	putLegacy(t, s, legacyItem(t, mixed))
	if err := s.Delete(ctx, mixed.Key(), table.IfAttrEquals("m", map[string]any{"l": []any{[]byte{7}, nil, "s"}, "n": 1})); err != nil {
		t.Errorf("IfAttrEqual on a legacy map: %v", err)
	}

	// Overwrite with a version check: the item is rewritten in the binary
	// encoding and its old index entry goes.
	next := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, table.AttrVersion: int64(5), table.AttrGSI1PK: "H", table.AttrGSI1SK: "x"}
	if err := s.Put(ctx, next, table.IfVersion(4)); err != nil {
		t.Fatalf("IfVersion on a legacy item: %v", err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if data := tx.Bucket(bucketItems).Get(primaryKey(k)); len(data) == 0 || data[0] != formatV1 {
			t.Errorf("rewritten item starts with %q; want the binary format", data[:min(1, len(data))])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gsi, err = s.Query(ctx, table.Query{Index: table.GSI1, PK: "G", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(gsi.Items) != len(want)-1 {
		t.Errorf("GSI1 G has %d items after moving one to H; want %d", len(gsi.Items), len(want)-1)
	}
	if err := s.Delete(ctx, want[9].Key(), table.IfExists()); err != nil {
		t.Errorf("Delete legacy item: %v", err)
	}
	if _, err := s.Get(ctx, want[9].Key()); !errors.Is(err, table.ErrNotFound) {
		t.Errorf("Get deleted legacy item: %v; want ErrNotFound", err)
	}

	clk.Advance(10 * time.Second)
	if _, err := s.Get(ctx, expiring.Key()); !errors.Is(err, table.ErrNotFound) {
		t.Errorf("Get expired legacy item: %v; want ErrNotFound", err)
	}
	if n, err := s.Sweep(ctx); err != nil || n != 1 {
		t.Errorf("Sweep = %d, %v; want 1, nil", n, err)
	}
}

func benchItem() table.Item {
	return table.Item{
		table.AttrPK: "LEDGER#PERSON#230102199001011234", table.AttrSK: "ROW#202403#0001",
		table.AttrGSI1PK: "UNIT#91230100MA1234567X", table.AttrGSI1SK: "202403#230102199001011234",
		table.AttrVersion: int64(3), "month": "2024-03", "base": int64(523400), "personal": int64(41872),
		"unit": int64(83744), "kind": "normal", "paid": true, "note": "",
		"rows": []any{map[string]any{"insurance": "pension", "fen": int64(41872)}, map[string]any{"insurance": "medical", "fen": int64(10468)}},
	}
}

func BenchmarkDecodeRecord(b *testing.B) {
	it := benchItem()
	st, err := encodeItem(it)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data []byte
	}{{"binary", st.data}, {"legacyJSON", legacyItem(b, it).data}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				if _, err := decodeRecord(bc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncodeItem(b *testing.B) {
	it := benchItem()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeItem(it); err != nil {
			b.Fatal(err)
		}
	}
}
