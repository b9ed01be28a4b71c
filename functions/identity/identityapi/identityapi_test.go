package identityapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity/account"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai)

// fixture is the identity function over the demo ledger, deployed (the
// cookie is __Host- and Secure), with its outbox and identity service.
type fixture struct {
	t      *testing.T
	h      http.Handler
	svc    *account.Service
	out    *outbox.Outbox
	clk    *clock.Fixed
	cookie *http.Cookie
	qr     *http.Cookie // the QR code poller's secret
}

func newFixture(t *testing.T) *fixture { return fixtureOf(t, false) }

// fixtureOf is the fixture, on the local runner when local.
func fixtureOf(t *testing.T, local bool) *fixture {
	clk := clock.Frozen(day)
	st := storetest.Bolt(t, clk)
	if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
		t.Fatal(err)
	}
	out := outbox.New(st, clk)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	d := app.Deps{Store: st, Clock: clk, Log: log, Notify: out, Local: local}
	d.Config.PublicURL = "http://127.0.0.1:8080"
	fn := identityapi.New(d)
	return &fixture{t: t, h: httpapi.Middleware(fn.HTTP, log, nil), svc: identityapi.Service(d), out: out, clk: clk}
}

type resp struct {
	status int
	body   map[string]any
	raw    string
	header http.Header
}

func (f *fixture) do(method, path, body string) resp {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if f.cookie != nil {
		req.AddCookie(f.cookie)
	}
	if f.qr != nil && strings.HasPrefix(path, f.qr.Path) {
		req.AddCookie(f.qr)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		switch c.Name {
		case "__Host-hrss_session", "hrss_session":
			f.cookie = c
			if c.MaxAge < 0 {
				f.cookie = nil
			}
		case "hrss_qr":
			f.qr = c
			if c.MaxAge < 0 {
				f.qr = nil
			}
		}
	}
	r := resp{status: w.Code, raw: w.Body.String(), header: w.Header()}
	_ = json.Unmarshal(w.Body.Bytes(), &r.body)
	return r
}

func (f *fixture) captcha() (string, string) {
	f.t.Helper()
	r := f.do("GET", "/api/v1/auth/captcha", "")
	id, _ := r.body["captchaId"].(string)
	if r.status != 200 || !strings.HasPrefix(r.body["image"].(string), "data:image/png;base64,") || r.body["audio"] != "/api/v1/auth/captcha/"+id+"/audio" {
		f.t.Fatalf("captcha: %d %.200s", r.status, r.raw)
	}
	ans, err := f.svc.Captchas.Answer(f.t.Context(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id, ans
}

var codeRE = regexp.MustCompile(`验证码为(\d{6})`)

func (f *fixture) smsCode(mobile, purpose string) string {
	f.t.Helper()
	id, ans := f.captcha()
	if r := f.do("POST", "/api/v1/auth/sms-codes", `{"mobile":"`+mobile+`","purpose":"`+purpose+`","captchaId":"`+id+`","captchaAnswer":"`+ans+`"}`); r.status != 202 {
		f.t.Fatalf("sms code: %d %s", r.status, r.raw)
	}
	msgs, _ := f.out.List(f.t.Context(), 10)
	for _, m := range msgs {
		if c := codeRE.FindStringSubmatch(m.Body); c != nil && m.To == "+86"+mobile {
			return c[1]
		}
	}
	f.t.Fatal("no code in the outbox")
	return ""
}

func (f *fixture) login(userType, username, password, totp string) resp {
	f.t.Helper()
	id, ans := f.captcha()
	b, _ := json.Marshal(map[string]string{"userType": userType, "username": username, "password": password, "captchaId": id, "captchaAnswer": ans, "totp": totp})
	return f.do("POST", "/api/v1/auth/login", string(b))
}

// TestPersonJourney: 自然人用户注册 with an SMS code, login, the session's
// cookie, me, password change, logout — through HTTP.
func TestPersonJourney(t *testing.T) {
	f := newFixture(t)
	p, _ := demo.AccountOf(demo.PersonBackPay)
	code := f.smsCode("13812345678", "register")
	r := f.do("POST", "/api/v1/auth/register/person", `{"name":"`+p.Name+`","idNumber":"`+p.Username+`","mobile":"13812345678","smsCode":"`+code+`","password":"Hrss@Test2026"}`)
	if r.status != 201 {
		t.Fatalf("register: %d %s", r.status, r.raw)
	}
	user := r.body["user"].(map[string]any)
	if user["linked"] != true || user["personNumber"] != demo.PersonBackPay || strings.Contains(r.raw, p.Username) || user["mobile"] != "138****5678" {
		t.Errorf("registered user: %s", r.raw)
	}
	if r := f.do("GET", "/api/v1/auth/me", ""); r.status != 401 {
		t.Errorf("me before login: %d", r.status)
	}
	r = f.login("individual", p.Username, "Hrss@Test2026", "")
	if r.status != 200 || f.cookie == nil {
		t.Fatalf("login: %d %s", r.status, r.raw)
	}
	setCookie := r.header.Get("Set-Cookie")
	for _, want := range []string{"__Host-hrss_session=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(setCookie, want) {
			t.Errorf("Set-Cookie %q lacks %s", setCookie, want)
		}
	}
	if r := f.do("GET", "/api/v1/auth/me", ""); r.status != 200 || r.body["user"].(map[string]any)["name"] != p.Name {
		t.Errorf("me: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", "/api/v1/me/access-log", ""); r.status != 200 || !strings.Contains(r.raw, `"entries":[]`) {
		t.Errorf("access log: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", "/api/v1/me/access-log?cursor=garbage", ""); r.status != 422 || !strings.Contains(r.raw, "翻页参数无效") {
		t.Errorf("access log with a made-up cursor: %d %s", r.status, r.raw)
	}
	if r := f.do("POST", "/api/v1/auth/password", `{"oldPassword":"Hrss@Test2026","newPassword":"Hrss@Next2026"}`); r.status != 200 {
		t.Errorf("password change: %d %s", r.status, r.raw)
	}
	if r := f.do("POST", "/api/v1/auth/logout", ""); r.status != 204 || f.cookie != nil {
		t.Errorf("logout: %d, cookie %v", r.status, f.cookie)
	}
	if r := f.login("individual", p.Username, "Hrss@Next2026", ""); r.status != 200 {
		t.Errorf("login with the new password: %d %s", r.status, r.raw)
	}
	// Registration again: 409.
	f.clk.Advance(time.Minute)
	code = f.smsCode("13812345678", "register")
	if r := f.do("POST", "/api/v1/auth/register/person", `{"name":"`+p.Name+`","idNumber":"`+p.Username+`","mobile":"13812345678","smsCode":"`+code+`","password":"Hrss@Test2026"}`); r.status != 409 {
		t.Errorf("second registration: %d %s", r.status, r.raw)
	}
}

func TestUnitRegistrationAndReset(t *testing.T) {
	f := newFixture(t)
	code := f.smsCode("13912345678", "register")
	body := `{"uscc":"91230904MA1CD5E975","unitName":"哈尔滨龙江物流有限公司七台河分公司","legalRepName":"吴海峰","legalRepIdNumber":"` +
		demo.IDNumber("230904", "19681124", "019") + `","agentName":"赵磊","agentIdNumber":"` + demo.IDNumber("230904", "19890611", "053") +
		`","mobile":"13912345678","smsCode":"` + code + `","password":"Hrss@Unit2026"}`
	r := f.do("POST", "/api/v1/auth/register/unit", body)
	if r.status != 201 {
		t.Fatalf("register unit: %d %s", r.status, r.raw)
	}
	accountID, _ := r.body["accountId"].(string)
	if !regexp.MustCompile(`^9\d{9}$`).MatchString(accountID) || r.body["user"].(map[string]any)["unitNumber"] != demo.UnitLogistics {
		t.Errorf("unit account: %s", r.raw)
	}
	// Password reset by SMS code to the account's mobile.
	f.clk.Advance(time.Minute)
	code = f.smsCode("13912345678", "reset")
	if r := f.do("POST", "/api/v1/auth/password/reset", `{"userType":"enterprise","username":"`+accountID+`","mobile":"13912345678","smsCode":"`+code+`","password":"Hrss@Reset2026"}`); r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.raw)
	}
	if r := f.login("enterprise", accountID, "Hrss@Reset2026", ""); r.status != 200 {
		t.Errorf("login after reset: %d %s", r.status, r.raw)
	}
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	id, _ := f.captcha()
	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"sms without captcha", "POST", "/api/v1/auth/sms-codes", `{"mobile":"13812345678","purpose":"register"}`, 422, "captchaAnswer"},
		{"sms bad mobile", "POST", "/api/v1/auth/sms-codes", `{"mobile":"1234","purpose":"register","captchaId":"` + id + `","captchaAnswer":"1"}`, 422, "mobile"},
		{"login wrong captcha", "POST", "/api/v1/auth/login", `{"userType":"individual","username":"x","password":"x","captchaId":"` + id + `","captchaAnswer":"00000"}`, 422, "captchaAnswer"},
		{"register empty", "POST", "/api/v1/auth/register/person", `{}`, 422, "idNumber"},
		{"register not JSON", "POST", "/api/v1/auth/register/person", `name=x`, 400, ""},
		{"audio of an unknown captcha", "GET", "/api/v1/auth/captcha/00/audio", "", 404, ""},
		{"password change without a session", "POST", "/api/v1/auth/password", `{}`, 401, ""},
		{"access log without a session", "GET", "/api/v1/me/access-log", "", 401, ""},
		{"logout without a session", "POST", "/api/v1/auth/logout", "", 401, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(tt.method, tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("%d %s, want %d", r.status, r.raw, tt.status)
			}
			if fe, _ := r.body["fieldErrors"].(map[string]any); tt.field != "" && fe[tt.field] == nil {
				t.Errorf("no field error on %s: %s", tt.field, r.raw)
			}
		})
	}
	// The audio of a live captcha is a WAV.
	id, _ = f.captcha()
	req := httptest.NewRequest("GET", "/api/v1/auth/captcha/"+id+"/audio", nil)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 200 || w.Header().Get("Content-Type") != "audio/wav" || !strings.HasPrefix(w.Body.String(), "RIFF") {
		t.Errorf("audio: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}
