// Package boltstore is the embedded adapter of the table port: the whole
// single table in one bbolt file on disk, for the local runner and tests.
//
// Layout (one bbolt bucket each):
//
//   - items: key (PK, SK) → the item in a compact binary encoding of
//     tagged values (see Item encoding below);
//   - gsi1, gsi2: key (GSIxPK, GSIxSK, PK, SK) → items key, only for items
//     that carry both index key attributes (sparse, as in DynamoDB);
//   - ttl: key (TTL, PK, SK) for items with a numeric TTL, for the sweeper.
//
// Keys are tuples of strings encoded so that bbolt's byte order is the
// order DynamoDB gives string keys (byte order of UTF-8); items with equal
// GSI keys are ordered by primary key.
//
// Invariants: every write runs in a bbolt read-write transaction that is
// committed with fsync before the call returns, so a write that returned
// nil survives kill -9 and power loss; TransactWrite is all or nothing.
// Concurrent writes share a transaction (group commit, see committer), so
// that one fsync serves all the writes that arrived during the previous
// one. An item whose TTL is at or before the clock's now is absent for
// reads and conditions at once, and a background sweeper deletes it later
// (Sweep does it now). The Store is safe for concurrent use. A file opened
// by another process is refused after a short lock timeout.
//
// # Item encoding
//
// Each attribute value is stored with its type: string, number (int64),
// bytes, bool, null, list or map, so that int64, []byte, string and bool
// read back as written. An item is a version byte (0x01), the attribute
// count, then each attribute's name and value in name order; a value is a
// tag byte and its payload: varint-length-prefixed bytes for strings and
// bytes, a zigzag varint for numbers, a count and the elements (map
// entries in key order) for lists and maps. The encoding is canonical, so
// equal values have equal bytes (CondAttrEqual compares bytes), and lists
// and maps nest at most 10000 levels deep (deeper items are refused on
// write, corrupt ones on read). codec.go has the exact layout.
//
// The codec is written by hand rather than with encoding/json or gob:
// the set of value types is fixed by the port, so a small switch encodes
// it and a single pass decodes it straight into a table.Item, with no
// reflection, no intermediate tagged structure and one string allocation
// per item shared by all its names and strings. Reads dominate (a ledger
// view decodes hundreds of items), and the former JSON encoding spent most
// of a read in reflection and map assignment. A decoder given truncated or
// corrupt bytes returns an error; it never panics.
//
// Items written by earlier versions in a DynamoDB-JSON-like encoding
// ({"S":..}, {"N":"123"}, {"B":..}, {"BOOL":..}, {"NULL":true}, {"L":..},
// {"M":..}) start with '{', which the version byte never is; they are still
// read, and are rewritten in the binary encoding when next written.
package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

var _ table.Store = (*Store)(nil)

var (
	bucketItems = []byte("items")
	bucketTTL   = []byte("ttl")
)

const (
	// LockTimeout is how long Open waits for another process to release
	// the file before it gives up.
	LockTimeout = time.Second
	// SweepInterval is how often the background sweeper deletes expired
	// items.
	SweepInterval = time.Minute
	// sweepBatch bounds the deletions of one sweeper transaction so that
	// writers are not held up for long.
	sweepBatch = 1000
)

// ErrLocked is returned (wrapped) by Open when another process holds the
// file.
var ErrLocked = errors.New("boltstore: database file is in use by another process")

// Store is a table.Store in a bbolt file.
type Store struct {
	db        *bolt.DB
	clk       clock.Clock
	stop      chan struct{}
	done      chan struct{}
	commits   *committer
	closeOnce sync.Once
	closeErr  error
}

// InitialMmapSize is the address space the file is mapped with at first.
// bbolt maps the file anew each time it outgrows the mapping (doubling up
// to 1 GiB, then 1 GiB at a time), and a remap waits for every reader and
// blocks every writer; mapping 1 GiB from the start spares a growing
// store the ten remaps on its way there. It is address space, not memory:
// only the pages read or written become resident.
const InitialMmapSize = 1 << 30

// Open opens or creates the table file at path and starts the TTL
// sweeper. clk decides which items have expired. If another process has
// the file open, Open fails after LockTimeout with an error wrapping
// ErrLocked.
func Open(path string, clk clock.Clock) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, InitialMmapSize: InitialMmapSize})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("boltstore: open %s: %w (waited %s for its lock)", path, ErrLocked, LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketItems, bucketTTL, gsis[0].bucket, gsis[1].bucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("boltstore: open %s: create buckets: %w", path, err)
	}
	s := &Store{db: db, clk: clk, stop: make(chan struct{}), done: make(chan struct{}), commits: newCommitter()}
	go s.commitLoop()
	go s.sweeper()
	return s, nil
}

// Close stops the sweeper and closes the file. It is safe to call twice.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
		s.stopCommits()
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

func (s *Store) now() int64 { return s.clk.Now().Unix() }

// Get returns the item with key k, or table.ErrNotFound when it is absent
// or expired.
func (s *Store) Get(ctx context.Context, k table.Key) (table.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := portErr(k.Validate()); err != nil {
		return nil, err
	}
	now := s.now()
	var it table.Item
	err := s.db.View(func(tx *bolt.Tx) error {
		rec, err := load(tx, primaryKey(k), now)
		if err != nil {
			return err
		}
		if rec == nil {
			return table.ErrNotFound
		}
		it = table.Item(rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: get %s: %w", k, err)
	}
	return it, nil
}

// Put writes the item if c holds, else returns table.ErrConditionFailed.
func (s *Store) Put(ctx context.Context, it table.Item, c table.Cond) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := encodeItem(it)
	if err != nil {
		return err
	}
	cc, err := checkCond(c)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.update(func(tx *bolt.Tx) error {
		pkey := primaryKey(st.key)
		cur, err := load(tx, pkey, now)
		if err != nil {
			return err
		}
		if !cc.holds(cur) {
			return table.ErrConditionFailed
		}
		return write(tx, pkey, st)
	})
	if err != nil {
		return fmt.Errorf("boltstore: put %s: %w", st.key, err)
	}
	return nil
}

// Delete removes the item if c holds, else returns
// table.ErrConditionFailed.
func (s *Store) Delete(ctx context.Context, k table.Key, c table.Cond) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := portErr(k.Validate()); err != nil {
		return err
	}
	cc, err := checkCond(c)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.update(func(tx *bolt.Tx) error {
		pkey := primaryKey(k)
		cur, err := load(tx, pkey, now)
		if err != nil {
			return err
		}
		if !cc.holds(cur) {
			return table.ErrConditionFailed
		}
		return remove(tx, pkey)
	})
	if err != nil {
		return fmt.Errorf("boltstore: delete %s: %w", k, err)
	}
	return nil
}

// Add adds to integer attributes of the item keyed by it in one write; see
// table.Store.Add.
func (s *Store) Add(ctx context.Context, it table.Item, c table.Counter) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k, err := table.CheckAdd(it, c)
	if err != nil {
		return portErr(err)
	}
	now := s.now()
	err = s.update(func(tx *bolt.Tx) error {
		pkey := primaryKey(k)
		st, ok, err := applyAdd(tx, pkey, it, c, now)
		if err != nil {
			return err
		}
		if !ok {
			return table.ErrConditionFailed
		}
		return write(tx, pkey, st)
	})
	if err != nil {
		return fmt.Errorf("boltstore: add %s: %w", k, err)
	}
	return nil
}

// applyAdd computes the add of it and c over the live item at pkey; ok is
// false when a maximum would be passed.
func applyAdd(tx *bolt.Tx, pkey []byte, it table.Item, c table.Counter, now int64) (stored, bool, error) {
	cur, err := load(tx, pkey, now)
	if err != nil {
		return stored{}, false, err
	}
	next, ok, err := c.Apply(table.Item(cur), it)
	if err != nil || !ok {
		return stored{}, ok, err
	}
	st, err := encodeItem(next)
	return st, err == nil, err
}

// txOp is a checked transactional operation.
type txOp struct {
	kind    table.OpKind
	key     table.Key
	put     stored
	cond    cond
	item    table.Item // for OpAdd
	counter table.Counter
}

// TransactWrite applies ops in one bbolt transaction: every condition is
// checked against the state before the transaction, and either all ops
// apply or none does.
func (s *Store) TransactWrite(ctx context.Context, ops []table.Op) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(ops) == 0 {
		return nil
	}
	keys, err := table.CheckTransaction(ops)
	if err != nil {
		return portErr(err)
	}
	checked := make([]txOp, len(ops))
	for i, op := range ops {
		t := txOp{kind: op.Kind, key: keys[i], item: op.Item, counter: op.Counter}
		var err error
		if op.Kind == table.OpPut {
			t.put, err = encodeItem(op.Item)
		}
		if err == nil && op.Kind != table.OpAdd {
			t.cond, err = checkCond(op.Cond)
		}
		if err != nil {
			return fmt.Errorf("boltstore: transact op %d: %w", i, err)
		}
		checked[i] = t
	}
	now := s.now()
	err = s.update(func(tx *bolt.Tx) error {
		adds := make([]stored, len(checked)) // this run's adds: a group commit may run it again
		for i, op := range checked {
			if op.kind == table.OpAdd {
				st, ok, err := applyAdd(tx, primaryKey(op.key), op.item, op.counter, now)
				if err != nil {
					return err
				}
				if !ok {
					return &table.TxCanceledError{Index: i, Key: op.key, Reason: "ConditionalCheckFailed"}
				}
				adds[i] = st
				continue
			}
			cur, err := load(tx, primaryKey(op.key), now)
			if err != nil {
				return err
			}
			if !op.cond.holds(cur) {
				return &table.TxCanceledError{Index: i, Key: op.key, Reason: "ConditionalCheckFailed"}
			}
		}
		for i, op := range checked {
			var err error
			switch op.kind {
			case table.OpPut:
				err = write(tx, primaryKey(op.key), op.put)
			case table.OpAdd:
				err = write(tx, primaryKey(op.key), adds[i])
			case table.OpDelete:
				err = remove(tx, primaryKey(op.key))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: transact: %w", err)
	}
	return nil
}

// load returns the live item at pkey, or nil if it is absent or expired.
func load(tx *bolt.Tx, pkey []byte, now int64) (record, error) {
	data := tx.Bucket(bucketItems).Get(pkey)
	if data == nil {
		return nil, nil
	}
	rec, err := decodeRecord(data)
	if err != nil {
		return nil, err
	}
	if rec.expired(now) {
		return nil, nil
	}
	return rec, nil
}

// write stores the item and its index and TTL entries, replacing any item
// with the same key.
func write(tx *bolt.Tx, pkey []byte, st stored) error {
	if err := remove(tx, pkey); err != nil {
		return err
	}
	if err := tx.Bucket(bucketItems).Put(pkey, st.data); err != nil {
		return err
	}
	for _, g := range gsis {
		if ik, ok := g.indexKey(st.rec, st.key); ok {
			if err := tx.Bucket(g.bucket).Put(ik, pkey); err != nil {
				return err
			}
		}
	}
	if ttl, ok := st.rec.num(table.AttrTTL); ok {
		if err := tx.Bucket(bucketTTL).Put(ttlKey(ttl, pkey), nil); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the item at pkey, expired or not, with its index and TTL
// entries. Removing an absent item does nothing.
func remove(tx *bolt.Tx, pkey []byte) error {
	items := tx.Bucket(bucketItems)
	data := items.Get(pkey)
	if data == nil {
		return nil
	}
	rec, err := decodeRecord(data)
	if err != nil {
		return err
	}
	var k table.Key
	k.PK, _ = rec.str(table.AttrPK)
	k.SK, _ = rec.str(table.AttrSK)
	for _, g := range gsis {
		if ik, ok := g.indexKey(rec, k); ok {
			if err := tx.Bucket(g.bucket).Delete(ik); err != nil {
				return err
			}
		}
	}
	if ttl, ok := rec.num(table.AttrTTL); ok {
		if err := tx.Bucket(bucketTTL).Delete(ttlKey(ttl, pkey)); err != nil {
			return err
		}
	}
	return items.Delete(pkey)
}

// cond is a checked condition with its value in stored form.
type cond struct {
	kind    table.CondKind
	attr    string
	value   []byte // canonical encoding of the value, for CondAttrEqual
	version int64
}

// checkCond checks c against the port's rules (table.Cond.Validate) and
// converts it.
func checkCond(c table.Cond) (cond, error) {
	if err := c.Validate(); err != nil {
		return cond{}, portErr(err)
	}
	switch c.Kind {
	case table.CondNone, table.CondAbsent, table.CondExists:
		return cond{kind: c.Kind}, nil
	case table.CondAttrEqual:
		data, err := appendValue(nil, c.Value, 0)
		if err != nil {
			return cond{}, fmt.Errorf("boltstore: condition on %s: %w", c.Attr, err)
		}
		return cond{kind: c.Kind, attr: c.Attr, value: data}, nil
	case table.CondVersion:
		n, err := c.VersionValue()
		if err != nil {
			return cond{}, portErr(err)
		}
		return cond{kind: c.Kind, version: n}, nil
	}
	return cond{}, invalid("unknown condition kind %d", c.Kind)
}

// holds reports whether the condition holds for cur, the live item with the
// operation's key (nil when absent or expired).
func (c cond) holds(cur record) bool {
	switch c.kind {
	case table.CondAbsent:
		return cur == nil
	case table.CondExists:
		return cur != nil
	case table.CondAttrEqual:
		if cur == nil {
			return false
		}
		v, ok := cur[c.attr]
		if !ok {
			return false
		}
		data, err := appendValue(nil, v, 0)
		return err == nil && bytes.Equal(data, c.value)
	case table.CondVersion:
		if cur == nil {
			return c.version == 0
		}
		if _, has := cur[table.AttrVersion]; !has {
			return c.version == 0
		}
		v, ok := cur.num(table.AttrVersion)
		return ok && v == c.version
	}
	return true
}
