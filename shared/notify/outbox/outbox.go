// Package outbox is the embedded notify.Sender: instead of sending SMS and
// e-mail it keeps every message in the table and lists them on a local
// page (Handler), so that a developer running the platform locally can
// read the verification codes and review notices the platform "sent".
//
// Access patterns and items:
//
//   - list the outbox, newest first:
//     PK "OUTBOX", SK "<sentAt>#<id>", queried backwards. sentAt is UTC in
//     RFC 3339 with exactly nine fractional digits (see SortableTime), so
//     that byte order is time order.
//   - at most once per message id:
//     PK "OUTBOXID#<id>", SK "OUTBOXID", a marker written with IfAbsent in
//     the same transaction as the message; a second Send with that id
//     fails the marker's condition, writes nothing and returns nil.
//
// Message bodies may carry personal data and verification codes: nothing
// here logs them. The page shows them in full; it is meant for the local
// runner only and must not be mounted in production.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
)

// Partition is the PK of every outbox message item.
const Partition = "OUTBOX"

// Marker item keys, and List's paging bounds.
const (
	markerPK = "OUTBOXID#"
	markerSK = "OUTBOXID"
	maxPage  = 100  // items per Query
	maxList  = 1000 // messages per List
)

// DefaultLimit is the number of messages List returns for limit ≤ 0.
const DefaultLimit = 100

// SortableTime is the layout of the sentAt part of a sort key: RFC 3339
// in UTC with a fixed nine-digit fraction. time.RFC3339Nano drops trailing
// zeros, which would sort "…:05Z" after "…:05.1Z".
const SortableTime = "2006-01-02T15:04:05.000000000Z"

// Attribute names of a message item.
const (
	attrID      = "ID"
	attrChannel = "Channel"
	attrTo      = "To"
	attrSubject = "Subject"
	attrBody    = "Body"
	attrSentAt  = "SentAt"
)

// Outbox keeps messages in a table. It is safe for concurrent use.
type Outbox struct {
	tbl table.Store
	clk clock.Clock
}

var _ notify.Sender = (*Outbox)(nil)

// New returns an outbox in tbl, stamping messages with clk.
func New(tbl table.Store, clk clock.Clock) *Outbox {
	return &Outbox{tbl: tbl, clk: clk}
}

// Send stores m, as notify.Normalize returns it, with SentAt set to the
// clock's now (any SentAt the caller set is replaced). It refuses what
// notify.Normalize refuses, as the production sender does, with the same
// error. A message whose ID was sent before is not stored again and Send
// returns nil.
func (o *Outbox) Send(ctx context.Context, m notify.Message) error {
	m, err := notify.Normalize(m)
	if err != nil {
		return fmt.Errorf("outbox: send: %w", err)
	}
	sentAt := o.clk.Now()
	sk := sentAt.UTC().Format(SortableTime) + "#" + m.ID
	msg := table.Item{
		table.AttrPK: Partition,
		table.AttrSK: sk,
		attrID:       m.ID,
		attrChannel:  string(m.Channel),
		attrTo:       m.To,
		attrSubject:  m.Subject,
		attrBody:     m.Body,
		attrSentAt:   sentAt.UTC().Format(time.RFC3339Nano),
	}
	marker := table.Item{table.AttrPK: markerPK + m.ID, table.AttrSK: markerSK, "MessageSK": sk}
	err = o.tbl.TransactWrite(ctx, []table.Op{
		table.Put(marker, table.IfAbsent()),
		table.Put(msg, table.IfAbsent()),
	})
	var tc *table.TxCanceledError
	if errors.As(err, &tc) && tc.Index == 0 {
		return nil // sent before
	}
	if err != nil {
		return fmt.Errorf("outbox: send %s: %w", m.ID, err)
	}
	return nil
}

// List returns up to limit messages (DefaultLimit for limit ≤ 0, at most
// 1000), newest first.
func (o *Outbox) List(ctx context.Context, limit int) ([]notify.Message, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, maxList)
	var out []notify.Message
	cursor := ""
	for len(out) < limit {
		page, err := o.tbl.Query(ctx, table.Query{
			PK:       Partition,
			Backward: true,
			Limit:    min(limit-len(out), maxPage),
			Cursor:   cursor,
		})
		if err != nil {
			return nil, fmt.Errorf("outbox: list: %w", err)
		}
		for _, it := range page.Items {
			m, err := decode(it)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		if page.Cursor == "" {
			break
		}
		cursor = page.Cursor
	}
	return out, nil
}

func decode(it table.Item) (notify.Message, error) {
	sentAt, err := time.Parse(time.RFC3339Nano, it.String(attrSentAt))
	if err != nil {
		return notify.Message{}, fmt.Errorf("outbox: item %s: sent-at: %w", it.String(table.AttrSK), err)
	}
	return notify.Message{
		ID:      it.String(attrID),
		Channel: notify.Channel(it.String(attrChannel)),
		To:      it.String(attrTo),
		Subject: it.String(attrSubject),
		Body:    it.String(attrBody),
		SentAt:  sentAt.In(clock.Shanghai),
	}, nil
}
