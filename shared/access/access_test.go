package access_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

// TestGuard: each kind of policy, an undeclared route, and a cross-site
// write.
func TestGuard(t *testing.T) {
	clk := clock.Frozen(time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai))
	st := storetest.Bolt(t, clk)
	d := app.Deps{Store: st, Clock: clk, Local: true}
	rt, g := access.NewRouter(d, access.Policies{
		"GET /public":       access.Public,
		"GET /optional":     access.Optional,
		"GET /mine":         access.Allow(identity.RoleIndividual),
		"POST /mine":        access.Allow(identity.RoleIndividual),
		"GET /staff":        access.Allow(identity.RoleReviewer, identity.RoleAdmin),
		"GET /anyone":       access.LoggedIn,
		"GET /not-declared": {}, // a zero policy: no roles, refused
	})
	echo := func(w http.ResponseWriter, r *http.Request) error {
		c, ok := access.CallerOf(r.Context())
		httpapi.WriteJSON(w, 200, map[string]any{"loggedIn": ok, "person": c.PersonNumber})
		return nil
	}
	for _, p := range []string{"GET /public", "GET /optional", "GET /mine", "POST /mine", "GET /staff", "GET /anyone", "GET /not-declared", "GET /forgotten"} {
		rt.HandleFunc(p, echo)
	}
	h := httpapi.Middleware(rt, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil)
	sessions := identity.NewSessions(st, clk)
	person, err := sessions.Create(t.Context(), identity.Caller{AccountID: "individual:p", Kind: identity.Individual, Roles: []identity.Role{identity.RoleIndividual}, PersonNumber: "2309000001"})
	if err != nil {
		t.Fatal(err)
	}
	cookie := g.Cookie()
	if cookie.Name() != "hrss_session" || (access.Cookie{Secure: true}).Name() != "__Host-hrss_session" {
		t.Errorf("cookie names %q", cookie.Name())
	}
	tests := []struct {
		name, method, path, token, site string
		status                          int
		body                            string
	}{
		{"public without a session", "GET", "/public", "", "", 200, `"loggedIn":false`},
		{"public ignores a session", "GET", "/public", person, "", 200, `"loggedIn":false`},
		{"optional without a session", "GET", "/optional", "", "", 200, `"loggedIn":false`},
		{"optional with a session", "GET", "/optional", person, "", 200, `"person":"2309000001"`},
		{"role route without a session", "GET", "/mine", "", "", 401, "请先登录"},
		{"role route, unknown token", "GET", "/mine", strings.Repeat("A", 43), "", 401, "请先登录"},
		{"role route with the role", "GET", "/mine", person, "", 200, `"person":"2309000001"`},
		{"role route without the role", "GET", "/staff", person, "", 403, "无权"},
		{"logged in", "GET", "/anyone", person, "", 200, `"loggedIn":true`},
		{"a zero policy", "GET", "/not-declared", person, "", 403, ""},
		{"undeclared route", "GET", "/forgotten", person, "", 403, "未开放"},
		{"same-origin write", "POST", "/mine", person, "same-origin", 200, ""},
		{"cross-site write", "POST", "/mine", person, "cross-site", 403, "跨站"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.token != "" {
				r.AddCookie(&http.Cookie{Name: cookie.Name(), Value: tt.token})
			}
			if tt.site != "" {
				r.Header.Set("Sec-Fetch-Site", tt.site)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("%d %s, want %d containing %q", w.Code, w.Body, tt.status, tt.body)
			}
		})
	}
}

func TestCookie(t *testing.T) {
	w := httptest.NewRecorder()
	access.Cookie{Secure: true}.Set(w, "tok")
	got := w.Header().Get("Set-Cookie")
	for _, want := range []string{"__Host-hrss_session=tok", "Path=/", "HttpOnly", "Secure", "SameSite=Strict"} {
		if !strings.Contains(got, want) {
			t.Errorf("Set-Cookie %q lacks %q", got, want)
		}
	}
	w = httptest.NewRecorder()
	access.Cookie{}.Clear(w)
	if got := w.Header().Get("Set-Cookie"); !strings.Contains(got, "hrss_session=;") || !strings.Contains(got, "Max-Age=0") {
		t.Errorf("clear: %q", got)
	}
}

func TestPublicRouterRefusesGuardedRoutes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewPublicRouter accepted a route for roles")
		}
	}()
	access.NewPublicRouter(app.Deps{}, access.Policies{"GET /a": access.Public, "GET /b": access.LoggedIn})
}
