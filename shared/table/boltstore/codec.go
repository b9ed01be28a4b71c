package boltstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hljhrss/hrss/shared/table"
)

// av is one attribute value in the stored encoding, tagged with its
// DynamoDB type (S, N, B, BOOL, NULL, L, M) so that int64, []byte, string
// and bool survive a round trip unchanged. Numbers are decimal strings, as
// in DynamoDB JSON, so no int64 passes through float64.
type av struct {
	S    *string        `json:"S,omitempty"`
	N    *string        `json:"N,omitempty"`
	B    *[]byte        `json:"B,omitempty"`
	BOOL *bool          `json:"BOOL,omitempty"`
	NULL bool           `json:"NULL,omitempty"`
	L    *[]av          `json:"L,omitempty"`
	M    *map[string]av `json:"M,omitempty"`
}

// record is a stored item: attribute name to tagged value.
type record map[string]av

func invalid(format string, args ...any) error {
	return fmt.Errorf("boltstore: %w: %s", table.ErrInvalid, fmt.Sprintf(format, args...))
}

// encodeValue converts a Go attribute value to its tagged form.
func encodeValue(v any) (av, error) {
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
	case int32:
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
			ev, err := encodeValue(e)
			if err != nil {
				return av{}, fmt.Errorf("[%d]: %w", i, err)
			}
			l[i] = ev
		}
		return av{L: &l}, nil
	case map[string]any:
		m := make(map[string]av, len(x))
		for k, e := range x {
			ev, err := encodeValue(e)
			if err != nil {
				return av{}, fmt.Errorf(".%s: %w", k, err)
			}
			m[k] = ev
		}
		return av{M: &m}, nil
	case float32, float64:
		return av{}, fmt.Errorf("%w: float %v refused: use integer fen or a decimal string", table.ErrInvalid, x)
	}
	return av{}, fmt.Errorf("%w: unsupported attribute type %T", table.ErrInvalid, v)
}

// decodeValue converts a tagged value back to Go.
func decodeValue(v av) (any, error) {
	switch {
	case v.S != nil:
		return *v.S, nil
	case v.N != nil:
		n, err := strconv.ParseInt(*v.N, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("boltstore: number %q is not an int64", *v.N)
		}
		return n, nil
	case v.B != nil:
		return bytes.Clone(*v.B), nil
	case v.BOOL != nil:
		return *v.BOOL, nil
	case v.NULL:
		return nil, nil
	case v.L != nil:
		l := make([]any, len(*v.L))
		for i, e := range *v.L {
			d, err := decodeValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = d
		}
		return l, nil
	case v.M != nil:
		m := make(map[string]any, len(*v.M))
		for k, e := range *v.M {
			d, err := decodeValue(e)
			if err != nil {
				return nil, err
			}
			m[k] = d
		}
		return m, nil
	}
	return nil, errors.New("boltstore: stored value has no type")
}

// stored is an item checked and encoded for writing.
type stored struct {
	key  table.Key
	rec  record
	data []byte // JSON of rec
}

// portErr prefixes an error of the port's checks (it wraps
// table.ErrInvalid) with the adapter's name.
func portErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("boltstore: %w", err)
}

// encodeItem checks an item against the port's rules (table.CheckItem) and
// encodes it.
func encodeItem(it table.Item) (stored, error) {
	k, err := table.CheckItem(it)
	if err != nil {
		return stored{}, portErr(err)
	}
	rec := make(record, len(it))
	for name, v := range it {
		ev, err := encodeValue(v)
		if err != nil {
			return stored{}, fmt.Errorf("boltstore: attribute %s: %w", name, err)
		}
		rec[name] = ev
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return stored{}, fmt.Errorf("boltstore: encode %s: %w", k, err)
	}
	return stored{key: k, rec: rec, data: data}, nil
}

func decodeRecord(data []byte) (record, error) {
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("boltstore: decode item: %w", err)
	}
	return rec, nil
}

func (rec record) item() (table.Item, error) {
	it := make(table.Item, len(rec))
	for name, v := range rec {
		d, err := decodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		it[name] = d
	}
	return it, nil
}

// str returns the named string attribute.
func (rec record) str(name string) (string, bool) {
	v, ok := rec[name]
	if !ok || v.S == nil {
		return "", false
	}
	return *v.S, true
}

// num returns the named number attribute.
func (rec record) num(name string) (int64, bool) {
	v, ok := rec[name]
	if !ok || v.N == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(*v.N, 10, 64)
	return n, err == nil
}

// expired reports whether the item's TTL is at or before now (epoch
// seconds). An item without a numeric TTL never expires, as in DynamoDB.
func (rec record) expired(now int64) bool {
	ttl, ok := rec.num(table.AttrTTL)
	return ok && ttl <= now
}

// ---- ordered keys ----
//
// Keys in bbolt are tuples of strings encoded so that byte order of the
// encoding is tuple order of the strings' UTF-8 bytes, which is the order
// DynamoDB gives string sort keys: each 0x00 byte becomes 0x00 0xFF and each
// string ends with 0x00 0x01.

func appendString(dst []byte, s string) []byte {
	dst = appendEscaped(dst, s)
	return append(dst, 0x00, 0x01)
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0x00 {
			dst = append(dst, 0x00, 0xFF)
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

func tuple(parts ...string) []byte {
	var b []byte
	for _, p := range parts {
		b = appendString(b, p)
	}
	return b
}

// prefixEnd returns the smallest key greater than every key that starts
// with p, or nil if there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

func primaryKey(k table.Key) []byte { return tuple(k.PK, k.SK) }

// gsi is one global secondary index: its bbolt bucket and key attributes.
type gsi struct {
	name   string
	bucket []byte
	pk, sk string
}

var gsis = []gsi{
	{table.GSI1, []byte("gsi1"), table.AttrGSI1PK, table.AttrGSI1SK},
	{table.GSI2, []byte("gsi2"), table.AttrGSI2PK, table.AttrGSI2SK},
}

// indexKey returns the item's key in the index, or false when the item
// lacks either index key attribute (indexes are sparse). Items with equal
// index keys are ordered by primary key.
func (g gsi) indexKey(rec record, k table.Key) ([]byte, bool) {
	pk, okp := rec.str(g.pk)
	sk, oks := rec.str(g.sk)
	if !okp || !oks {
		return nil, false
	}
	return tuple(pk, sk, k.PK, k.SK), true
}

// ttlKey orders items by expiry: big-endian TTL with the sign bit flipped,
// then the primary key.
func ttlKey(ttl int64, primary []byte) []byte {
	b := make([]byte, 8, 8+len(primary))
	u := uint64(ttl) ^ (1 << 63)
	for i := 7; i >= 0; i-- {
		b[i] = byte(u)
		u >>= 8
	}
	return append(b, primary...)
}
