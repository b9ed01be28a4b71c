package identity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/table"
)

// Account items (package account writes them).
const (
	// AccountPK starts the partition key of an account item:
	// AccountPK + "<kind>#<username key>", sort key "PROFILE".
	AccountPK = "IDENT#ACCT#"
	// StaffAreaIndex indexes staff accounts by pooling area (GSI1PK
	// StaffAreaIndex + area), so that the review workflow can tell an
	// area's reviewers of an overdue case.
	StaffAreaIndex = "IDENT#AREA#"
	accountSK      = "PROFILE"
	statusActive   = "active"
)

// AccountItemKey is the key of the account item with id
// "<kind>:<username key>" (false for a malformed id).
func AccountItemKey(id string) (table.Key, bool) {
	kind, key, ok := strings.Cut(id, ":")
	if !ok || !Kind(kind).Valid() || !table.ValidKeyPart(key) {
		return table.Key{}, false
	}
	return table.Key{PK: AccountPK + kind + "#" + key, SK: accountSK}, true
}

// Contacts finds where to reach account holders: the mobile number of an
// applicant, the reviewers of a pooling area. It reads account items only.
type Contacts struct{ t table.Store }

// NewContacts returns the contacts on t.
func NewContacts(t table.Store) *Contacts { return &Contacts{t: t} }

// Mobile returns the mobile number of the account with id ("" when it has
// none; table.ErrNotFound when there is no such account).
func (d *Contacts) Mobile(ctx context.Context, id string) (string, error) {
	k, ok := AccountItemKey(id)
	if !ok {
		return "", table.ErrNotFound
	}
	it, err := d.t.Get(ctx, k)
	if err != nil {
		return "", err
	}
	if it.String("Status") != statusActive {
		return "", nil
	}
	return it.String("Mobile"), nil
}

// Reviewers returns the mobile numbers of the active reviewers of a pooling
// area (GSI1), each once.
func (d *Contacts) Reviewers(ctx context.Context, area string) ([]string, error) {
	var out []string
	err := d.eachReviewer(ctx, area, func(it table.Item) {
		if m := it.String("Mobile"); m != "" && !slices.Contains(out, m) {
			out = append(out, m)
		}
	})
	return out, err
}

// eachReviewer calls f with the account item of every active reviewer of
// a pooling area (GSI1 projects every attribute).
func (d *Contacts) eachReviewer(ctx context.Context, area string, f func(it table.Item)) error {
	if !table.ValidKeyPart(area) {
		return nil
	}
	q := table.Query{Index: table.GSI1, PK: StaffAreaIndex + area, Limit: 100}
	for {
		page, err := d.t.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("identity: reviewers: %w", err)
		}
		for _, it := range page.Items {
			if it.String("Status") == statusActive && slices.Contains(SplitRoles(it.String("Roles")), RoleReviewer) {
				f(it)
			}
		}
		if page.Cursor == "" {
			return nil
		}
		q.Cursor = page.Cursor
	}
}

// USCCClaimPK starts the key of the item that gives a 统一社会信用代码 to one
// enterprise account (package account writes it): USCCClaimPK + code,
// sort key "ACCOUNT", attribute Account = the account's username.
const USCCClaimPK = "IDENT#USCC#"

// Directory finds the account of a person or a unit of the ledger, for
// notices about them that nobody asked for (reminders): an individual's by
// the HMAC of their 社会保障号, a unit's by its credit code's claim.
type Directory struct {
	t    table.Store
	keys *Keys
}

// NewDirectory returns the directory on t with the deployment's keys.
func NewDirectory(t table.Store, keys *Keys) *Directory { return &Directory{t: t, keys: keys} }

// active returns id when its account exists and is active, else "".
func (d *Directory) active(ctx context.Context, id string) (string, error) {
	k, ok := AccountItemKey(id)
	if !ok {
		return "", nil
	}
	it, err := d.t.Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("identity: directory: %w", err)
	}
	if it.String("Status") != statusActive {
		return "", nil
	}
	return id, nil
}

// PersonAccount is the id of the active individual account registered
// with idNumber ("" when the person has not registered).
func (d *Directory) PersonAccount(ctx context.Context, idNumber string) (string, error) {
	if strings.TrimSpace(idNumber) == "" {
		return "", nil
	}
	return d.active(ctx, string(Individual)+":"+d.keys.UsernameKey(Individual, idNumber))
}

// UnitAccount is the id of the active enterprise account that registered
// the unit with creditCode ("" when none has).
func (d *Directory) UnitAccount(ctx context.Context, creditCode string) (string, error) {
	if !table.ValidKeyPart(creditCode) {
		return "", nil
	}
	it, err := d.t.Get(ctx, table.Key{PK: USCCClaimPK + creditCode, SK: "ACCOUNT"})
	if errors.Is(err, table.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("identity: directory: %w", err)
	}
	u := it.String("Account")
	if !table.ValidKeyPart(u) {
		return "", nil
	}
	return d.active(ctx, string(Enterprise)+":"+d.keys.UsernameKey(Enterprise, u))
}

// AccountIDOf is the id of the account whose item has partition key pk
// ("" when pk is not an account's).
func AccountIDOf(pk string) string {
	rest, ok := strings.CutPrefix(pk, AccountPK)
	if !ok {
		return ""
	}
	kind, key, ok := strings.Cut(rest, "#")
	if !ok || !Kind(kind).Valid() || !table.ValidKeyPart(key) {
		return ""
	}
	return kind + ":" + key
}

// ReviewerAccounts returns the account ids of the active reviewers of a
// pooling area (GSI1), each once.
func (d *Contacts) ReviewerAccounts(ctx context.Context, area string) ([]string, error) {
	var out []string
	err := d.eachReviewer(ctx, area, func(it table.Item) {
		if id := AccountIDOf(it.String(table.AttrPK)); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	})
	return out, err
}
