package runner_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/clock"
)

// TestQRLoginWithThePhonePage: a browser asks for a 法人 login QR code and
// polls; the phone (another client, with no cookies) opens the page the
// code encodes, picks the legal representative of a demo unit, scans and
// confirms; the browser's next poll logs the unit's account in.
func TestQRLoginWithThePhonePage(t *testing.T) {
	r := newRunner(t, t.TempDir(), clock.Frozen(may10))
	defer r.Close()
	if _, err := demo.SeedIfEmpty(t.Context(), r.Store, r.Clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	phone := &http.Client{}

	res, err := browser.Post(srv.URL+"/api/v1/auth/qr", "application/json", strings.NewReader(`{"userType":"enterprise"}`))
	if err != nil {
		t.Fatal(err)
	}
	var q struct{ QrID, Image string }
	if err := json.NewDecoder(res.Body).Decode(&q); err != nil || res.StatusCode != 201 {
		t.Fatalf("start: %d %v", res.StatusCode, err)
	}
	res.Body.Close()
	state := func() map[string]any {
		t.Helper()
		res, err := browser.Get(srv.URL + "/api/v1/auth/qr/" + q.QrID)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	page := func(res *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("phone page: %d %s", res.StatusCode, b)
		}
		return string(b)
	}
	rep := demo.LegalReps()[0]
	phonePage := srv.URL + "/_local/qr/" + q.QrID
	if p := page(phone.Get(phonePage)); !strings.Contains(p, "单位法人扫码登录") || !strings.Contains(p, rep.UnitName) {
		t.Errorf("phone page before the scan:\n%s", p)
	}
	if p := page(phone.PostForm(phonePage+"/scan", url.Values{"idNumber": {rep.IDNumber}})); !strings.Contains(p, "确认登录") {
		t.Errorf("phone page after the scan:\n%s", p)
	}
	if s := state()["state"]; s != "scanned" {
		t.Errorf("browser sees %v after the scan", s)
	}
	if p := page(phone.PostForm(phonePage+"/confirm", nil)); !strings.Contains(p, "已确认") {
		t.Errorf("phone page after confirming:\n%s", p)
	}
	out := state()
	user, _ := out["user"].(map[string]any)
	if out["state"] != "confirmed" || user["unitNumber"] != rep.Unit {
		t.Fatalf("browser after confirmation: %v", out)
	}
	res, err = browser.Get(srv.URL + "/api/v1/auth/me")
	if err != nil || res.StatusCode != 200 {
		t.Errorf("me after QR login: %v %v", res.StatusCode, err)
	}
	res.Body.Close()
	// The used code: the phone page says so, a scan is refused in Chinese.
	if p := page(phone.Get(phonePage)); !strings.Contains(p, "二维码已失效") {
		t.Errorf("phone page of a used code:\n%s", p)
	}
	res, err = phone.PostForm(phonePage+"/scan", url.Values{"idNumber": {rep.IDNumber}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(b), "二维码已失效") {
		t.Errorf("scan of a used code: %d %s", res.StatusCode, b)
	}
}
