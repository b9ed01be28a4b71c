// Package notifyaws is the production notify.Sender: SMS through Amazon
// SNS Publish to a phone number (transactional), e-mail through Amazon
// SES v2 SendEmail from a configured, verified sender address.
//
// Neither SNS direct-to-phone publishing nor SES takes an idempotency key,
// so Message.ID cannot make a retried Send a no-op here: the caller (the
// workflow's notify step) must not retry a Send that returned nil. The ID
// travels as the SES e-mail tag "message_id" when it fits SES's tag rules.
//
// Message bodies and recipients may carry personal data: nothing here logs
// them, and errors carry only the AWS error code, never the service's
// message text (which can echo the phone number or address). The full
// error stays reachable with errors.As.
package notifyaws

import (
	"context"
	"errors"
	"fmt"
	"net/mail"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"github.com/hljhrss/hrss/shared/notify"
)

// SNSAPI is the part of *sns.Client the sender calls.
type SNSAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// SESAPI is the part of *sesv2.Client the sender calls.
type SESAPI interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, optFns ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

var (
	_ SNSAPI = (*sns.Client)(nil)
	_ SESAPI = (*sesv2.Client)(nil)
)

// Config configures the sender.
type Config struct {
	// From is the SES sender, a verified identity, optionally with a
	// display name: "黑龙江人社 <noreply@example.gov.cn>". Required for
	// e-mail.
	From string
	// ConfigurationSet is the SES configuration set for delivery events;
	// optional.
	ConfigurationSet string
	// SMSSenderID is the SNS sender ID (AWS.SNS.SMS.SenderID) where the
	// destination country supports one; optional.
	SMSSenderID string
}

// Sender sends SMS through SNS and e-mail through SES.
type Sender struct {
	sns SNSAPI
	ses SESAPI
	cfg Config
}

var _ notify.Sender = (*Sender)(nil)

// New returns a sender. Either client may be nil when its channel is not
// used; sending on that channel then fails. With an SES client, cfg.From
// must be a valid address.
func New(snsClient SNSAPI, sesClient SESAPI, cfg Config) (*Sender, error) {
	if sesClient != nil {
		if _, err := mail.ParseAddress(cfg.From); err != nil {
			return nil, fmt.Errorf("notifyaws: sender address %q: %w", cfg.From, err)
		}
	}
	return &Sender{sns: snsClient, ses: sesClient, cfg: cfg}, nil
}

// validTagValue reports whether s is what SES accepts as an e-mail tag
// value: 1-256 of A-Z a-z 0-9 _ -. Written out rather than as a regexp,
// whose compilation every function paid at its cold start.
func validTagValue(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Send delivers m, as notify.Normalize returns it, on its channel: an SMS
// to the normalized number (+86…), an e-mail to the bare address. It
// refuses what notify.Normalize refuses, as the outbox does, with the same
// error, before calling AWS.
func (s *Sender) Send(ctx context.Context, m notify.Message) error {
	m, err := notify.Normalize(m)
	if err != nil {
		return fmt.Errorf("notifyaws: send: %w", err)
	}
	if m.Channel == notify.SMS {
		return s.sendSMS(ctx, m)
	}
	return s.sendEmail(ctx, m)
}

func (s *Sender) sendSMS(ctx context.Context, m notify.Message) error {
	if s.sns == nil {
		return fmt.Errorf("notifyaws: message %s: SMS is not configured", m.ID)
	}
	attrs := map[string]snstypes.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
	}
	if s.cfg.SMSSenderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = snstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(s.cfg.SMSSenderID)}
	}
	_, err := s.sns.Publish(ctx, &sns.PublishInput{
		PhoneNumber:       aws.String(m.To),
		Message:           aws.String(m.Body),
		MessageAttributes: attrs,
	})
	if err != nil {
		return &sendError{id: m.ID, op: "sns Publish", err: err}
	}
	return nil
}

func (s *Sender) sendEmail(ctx context.Context, m notify.Message) error {
	if s.ses == nil {
		return fmt.Errorf("notifyaws: message %s: e-mail is not configured", m.ID)
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.cfg.From),
		Destination:      &sestypes.Destination{ToAddresses: []string{m.To}},
		Content: &sestypes.EmailContent{Simple: &sestypes.Message{
			Subject: &sestypes.Content{Data: aws.String(m.Subject), Charset: aws.String("UTF-8")},
			Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String(m.Body), Charset: aws.String("UTF-8")}},
		}},
	}
	if s.cfg.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.cfg.ConfigurationSet)
	}
	if validTagValue(m.ID) {
		in.EmailTags = []sestypes.MessageTag{{Name: aws.String("message_id"), Value: aws.String(m.ID)}}
	}
	if _, err := s.ses.SendEmail(ctx, in); err != nil {
		return &sendError{id: m.ID, op: "ses SendEmail", err: err}
	}
	return nil
}

// sendError reports a failed AWS call by message id, operation and, for
// an error answered by the service, its AWS error code only: the service's
// message text may echo the recipient.
type sendError struct {
	id  string
	op  string
	err error
}

func (e *sendError) Error() string {
	var api smithy.APIError
	if errors.As(e.err, &api) {
		return fmt.Sprintf("notifyaws: message %s: %s: %s", e.id, e.op, api.ErrorCode())
	}
	// Not an answer from the service (transport, timeout, cancellation):
	// the SDK's text holds no request parameters.
	return fmt.Sprintf("notifyaws: message %s: %s: %v", e.id, e.op, e.err)
}

func (e *sendError) Unwrap() error { return e.err }
