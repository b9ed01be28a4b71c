package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
)

// ErrInvalid matches (errors.Is) the error of a message that cannot be
// sent as it is. Every adapter checks a message with Normalize before it
// delivers anything, so all of them refuse the same messages.
var ErrInvalid = errors.New("notify: invalid message")

// Normalize checks m and returns it as adapters deliver it:
//
//   - ID must not be empty; Channel must be SMS or Email.
//   - Body must hold more than white space; it is kept as it is.
//   - SMS: To is a mobile number. A mainland number (11 digits starting 1
//     and 3–9), with or without +86, 0086 or 86 in front, full-width digits
//     and spaces or hyphens between digits, becomes "+86" and its 11 digits
//     ("138 0000 0000" → "+8613800000000"). Any other number must be an
//     E.164 number of another country ("+<country code><number>", 7 to 15
//     digits). An SMS has no subject: Subject is cleared.
//   - Email: To is one bare address (no display name, no list) with a
//     domain that has a dot; surrounding space and angle brackets are
//     dropped. Subject must hold more than white space.
//
// A refused message gets an *apperr.Error with code apperr.Invalid, a
// Chinese message and a field error keyed by the Message's JSON field
// name, whose cause matches ErrInvalid. The error never holds the
// recipient or the body.
func Normalize(m Message) (Message, error) {
	switch {
	case m.ID == "":
		return m, invalid(m.ID, "id", "消息编号不能为空", "no ID")
	case m.Channel != SMS && m.Channel != Email:
		return m, invalid(m.ID, "channel", "发送渠道无效：只能是短信或电子邮件", fmt.Sprintf("unknown channel %q", m.Channel))
	case strings.TrimSpace(m.Body) == "":
		return m, invalid(m.ID, "body", "通知内容不能为空", "empty body")
	}
	if m.Channel == SMS {
		to, ok := NormalizePhone(m.To)
		if !ok {
			return m, invalid(m.ID, "to", "手机号码格式不正确，无法发送短信：应为11位手机号码（如13800000000）", "recipient is not a mobile number")
		}
		m.To, m.Subject = to, ""
		return m, nil
	}
	to, ok := normalizeEmail(m.To)
	if !ok {
		return m, invalid(m.ID, "to", "电子邮箱地址格式不正确，无法发送邮件（如zhangsan@example.cn）", "recipient is not an e-mail address")
	}
	if strings.TrimSpace(m.Subject) == "" {
		return m, invalid(m.ID, "subject", "邮件主题不能为空", "e-mail without subject")
	}
	m.To = to
	return m, nil
}

// invalid builds Normalize's error; detail is English for logs and must
// not hold the recipient or the body.
func invalid(id, field, msg, detail string) error {
	return &apperr.Error{
		Code:    apperr.Invalid,
		Message: msg,
		Fields:  map[string]string{field: msg},
		Err:     fmt.Errorf("notify: message %q: %s: %w", id, detail, ErrInvalid),
	}
}

// NormalizePhone returns the E.164 form of a mobile number, as Normalize
// writes the recipient of an SMS; false when s is not one.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case (r == '+' || r == '＋') && i == 0:
			b.WriteByte('+')
		case r == ' ' || r == '-' || r == '\u3000':
			// separators between digits
		default:
			return "", false
		}
	}
	d := b.String()
	intl := false
	switch {
	case strings.HasPrefix(d, "+86"):
		d = d[3:]
	case strings.HasPrefix(d, "0086"):
		d = d[4:]
	case strings.HasPrefix(d, "+"):
		d, intl = d[1:], true
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	}
	if intl {
		// E.164: a country code starting 1–9, at most 15 digits in all.
		if len(d) < 7 || len(d) > 15 || d[0] == '0' {
			return "", false
		}
		return "+" + d, true
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' {
		return "", false
	}
	return "+86" + d, true
}

// normalizeEmail returns the bare address of s (see Normalize).
func normalizeEmail(s string) (string, bool) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || a.Name != "" {
		return "", false
	}
	at := strings.LastIndexByte(a.Address, '@')
	domain := a.Address[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return a.Address, true
}
