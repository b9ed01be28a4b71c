package boltstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hljhrss/hrss/shared/table"
)

// ---- item encoding ----
//
// An item is stored as
//
//	formatV1, uvarint(attribute count), then per attribute in name order:
//	uvarint(len(name)), name, value
//
// and a value is one tag byte followed by its payload:
//
//	tagNull, tagFalse, tagTrue  no payload
//	tagS                        uvarint(len), the string's bytes
//	tagN                        zigzag varint of the int64
//	tagB                        uvarint(len), the bytes
//	tagL                        uvarint(count), the values
//	tagM                        uvarint(count), then per entry in key order:
//	                            uvarint(len(key)), key, value
//
// The encoding is canonical (names and keys sorted), so two equal values
// encode to the same bytes, which CondAttrEqual relies on. Items written
// before this encoding are JSON objects of tagged values (see legacy.go);
// they start with '{', which is not formatV1, and are still read.

// formatV1 is the first byte of an item in the binary encoding. It must
// never be '{', the first byte of an item in the legacy JSON encoding.
const formatV1 byte = 0x01

// Value tags.
const (
	tagNull byte = iota
	tagFalse
	tagTrue
	tagS
	tagN
	tagB
	tagL
	tagM
)

// maxDepth bounds the nesting of lists and maps, so that neither encoding
// (a cyclic value) nor decoding (a corrupt item) can recurse without end.
// It is far above DynamoDB's own limit of 32 levels, and above what the
// legacy JSON encoding could read back (encoding/json stops at 10000
// levels of JSON, two per tagged list or map).
const maxDepth = 10000

// record is a stored item with its attribute values in Go form: decoded
// from storage (string, int64, bool, []byte, []any, map[string]any, nil)
// or, on the write path, the caller's checked item (where numbers may also
// be int or int32).
type record table.Item

func invalid(format string, args ...any) error {
	return fmt.Errorf("boltstore: %w: %s", table.ErrInvalid, fmt.Sprintf(format, args...))
}

// errTooDeep is returned, without the path to the failing value, for
// values nested deeper than maxDepth (the path would be maxDepth long).
var errTooDeep = fmt.Errorf("%w: lists and maps nested deeper than %d levels", table.ErrInvalid, maxDepth)

// appendValue appends the encoding of a Go attribute value at nesting depth
// depth. It refuses floats and types outside the port's value set.
func appendValue(dst []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, tagNull), nil
	case string:
		return appendStr(append(dst, tagS), x), nil
	case int64:
		return binary.AppendVarint(append(dst, tagN), x), nil
	case int:
		return binary.AppendVarint(append(dst, tagN), int64(x)), nil
	case int32:
		return binary.AppendVarint(append(dst, tagN), int64(x)), nil
	case bool:
		if x {
			return append(dst, tagTrue), nil
		}
		return append(dst, tagFalse), nil
	case []byte:
		dst = binary.AppendUvarint(append(dst, tagB), uint64(len(x)))
		return append(dst, x...), nil
	case []any:
		if depth >= maxDepth {
			return dst, errTooDeep
		}
		dst = binary.AppendUvarint(append(dst, tagL), uint64(len(x)))
		for i, e := range x {
			var err error
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				if err == errTooDeep {
					return dst, err
				}
				return dst, fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return dst, nil
	case map[string]any:
		if depth >= maxDepth {
			return dst, errTooDeep
		}
		dst = binary.AppendUvarint(append(dst, tagM), uint64(len(x)))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			dst = appendStr(dst, k)
			var err error
			if dst, err = appendValue(dst, x[k], depth+1); err != nil {
				if err == errTooDeep {
					return dst, err
				}
				return dst, fmt.Errorf(".%s: %w", k, err)
			}
		}
		return dst, nil
	case float32, float64:
		return dst, fmt.Errorf("%w: float %v refused: use integer fen or a decimal string", table.ErrInvalid, x)
	}
	return dst, fmt.Errorf("%w: unsupported attribute type %T", table.ErrInvalid, v)
}

func appendStr(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendRecord appends the encoding of an item, without the port's checks.
func appendRecord(dst []byte, it table.Item) ([]byte, error) {
	dst = append(dst, formatV1)
	dst = binary.AppendUvarint(dst, uint64(len(it)))
	for _, name := range slices.Sorted(maps.Keys(it)) {
		dst = appendStr(dst, name)
		var err error
		if dst, err = appendValue(dst, it[name], 0); err != nil {
			return nil, fmt.Errorf("boltstore: attribute %s: %w", name, err)
		}
	}
	return dst, nil
}

// stored is an item checked and encoded for writing.
type stored struct {
	key  table.Key
	rec  record // the caller's item, read while the call lasts
	data []byte // the encoding of rec
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
	data, err := appendRecord(make([]byte, 0, 256), it)
	if err != nil {
		return stored{}, err
	}
	return stored{key: k, rec: record(it), data: data}, nil
}

// decodeRecord decodes a stored item, in the binary or the legacy JSON
// encoding. data may be bbolt's memory: nothing returned aliases it.
func decodeRecord(data []byte) (record, error) {
	if len(data) == 0 {
		return nil, errors.New("boltstore: decode item: empty value")
	}
	switch data[0] {
	case formatV1:
	case '{':
		return decodeLegacyRecord(data)
	default:
		return nil, fmt.Errorf("boltstore: decode item: unknown format byte 0x%02x", data[0])
	}
	// One copy of the whole item: every string and name decoded from it is
	// a substring of this copy, so strings cost no allocation of their own.
	d := decoder{s: string(data), i: 1}
	n, ok := d.count(2)
	if !ok {
		return nil, d.corrupt()
	}
	rec := make(record, n)
	for range n {
		name, ok := d.str()
		if !ok {
			return nil, d.corrupt()
		}
		if _, dup := rec[name]; dup {
			d.why = "duplicate attribute"
			return nil, d.corrupt()
		}
		v, ok := d.value(0)
		if !ok {
			return nil, d.corrupt()
		}
		rec[name] = v
	}
	if d.i != len(d.s) {
		d.why = "trailing bytes"
		return nil, d.corrupt()
	}
	return rec, nil
}

// decoder reads the binary encoding from s, at i. On failure, why says
// what was wrong at i.
type decoder struct {
	s   string
	i   int
	why string
}

func (d *decoder) corrupt() error {
	why := d.why
	if why == "" {
		why = "truncated or malformed"
	}
	return fmt.Errorf("boltstore: decode item: %s at byte %d of %d", why, d.i, len(d.s))
}

// uvarint reads an unsigned varint as encoding/binary writes it.
func (d *decoder) uvarint() (uint64, bool) {
	var x uint64
	var shift uint
	for k := range binary.MaxVarintLen64 {
		if d.i >= len(d.s) {
			return 0, false
		}
		b := d.s[d.i]
		d.i++
		if b < 0x80 {
			if k == binary.MaxVarintLen64-1 && b > 1 {
				d.why = "varint overflows 64 bits"
				return 0, false
			}
			return x | uint64(b)<<shift, true
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	d.why = "varint overflows 64 bits"
	return 0, false
}

// count reads an element count, refusing one that the rest of the input
// cannot hold at min bytes per element (this bounds allocations).
func (d *decoder) count(min int) (int, bool) {
	n, ok := d.uvarint()
	if !ok {
		return 0, false
	}
	if n > uint64((len(d.s)-d.i)/min) {
		d.why = "count exceeds the remaining bytes"
		return 0, false
	}
	return int(n), true
}

// str reads a length-prefixed string, sharing d.s's memory.
func (d *decoder) str() (string, bool) {
	n, ok := d.uvarint()
	if !ok {
		return "", false
	}
	if n > uint64(len(d.s)-d.i) {
		d.why = "length exceeds the remaining bytes"
		return "", false
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s, true
}

// value reads one tagged value at nesting depth depth.
func (d *decoder) value(depth int) (any, bool) {
	if d.i >= len(d.s) {
		return nil, false
	}
	tag := d.s[d.i]
	d.i++
	switch tag {
	case tagNull:
		return nil, true
	case tagFalse:
		return false, true
	case tagTrue:
		return true, true
	case tagS:
		s, ok := d.str()
		return s, ok
	case tagN:
		ux, ok := d.uvarint()
		n := int64(ux >> 1)
		if ux&1 != 0 {
			n = ^n
		}
		return n, ok
	case tagB:
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		b := make([]byte, len(s)) // never nil, as the JSON encoding read back
		copy(b, s)
		return b, true
	case tagL:
		if depth >= maxDepth {
			d.why = "nested too deep"
			return nil, false
		}
		n, ok := d.count(1)
		if !ok {
			return nil, false
		}
		l := make([]any, n)
		for i := range l {
			if l[i], ok = d.value(depth + 1); !ok {
				return nil, false
			}
		}
		return l, true
	case tagM:
		if depth >= maxDepth {
			d.why = "nested too deep"
			return nil, false
		}
		n, ok := d.count(2)
		if !ok {
			return nil, false
		}
		m := make(map[string]any, n)
		for range n {
			k, ok := d.str()
			if !ok {
				return nil, false
			}
			if _, dup := m[k]; dup {
				d.why = "duplicate map key"
				return nil, false
			}
			if m[k], ok = d.value(depth + 1); !ok {
				return nil, false
			}
		}
		return m, true
	}
	d.i--
	d.why = fmt.Sprintf("unknown value tag 0x%02x", tag)
	return nil, false
}

// str returns the named string attribute.
func (rec record) str(name string) (string, bool) {
	s, ok := rec[name].(string)
	return s, ok
}

// num returns the named number attribute.
func (rec record) num(name string) (int64, bool) {
	switch x := rec[name].(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	}
	return 0, false
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
