package ledgerapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

// TestAccessMatrix is the IDOR matrix of the ledger function: every route
// that names a person × every role × the caller's own object and another
// owner's. The owner is demo.PersonBackPay, employed by demo.UnitLogistics;
// the other owner is demo.PersonRefund (employed by demo.UnitMachinery).
func TestAccessMatrix(t *testing.T) {
	for _, a := range storetest.Adapters {
		t.Run(a.Name, func(t *testing.T) { accessMatrix(t, a.Open) })
	}
}

func accessMatrix(t *testing.T, open func(testing.TB, clock.Clock) table.Store) {
	clk := clock.Frozen(day)
	st := open(t, clk)
	if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := httpapi.Middleware(ledgerapi.New(app.Deps{Clock: clk, Store: st, Log: log}).HTTP, log, nil) // deployed: Secure cookie
	sessions := identity.NewSessions(st, clk)
	login := func(c identity.Caller) string {
		token, err := sessions.Create(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	ind := func(person string) identity.Caller {
		return identity.Caller{AccountID: "individual:" + person, Kind: identity.Individual, Roles: []identity.Role{identity.RoleIndividual}, PersonNumber: person}
	}
	agent := func(unit string) identity.Caller {
		return identity.Caller{AccountID: "enterprise:" + unit, Kind: identity.Enterprise, Name: "单位", Roles: []identity.Role{identity.RoleAgent}, UnitNumber: unit}
	}
	roles := map[string]string{
		"anonymous":            "",
		"owner":                login(ind(demo.PersonBackPay)),
		"another person":       login(ind(demo.PersonArrears)),
		"unlinked person":      login(ind("")),
		"employer's agent":     login(agent(demo.UnitLogistics)),
		"another unit's agent": login(agent(demo.UnitTrading)),
		"unlinked agent":       login(agent("")),
		"reviewer":             login(identity.Caller{AccountID: "staff:R1", Kind: identity.Staff, Roles: []identity.Role{identity.RoleReviewer}, PoolingArea: "230999"}),
		"admin":                login(identity.Caller{AccountID: "staff:A1", Kind: identity.Staff, Roles: []identity.Role{identity.RoleAdmin}}),
	}
	own, other := demo.PersonBackPay, demo.PersonRefund
	names := map[string]string{}
	for _, p := range demo.Persons() {
		names[p.Number] = p.Name
	}
	if names[own] == "" || names[other] == "" {
		t.Fatal("the demo ledger lacks the owners")
	}
	ledgerOf := func(p string) string { return "GET /api/v1/ledgers/5.1?person=" + p }
	retirementOf := func(p string) string { return `POST /api/v1/calculations/retirement {"personNumber":"` + p + `"}` }
	tests := []struct {
		role, request string
		want          int
	}{
		{"anonymous", ledgerOf(own), 401}, {"anonymous", ledgerOf(other), 401},
		{"anonymous", retirementOf(own), 401}, {"anonymous", retirementOf(other), 401},
		{"owner", ledgerOf(own), 200}, {"owner", ledgerOf(other), 403}, {"owner", "GET /api/v1/ledgers/5.1", 200},
		{"owner", retirementOf(own), 200}, {"owner", retirementOf(other), 403},
		{"another person", ledgerOf(own), 403}, {"another person", retirementOf(own), 403},
		{"unlinked person", ledgerOf(own), 403}, {"unlinked person", "GET /api/v1/ledgers/5.1", 404}, {"unlinked person", retirementOf(own), 403},
		{"employer's agent", ledgerOf(own), 200}, {"employer's agent", ledgerOf(other), 403},
		{"employer's agent", ledgerOf("2309999999"), 403}, {"employer's agent", "GET /api/v1/ledgers/5.1", 422},
		{"employer's agent", retirementOf(own), 200}, {"employer's agent", retirementOf(other), 403},
		{"another unit's agent", ledgerOf(own), 403}, {"another unit's agent", retirementOf(own), 403},
		{"unlinked agent", ledgerOf(own), 404}, {"unlinked agent", retirementOf(own), 404},
		{"reviewer", ledgerOf(own), 403}, {"reviewer", retirementOf(own), 403},
		{"admin", ledgerOf(own), 403}, {"admin", retirementOf(own), 403},
	}
	pass := 0
	for _, tt := range tests {
		method, rest, _ := strings.Cut(tt.request, " ")
		target, body, _ := strings.Cut(rest, " ")
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if tok := roles[tt.role]; tok != "" {
			req.AddCookie(&http.Cookie{Name: access.Cookie{Secure: true}.Name(), Value: tok})
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		// Whatever the status, a refused request shows nothing of the
		// person it names.
		for _, p := range []string{own, other} {
			if tt.want != 200 && strings.Contains(tt.request, p) && strings.Contains(w.Body.String(), names[p]) {
				t.Errorf("%s: %s → the answer holds the name of %s: %s", tt.role, tt.request, p, w.Body)
			}
			if tt.want == 200 && strings.Contains(tt.request, "ledgers") && strings.Contains(tt.request, p) && !strings.Contains(w.Body.String(), names[p]) {
				t.Errorf("%s: %s → the record table lacks the name the check above looks for", tt.role, tt.request)
			}
		}
		if w.Code != tt.want {
			t.Errorf("%s: %s → %d, want %d: %s", tt.role, tt.request, w.Code, tt.want, w.Body)
			continue
		}
		pass++
	}
	t.Logf("access matrix: %d/%d cases pass", pass, len(tests))
}
