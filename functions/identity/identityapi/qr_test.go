package identityapi_test

import (
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
)

// TestQRLogin: 扫码登录 through HTTP on the local runner — the browser asks
// for a code, polls, the 电子社保卡 holder scans and confirms (here through
// the service, as the runner's phone page does), the next poll logs in.
func TestQRLogin(t *testing.T) {
	f := fixtureOf(t, true)
	if _, err := demo.SeedAccounts(t.Context(), f.svc); err != nil {
		t.Fatal(err)
	}
	p, _ := demo.AccountOf(demo.PersonBackPay)
	r := f.do("POST", "/api/v1/auth/qr", `{"userType":"individual"}`)
	if r.status != 201 || !strings.HasPrefix(r.body["image"].(string), "data:image/png;base64,") || f.qr == nil {
		t.Fatalf("start: %d %s", r.status, r.raw)
	}
	for _, want := range []string{"hrss_qr=", "HttpOnly", "SameSite=Strict", "Path=/api/v1/auth/qr", "Max-Age=180"} {
		if !strings.Contains(r.header.Get("Set-Cookie"), want) {
			t.Errorf("Set-Cookie %q lacks %s", r.header.Get("Set-Cookie"), want)
		}
	}
	id := r.body["qrId"].(string)
	poll := "/api/v1/auth/qr/" + id
	if r := f.do("GET", poll, ""); r.status != 200 || r.body["state"] != "pending" {
		t.Errorf("poll: %d %s", r.status, r.raw)
	}
	if err := f.svc.ScanQR(t.Context(), id, p.Username); err != nil {
		t.Fatal(err)
	}
	if r := f.do("GET", poll, ""); r.body["state"] != "scanned" {
		t.Errorf("poll after the scan: %s", r.raw)
	}
	if err := f.svc.ConfirmQR(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	// Another browser, without the code's cookie, is told it expired.
	secret := f.qr
	f.qr = nil
	if r := f.do("GET", poll, ""); r.status != 200 || r.body["state"] != "expired" || f.cookie != nil {
		t.Errorf("poll without the secret: %d %s", r.status, r.raw)
	}
	f.qr = secret
	r = f.do("GET", poll, "")
	if r.status != 200 || r.body["state"] != "confirmed" || f.cookie == nil || f.cookie.Name != "hrss_session" {
		t.Fatalf("confirmed: %d %s", r.status, r.raw)
	}
	if user := r.body["user"].(map[string]any); user["personNumber"] != demo.PersonBackPay || strings.Contains(r.raw, p.Username) {
		t.Errorf("user: %s", r.raw)
	}
	if f.qr != nil {
		t.Errorf("the code's cookie is kept after login")
	}
	if r := f.do("GET", "/api/v1/auth/me", ""); r.status != 200 {
		t.Errorf("me after QR login: %d %s", r.status, r.raw)
	}
	// Bad input: Chinese messages, never a 500.
	if r := f.do("POST", "/api/v1/auth/qr", `{"userType":"staff"}`); r.status != 422 || !strings.Contains(r.raw, "扫码登录") {
		t.Errorf("staff QR: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", "/api/v1/auth/qr/..%2f..", ""); r.status >= 500 {
		t.Errorf("odd id: %d %s", r.status, r.raw)
	}
}

// TestQRLoginNeedsTheCardPlatform: deployed without the national
// platform's adapter, QR login says so rather than show a code nobody can
// confirm.
func TestQRLoginNeedsTheCardPlatform(t *testing.T) {
	f := newFixture(t)
	r := f.do("POST", "/api/v1/auth/qr", `{"userType":"individual"}`)
	if r.status != 503 || !strings.Contains(r.raw, "账号密码登录") || f.qr != nil {
		t.Errorf("deployed QR: %d %s", r.status, r.raw)
	}
}
