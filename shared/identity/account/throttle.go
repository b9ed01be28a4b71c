package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// LoginsPerMinute is how many login attempts one source address may make in
// a minute, whatever the accounts.
const LoginsPerMinute = 20

// maxRaces is how often a counter's update may lose a race before the
// attempt is refused.
const maxRaces = 10

// Throttle counts attempts per source address and minute.
type Throttle struct {
	t     table.Store
	clk   clock.Clock
	keys  *identity.Keys
	limit int64
}

// NewThrottle returns a throttle allowing limit attempts a minute.
func NewThrottle(t table.Store, clk clock.Clock, keys *identity.Keys, limit int) *Throttle {
	return &Throttle{t: t, clk: clk, keys: keys, limit: int64(limit)}
}

// Allow counts one attempt from addr and refuses it (RateLimited) past the
// limit. The counter is one item per address and minute, written with a
// version condition and retried, after a random backoff, when attempts
// race: many people behind one address (an office) log in at once, and a
// lost race must not read as too many attempts.
func (th *Throttle) Allow(ctx context.Context, addr string) error {
	now := th.clk.Now()
	k := table.Key{PK: pkThrottle + th.keys.AddressKey(addr), SK: "MIN#" + now.UTC().Format("200601021504")}
	for attempt := range maxRaces {
		if err := table.Backoff(ctx, attempt); err != nil {
			return err
		}
		it, err := th.t.Get(ctx, k)
		cond, n := table.IfAbsent(), int64(0)
		switch {
		case errors.Is(err, table.ErrNotFound):
		case err != nil:
			return fmt.Errorf("identity: read throttle: %w", err)
		default:
			n = it.Int("Count")
			cond = table.IfVersion(it.Int(table.AttrVersion))
		}
		if n >= th.limit {
			return apperr.Later("操作过于频繁，请一分钟后再试", time.Minute)
		}
		next := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "throttle", "Count": n + 1,
			table.AttrTTL: now.Unix() + 120, table.AttrVersion: it.Int(table.AttrVersion) + 1}
		err = th.t.Put(ctx, next, cond)
		if err == nil {
			return nil
		}
		if !errors.Is(err, table.ErrConditionFailed) {
			return fmt.Errorf("identity: count attempt: %w", err)
		}
	}
	return apperr.Later("操作过于频繁，请一分钟后再试", time.Minute)
}
