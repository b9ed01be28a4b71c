// Package inbox is the message center (站内信): every notice the platform
// sends a person — an application submitted, returned, completed; a
// reminder that the monthly window opens or that dues are waiting — lands
// here first, whatever else they chose; SMS and e-mail follow by the
// person's settings (Notifier).
//
// Delivery is exactly once per message ID: a retried workflow step, a
// rerun reminder or two overlapping runs deliver nothing twice, because the
// message and a marker of its ID are written in one transaction on the
// condition that the marker is absent.
//
// # Access patterns and keys
//
//	item       PK                        SK
//	message    INBOX#<account>           MSG#<time UTC>#<id>      newest first by a backward query
//	id marker  INBOX#<account>           ID#<id>                  → the message's SK (dedupe, mark read)
//	unread     INBOX#<account>#UNREAD    MSG#<time UTC>#<id>      one per unread message: the count
//	settings   INBOX#<account>           SETTINGS                 the channels the person wants
//
// Account ids ("individual:…") are the identity package's. The unread count
// is a query of the small UNREAD partition, capped at MaxUnread.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

const (
	pkPrefix    = "INBOX#"
	unreadPK    = "#UNREAD"
	skMessage   = "MSG#"
	skID        = "ID#"
	skSettings  = "SETTINGS"
	typeMessage = "inbox_msg"
	typeID      = "inbox_id"
	typeUnread  = "inbox_unread"
	typeSet     = "inbox_settings"
	timeLayout  = "20060102T150405.000000000Z"
)

// MaxUnread is the most unread messages counted; more show as MaxUnread+.
const MaxUnread = 99

// ErrNotFound is a message the account does not have.
var ErrNotFound = errors.New("inbox: no such message")

// Message is one notice in a person's message center.
type Message struct {
	// ID is the idempotency key: app-<application>-r<round>-<event>,
	// remind-<job>-<period>-<recipient>, ... at most 64 bytes, no '#'.
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`               // application | reminder | ...
	Title    string    `json:"title"`              // 申请已提交
	Body     string    `json:"body"`               // the whole text, as the SMS says it
	Business string    `json:"business,omitempty"` // the catalog id it is about
	Link     string    `json:"link,omitempty"`     // a portal path: /user-center/applications/<id>
	At       time.Time `json:"at"`
	Read     bool      `json:"read"`
	ReadAt   time.Time `json:"readAt,omitzero"`
}

// Store keeps message centers in the table.
type Store struct {
	t   table.Store
	clk clock.Clock
}

// New returns the message centers on t.
func New(t table.Store, clk clock.Clock) *Store { return &Store{t: t, clk: clk} }

func pk(account string) string { return pkPrefix + account }

// validAccount checks an account id ("individual:<64 hex>", 75 bytes) as
// one key segment: what table.ValidKeyPart allows, but up to 128 bytes.
func validAccount(account string) error {
	if account == "" || len(account) > 128 || strings.ContainsAny(account, "#$") ||
		strings.ContainsFunc(account, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return fmt.Errorf("inbox: bad account id")
	}
	return nil
}

// Deliver puts m in account's message center, unread, unless a message
// with its ID is there already (created is then false). At is set to the
// store's clock when zero.
func (s *Store) Deliver(ctx context.Context, account string, m Message) (created bool, err error) {
	if err := validAccount(account); err != nil {
		return false, err
	}
	if !table.ValidKeyPart(m.ID) || m.Title == "" || m.Body == "" {
		return false, fmt.Errorf("inbox: a message needs an id (a key part), a title and a body")
	}
	if m.At.IsZero() {
		m.At = s.clk.Now()
	}
	sk := skMessage + m.At.UTC().Format(timeLayout) + "#" + m.ID
	msg := table.Item{table.AttrPK: pk(account), table.AttrSK: sk, "T": typeMessage, "Id": m.ID, "Kind": m.Kind,
		"Title": m.Title, "Body": m.Body, "At": m.At.UTC().Format(time.RFC3339Nano)}
	for k, v := range map[string]string{"Business": m.Business, "Link": m.Link} {
		if v != "" {
			msg[k] = v
		}
	}
	ops := []table.Op{
		table.Put(table.Item{table.AttrPK: pk(account), table.AttrSK: skID + m.ID, "T": typeID, "Msg": sk}, table.IfAbsent()),
		table.Put(msg, table.IfAbsent()),
		table.Put(table.Item{table.AttrPK: pk(account) + unreadPK, table.AttrSK: sk, "T": typeUnread}, table.IfAbsent()),
	}
	err = s.t.TransactWrite(ctx, ops)
	var tx *table.TxCanceledError
	if errors.As(err, &tx) && tx.Index == 0 {
		return false, nil // delivered before
	}
	if err != nil {
		return false, fmt.Errorf("inbox: deliver: %w", err)
	}
	return true, nil
}

func decode(it table.Item) Message {
	m := Message{ID: it.String("Id"), Kind: it.String("Kind"), Title: it.String("Title"), Body: it.String("Body"),
		Business: it.String("Business"), Link: it.String("Link"), Read: it.String("ReadAt") != ""}
	m.At, _ = time.Parse(time.RFC3339Nano, it.String("At"))
	m.At = m.At.In(clock.Shanghai)
	if m.Read {
		m.ReadAt, _ = time.Parse(time.RFC3339Nano, it.String("ReadAt"))
		m.ReadAt = m.ReadAt.In(clock.Shanghai)
	}
	return m
}

// Page is one page of a message center, newest first.
type Page struct {
	Messages []Message
	Cursor   string // the next page ("" at the end)
}

// List returns a page of account's messages, newest first (limit 1-50).
func (s *Store) List(ctx context.Context, account, cursor string, limit int) (Page, error) {
	if err := validAccount(account); err != nil {
		return Page{}, err
	}
	limit = min(max(limit, 1), 50)
	p, err := s.t.Query(ctx, table.Query{PK: pk(account), SK: table.SKCond{Op: table.SKBeginsWith, Value: skMessage},
		Backward: true, Limit: limit, Cursor: cursor})
	if err != nil {
		return Page{}, fmt.Errorf("inbox: list: %w", err)
	}
	out := Page{Messages: make([]Message, 0, len(p.Items)), Cursor: p.Cursor}
	for _, it := range p.Items {
		out.Messages = append(out.Messages, decode(it))
	}
	return out, nil
}

// Unread counts account's unread messages, at most MaxUnread+1 (shown as
// "99+").
func (s *Store) Unread(ctx context.Context, account string) (int, error) {
	if err := validAccount(account); err != nil {
		return 0, err
	}
	p, err := s.t.Query(ctx, table.Query{PK: pk(account) + unreadPK, Limit: MaxUnread + 1})
	if err != nil {
		return 0, fmt.Errorf("inbox: unread: %w", err)
	}
	return len(p.Items), nil
}

// MarkRead marks message id of account read (a no-op when it is read
// already); ErrNotFound when the account has no such message — another
// person's message id included, so ids reveal nothing.
func (s *Store) MarkRead(ctx context.Context, account, id string) error {
	if err := validAccount(account); err != nil || !table.ValidKeyPart(id) {
		return ErrNotFound
	}
	marker, err := s.t.Get(ctx, table.Key{PK: pk(account), SK: skID + id})
	if errors.Is(err, table.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("inbox: mark read: %w", err)
	}
	return s.markRead(ctx, account, marker.String("Msg"))
}

// markRead marks the message with sort key sk read and drops its unread
// marker, in one transaction; a message read meanwhile is left alone.
func (s *Store) markRead(ctx context.Context, account, sk string) error {
	k := table.Key{PK: pk(account), SK: sk}
	it, err := s.t.Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("inbox: mark read: %w", err)
	}
	if it.String("ReadAt") != "" {
		return nil
	}
	v := it.Int(table.AttrVersion)
	it["ReadAt"], it[table.AttrVersion] = s.clk.Now().UTC().Format(time.RFC3339Nano), v+1
	err = s.t.TransactWrite(ctx, []table.Op{
		table.Put(it, table.IfVersion(v)),
		table.Delete(table.Key{PK: pk(account) + unreadPK, SK: sk}, table.Cond{}),
	})
	if errors.Is(err, table.ErrConditionFailed) {
		return nil // marked read by another request
	}
	if err != nil {
		return fmt.Errorf("inbox: mark read: %w", err)
	}
	return nil
}

// MarkAllRead marks every unread message of account read and returns how
// many it marked.
func (s *Store) MarkAllRead(ctx context.Context, account string) (int, error) {
	if err := validAccount(account); err != nil {
		return 0, err
	}
	n := 0
	for {
		p, err := s.t.Query(ctx, table.Query{PK: pk(account) + unreadPK, Limit: 100})
		if err != nil {
			return n, fmt.Errorf("inbox: mark all read: %w", err)
		}
		if len(p.Items) == 0 {
			return n, nil
		}
		for _, it := range p.Items {
			if err := s.markRead(ctx, account, it.String(table.AttrSK)); err != nil && !errors.Is(err, ErrNotFound) {
				return n, err
			}
			if errors.Is(err, ErrNotFound) { // a marker without its message: drop it
				_ = s.t.Delete(ctx, table.Key{PK: pk(account) + unreadPK, SK: it.String(table.AttrSK)}, table.Cond{})
			}
			n++
		}
	}
}
