// Package notifytest is the contract suite of the notify port: every
// adapter of notify.Sender (outbox, notifyaws) runs Run from its own tests,
// so that what the local runner shows in its outbox is what production
// sends.
//
// The suite pins down, case by case:
//
//   - an SMS is delivered, with its body as it is, to the number as
//     notify.Normalize writes it (+86 and 11 digits for a mainland mobile,
//     whatever form it was given in), without a subject;
//   - an e-mail is delivered to the bare address with its subject and body;
//   - a message that notify.Normalize refuses (invalid phone number or
//     e-mail address, empty body, e-mail without subject, unknown channel,
//     no ID) fails with an error matching notify.ErrInvalid that is an
//     apperr.Invalid with a Chinese message and a field error, holds
//     neither recipient nor body, and delivers nothing;
//   - a second Send with the same ID delivers nothing more
//     (CaseSameIDDeliveredOnce), while messages with different IDs are
//     each delivered.
//
// Each case gets a fresh sender and the Observer that lists what it
// delivered. An adapter that cannot honour a case skips it by name through
// Options.Skip, with the reason written down.
package notifytest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/contract"
	"github.com/hljhrss/hrss/shared/notify"
)

// CaseSameIDDeliveredOnce is the name of the case that checks a second
// Send with the same ID delivers nothing. Senders on services without an
// idempotency key (SNS, SES) cannot honour it.
const CaseSameIDDeliveredOnce = "idempotent/same_id_delivered_once"

// Delivery is one message as the recipient gets it.
type Delivery struct {
	Channel notify.Channel
	To      string
	Subject string
	Body    string
}

// Observer lists everything the sender delivered so far, in any order. It
// fails t when it cannot tell.
type Observer func(t *testing.T) []Delivery

// Options tunes Run for one adapter.
type Options struct {
	// Skip maps a case name (see Cases) to the reason the adapter cannot
	// run it. The reason must not be empty; an unknown name fails the
	// suite so that a renamed case is not skipped silently.
	Skip map[string]string
}

type contractCase struct {
	name string
	run  func(t *testing.T, newSender sender)
}

// Cases returns the names of the contract cases, in the order Run runs them.
func Cases() []string {
	var names []string
	for _, c := range cases() {
		names = append(names, c.name)
	}
	return names
}

// Run runs every contract case as a subtest named for the case. newSender
// must return a sender that has delivered nothing and its Observer; it
// should register its own clean-up with t.Cleanup. Cases with subtests call
// it once per subtest.
func Run(t *testing.T, newSender func(t *testing.T) (notify.Sender, Observer), opts Options) {
	t.Helper()
	all := cases()
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.name
	}
	contract.Run(t, "notifytest", names, opts.Skip, func(t *testing.T, i int) {
		c := all[i]
		c.run(t, newSender)
	})
}

func cases() []contractCase {
	return []contractCase{
		{"sms/delivered_to_normalized_number", testSMSNormalized},
		{"sms/other_country_number", testSMSOtherCountry},
		{"sms/subject_not_delivered", testSMSNoSubject},
		{"email/delivered_with_subject_and_body", testEmail},
		{"rejected/invalid_phone", testInvalidPhone},
		{"rejected/invalid_email", testInvalidEmail},
		{"rejected/empty_body", testEmptyBody},
		{"rejected/email_without_subject", testEmailWithoutSubject},
		{"rejected/unknown_channel", testUnknownChannel},
		{"rejected/no_id", testNoID},
		{CaseSameIDDeliveredOnce, testSameIDOnce},
		{"idempotent/different_ids_each_delivered", testDifferentIDs},
	}
}

// Values the cases send. The body carries a verification code, the kind of
// content that must never reach an error or a log.
const (
	mobile = "+8613912345678"
	code   = "【黑龙江人社】您的验证码为 246810，5分钟内有效。"
	email  = "wangwu@example.cn"
	notice = "您申请的“个人参保登记”已审核通过。\n请登录平台查看回执。"
)

// sender is Run's newSender.
type sender func(t *testing.T) (notify.Sender, Observer)

// sendOK sends m on a fresh sender and returns what it delivered.
func sendOK(t *testing.T, newSender sender, msgs ...notify.Message) []Delivery {
	t.Helper()
	s, observe := newSender(t)
	for _, m := range msgs {
		if err := s.Send(t.Context(), m); err != nil {
			t.Fatalf("Send(%s): %v", m.ID, err)
		}
	}
	return observe(t)
}

func wantDelivered(t *testing.T, want, got []Delivery) {
	t.Helper()
	sortDeliveries(want)
	sortDeliveries(got)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
}

func sortDeliveries(ds []Delivery) {
	slices.SortFunc(ds, func(a, b Delivery) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.To, b.To), cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Body, b.Body))
	})
}

func testSMSNormalized(t *testing.T, newSender sender) {
	for _, to := range []string{
		"+8613912345678",
		"13912345678",
		"139 1234 5678",
		"139-1234-5678",
		"+86 139 1234 5678",
		"0086 13912345678",
		"8613912345678",
		" 13912345678 ",
		"１３９１２３４５６７８", // full-width digits, as some IMEs type them
	} {
		t.Run(to, func(t *testing.T) {
			got := sendOK(t, newSender, notify.Message{ID: "sms-1", Channel: notify.SMS, To: to, Body: code})
			wantDelivered(t, []Delivery{{Channel: notify.SMS, To: mobile, Body: code}}, got)
		})
	}
}

func testSMSOtherCountry(t *testing.T, newSender sender) {
	got := sendOK(t, newSender, notify.Message{ID: "sms-hk", Channel: notify.SMS, To: "+852 6123 4567", Body: code})
	wantDelivered(t, []Delivery{{Channel: notify.SMS, To: "+85261234567", Body: code}}, got)
}

func testSMSNoSubject(t *testing.T, newSender sender) {
	got := sendOK(t, newSender, notify.Message{ID: "sms-1", Channel: notify.SMS, To: mobile, Subject: "审核结果", Body: code})
	wantDelivered(t, []Delivery{{Channel: notify.SMS, To: mobile, Body: code}}, got)
}

func testEmail(t *testing.T, newSender sender) {
	for _, to := range []string{email, " " + email + " ", "<" + email + ">"} {
		t.Run(to, func(t *testing.T) {
			got := sendOK(t, newSender, notify.Message{ID: "mail-1", Channel: notify.Email, To: to, Subject: "审核结果通知", Body: notice})
			wantDelivered(t, []Delivery{{Channel: notify.Email, To: email, Subject: "审核结果通知", Body: notice}}, got)
		})
	}
}

// rejected sends each message on a fresh sender and checks it is refused
// as notify.Normalize refuses it, with field the field in error.
func rejected(t *testing.T, newSender sender, field string, msgs map[string]notify.Message) {
	t.Helper()
	for name, m := range msgs {
		t.Run(name, func(t *testing.T) {
			s, observe := newSender(t)
			err := s.Send(t.Context(), m)
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if !errors.Is(err, notify.ErrInvalid) {
				t.Errorf("Send: %v, want an error matching notify.ErrInvalid", err)
			}
			var ae *apperr.Error
			switch {
			case !errors.As(err, &ae):
				t.Errorf("Send: %v, want an *apperr.Error", err)
			case ae.Code != apperr.Invalid:
				t.Errorf("code %q, want %q", ae.Code, apperr.Invalid)
			case !hasHan(ae.Message):
				t.Errorf("message %q is not Chinese", ae.Message)
			case ae.Fields[field] == "":
				t.Errorf("field errors %v, want one for %q", ae.Fields, field)
			}
			for _, secret := range []string{strings.TrimSpace(m.To), strings.TrimSpace(m.Body)} {
				if len(secret) >= 4 && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q holds the recipient or the body", err)
				}
			}
			if got := observe(t); len(got) != 0 {
				t.Errorf("delivered %v, want nothing", got)
			}
		})
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func smsTo(to string) notify.Message {
	return notify.Message{ID: "sms-1", Channel: notify.SMS, To: to, Body: code}
}

func mailTo(to string) notify.Message {
	return notify.Message{ID: "mail-1", Channel: notify.Email, To: to, Subject: "审核结果通知", Body: notice}
}

func testInvalidPhone(t *testing.T, newSender sender) {
	rejected(t, newSender, "to", map[string]notify.Message{
		"empty":                   smsTo(""),
		"ten digits":              smsTo("1391234567"),
		"twelve digits":           smsTo("139123456789"),
		"second digit 2":          smsTo("12912345678"),
		"+86 landline":            smsTo("+86 451 8612 3456"),
		"landline with area code": smsTo("0451-86123456"),
		"letters":                 smsTo("1391234567O"),
		"two numbers":             smsTo("13912345678,13712345678"),
		"plus inside":             smsTo("+86+13912345678"),
		"bare plus":               smsTo("+"),
		"e-mail address":          smsTo(email),
	})
}

func testInvalidEmail(t *testing.T, newSender sender) {
	rejected(t, newSender, "to", map[string]notify.Message{
		"empty":              mailTo(""),
		"no at":              mailTo("wangwu.example.cn"),
		"no domain":          mailTo("wangwu@"),
		"domain without .":   mailTo("wangwu@localhost"),
		"two addresses":      mailTo(email + ", lisi@example.cn"),
		"display name":       mailTo("王五 <" + email + ">"),
		"phone number":       mailTo(mobile),
		"space inside":       mailTo("wang wu@example.cn"),
		"header injection":   mailTo(email + "\r\nBcc: x@example.cn"),
		"domain ends with .": mailTo("wangwu@example.cn."),
	})
}

func testEmptyBody(t *testing.T, newSender sender) {
	blankSMS := smsTo(mobile)
	blankSMS.Body = " \n\t"
	emptyMail := mailTo(email)
	emptyMail.Body = ""
	emptySMS := smsTo(mobile)
	emptySMS.Body = ""
	rejected(t, newSender, "body", map[string]notify.Message{
		"sms":             emptySMS,
		"sms white space": blankSMS,
		"e-mail":          emptyMail,
	})
}

func testEmailWithoutSubject(t *testing.T, newSender sender) {
	empty, blank := mailTo(email), mailTo(email)
	empty.Subject, blank.Subject = "", "   "
	rejected(t, newSender, "subject", map[string]notify.Message{"empty": empty, "white space": blank})
}

func testUnknownChannel(t *testing.T, newSender sender) {
	msgs := map[string]notify.Message{}
	for _, ch := range []notify.Channel{"", "fax", "SMS", "wechat"} {
		m := smsTo(mobile)
		m.Channel = ch
		msgs[fmt.Sprintf("channel %q", ch)] = m
	}
	rejected(t, newSender, "channel", msgs)
}

func testNoID(t *testing.T, newSender sender) {
	sms, mail := smsTo(mobile), mailTo(email)
	sms.ID, mail.ID = "", ""
	rejected(t, newSender, "id", map[string]notify.Message{"sms": sms, "e-mail": mail})
}

func testSameIDOnce(t *testing.T, newSender sender) {
	first := smsTo(mobile)
	again := first
	again.Body = "【黑龙江人社】您的验证码为 135790，5分钟内有效。"
	got := sendOK(t, newSender, first, again)
	wantDelivered(t, []Delivery{{Channel: notify.SMS, To: mobile, Body: code}}, got)
}

func testDifferentIDs(t *testing.T, newSender sender) {
	a, b := smsTo(mobile), smsTo(mobile)
	b.ID = "sms-2"
	m := mailTo(email)
	got := sendOK(t, newSender, a, b, m)
	wantDelivered(t, []Delivery{
		{Channel: notify.SMS, To: mobile, Body: code},
		{Channel: notify.SMS, To: mobile, Body: code},
		{Channel: notify.Email, To: email, Subject: "审核结果通知", Body: notice},
	}, got)
}
