package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/lambdaentry"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/table/boltstore"
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
	clk := clock.Frozen(time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai))
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "t.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
		t.Fatal(err)
	}
	d := app.Deps{Clock: clk, Store: st, Notify: outbox.New(st, clk), Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	svc := identityapi.Service(d)
	if _, err := demo.SeedAccounts(t.Context(), svc); err != nil {
		t.Fatal(err)
	}
	h := lambdaentry.Handler(identityapi.New(d), d.Log)
	files, err := filepath.Glob("../../events/identity/*.json")
	if err != nil || len(files) != len(expectations) {
		t.Fatalf("%d sample events for %d expectations: %v", len(files), len(expectations), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, ok := expectations[name]
			if !ok {
				t.Fatalf("sample event %s has no expectation", name)
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			raw = sessionPlaceholder.ReplaceAllFunc(raw, func(m []byte) []byte { return []byte(login(t, svc, string(sessionPlaceholder.FindSubmatch(m)[1]))) })
			out, err := h(context.Background(), raw)
			if err != nil {
				t.Fatal(err)
			}
			resp := out.(events.APIGatewayV2HTTPResponse)
			if resp.StatusCode != want.status || !strings.Contains(resp.Body, want.has) {
				t.Errorf("%d %.300s, want %d with %s", resp.StatusCode, resp.Body, want.status, want.has)
			}
			var b map[string]any
			if err := json.Unmarshal([]byte(resp.Body), &b); err != nil {
				t.Errorf("body is not JSON: %v", err)
			}
		})
	}
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
