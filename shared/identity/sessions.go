package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// Session lifetimes (DESIGN.md, "Identity and sessions").
const (
	IdleTimeout     = 30 * time.Minute // sliding: a request within it extends the session
	AbsoluteTimeout = 12 * time.Hour   // from login, whatever the activity
	slideEvery      = time.Minute      // the idle deadline is written at most this often
)

// typeSession is the type tag of session items.
const typeSession = "session"

// ErrNoSession is the error of a request without a valid session: 401.
var ErrNoSession = apperr.E(apperr.Unauthenticated, "请先登录，或登录已超时，请重新登录")

// Sessions keeps sessions in the table: only the SHA-256 of a token is
// stored, with the caller it stands for.
type Sessions struct {
	t   table.Store
	clk clock.Clock
}

// NewSessions returns the session store on t.
func NewSessions(t table.Store, clk clock.Clock) *Sessions { return &Sessions{t: t, clk: clk} }

func sessionKey(hash string) table.Key { return table.Key{PK: pkSession + hash, SK: "SESSION"} }

// Create starts a session for c and returns its token: 32 random bytes,
// base64url (256 bits).
func (s *Sessions) Create(ctx context.Context, c Caller) (string, error) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.clk.Now()
	it := table.Item{table.AttrPK: pkSession + tokenHash(token), table.AttrSK: "SESSION", "T": typeSession,
		table.AttrGSI1PK: gsiAcctSes + c.AccountID, table.AttrGSI1SK: now.UTC().Format(time.RFC3339Nano),
		"Account": c.AccountID, "Kind": string(c.Kind), "Name": c.Name,
		"Created": now.UnixMilli(), "Seen": now.UnixMilli(), table.AttrTTL: ttl(now, now), table.AttrVersion: int64(1)}
	setCaller(it, c)
	if err := s.t.Put(ctx, it, table.IfAbsent()); err != nil {
		return "", fmt.Errorf("identity: create session: %w", err)
	}
	return token, nil
}

// ttl is the session's expiry in Unix seconds: the idle or the absolute
// deadline, whichever comes first.
func ttl(created, seen time.Time) int64 {
	end := seen.Add(IdleTimeout)
	if abs := created.Add(AbsoluteTimeout); abs.Before(end) {
		end = abs
	}
	return end.Unix()
}

func setCaller(it table.Item, c Caller) {
	it["Roles"] = JoinRoles(c.Roles)
	for name, v := range map[string]string{"Person": c.PersonNumber, "Unit": c.UnitNumber, "Area": c.PoolingArea} {
		if v != "" {
			it[name] = v
		}
	}
}

// Resolve returns the caller of a token. An unknown, expired or malformed
// token is ErrNoSession. A session used again after a minute has its idle
// deadline moved (one write; a concurrent slide may win, which is fine).
func (s *Sessions) Resolve(ctx context.Context, token string) (Caller, error) {
	if len(token) < 40 || len(token) > 64 {
		return Caller{}, ErrNoSession
	}
	hash := tokenHash(token)
	it, err := s.t.Get(ctx, sessionKey(hash))
	if errors.Is(err, table.ErrNotFound) {
		return Caller{}, ErrNoSession
	}
	if err != nil {
		return Caller{}, fmt.Errorf("identity: read session: %w", err)
	}
	now := s.clk.Now()
	created, seen := time.UnixMilli(it.Int("Created")), time.UnixMilli(it.Int("Seen"))
	if !now.Before(seen.Add(IdleTimeout)) || !now.Before(created.Add(AbsoluteTimeout)) {
		return Caller{}, ErrNoSession
	}
	c := Caller{AccountID: it.String("Account"), Kind: Kind(it.String("Kind")), Name: it.String("Name"),
		PersonNumber: it.String("Person"), UnitNumber: it.String("Unit"), PoolingArea: it.String("Area"), session: hash,
		Roles: SplitRoles(it.String("Roles"))}
	if now.Sub(seen) >= slideEvery {
		v := it.Int(table.AttrVersion)
		it["Seen"] = now.UnixMilli()
		it[table.AttrTTL] = ttl(created, now)
		it[table.AttrVersion] = v + 1
		if err := s.t.Put(ctx, it, table.IfVersion(v)); err != nil && !errors.Is(err, table.ErrConditionFailed) {
			return Caller{}, fmt.Errorf("identity: slide session: %w", err)
		}
	}
	return c, nil
}

// Revoke ends the session of c.
func (s *Sessions) Revoke(ctx context.Context, c Caller) error {
	if c.session == "" {
		return nil
	}
	if err := s.t.Delete(ctx, sessionKey(c.session), table.Cond{}); err != nil {
		return fmt.Errorf("identity: revoke session: %w", err)
	}
	return nil
}

// RevokeAll ends every session of the account except the one whose hash is
// keep ("" keeps none).
func (s *Sessions) RevokeAll(ctx context.Context, accountID, keep string) error {
	q := table.Query{Index: table.GSI1, PK: gsiAcctSes + accountID, Limit: 100}
	for {
		page, err := s.t.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("identity: list sessions: %w", err)
		}
		for _, it := range page.Items {
			k := it.Key()
			if strings.TrimPrefix(k.PK, pkSession) == keep {
				continue
			}
			if err := s.t.Delete(ctx, k, table.Cond{}); err != nil {
				return fmt.Errorf("identity: revoke session: %w", err)
			}
		}
		if page.Cursor == "" {
			return nil
		}
		q.Cursor = page.Cursor
	}
}
