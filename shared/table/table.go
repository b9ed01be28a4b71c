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
// PK, SK and any GSI key attribute present are non-empty strings and TTL,
// when present, is an integer; adapters refuse other items with ErrInvalid.
//
// Adapters: dynamostore (DynamoDB, production) and boltstore (bbolt on disk,
// the local runner). tabletest holds the contract suite both must pass.
package table

import (
	"context"
	"errors"
	"fmt"
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

// Item is one table item.
type Item map[string]any

// Key identifies an item.
type Key struct {
	PK, SK string
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
func (it Item) Int(name string) int64 {
	switch v := it[name].(type) {
	case int64:
		return v
	case int:
		return int64(v)
	case int32:
		return int64(v)
	}
	return 0
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
	return fmt.Sprintf("table: transaction canceled: op %d (%s/%s): %s", e.Index, e.Key.PK, e.Key.SK, e.Reason)
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
)

// Op is one operation of a transaction.
type Op struct {
	Kind OpKind
	Item Item // for OpPut
	Key  Key  // for OpDelete and OpCheck
	Cond Cond
}

// Put returns a put operation.
func Put(it Item, c Cond) Op { return Op{Kind: OpPut, Item: it, Key: it.Key(), Cond: c} }

// Delete returns a delete operation.
func Delete(k Key, c Cond) Op { return Op{Kind: OpDelete, Key: k, Cond: c} }

// Check returns a condition-only operation.
func Check(k Key, c Cond) Op { return Op{Kind: OpCheck, Key: k, Cond: c} }

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
