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

// typeAccount is the type tag (attribute T) of account items.
const typeAccount = "account"

// accounts reads and writes account items.
type accounts struct {
	t    table.Store
	keys *identity.Keys
}

// errNoAccount is returned by get for an absent account.
var errNoAccount = errors.New("identity: no such account")

func (s accounts) get(ctx context.Context, k table.Key) (Account, error) {
	it, err := s.t.Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return Account{}, errNoAccount
	}
	if err != nil {
		return Account{}, fmt.Errorf("identity: read account: %w", err)
	}
	return decodeAccount(it)
}

// create writes a new account, with extra operations, only if absent.
// A taken username is table.ErrConditionFailed (wrapped).
func (s accounts) create(ctx context.Context, a Account, extra ...table.Op) error {
	it := encodeAccount(s.keys, a)
	it[table.AttrVersion] = int64(1)
	ops := append([]table.Op{table.Put(it, table.IfAbsent())}, extra...)
	if err := s.t.TransactWrite(ctx, ops); err != nil {
		return fmt.Errorf("identity: create account: %w", err)
	}
	return nil
}

// update writes a changed account if nobody changed it since it was read.
func (s accounts) update(ctx context.Context, a Account) error {
	it := encodeAccount(s.keys, a)
	it[table.AttrVersion] = a.Version + 1
	if err := s.t.Put(ctx, it, table.IfVersion(a.Version)); err != nil {
		return fmt.Errorf("identity: update account: %w", err)
	}
	return nil
}

// maxRaces is how often a change of an account may lose a race before it
// is refused.
const maxRaces = 10

// errBusy answers a change that kept losing to concurrent changes of the
// same account.
var errBusy = apperr.E(apperr.RateLimited, "操作过于频繁，请稍后重试")

// modify applies f to a (as read) and writes it if nobody changed the
// account since; when someone did, it reads the account again and applies
// f to that, so that concurrent changes (counted attempts, a used TOTP
// code) are never lost. f's error stops it and is returned. It returns the
// account as written.
func (s accounts) modify(ctx context.Context, a Account, f func(*Account) error) (Account, error) {
	k := AccountKey(s.keys, a.Kind, a.Username)
	for attempt := range maxRaces {
		if attempt > 0 {
			if err := table.Backoff(ctx, attempt); err != nil {
				return Account{}, err
			}
			var err error
			if a, err = s.get(ctx, k); err != nil {
				return Account{}, err
			}
		}
		if err := f(&a); err != nil {
			return a, err
		}
		err := s.update(ctx, a)
		if err == nil {
			a.Version++
			return a, nil
		}
		if !errors.Is(err, table.ErrConditionFailed) {
			return Account{}, err
		}
	}
	return Account{}, errBusy
}

// encodeAccount is the item of a; an enterprise's is indexed by its legal
// representative (GSI1) for 单位法人扫码登录.
func encodeAccount(keys *identity.Keys, a Account) table.Item {
	k := AccountKey(keys, a.Kind, a.Username)
	it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": typeAccount,
		"Kind": string(a.Kind), "Username": a.Username, "Status": a.Status,
		"FailedLogins": int64(a.FailedLogins), "TOTPStep": a.TOTPStep, "CreatedAt": a.CreatedAt.UTC().Format(time.RFC3339Nano)}
	it["Roles"] = identity.JoinRoles(a.Roles)
	for name, v := range map[string]string{
		"Name": a.Name, "IDNumber": a.IDNumber, "Mobile": a.Mobile, "PasswordHash": a.PasswordHash,
		"TOTPSecret": a.TOTPSecret, "PersonNumber": a.PersonNumber, "UnitNumber": a.UnitNumber,
		"CreditCode": a.CreditCode, "LegalRepName": a.LegalRepName, "LegalRepID": a.LegalRepID,
		"AgentName": a.AgentName, "PoolingArea": a.PoolingArea,
	} {
		if v != "" {
			it[name] = v
		}
	}
	switch {
	case a.Kind == identity.Enterprise && a.LegalRepID != "":
		it[table.AttrGSI1PK], it[table.AttrGSI1SK] = gsiLegalRep+keys.Hash("id", a.LegalRepID), k.PK
	case a.Kind == identity.Staff && a.PoolingArea != "" && table.ValidKeyPart(a.PoolingArea):
		it[table.AttrGSI1PK], it[table.AttrGSI1SK] = identity.StaffAreaIndex+a.PoolingArea, k.PK
	}
	if !a.LockedUntil.IsZero() {
		it["LockedUntil"] = a.LockedUntil.UTC().Format(time.RFC3339Nano)
	}
	if !a.PasswordAt.IsZero() {
		it["PasswordAt"] = a.PasswordAt.UTC().Format(time.RFC3339Nano)
	}
	return it
}

func decodeAccount(it table.Item) (Account, error) {
	a := Account{
		Kind: identity.Kind(it.String("Kind")), Username: it.String("Username"), Name: it.String("Name"),
		IDNumber: it.String("IDNumber"), Mobile: it.String("Mobile"), Status: it.String("Status"),
		PasswordHash: it.String("PasswordHash"), TOTPSecret: it.String("TOTPSecret"),
		PersonNumber: it.String("PersonNumber"), UnitNumber: it.String("UnitNumber"),
		CreditCode: it.String("CreditCode"), LegalRepName: it.String("LegalRepName"),
		LegalRepID: it.String("LegalRepID"), AgentName: it.String("AgentName"), PoolingArea: it.String("PoolingArea"),
		FailedLogins: int(it.Int("FailedLogins")), TOTPStep: it.Int("TOTPStep"), Version: it.Int(table.AttrVersion),
		Roles: identity.SplitRoles(it.String("Roles")),
	}
	var err error
	for name, dst := range map[string]*time.Time{"LockedUntil": &a.LockedUntil, "PasswordAt": &a.PasswordAt, "CreatedAt": &a.CreatedAt} {
		if s := it.String(name); s != "" {
			if *dst, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return Account{}, fmt.Errorf("identity: account item: %s is not a time", name)
			}
		}
	}
	if !a.Kind.Valid() {
		return Account{}, fmt.Errorf("identity: account item: unknown kind")
	}
	return a, nil
}

// liveItem reads the item at k that lives until its Expires time (a
// captcha, a QR code): gone answers one that is absent or expired, and an
// id of the wrong length or form, which is never read.
func liveItem(ctx context.Context, t table.Store, clk clock.Clock, id string, idLen int, k table.Key, gone error) (table.Item, error) {
	if len(id) != idLen || !table.ValidKeyPart(id) {
		return nil, gone
	}
	it, err := t.Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return nil, gone
	}
	if err != nil {
		return nil, fmt.Errorf("identity: read %s: %w", k.SK, err)
	}
	if clk.Now().UnixMilli() >= it.Int("Expires") {
		return nil, gone
	}
	return it, nil
}

// usccClaim is the item that gives a 统一社会信用代码 to one enterprise
// account.
func usccClaim(creditCode, username string) table.Item {
	return table.Item{table.AttrPK: pkUSCC + creditCode, table.AttrSK: "ACCOUNT", "T": "uscc", "Account": username}
}
