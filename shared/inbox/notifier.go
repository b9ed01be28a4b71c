package inbox

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
)

// Settings are the channels a person wants besides the message center,
// which always gets everything.
type Settings struct {
	SMS   bool   `json:"sms"`
	Email bool   `json:"email"`
	Addr  string `json:"emailAddress,omitempty"`
}

// DefaultSettings are a person's until they choose: SMS to the registered
// mobile, no e-mail (there is no address yet).
var DefaultSettings = Settings{SMS: true}

// Check returns the Chinese field errors of settings a person sends.
func (st Settings) Check() map[string]string {
	bad := map[string]string{}
	st.Addr = strings.TrimSpace(st.Addr)
	if st.Email && st.Addr == "" {
		bad["emailAddress"] = "选择邮件提醒时请填写电子邮箱"
	}
	if st.Addr != "" {
		if a, err := mail.ParseAddress(st.Addr); err != nil || a.Address != st.Addr || len(st.Addr) > 254 {
			bad["emailAddress"] = "电子邮箱格式不正确"
		}
	}
	return bad
}

// Settings returns account's channel settings (DefaultSettings until set).
func (s *Store) Settings(ctx context.Context, account string) (Settings, error) {
	if err := validAccount(account); err != nil {
		return Settings{}, err
	}
	it, err := s.t.Get(ctx, table.Key{PK: pk(account), SK: skSettings})
	if errors.Is(err, table.ErrNotFound) {
		return DefaultSettings, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("inbox: settings: %w", err)
	}
	return Settings{SMS: it.String("SMS") == "on", Email: it.String("Email") == "on", Addr: it.String("Addr")}, nil
}

// SetSettings stores account's channel settings (checked by Check).
func (s *Store) SetSettings(ctx context.Context, account string, st Settings) error {
	if err := validAccount(account); err != nil {
		return err
	}
	if bad := st.Check(); len(bad) > 0 {
		return fmt.Errorf("inbox: settings: %v", bad)
	}
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	it := table.Item{table.AttrPK: pk(account), table.AttrSK: skSettings, "T": typeSet, "SMS": onOff(st.SMS), "Email": onOff(st.Email)}
	if a := strings.TrimSpace(st.Addr); a != "" {
		it["Addr"] = a
	}
	if err := s.t.Put(ctx, it, table.Cond{}); err != nil {
		return fmt.Errorf("inbox: settings: %w", err)
	}
	return nil
}

// Mobiles finds an account's registered mobile number ("" or
// table.ErrNotFound when there is none); identity.Contacts is one.
type Mobiles interface {
	Mobile(ctx context.Context, accountID string) (string, error)
}

// Notifier tells a person something: in the message center always, then
// by SMS and e-mail as their settings say. Each channel is idempotent by
// the message's ID, so a retried Tell sends nothing twice; a Tell that
// failed half-way is completed by the retry.
type Notifier struct {
	Inbox   *Store
	Send    notify.Sender // nil: the message center only
	Mobiles Mobiles       // nil: no SMS
}

// SMSPrefix is the signature every SMS starts with.
const SMSPrefix = "【黑龙江人社】"

// Tell delivers m to account on every channel the person wants; created
// is false when the message center had it already.
func (n *Notifier) Tell(ctx context.Context, account string, m Message) (created bool, err error) {
	created, err = n.Inbox.Deliver(ctx, account, m)
	if err != nil || n.Send == nil {
		return created, err
	}
	st, err := n.Inbox.Settings(ctx, account)
	if err != nil {
		return created, err
	}
	if st.SMS && n.Mobiles != nil {
		to, err := n.Mobiles.Mobile(ctx, account)
		if err != nil && !errors.Is(err, table.ErrNotFound) {
			return created, err
		}
		if to != "" {
			if err := n.Send.Send(ctx, notify.Message{ID: m.ID, Channel: notify.SMS, To: to, Body: SMSPrefix + m.Body}); err != nil {
				return created, err
			}
		}
	}
	if st.Email && st.Addr != "" {
		msg := notify.Message{ID: m.ID + "-email", Channel: notify.Email, To: st.Addr, Subject: "黑龙江人社：" + m.Title, Body: m.Body}
		if err := n.Send.Send(ctx, msg); err != nil {
			return created, err
		}
	}
	return created, nil
}
