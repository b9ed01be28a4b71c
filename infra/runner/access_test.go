package runner_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/infra/samtemplate"
	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

// TestEveryRouteNeedsASessionUnlessPublic walks every route of
// template.yaml: each has a policy in its function's table, and each one
// not public answers 401 without a session.
func TestEveryRouteNeedsASessionUnlessPublic(t *testing.T) {
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, t.TempDir(), clock.Frozen(may10))
	defer r.Close()
	public, guarded := 0, 0
	for pattern, fname := range tpl.Routes() {
		ps, ok := runner.Policies[fname]
		if !ok {
			t.Errorf("function %s: no policies listed in this test", fname)
			continue
		}
		p, ok := ps[pattern]
		if !ok {
			t.Errorf("%s (%s) has no access policy", pattern, fname)
			continue
		}
		if p.IsPublic() {
			public++
			continue
		}
		guarded++
		method, path, _ := strings.Cut(pattern, " ")
		req := httptest.NewRequest(method, param.ReplaceAllString(path, "x"), strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		r.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), `"code":"unauthenticated"`) {
			t.Errorf("%s without a session: %d %s", pattern, w.Code, w.Body)
		}
	}
	t.Logf("%d routes: %d public, %d answer 401 without a session", public+guarded, public, guarded)
	if guarded == 0 {
		t.Error("no guarded route walked")
	}
}

// TestLocalHelpersAreNotDeployed: the runner's /_local/ helpers are the
// runner's own; no function answers them (a deployed function serves
// only its router).
func TestLocalHelpersAreNotDeployed(t *testing.T) {
	clk := clock.Frozen(may10)
	st := storetest.Bolt(t, clk)
	d := app.Deps{Store: st, Clock: clk, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), Config: config.Config{}}
	for name, ctor := range runner.Constructors {
		fn := ctor(d)
		for _, p := range []string{"/_local/demo-accounts", "/_local/captcha/x", "/_local/outbox", "/_local/totp/A000001", "/_local/qr/0123456789abcdef0123456789abcdef", "/_local/"} {
			w := httptest.NewRecorder()
			fn.HTTP.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
			if w.Code != http.StatusNotFound {
				t.Errorf("%s answers %s: %d", name, p, w.Code)
			}
		}
	}
	r := newRunner(t, t.TempDir(), clk)
	defer r.Close()
	w := httptest.NewRecorder()
	r.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/_local/demo-accounts", nil))
	var accounts []demo.Account
	if err := json.Unmarshal(w.Body.Bytes(), &accounts); err != nil || w.Code != 200 || len(accounts) == 0 {
		t.Errorf("runner's demo accounts: %d %v", w.Code, err)
	}
}

// TestNoPersonalDataInLogs drives registration, logins (good and bad),
// SMS codes and ledger reads through the runner with its log captured, and
// scans the log for the demo people's ID numbers, names and mobiles.
func TestNoPersonalDataInLogs(t *testing.T) {
	var logs bytes.Buffer
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		if k == "HRSS_DATA_DIR" {
			return t.TempDir(), true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clock.Frozen(may10), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := demo.SeedIfEmpty(t.Context(), r.Store, r.Clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
	c := client{t: t, h: r.Handler()}
	person, _ := demo.AccountOf(demo.PersonBackPay)
	if got := c.login("individual", person.Username, "Wrong@Pass1"); got != 401 {
		t.Errorf("wrong password: %d", got)
	}
	if got := c.login("individual", person.Username, person.Password); got != 200 {
		t.Fatalf("login: %d", got)
	}
	if w := c.do("GET", "/api/v1/ledgers/5.1?unit="+demo.UnitLogistics, ""); w.Code != 200 || !strings.Contains(w.Body.String(), person.Name) {
		t.Errorf("own ledger: %d", w.Code)
	}
	if w := c.do("GET", "/api/v1/ledgers/5.1?person="+demo.PersonRefund, ""); w.Code != 403 {
		t.Errorf("another person's ledger: %d", w.Code)
	}
	expect := func(want int, method, path, body string) *httptest.ResponseRecorder {
		t.Helper()
		w := c.do(method, path, body)
		if w.Code != want {
			t.Errorf("%s %s: %d, want %d: %s", method, path, w.Code, want, w.Body)
		}
		return w
	}
	expect(200, "POST", "/api/v1/calculations/retirement", `{"personNumber":"`+demo.PersonBackPay+`"}`)
	expect(200, "GET", "/api/v1/auth/me", "")
	cid, ans := c.captcha()
	expect(202, "POST", "/api/v1/auth/sms-codes", `{"mobile":"13812345678","purpose":"register","captchaId":"`+cid+`","captchaAnswer":"`+ans+`"}`)
	// The code, read as a tester reads the phone; a registration that
	// succeeds (a person not in the ledger) and one that conflicts.
	sms := regexp.MustCompile(`验证码为(\d{6})`).FindStringSubmatch(expect(200, "GET", "/_local/outbox?to=13812345678", "").Body.String())
	if sms == nil {
		t.Fatal("no SMS code sent")
	}
	first := "230103" + "19900101" + "042"
	newID := first + string(checks.IDCheckChar(first))
	expect(201, "POST", "/api/v1/auth/register/person", `{"name":"测试人","idNumber":"`+newID+`","mobile":"13812345678","smsCode":"`+sms[1]+`","password":"Hrss@Test2026"}`)
	expect(422, "POST", "/api/v1/auth/register/person", `{"name":"测试人","idNumber":"`+person.Username+`","mobile":"13812345678","smsCode":"123456","password":"Hrss@Test2026"}`)
	expect(204, "POST", "/api/v1/auth/logout", "")

	text := logs.String()
	if !strings.Contains(text, "request") {
		t.Fatalf("nothing logged: %q", text)
	}
	secrets := []string{"13812345678", "测试人", newID, newID[:6] + newID[8:17]}
	for _, p := range demo.Persons() {
		secrets = append(secrets, p.IDNumber, p.IDNumber[:6]+p.IDNumber[8:17], p.Name)
	}
	for _, a := range demo.Accounts() {
		if a.Mobile != "" {
			secrets = append(secrets, a.Mobile)
		}
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("the log holds personal data (%d characters of it)", len([]rune(s)))
		}
	}
	if regexp.MustCompile(`hrss_session=`).MatchString(text) {
		t.Error("the log holds a session cookie")
	}
}

// client drives the runner like a browser: it keeps the session cookie.
type client struct {
	t      *testing.T
	h      http.Handler
	cookie *http.Cookie
}

func (c *client) do(method, path, body string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	for _, ck := range w.Result().Cookies() {
		if ck.Name == (access.Cookie{}).Name() {
			c.cookie = ck
		}
	}
	return w
}

func (c *client) captcha() (string, string) {
	c.t.Helper()
	var cap struct{ CaptchaID string }
	if err := json.Unmarshal(c.do("GET", "/api/v1/auth/captcha", "").Body.Bytes(), &cap); err != nil {
		c.t.Fatal(err)
	}
	var ans struct{ Answer string }
	if err := json.Unmarshal(c.do("GET", "/_local/captcha/"+cap.CaptchaID, "").Body.Bytes(), &ans); err != nil {
		c.t.Fatal(err)
	}
	return cap.CaptchaID, ans.Answer
}

func (c *client) login(userType, username, password string) int {
	c.t.Helper()
	id, ans := c.captcha()
	b, _ := json.Marshal(map[string]string{"userType": userType, "username": username, "password": password, "captchaId": id, "captchaAnswer": ans})
	return c.do("POST", "/api/v1/auth/login", string(b)).Code
}

// TestStaffLogsInWithTheLocalTOTP: the demo reviewer logs in through the
// runner with the code /_local/totp gives, as a tester without the
// authenticator app would; an unknown staff id has no code.
func TestStaffLogsInWithTheLocalTOTP(t *testing.T) {
	r := newRunner(t, t.TempDir(), clock.Frozen(may10))
	defer r.Close()
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
	c := client{t: t, h: r.Handler()}
	var totp struct{ Code string }
	if w := c.do("GET", "/_local/totp/"+demo.ReviewerID, ""); w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &totp) != nil || len(totp.Code) != 6 {
		t.Fatalf("TOTP helper: %d %s", w.Code, w.Body)
	}
	id, ans := c.captcha()
	b, _ := json.Marshal(map[string]string{"userType": "staff", "username": demo.ReviewerID, "password": demo.Password, "captchaId": id, "captchaAnswer": ans, "totp": totp.Code})
	if w := c.do("POST", "/api/v1/auth/login", string(b)); w.Code != 200 || !strings.Contains(w.Body.String(), `"reviewer"`) {
		t.Errorf("staff login with the helper's code: %d %s", w.Code, w.Body)
	}
	if w := c.do("GET", "/_local/totp/X000000", ""); w.Code != 404 {
		t.Errorf("unknown staff id: %d %s", w.Code, w.Body)
	}
}
