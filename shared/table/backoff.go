package table

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff waits before attempt number attempt (1 for the first retry) of
// a read-modify-write that lost a race (ErrConditionFailed): a random
// time up to 1 ms × 2^(attempt-1), at most 32 ms ("full jitter"). Writers
// that raced for one item then spread out instead of all reading the same
// version again, which under the embedded store's group commit (all of a
// group read before any commits) made one winner per round. It returns
// ctx's error if ctx ends first.
func Backoff(ctx context.Context, attempt int) error {
	if attempt < 1 {
		return ctx.Err()
	}
	limit := time.Millisecond << min(attempt-1, 5)
	t := time.NewTimer(rand.N(limit) + 1)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
