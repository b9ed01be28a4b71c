package main

import (
	"regexp"
	"testing"

	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/eventtest"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/lambdaentry"
	"github.com/hljhrss/hrss/shared/notify/outbox"
)

// expectations are what each sample event of events/identity must give.
var expectations = map[string]struct {
	status int
	has    string
}{
	"captcha.json":                   {200, `"image":"data:image/png;base64,`},
	"login-bad-captcha.json":         {422, `"captchaAnswer"`},
	"login-unknown-user-type.json":   {422, `"userType"`},
	"register-person-bad-input.json": {422, `"idNumber"`},
	"me-no-session.json":             {401, `"unauthenticated"`},
	"me.json":                        {200, `"personNumber":"2309000501"`},
	"access-log.json":                {200, `"entries":[]`},
	// Deployed without the national platform's adapter: QR login says so.
	"qr-start.json":        {503, `账号密码登录`},
	"qr-poll-unknown.json": {200, `"state":"expired"`},
}

var sessionPlaceholder = regexp.MustCompile(`\{\{session:individual:([0-9]+)\}\}`)

// TestEvents feeds every sample event of events/identity to the Lambda
// entry point, deployed (the cookie is __Host-hrss_session), over the demo
// ledger and accounts. {{session:individual:<人员编号>}} in an event is the
// token of a login of that demo person.
func TestEvents(t *testing.T) {
	d, _ := eventtest.Setup(t, eventtest.Now)
	d.Notify = outbox.New(d.Store, d.Clock)
	svc := identityapi.Service(d)
	if _, err := demo.SeedAccounts(t.Context(), svc); err != nil {
		t.Fatal(err)
	}
	checks := map[string]eventtest.Check{}
	for name, want := range expectations {
		checks[name] = eventtest.AnswersWith(want.status, want.has)
	}
	login := func(t *testing.T, raw []byte) []byte {
		return sessionPlaceholder.ReplaceAllFunc(raw, func(m []byte) []byte { return []byte(login(t, svc, string(sessionPlaceholder.FindSubmatch(m)[1]))) })
	}
	eventtest.Feed(t, "identity", lambdaentry.Handler(identityapi.New(d), d.Log), login, checks)
}

// login logs the demo person in through the service and returns the
// session token.
func login(t *testing.T, svc *account.Service, person string) string {
	a, ok := demo.AccountOf(person)
	if !ok {
		t.Fatalf("no demo account for %s", person)
	}
	id, err := svc.Captchas.New(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ans, _ := svc.Captchas.Answer(t.Context(), id)
	_, token, err := svc.Login(t.Context(), account.Credentials{Kind: identity.Individual, Username: a.Username, Password: a.Password,
		CaptchaID: id, CaptchaAnswer: ans}, account.Meta{Address: "203.0.113.10"})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "identity", identityapi.New) }
