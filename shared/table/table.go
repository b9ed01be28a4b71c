// Package table is the port for the single DynamoDB-style table that holds
// applications, ledgers, accounts and audit records.
//
// Items are maps with the key attributes PK and SK, the optional sparse index
// attributes GSI1PK/GSI1SK and GSI2PK/GSI2SK, an optional Version (int64) for
// optimistic locking and an optional TTL (int64 epoch seconds): once the
// clock reads TTL or later the item is treated as absent by Get, Query and
// every condition (IfAbsent succeeds over it, IfExists fails), and it is
// later removed.
//
// Attribute values may be: string, int64 (int and int32 are accepted on write
// and read back as int64), bool, []byte, []any and map[string]any of these,
// and nil. Floats are refused: money is integer fen or a decimal string.
// PK, SK and any GSI key attribute present are non-empty strings within
// DynamoDB's key size limits and TTL, when present, is an integer; adapters
// refuse other items with ErrInvalid.
//
// The port's own rules on requests are checked here, once, for every
// adapter: Key.Validate, CheckItem, Cond.Validate, CheckTransaction and
// Query.PageSize. Adapters add only what their encoding needs (value types,
// floats, cursors).
//
// Adapters: dynamostore (DynamoDB, production) and boltstore (bbolt on disk,
// the local runner). tabletest holds the contract suite both must pass.
package table

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Attribute names with a meaning to every adapter.
const (
	AttrPK      = "PK"
	AttrSK      = "SK"
	AttrGSI1PK  = "GSI1PK"
	AttrGSI1SK  = "GSI1SK"
	AttrGSI2PK  = "GSI2PK"
	AttrGSI2SK  = "GSI2SK"
	AttrVersion = "Version"
	AttrTTL     = "TTL"
)

// Index names for Query.Index.
const (
	Primary = ""
	GSI1    = "GSI1"
	GSI2    = "GSI2"
)

// MaxTransactItems is the largest transaction DynamoDB accepts.
const MaxTransactItems = 100

// DynamoDB's key size limits, in bytes of UTF-8, for the partition key and
// the sort key of the table and of each index. Every adapter enforces them,
// so the local runner refuses what production would refuse.
const (
	MaxPartitionKeyBytes = 2048
	MaxSortKeyBytes      = 1024
)

// invalid returns an error wrapping ErrInvalid with the formatted reason.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Item is one table item.
type Item map[string]any

// Key identifies an item.
type Key struct {
	PK, SK string
}

// Validate reports whether k can address an item: PK and SK non-empty and
// within MaxPartitionKeyBytes and MaxSortKeyBytes. The error wraps
// ErrInvalid.
func (k Key) Validate() error {
	if k.PK == "" || k.SK == "" {
		return invalid("empty key %q/%q", k.PK, k.SK)
	}
	if len(k.PK) > MaxPartitionKeyBytes || len(k.SK) > MaxSortKeyBytes {
		return invalid("key too long (PK %d bytes, SK %d bytes)", len(k.PK), len(k.SK))
	}
	return nil
}

// String returns the key for error messages and logs: only the first
// segment of each part (up to its first '#') is kept, since key values
// carry identifiers such as person numbers ("LEDGER#PERSON#2309…" →
// "LEDGER#…"). Personal data never reaches a log through a key.
func (k Key) String() string { return Redact(k.PK) + "/" + Redact(k.SK) }

// Redact returns the first segment of a key value (up to and including
// its first '#') followed by "…", or "…" for a value without '#'.
func Redact(v string) string {
	if i := strings.IndexByte(v, '#'); i >= 0 {
		return v[:i+1] + "…"
	}
	return "…"
}

// ValidKeyPart reports whether s can be one segment of a key value built
// with the '#' separator (LEDGER#PERSON#<number>): not empty, at most 64
// bytes, and free of the separators '#' and '$' and of control characters.
// Packages check identifiers from requests with it before building keys.
func ValidKeyPart(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if c == '#' || c == '$' || c < ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// Key returns the item's key.
func (it Item) Key() Key {
	pk, _ := it[AttrPK].(string)
	sk, _ := it[AttrSK].(string)
	return Key{PK: pk, SK: sk}
}

// String returns the named string attribute, or "".
func (it Item) String(name string) string { s, _ := it[name].(string); return s }

// Int returns the named number attribute, or 0.
func (it Item) Int(name string) int64 { n, _ := asInt64(it[name]); return n }

// asInt64 converts the integer types the port accepts (int64, int, int32).
func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	}
	return 0, false
}

// indexKeyAttrs are the GSI key attributes with their size limits.
var indexKeyAttrs = [...]struct {
	name string
	max  int
}{
	{AttrGSI1PK, MaxPartitionKeyBytes}, {AttrGSI1SK, MaxSortKeyBytes},
	{AttrGSI2PK, MaxPartitionKeyBytes}, {AttrGSI2SK, MaxSortKeyBytes},
}

// CheckItem checks an item against the port's rules on keys and named
// attributes and returns its key: PK and SK are strings forming a valid
// Key, every GSI key attribute present is a non-empty string within the
// key size limits, TTL when present is an integer, and no attribute name
// is empty. It does not check attribute values; the adapters' encodings
// refuse floats and unsupported types. The error wraps ErrInvalid.
func CheckItem(it Item) (Key, error) {
	pk, okp := it[AttrPK].(string)
	sk, oks := it[AttrSK].(string)
	if !okp || !oks {
		return Key{}, invalid("PK and SK must be strings, got %T and %T", it[AttrPK], it[AttrSK])
	}
	k := Key{PK: pk, SK: sk}
	if err := k.Validate(); err != nil {
		return Key{}, err
	}
	for _, a := range indexKeyAttrs {
		v, ok := it[a.name]
		if !ok {
			continue
		}
		s, isString := v.(string)
		if !isString || s == "" || len(s) > a.max {
			return Key{}, invalid("index key attribute %s must be a non-empty string of at most %d bytes, got %T", a.name, a.max, v)
		}
	}
	if v, ok := it[AttrTTL]; ok {
		if _, isInt := asInt64(v); !isInt {
			return Key{}, invalid("TTL must be integer epoch seconds, got %T", v)
		}
	}
	if _, ok := it[""]; ok {
		return Key{}, invalid("empty attribute name")
	}
	return k, nil
}

// Errors every adapter returns; match with errors.Is.
var (
	ErrNotFound        = errors.New("table: item not found")
	ErrConditionFailed = errors.New("table: condition failed")
	ErrInvalid         = errors.New("table: invalid request")
)

// TxCanceledError reports a transaction that wrote nothing because the
// condition of the operation at Index failed. It matches ErrConditionFailed.
type TxCanceledError struct {
	Index  int    // position in the ops slice of the first failed condition
	Key    Key    // that operation's key
	Reason string // adapter's reason code, e.g. ConditionalCheckFailed
}

// Error describes the failed operation.
func (e *TxCanceledError) Error() string {
	return fmt.Sprintf("table: transaction canceled: op %d (%s): %s", e.Index, e.Key, e.Reason)
}

// Is makes errors.Is(err, ErrConditionFailed) true.
func (e *TxCanceledError) Is(target error) bool { return target == ErrConditionFailed }

// CondKind is the kind of a write condition.
type CondKind int

// Condition kinds.
const (
	CondNone      CondKind = iota
	CondAbsent             // no item with this key exists
	CondExists             // an item with this key exists
	CondAttrEqual          // attribute Attr equals Value
	CondVersion            // attribute Version equals Value (0: absent or 0)
)

// Cond is a condition on the current item with the same key.
type Cond struct {
	Kind  CondKind
	Attr  string
	Value any
}

// Validate checks the condition against the port's rules: a known kind, an
// attribute name for CondAttrEqual and an integer value for CondVersion.
// The value of CondAttrEqual is left to the adapters' encodings. The error
// wraps ErrInvalid.
func (c Cond) Validate() error {
	switch c.Kind {
	case CondNone, CondAbsent, CondExists:
		return nil
	case CondAttrEqual:
		if c.Attr == "" {
			return invalid("attribute condition without attribute name")
		}
		return nil
	case CondVersion:
		_, err := c.VersionValue()
		return err
	}
	return invalid("unknown condition kind %d", c.Kind)
}

// VersionValue returns the expected Version of a CondVersion condition:
// Value as int64, accepting int64, int and int32. Any other value, or a
// condition of another kind, is an error wrapping ErrInvalid.
func (c Cond) VersionValue() (int64, error) {
	if c.Kind != CondVersion {
		return 0, invalid("condition kind %d is not a version condition", c.Kind)
	}
	n, ok := asInt64(c.Value)
	if !ok {
		return 0, invalid("version condition value %T is not an integer", c.Value)
	}
	return n, nil
}

// IfAbsent is the condition that the item does not exist.
func IfAbsent() Cond { return Cond{Kind: CondAbsent} }

// IfExists is the condition that the item exists.
func IfExists() Cond { return Cond{Kind: CondExists} }

// IfAttrEquals is the condition that the item exists and its attribute attr
// equals v.
func IfAttrEquals(attr string, v any) Cond { return Cond{Kind: CondAttrEqual, Attr: attr, Value: v} }

// IfVersion is the condition that the item's Version equals v; v == 0 also
// matches an absent item or one without Version, so the first write of a
// versioned item uses IfVersion(0).
func IfVersion(v int64) Cond { return Cond{Kind: CondVersion, Attr: AttrVersion, Value: v} }

// OpKind is the kind of a transactional operation.
type OpKind int

// Operation kinds.
const (
	OpPut OpKind = iota + 1
	OpDelete
	OpCheck
	OpAdd
)

// Op is one operation of a transaction.
type Op struct {
	Kind    OpKind
	Item    Item // for OpPut and OpAdd
	Key     Key  // for every kind (Put and Add set it from Item)
	Cond    Cond // not for OpAdd, whose condition is Counter.Max
	Counter Counter
}

// Counter is what an add (Store.Add, OpAdd) adds to integer attributes of
// one item, and the most each may then hold.
type Counter struct {
	// Add maps an attribute to the amount added to it, which may be
	// negative; an absent attribute counts as 0.
	Add map[string]int64
	// Max maps an attribute of Add to the largest value it may hold after
	// the addition; an add that would take it higher writes nothing and
	// fails its condition.
	Max map[string]int64
}

// Put returns a put operation.
func Put(it Item, c Cond) Op { return Op{Kind: OpPut, Item: it, Key: it.Key(), Cond: c} }

// Delete returns a delete operation.
func Delete(k Key, c Cond) Op { return Op{Kind: OpDelete, Key: k, Cond: c} }

// Check returns a condition-only operation.
func Check(k Key, c Cond) Op { return Op{Kind: OpCheck, Key: k, Cond: c} }

// Add returns an add operation; see Store.Add.
func Add(it Item, c Counter) Op { return Op{Kind: OpAdd, Item: it, Key: it.Key(), Counter: c} }

// CheckAdd checks an add against the port's rules and returns its key: it
// is a valid item (CheckItem) without Version, which the add maintains;
// c adds to at least one attribute; no counted attribute is empty, a key,
// index key, TTL or Version attribute, or also written by it; every
// attribute of c.Max is counted. The error wraps ErrInvalid.
func CheckAdd(it Item, c Counter) (Key, error) {
	k, err := CheckItem(it)
	if err != nil {
		return Key{}, err
	}
	if _, ok := it[AttrVersion]; ok {
		return Key{}, invalid("an add maintains Version itself; the item must not carry it")
	}
	if len(c.Add) == 0 {
		return Key{}, invalid("an add without amounts")
	}
	for name := range c.Add {
		switch name {
		case "", AttrPK, AttrSK, AttrGSI1PK, AttrGSI1SK, AttrGSI2PK, AttrGSI2SK, AttrTTL, AttrVersion:
			return Key{}, invalid("attribute %q cannot be counted", name)
		}
		if _, ok := it[name]; ok {
			return Key{}, invalid("attribute %q is both counted and written", name)
		}
	}
	for name := range c.Max {
		if _, ok := c.Add[name]; !ok {
			return Key{}, invalid("maximum for %q, which is not counted", name)
		}
	}
	return k, nil
}

// Apply returns what an add makes of cur, the live item with its key (nil
// when absent or expired): cur's attributes, those of it over them, each amount
// of c added and Version one more. ok is false when an attribute would
// pass its maximum. A counted attribute that holds something other than an
// integer, or an addition that overflows int64, is an error wrapping
// ErrInvalid. Adapters that compute adds themselves (boltstore) use it;
// cur is not changed.
func (c Counter) Apply(cur, it Item) (next Item, ok bool, err error) {
	next = make(Item, len(cur)+len(it)+len(c.Add)+1)
	for name, v := range cur {
		next[name] = v
	}
	for name, v := range it {
		next[name] = v
	}
	for name, amount := range c.Add {
		var n int64
		if v, has := cur[name]; has {
			var isInt bool
			if n, isInt = asInt64(v); !isInt {
				return nil, false, invalid("counted attribute %q holds %T, not an integer", name, v)
			}
		}
		sum := n + amount
		if (amount > 0 && sum < n) || (amount < 0 && sum > n) {
			return nil, false, invalid("counted attribute %q overflows", name)
		}
		if limit, has := c.Max[name]; has && sum > limit {
			return nil, false, nil
		}
		next[name] = sum
	}
	ver, isInt := asInt64(cur[AttrVersion])
	if _, has := cur[AttrVersion]; has && !isInt {
		return nil, false, invalid("Version holds %T, not an integer", cur[AttrVersion])
	}
	next[AttrVersion] = ver + 1
	return next, true, nil
}

// CheckTransaction checks ops against the port's rules for TransactWrite
// and returns the key of each op: at most MaxTransactItems ops; each of a
// known kind, with a valid item (CheckItem) for OpPut, a valid add
// (CheckAdd) and no Cond for OpAdd, or a valid key for OpDelete and
// OpCheck, a valid condition, and a condition other than CondNone for
// OpCheck; no two ops on one key. No ops is valid. Attribute
// values are left to the adapters' encodings. The error wraps ErrInvalid.
func CheckTransaction(ops []Op) ([]Key, error) {
	if len(ops) > MaxTransactItems {
		return nil, invalid("transaction of %d ops; at most %d", len(ops), MaxTransactItems)
	}
	keys := make([]Key, len(ops))
	seen := make(map[Key]bool, len(ops))
	for i, op := range ops {
		k, err := checkOp(op)
		if err != nil {
			return nil, fmt.Errorf("transact op %d: %w", i, err)
		}
		if seen[k] {
			return nil, invalid("transact op %d: two ops on %s", i, k)
		}
		seen[k] = true
		keys[i] = k
	}
	return keys, nil
}

// checkOp checks one transactional operation and returns its key.
func checkOp(op Op) (Key, error) {
	k := op.Key
	var err error
	switch op.Kind {
	case OpPut:
		k, err = CheckItem(op.Item)
	case OpDelete:
		err = k.Validate()
	case OpCheck:
		err = k.Validate()
		if err == nil && op.Cond.Kind == CondNone {
			err = invalid("check without a condition")
		}
	case OpAdd:
		k, err = CheckAdd(op.Item, op.Counter)
		if err == nil && op.Cond.Kind != CondNone {
			err = invalid("an add takes no condition but its maximums")
		}
	default:
		err = invalid("unknown op kind %d", op.Kind)
	}
	if err != nil {
		return Key{}, err
	}
	return k, op.Cond.Validate()
}

// SKOp is a sort-key comparison.
type SKOp int

// Sort-key comparisons, as in DynamoDB key condition expressions.
const (
	SKAny SKOp = iota
	SKEq
	SKBeginsWith
	SKBetween
	SKLt
	SKLe
	SKGt
	SKGe
)

// SKCond is a condition on the sort key of the queried index.
type SKCond struct {
	Op     SKOp
	Value  string
	Value2 string // upper bound for SKBetween (inclusive)
}

// Query selects items of one partition of the primary key or of an index.
type Query struct {
	Index    string // Primary, GSI1 or GSI2
	PK       string // partition key value
	SK       SKCond
	Backward bool   // descending sort-key order
	Limit    int    // at most this many items (0: adapter default, 100)
	Cursor   string // opaque cursor from a previous Page
}

// Validate checks the sort-key condition: a known comparison and, for
// SKBetween, Value not above Value2. The error wraps ErrInvalid.
func (c SKCond) Validate() error {
	switch c.Op {
	case SKAny, SKEq, SKBeginsWith, SKLt, SKLe, SKGt, SKGe:
		return nil
	case SKBetween:
		if c.Value > c.Value2 {
			return invalid("between %q and %q: lower bound above upper bound", c.Value, c.Value2)
		}
		return nil
	}
	return invalid("unknown sort-key condition %d", c.Op)
}

// PageSize checks the query against the port's rules and returns the
// number of items a full page holds: Index is Primary, GSI1 or GSI2, PK is
// set, Limit is not negative and the sort-key condition is valid
// (SKCond.Validate); Limit 0 means DefaultLimit. The cursor is the
// adapter's to check. The error wraps ErrInvalid.
func (q Query) PageSize() (int, error) {
	switch q.Index {
	case Primary, GSI1, GSI2:
	default:
		return 0, invalid("unknown index %q", q.Index)
	}
	if q.PK == "" {
		return 0, invalid("query without partition key")
	}
	if q.Limit < 0 {
		return 0, invalid("negative limit %d", q.Limit)
	}
	if err := q.SK.Validate(); err != nil {
		return 0, err
	}
	if q.Limit == 0 {
		return DefaultLimit, nil
	}
	return q.Limit, nil
}

// Page is one page of query results. Cursor is empty on the last page.
type Page struct {
	Items  []Item
	Cursor string
}

// Store is the table port.
type Store interface {
	// Get returns the item or ErrNotFound (also for an expired item).
	Get(ctx context.Context, k Key) (Item, error)
	// Put writes the item if the condition holds, else ErrConditionFailed.
	Put(ctx context.Context, it Item, c Cond) error
	// Delete removes the item if the condition holds, else
	// ErrConditionFailed. Deleting an absent item without a condition is
	// not an error.
	Delete(ctx context.Context, k Key, c Cond) error
	// Add adds to integer attributes of the item keyed by it atomically,
	// without a read: it writes the attributes of it over the item's
	// (creating the item when absent or expired), adds each amount of c.Add
	// to its attribute (absent: 0) and 1 to Version (absent: 0), so that a
	// writer holding IfVersion sees the change. When an attribute of c.Max
	// would pass its maximum nothing is written and the error is
	// ErrConditionFailed. Counters that many requests change at once
	// (quotas, rate limits) use it: a read followed by a versioned write
	// would lose races.
	Add(ctx context.Context, it Item, c Counter) error
	// TransactWrite applies up to MaxTransactItems operations all or
	// nothing; when a condition fails it returns *TxCanceledError. No ops
	// is a no-op; more than MaxTransactItems ops, or two ops on one key,
	// is ErrInvalid.
	TransactWrite(ctx context.Context, ops []Op) error
	// Query returns one page of a partition, in sort-key order (byte order
	// of the UTF-8 sort key). Every page but the last holds exactly Limit
	// items; the last may hold fewer, or none when the previous page ended
	// exactly at the end of the partition.
	Query(ctx context.Context, q Query) (Page, error)
}

// DefaultLimit is the page size when Query.Limit is 0.
const DefaultLimit = 100
