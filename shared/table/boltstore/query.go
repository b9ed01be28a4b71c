package boltstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/hljhrss/hrss/shared/table"
)

// Query returns one page of the partition q.PK of the primary index or of
// a GSI, in sort-key order. The cursor is the base64url of the last
// returned item's key in the queried bucket; the page has no cursor when no
// live item follows.
func (s *Store) Query(ctx context.Context, q table.Query) (table.Page, error) {
	if err := ctx.Err(); err != nil {
		return table.Page{}, err
	}
	limit, err := q.PageSize()
	if err != nil {
		return table.Page{}, portErr(err)
	}
	bucket, isIndex := bucketItems, true
	switch q.Index {
	case table.Primary:
		isIndex = false
	case table.GSI1:
		bucket = gsis[0].bucket
	case table.GSI2:
		bucket = gsis[1].bucket
	default: // a port index this adapter does not know
		return table.Page{}, invalid("unknown index %q", q.Index)
	}
	lo, hi, err := bounds(tuple(q.PK), q.SK)
	if err != nil {
		return table.Page{}, err
	}
	if q.Cursor != "" {
		after, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || !bytes.HasPrefix(after, tuple(q.PK)) {
			return table.Page{}, invalid("cursor %q does not belong to this query", q.Cursor)
		}
		if q.Backward {
			if bytes.Compare(after, hi) < 0 {
				hi = after
			}
		} else if next := append(after, 0x00); bytes.Compare(next, lo) > 0 {
			lo = next
		}
	}

	now := s.now()
	var page table.Page
	err = s.db.View(func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketItems)
		c := tx.Bucket(bucket).Cursor()
		var k, v []byte
		if q.Backward {
			// The last key below hi: step back from the first key at or
			// above it, or start from the end.
			if k, _ = c.Seek(hi); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		} else {
			k, v = c.Seek(lo)
		}
		var last []byte
		for k != nil {
			if q.Backward && bytes.Compare(k, lo) < 0 || !q.Backward && bytes.Compare(k, hi) >= 0 {
				break
			}
			data := v
			if isIndex { // an index entry holds the item's key
				data = items.Get(v)
			}
			if data != nil {
				rec, err := decodeRecord(data)
				if err != nil {
					return err
				}
				if !rec.expired(now) {
					if len(page.Items) == limit {
						page.Cursor = base64.RawURLEncoding.EncodeToString(last)
						return nil
					}
					page.Items = append(page.Items, table.Item(rec))
					last = bytes.Clone(k)
				}
			}
			if q.Backward {
				k, v = c.Prev()
			} else {
				k, v = c.Next()
			}
		}
		return nil
	})
	if err != nil {
		return table.Page{}, fmt.Errorf("boltstore: query %s %s: %w", indexName(q.Index), q.PK, err)
	}
	return page, nil
}

func indexName(index string) string {
	if index == table.Primary {
		return "primary"
	}
	return index
}

// bounds returns the half-open key range [lo, hi) of the partition whose
// encoded key prefix is p that satisfies the sort-key condition, which
// Query has checked (table.SKCond.Validate). Index keys
// continue after the sort key with the primary key; prefixEnd(p+enc(v))
// is therefore the first key whose sort key is greater than v.
func bounds(p []byte, c table.SKCond) (lo, hi []byte, err error) {
	with := func(v string) []byte { return appendString(bytes.Clone(p), v) }
	lo, hi = p, prefixEnd(p)
	switch c.Op {
	case table.SKAny:
	case table.SKEq:
		lo, hi = with(c.Value), prefixEnd(with(c.Value))
	case table.SKBeginsWith:
		pre := appendEscaped(bytes.Clone(p), c.Value)
		lo, hi = pre, prefixEnd(pre)
	case table.SKBetween:
		lo, hi = with(c.Value), prefixEnd(with(c.Value2))
	case table.SKLt:
		hi = with(c.Value)
	case table.SKLe:
		hi = prefixEnd(with(c.Value))
	case table.SKGt:
		lo = prefixEnd(with(c.Value))
	case table.SKGe:
		lo = with(c.Value)
	default:
		return nil, nil, invalid("unknown sort-key condition %d", c.Op)
	}
	return lo, hi, nil
}
