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
// limit. The counter is one item per address and minute, counted with an
// add (table.Add) under the limit: many people behind one address (an
// office) log in at once, and no attempt may be lost or refused for a race.
func (th *Throttle) Allow(ctx context.Context, addr string) error {
	now := th.clk.Now()
	k := table.Key{PK: pkThrottle + th.keys.AddressKey(addr), SK: "MIN#" + now.UTC().Format("200601021504")}
	err := th.t.Add(ctx, table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "throttle", table.AttrTTL: now.Unix() + 120},
		table.Counter{Add: map[string]int64{"Count": 1}, Max: map[string]int64{"Count": th.limit}})
	switch {
	case errors.Is(err, table.ErrConditionFailed):
		return apperr.Later("操作过于频繁，请一分钟后再试", time.Minute)
	case err != nil:
		return fmt.Errorf("identity: count attempt: %w", err)
	}
	return nil
}
