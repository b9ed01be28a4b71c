package account_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai)

// idNumber returns a valid GB 11643 number for region, birth and sequence.
func idNumber(region, birth, seq string) string {
	first := region + birth + seq
	return first + string(checks.IDCheckChar(first))
}

// creditCode returns a valid GB 32100 code.
func creditCode(region, org8 string) string {
	first := "91" + region + org8 + string(checks.OrgCodeCheckChar(org8))
	return first + string(checks.CreditCodeCheckChar(first))
}

// The fixture: a person and a unit in the ledger.
var (
	linkedID   = idNumber("230902", "19800312", "031")
	unlinkedID = idNumber("230103", "19900101", "042")
	linkedUSCC = creditCode("230902", "MA1AB3C7")
)

const (
	linkedName = "王建军"
	personNo   = "2309000001"
	unitNo     = "2309900001"
	unitName   = "七台河市测试有限公司"
	password   = "Hrss@Test2026"
)

// env is a service on one adapter with the clock at day.
type env struct {
	svc *account.Service
	st  table.Store
	clk *clock.Fixed
	out *outbox.Outbox
}

func newEnv(t *testing.T, st table.Store) env {
	t.Helper()
	clk := clock.Frozen(day)
	ls := ledger.NewStore(st, clk)
	if _, err := ls.Put(t.Context(),
		ledger.Person{Number: personNo, IDNumber: linkedID, Name: linkedName, Gender: calc.Male, InsuredType: ledger.InsuredEmployee},
		ledger.Unit{Number: unitNo, CreditCode: linkedUSCC, Name: unitName, Type: "企业", PoolingArea: "230999"},
	); err != nil {
		t.Fatal(err)
	}
	out := outbox.New(st, clk)
	svc := account.NewService(account.Deps{Table: st, Clock: clk, Key: []byte("test-key-0123456789abcdef0123456789"), Notify: out, Directory: ls})
	return env{svc: svc, st: st, clk: clk, out: out}
}

// each runs f on both table adapters.
func each(t *testing.T, f func(t *testing.T, e env)) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) { f(t, newEnv(t, st)) })
}

var codeRE = regexp.MustCompile(`验证码为(\d{6})`)

// smsCode sends a code to mobile for purpose and returns it, read from the
// outbox as the user reads their phone.
func (e env) smsCode(t *testing.T, mobile, purpose string) string {
	t.Helper()
	if err := e.svc.SMS.Send(t.Context(), mobile, purpose); err != nil {
		t.Fatalf("send sms: %v", err)
	}
	return e.lastCode(t, mobile)
}

func (e env) lastCode(t *testing.T, mobile string) string {
	t.Helper()
	msgs, err := e.out.List(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == "+86"+mobile {
			if c := codeRE.FindStringSubmatch(m.Body); c != nil {
				return c[1]
			}
		}
	}
	t.Fatalf("no code sent to the mobile")
	return ""
}

// captcha issues a captcha and returns its id and answer.
func (e env) captcha(t *testing.T) (string, string) {
	t.Helper()
	id, err := e.svc.Captchas.New(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ans, err := e.svc.Captchas.Answer(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return id, ans
}

// registerPerson registers an individual with a fresh SMS code.
func (e env) registerPerson(t *testing.T, name, id, mobile string) (account.Account, error) {
	t.Helper()
	code := e.smsCode(t, mobile, account.PurposeRegister)
	e.clk.Advance(time.Minute) // the next code to this number may be sent
	return e.svc.RegisterPerson(t.Context(), account.PersonRegistration{Name: name, IDNumber: id, Mobile: mobile, SMSCode: code, Password: password}, account.Meta{Address: "192.0.2.1"})
}

// login logs in with a fresh captcha.
func (e env) login(t *testing.T, kind identity.Kind, username, pw, totp string) (identity.Caller, string, error) {
	t.Helper()
	id, ans := e.captcha(t)
	return e.svc.Login(t.Context(), account.Credentials{Kind: kind, Username: username, Password: pw, CaptchaID: id, CaptchaAnswer: ans, TOTP: totp},
		account.Meta{Address: "192.0.2.1"})
}

// fields returns the field errors of err, or fails.
func fields(t *testing.T, err error) map[string]string {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		t.Fatalf("err = %v, want invalid", err)
	}
	return e.Fields
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
}
