// Package notify is the port for messages to users: SMS and e-mail.
// Production sends SMS through SNS and e-mail through SES (notifyaws);
// the local runner keeps an outbox in the table (outbox) and lists it on
// a local page. Message bodies may carry personal data: adapters never
// log them.
package notify

import (
	"context"
	"time"
)

// Channel is how a message is delivered.
type Channel string

// Channels.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Message is one notification.
type Message struct {
	ID      string    `json:"id"`      // idempotency key: a second send with the same ID is a no-op
	Channel Channel   `json:"channel"` // sms or email
	To      string    `json:"to"`      // phone number (+86…) or e-mail address
	Subject string    `json:"subject,omitempty"`
	Body    string    `json:"body"`
	SentAt  time.Time `json:"sentAt,omitzero"`
}

// Sender sends notifications.
type Sender interface {
	Send(ctx context.Context, m Message) error
}
