package boltstore

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// sweeper deletes expired items every SweepInterval until Close.
func (s *Store) sweeper() {
	defer close(s.done)
	t := time.NewTicker(SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			// Expired items are already invisible; a failed sweep only
			// delays reclaiming their space, so the error is dropped and
			// the next tick tries again.
			_, _ = s.sweep(s.stop)
		}
	}
}

// Sweep deletes every item whose TTL is at or before the clock's now and
// returns how many it deleted. The background sweeper calls it every
// SweepInterval; reads never depend on it.
func (s *Store) Sweep(ctx context.Context) (int, error) {
	return s.sweep(ctx.Done())
}

func (s *Store) sweep(stop <-chan struct{}) (int, error) {
	now := s.now()
	limit := ttlKey(now+1, nil) // keys below this have TTL <= now
	total := 0
	for {
		select {
		case <-stop:
			return total, nil
		default:
		}
		n := 0
		err := s.db.Update(func(tx *bolt.Tx) error {
			ttls := tx.Bucket(bucketTTL)
			var due [][]byte
			c := ttls.Cursor()
			for k, _ := c.First(); k != nil && bytes.Compare(k, limit) < 0 && len(due) < sweepBatch; k, _ = c.Next() {
				due = append(due, bytes.Clone(k))
			}
			for _, k := range due {
				// Re-check the item itself: only an expired item is removed,
				// and the TTL entry goes in any case so the sweep advances.
				rec, err := load(tx, k[8:], now)
				if err != nil {
					return err
				}
				if rec == nil {
					if err := remove(tx, k[8:]); err != nil {
						return err
					}
				}
				if err := ttls.Delete(k); err != nil {
					return err
				}
			}
			n = len(due)
			return nil
		})
		total += n
		if err != nil {
			return total, fmt.Errorf("boltstore: sweep: %w", err)
		}
		if n < sweepBatch {
			return total, nil
		}
	}
}
