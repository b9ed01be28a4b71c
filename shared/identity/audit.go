package identity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// AuditRetention is how long audit records are kept (at least 180 days).
const AuditRetention = 190 * 24 * time.Hour

// Audit actions.
const (
	ActionRegister       = "register"
	ActionLogin          = "login"
	ActionLoginFailed    = "login_failed"
	ActionLockout        = "lockout"
	ActionLogout         = "logout"
	ActionPasswordChange = "password_change"
	ActionPasswordReset  = "password_reset"
	ActionRead           = "read" // a read of another person's data
)

// AuditRecord is one audited event. It holds no personal data beyond the
// subject's 人员编号 (which the person's own access log is keyed by) and the
// actor's masked identity.
type AuditRecord struct {
	Time      time.Time
	Actor     string // account id, or "" for an unknown username
	ActorRole Role
	ActorName string // masked: 张*, 单位名称
	Action    string
	Object    string // what was acted on: a route's business, an account id
	Subject   string // 人员编号 whose data was read, if any
	Result    string // ok, denied, failed
	RequestID string
	Address   string // HMAC of the source address (ip is personal data)
}

// Audit appends audit records and lists a person's.
type Audit struct {
	t    table.Store
	clk  clock.Clock
	keys *Keys
}

// NewAudit returns the audit log on t.
func NewAudit(t table.Store, clk clock.Clock, keys *Keys) *Audit {
	return &Audit{t: t, clk: clk, keys: keys}
}

// Record appends r, stamped with the clock when its Time is zero. addr is
// the source address, stored as an HMAC.
func (a *Audit) Record(ctx context.Context, r AuditRecord, addr string) error {
	op := a.Op(r, addr)
	if err := a.t.Put(ctx, op.Item, op.Cond); err != nil {
		return fmt.Errorf("identity: audit: %w", err)
	}
	return nil
}

// Op is the write of r, for a transaction that records what it audits
// (a submit): Record without the write.
func (a *Audit) Op(r AuditRecord, addr string) table.Op {
	if r.Time.IsZero() {
		r.Time = a.clk.Now()
	}
	at := r.Time.UTC().Format(time.RFC3339Nano)
	it := table.Item{table.AttrPK: pkAudit + r.Time.In(clock.Shanghai).Format("20060102"), table.AttrSK: at + "#" + RandomHex(6),
		"T": "audit", "At": at, "Action": r.Action, "Result": r.Result, table.AttrTTL: r.Time.Add(AuditRetention).Unix()}
	if addr != "" {
		r.Address = a.keys.AddressKey(addr)
	}
	for name, v := range map[string]string{"Actor": r.Actor, "Role": string(r.ActorRole), "ActorName": r.ActorName,
		"Object": r.Object, "Subject": r.Subject, "RequestID": r.RequestID, "Address": r.Address} {
		if v != "" {
			it[name] = v
		}
	}
	if r.Subject != "" {
		it[table.AttrGSI1PK], it[table.AttrGSI1SK] = gsiSubject+r.Subject, at
	}
	return table.Put(it, table.IfAbsent())
}

// ReadsOf lists the reads of a person's data by others, newest first, at
// most limit (and a cursor for the next page).
func (a *Audit) ReadsOf(ctx context.Context, person, cursor string, limit int) ([]AuditRecord, string, error) {
	if !table.ValidKeyPart(person) {
		return nil, "", nil
	}
	page, err := a.t.Query(ctx, table.Query{Index: table.GSI1, PK: gsiSubject + person, Backward: true, Limit: limit, Cursor: cursor})
	if errors.Is(err, table.ErrInvalid) { // a cursor not made by the table
		return nil, "", apperr.Field("cursor", "翻页参数无效，请从第一页重新查看")
	}
	if err != nil {
		return nil, "", fmt.Errorf("identity: access log: %w", err)
	}
	out := make([]AuditRecord, 0, len(page.Items))
	for _, it := range page.Items {
		t, _ := time.Parse(time.RFC3339Nano, it.String("At"))
		out = append(out, AuditRecord{Time: t, Actor: it.String("Actor"), ActorRole: Role(it.String("Role")), ActorName: it.String("ActorName"),
			Action: it.String("Action"), Object: it.String("Object"), Subject: it.String("Subject"), Result: it.String("Result"),
			RequestID: it.String("RequestID")})
	}
	return out, page.Cursor, nil
}
