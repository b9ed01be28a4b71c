package table

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// SyncResult counts what Sync did.
type SyncResult struct {
	Created   int // items that did not exist
	Updated   int // items whose content changed
	Unchanged int // items already holding the content
}

// Add adds o to r.
func (r *SyncResult) Add(o SyncResult) {
	r.Created += o.Created
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
}

// ErrTooMany is returned by Sync for more than MaxTransactItems items and
// extra operations together.
var ErrTooMany = errors.New("table: more than MaxTransactItems operations in one batch")

// Sync writes the items that are absent or differ from what is stored, in
// one transaction together with the extra operations (a marker, say): all
// or nothing. Items already stored unchanged (ignoring AttrVersion) are not
// written, so running the same Sync twice writes nothing the second time.
// Each write is conditional on the version read (IfAbsent for new items)
// and sets AttrVersion to the next version; when another writer got in
// between, Sync reads again and retries. A failing extra operation is not
// retried: the error wraps a *TxCanceledError whose Key is that
// operation's (its Index counts only the items actually written, so match
// the key, not the index). items is not modified.
func Sync(ctx context.Context, st Store, items []Item, extra ...Op) (SyncResult, error) {
	if len(items)+len(extra) > MaxTransactItems {
		return SyncResult{}, ErrTooMany
	}
	seen := make(map[Key]bool, len(items))
	for _, it := range items {
		if seen[it.Key()] {
			return SyncResult{}, fmt.Errorf("table: sync: an item twice in one batch: %w", ErrInvalid)
		}
		seen[it.Key()] = true
	}
	for attempt := 0; ; attempt++ {
		var res SyncResult
		ops := make([]Op, 0, len(items)+len(extra))
		for _, it := range items {
			cur, err := st.Get(ctx, it.Key())
			next := make(Item, len(it)+1)
			for k, v := range it {
				next[k] = v
			}
			switch {
			case errors.Is(err, ErrNotFound):
				next[AttrVersion] = int64(1)
				ops = append(ops, Put(next, IfAbsent()))
				res.Created++
			case err != nil:
				return SyncResult{}, fmt.Errorf("table: sync: read an item: %w", err)
			case SameContent(cur, it):
				res.Unchanged++
			default:
				v := cur.Int(AttrVersion)
				next[AttrVersion] = v + 1
				ops = append(ops, Put(next, IfVersion(v)))
				res.Updated++
			}
		}
		nitems := len(ops)
		ops = append(ops, extra...)
		if len(ops) == 0 {
			return res, nil
		}
		err := st.TransactWrite(ctx, ops)
		if err == nil {
			return res, nil
		}
		var tx *TxCanceledError
		if errors.As(err, &tx) && tx.Index < nitems && attempt < 4 {
			continue // an item changed underneath: read again
		}
		return SyncResult{}, fmt.Errorf("table: sync: %w", err)
	}
}

// SameContent reports whether two items hold the same attributes, ignoring
// AttrVersion. Numbers compare by value whatever their Go integer type.
func SameContent(a, b Item) bool {
	count := func(it Item) int {
		n := len(it)
		if _, ok := it[AttrVersion]; ok {
			n--
		}
		return n
	}
	if count(a) != count(b) {
		return false
	}
	for k, va := range a {
		if k == AttrVersion {
			continue
		}
		vb, ok := b[k]
		if !ok || !sameValue(va, vb) {
			return false
		}
	}
	return true
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64, int, int32:
		return intText(a) == intText(b)
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func intText(v any) string {
	if n, ok := asInt64(v); ok {
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprintf("!%v", v)
}
