package ledgerapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

var day = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func newHandler(t testing.TB, opt ledgerapi.Options) http.Handler {
	t.Helper()
	return newHandlerAt(t, day, opt)
}

// newHandlerAt is the local ledger function over the demo data, its clock
// at now.
func newHandlerAt(t testing.TB, now time.Time, opt ledgerapi.Options) http.Handler {
	t.Helper()
	clk := clock.Frozen(now)
	st, err := boltstore.Open(t.TempDir()+"/t.db", clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	fn := ledgerapi.NewWith(app.Deps{Clock: clk, Store: st, Log: log, Local: true}, opt)
	if fn.Name != "LedgerFunction" {
		t.Fatalf("name %q", fn.Name)
	}
	return asPerson(t, identity.NewSessions(st, clk), httpapi.Middleware(fn.HTTP, log, nil))
}

// asPerson logs a request in as the person it is about, so that the
// record-table tests read as that person reads: a request that names a
// person (the query's person, or the X-Test-Person header) and carries no
// cookie gets a session of that person as an individual.
func asPerson(t testing.TB, sessions *identity.Sessions, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.Header.Get("X-Test-Person")
		if p == "" {
			p = r.URL.Query().Get("person")
		}
		if p != "" && r.Header.Get("Cookie") == "" {
			token, err := sessions.Create(r.Context(), identity.Caller{AccountID: "individual:test-" + p, Kind: identity.Individual,
				Roles: []identity.Role{identity.RoleIndividual}, PersonNumber: p})
			if err != nil {
				t.Error(err)
			}
			r.AddCookie(&http.Cookie{Name: access.Cookie{}.Name(), Value: token})
		}
		next.ServeHTTP(w, r)
	})
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func do(t *testing.T, h http.Handler, method, target, body string) response {
	t.Helper()
	return doAs(t, h, "", method, target, body)
}

// doAs sends a request logged in as person (see asPerson; "" for none).
func doAs(t *testing.T, h http.Handler, person, method, target, body string) response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if person != "" {
		req.Header.Set("X-Test-Person", person)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	out := response{status: w.Code, header: w.Header(), raw: w.Body.String()}
	if err := json.Unmarshal(w.Body.Bytes(), &out.body); err != nil {
		t.Fatalf("body %q: %v", w.Body.String(), err)
	}
	return out
}

func (r response) field(k string) string {
	f, _ := r.body["fieldErrors"].(map[string]any)
	s, _ := f[k].(string)
	return s
}

func row(period, base string, rates string) string {
	if rates == "" {
		return fmt.Sprintf(`{"period":%s,"base":%s}`, period, base)
	}
	return fmt.Sprintf(`{"period":%s,"base":%s,"rates":%s}`, period, base, rates)
}

const r8 = `{"unit":"0","personal":"0.08"}`

func TestBackPaymentBadInput(t *testing.T) {
	h := newHandler(t, ledgerapi.Options{})
	// n months from 1972-01 at a zero rate: valid, and needing no
	// bookkeeping rate (there is none before 2013).
	many := func(n int) string {
		rows := make([]string, n)
		for i := range rows {
			rows[i] = row(fmt.Sprintf(`"%04d%02d"`, 1972+i/12, i%12+1), `"1000"`, `{"personal":"0"}`)
		}
		return `{"calcDate":"2022-05-10","rows":[` + strings.Join(rows, ",") + `]}`
	}
	tests := []struct {
		name, body, field string
	}{
		{"month 13", `{"rows":[` + row(`"202013"`, `"2800.00"`, r8) + `]}`, "rows[0].period"},
		{"period letters", `{"rows":[` + row(`"abc"`, `"2800.00"`, r8) + `]}`, "rows[0].period"},
		{"period empty", `{"rows":[` + row(`""`, `"2800.00"`, r8) + `]}`, "rows[0].period"},
		{"period object", `{"rows":[` + row(`{}`, `"2800.00"`, r8) + `]}`, "rows[0].period"},
		{"negative base", `{"rows":[` + row(`"202009"`, `"-2800.00"`, r8) + `]}`, "rows[0].base"},
		{"base three decimals", `{"rows":[` + row(`"202009"`, `"2800.005"`, r8) + `]}`, "rows[0].base"},
		{"base letters", `{"rows":[` + row(`"202009"`, `"两千"`, r8) + `]}`, "rows[0].base"},
		{"base exponent", `{"rows":[` + row(`"202009"`, `2.8e3`, r8) + `]}`, "rows[0].base"},
		{"base missing", `{"rows":[{"period":"202009","rates":` + r8 + `}]}`, "rows[0].base"},
		{"base array", `{"rows":[` + row(`"202009"`, `[1]`, r8) + `]}`, "rows[0].base"},
		{"rate over one", `{"rows":[` + row(`"202009"`, `"2800"`, `{"personal":"1.08"}`) + `]}`, "rows[0].rates.personal"},
		{"rate negative", `{"rows":[` + row(`"202009"`, `"2800"`, `{"unit":"-0.16"}`) + `]}`, "rows[0].rates.unit"},
		{"rate letters", `{"rows":[` + row(`"202009"`, `"2800"`, `{"unitToAccount":"8%"}`) + `]}`, "rows[0].rates.unitToAccount"},
		{"rate object", `{"rows":[` + row(`"202009"`, `"2800"`, `{"personal":{}}`) + `]}`, "rows[0].rates.personal"},
		{"unknown rate", `{"rows":[` + row(`"202009"`, `"2800"`, `{"bonus":"0.01"}`) + `]}`, "rows[0].rates.bonus"},
		{"rates not an object", `{"rows":[` + row(`"202009"`, `"2800"`, `[1]`) + `]}`, "rows.rates"},
		{"calc date invalid", `{"calcDate":"2022-13-01","rows":[` + row(`"202009"`, `"2800"`, r8) + `]}`, "calcDate"},
		{"calc date object", `{"calcDate":{},"rows":[` + row(`"202009"`, `"2800"`, r8) + `]}`, "calcDate"},
		{"calc date before period", `{"calcDate":"2020-05-10","rows":[` + row(`"202009"`, `"2800"`, r8) + `]}`, "rows[0].period"},
		{"no rows", `{"calcDate":"2022-05-10","rows":[]}`, "rows"},
		{"rows missing", `{"calcDate":"2022-05-10"}`, "rows"},
		{"rows not an array", `{"rows":{"period":"202009"}}`, "rows"},
		{"duplicate period", `{"rows":[` + row(`"202009"`, `"2800"`, r8) + `,` + row(`"2020-09"`, `"1"`, r8) + `]}`, "rows[1].period"},
		{"too many rows", many(ledgerapi.MaxRows + 1), "rows"},
		{"no reference rates", `{"calcDate":"2022-05-10","rows":[` + row(`"201501"`, `"3000"`, "") + `]}`, "rows[0].rates"},
		{"unknown insured", `{"insured":"公务员","rows":[` + row(`"202101"`, `"3000"`, "") + `]}`, "insured"},
		{"missing bookkeeping rate", `{"calcDate":"2022-03-01","rows":[` + row(`"201201"`, `"3000"`, r8) + `]}`, "rows[0].period"},
		{"calc date after next year", `{"calcDate":"2024-01-01","rows":[` + row(`"202101"`, `"3000"`, r8) + `]}`, "calcDate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, h, "POST", "/api/v1/calculations/back-payment", tt.body)
			if res.status != http.StatusUnprocessableEntity || res.body["code"] != string(apperr.Invalid) {
				t.Fatalf("status %d: %s", res.status, res.raw)
			}
			if msg := res.field(tt.field); msg == "" || !hasHan(msg) {
				t.Errorf("no Chinese field error on %s: %s", tt.field, res.raw)
			}
		})
	}
	t.Run("max rows", func(t *testing.T) {
		if res := do(t, h, "POST", "/api/v1/calculations/back-payment", many(ledgerapi.MaxRows)); res.status != 200 {
			t.Errorf("%d rows: status %d %s", ledgerapi.MaxRows, res.status, res.raw[:min(len(res.raw), 300)])
		}
	})
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestBackPaymentAccepts(t *testing.T) {
	h := newHandler(t, ledgerapi.Options{})
	tests := []struct {
		name, body string
		totals     map[string]any
	}{
		{"numbers as JSON numbers", `{"calcDate":"2022-05-10","rows":[{"period":202009,"base":2800.00,"rates":{"unit":0,"personal":0.08}}]}`,
			map[string]any{"unit": "0.00", "personal": "243.80", "total": "243.80"}},
		{"dashed period and default date", `{"rows":[{"period":"2020-09","base":"2800","rates":{"personal":"0.08"}}]}`,
			map[string]any{"unit": "0.00", "personal": "243.80", "total": "243.80"}},
		{"4.9 rate difference", `{"calcDate":"2022-05-10","rows":[{"period":"202103","base":"8000.00","rates":{"unit":"0.08"}}]}`,
			map[string]any{"unit": "675.68", "personal": "0.00", "total": "675.68"}},
		{"5.1 two months", `{"calcDate":"2022-05-10","rows":[{"period":"201304","base":"4538.00","rates":{"unit":"0.22","personal":"0.08"}},{"period":"201309","base":"4538.00","rates":{"unit":"0.20","personal":"0.08"}}]}`,
			map[string]any{"unit": "3142.16", "personal": "1196.64", "total": "4338.80"}},
		{"flexible from reference rates", `{"insured":"灵活就业人员","calcDate":"2022-05-10","rows":[{"period":"202201","base":"3519"}]}`,
			map[string]any{"unit": "0.00", "personal": "703.80", "total": "703.80"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, h, "POST", "/api/v1/calculations/back-payment", tt.body)
			if res.status != 200 {
				t.Fatalf("status %d: %s", res.status, res.raw)
			}
			got := res.body["totals"].(map[string]any)
			for k, v := range tt.totals {
				if got[k] != v {
					t.Errorf("totals %v, want %v", got, tt.totals)
					break
				}
			}
		})
	}
}

// FuzzBackPayment checks that no body makes the calculation fail with 500.
func FuzzBackPayment(f *testing.F) {
	for _, s := range []string{
		`{"calcDate":"2022-05-10","rows":[{"period":"202009","base":"2800.00","rates":{"unit":"0","personal":"0.08"}}]}`,
		`{"rows":[{"period":"190001","base":"99999999999999999999","rates":{"personal":"1"}}]}`,
		`{"calcDate":"9999-12-31","rows":[{"period":"999912","base":"1"}]}`,
		`{"rows":[{"period":"201401","base":"0.01","rates":null}]}`,
		`{"rows":null}`, `[]`, `{"rows":[null]}`, `{"rows":[{"rates":{"unit":null}}]}`,
	} {
		f.Add(s)
	}
	h := newHandler(f, ledgerapi.Options{})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/calculations/back-payment", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Errorf("status %d for %q: %s", w.Code, body, w.Body.String())
		}
	})
}

func TestLedgerRoutes(t *testing.T) {
	h := newHandler(t, ledgerapi.Options{})
	tests := []struct {
		name, target string
		status       int
		field        string
	}{
		{"4.4 by id", "/api/v1/ledgers/personal-refund?person=" + demo.PersonRefund, 200, ""},
		{"5.1 by section", "/api/v1/ledgers/5.1?person=" + demo.PersonBackPay, 200, ""},
		{"unit not the person's", "/api/v1/ledgers/5.5?person=" + demo.PersonArrears + "&unit=" + demo.UnitLogistics, 404, ""},
		{"unknown unit", "/api/v1/ledgers/5.5?person=" + demo.PersonArrears + "&unit=0", 404, ""},
		{"unknown person", "/api/v1/ledgers/5.5?person=1", 404, ""},
		{"person with a separator", "/api/v1/ledgers/5.5?person=1%23PROFILE", 404, ""},
		{"no session", "/api/v1/ledgers/5.5", 401, ""},
		{"bad from", "/api/v1/ledgers/4.6?person=" + demo.PersonBaseDiff + "&from=2020", 422, "from"},
		{"to before from", "/api/v1/ledgers/4.6?person=" + demo.PersonBaseDiff + "&from=202012&to=202001", 422, "to"},
		{"4.26 needs the query", "/api/v1/ledgers/4.26?person=" + demo.PersonFlexible, 422, "from"},
		{"bad selected", "/api/v1/ledgers/4.6?person=" + demo.PersonBaseDiff + "&selected=20211", 422, "selected"},
		{"selected not listed", "/api/v1/ledgers/4.6?person=" + demo.PersonBaseDiff + "&selected=201901", 422, "selected"},
		{"no record table", "/api/v1/ledgers/personal-key-info-change?person=" + demo.PersonRefund, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, h, "GET", tt.target, "")
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.raw)
			}
			if tt.field != "" && res.field(tt.field) == "" {
				t.Errorf("no field error on %s: %s", tt.field, res.raw)
			}
			if tt.status == 200 && res.header.Get("Cache-Control") != "no-store" {
				t.Error("a ledger read must not be cached")
			}
			if tt.status >= 400 && !hasHan(res.body["message"].(string)) {
				t.Errorf("message not Chinese: %s", res.raw)
			}
		})
	}
	res := do(t, h, "GET", "/api/v1/ledgers/4.6?person="+demo.PersonBaseDiff+"&selected=", "")
	for _, tot := range res.body["totals"].([]any) {
		if v := tot.(map[string]any)["value"]; v != "0.00" {
			t.Errorf("empty selection: total %v", v)
		}
	}
	if cols := res.body["flatColumns"].([]any); cols[0] != "对应缴费所属期" || len(cols) != 10 {
		t.Errorf("flat columns %v", cols)
	}
}

func TestRetirement(t *testing.T) {
	h := newHandler(t, ledgerapi.Options{})
	tests := []struct {
		name, body string
		status     int
		want       map[string]any
		fields     []string
		as         string // logged in as this person
	}{
		{"4.22 by person", `{"personNumber":"` + demo.PersonRetiring + `","retirementDate":"2022-02-15"}`, 200,
			map[string]any{"legalRetirementDate": "2029-05-18", "actualContributionMonths": 192.0, "earlyRetirementMonths": 87.0, "meetsMinimum": true}, nil, demo.PersonRetiring},
		{"a named person without a session", `{"personNumber":"` + demo.PersonRetiring + `"}`, 401, nil, nil, ""},
		{"5.3 explicit, months as text", `{"archiveBirthDate":"1970-03-10","gender":"男","retirementDate":"2022-02-28","actualContributionMonths":"60"}`, 200,
			map[string]any{"legalRetirementMonth": "203003", "actualContributionMonths": 60.0, "earlyRetirementMonths": 97.0, "meetsMinimum": false}, nil, ""},
		{"gradual reform", `{"archiveBirthDate":"1971-06-15","gender":"男","retirementDate":"2031-09-15","actualContributionMonths":300}`, 200,
			map[string]any{"legalRetirementAge": "61岁8个月", "delayMonths": 20.0, "legalRetirementDate": "2033-02-15", "earlyRetirementMonths": 17.0,
				"rule": "gradual-2025", "minimumContributionMonths": 192.0}, nil, ""},
		{"unknown person", `{"personNumber":"2309999999"}`, 404, nil, nil, "2309999999"},
		{"woman without identity", `{"archiveBirthDate":"1972-03-14","gender":"女","actualContributionMonths":180}`, 422, nil, []string{"personalIdentity"}, ""},
		{"nothing", `{}`, 422, nil, []string{"actualContributionMonths", "archiveBirthDate", "gender"}, ""},
		{"bad values", `{"archiveBirthDate":"1969-02-30","gender":"x","personalIdentity":"农民","retirementDate":"2022/02/15","actualContributionMonths":1.5,"deemedContributionMonths":"-"}`, 422, nil,
			[]string{"actualContributionMonths", "archiveBirthDate", "deemedContributionMonths", "gender", "personalIdentity", "retirementDate"}, ""},
		{"negative months", `{"archiveBirthDate":"1969-05-18","gender":"男","actualContributionMonths":-1,"deemedContributionMonths":-2}`, 422, nil,
			[]string{"actualContributionMonths", "deemedContributionMonths"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := doAs(t, h, tt.as, "POST", "/api/v1/calculations/retirement", tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.raw)
			}
			for k, v := range tt.want {
				if res.body[k] != v {
					t.Errorf("%s = %v, want %v (%s)", k, res.body[k], v, res.raw)
				}
			}
			for _, f := range tt.fields {
				if res.field(f) == "" {
					t.Errorf("no field error on %s: %s", f, res.raw)
				}
			}
			if f, _ := res.body["fieldErrors"].(map[string]any); len(f) != len(tt.fields) {
				t.Errorf("field errors %v, want %v", f, tt.fields)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	fn := ledgerapi.New(app.Deps{Clock: clock.Frozen(day), Local: true})
	want := []string{"POST /api/v1/calculations/back-payment", "POST /api/v1/calculations/retirement", "GET /api/v1/ledgers/{business}"}
	if got := fn.HTTP.Routes(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("routes %v", got)
	}
	for _, r := range want {
		if _, ok := ledgerapi.Policies[r]; !ok {
			t.Errorf("route %s has no access policy", r)
		}
	}
}

// TestDeploymentRefusesLedgerReads: a deployed function refuses a ledger
// read by person number without a session (401), while the calculations
// (试算, no login needed) still answer.
func TestDeploymentRefusesLedgerReads(t *testing.T) {
	clk := clock.Frozen(day)
	st, err := boltstore.Open(t.TempDir()+"/t.db", clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := httpapi.Middleware(ledgerapi.New(app.Deps{Clock: clk, Store: st, Log: log}).HTTP, log, nil)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/ledgers/5.1?person=2309000501&unit=2309900401", nil))
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"code":"unauthenticated"`) {
		t.Errorf("ledger read without login: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "高建国") {
		t.Errorf("refused read leaked the person: %s", rec.Body)
	}

	rec = httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/calculations/retirement", strings.NewReader(`{"personNumber":"2309000501"}`))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("retirement figures of a named person without login: %d %s", rec.Code, rec.Body)
	}

	rec = httptest.NewRecorder()
	req = httptest.NewRequest("POST", "/api/v1/calculations/back-payment", strings.NewReader(`{"calcDate":"2022-05-10","rows":[{"period":"202009","base":"2800.00","rates":{"unit":"0","personal":"0.08"}}]}`))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("试算 without login: %d %s", rec.Code, rec.Body)
	}
}

// TestRetirementOfAnotherPersonForbidden: with a login session, the
// retirement figures of another named person are refused.
func TestRetirementOfAnotherPersonForbidden(t *testing.T) {
	h := newHandler(t, ledgerapi.Options{})
	for _, tt := range []struct {
		person string
		want   int
	}{{demo.PersonRetiring, http.StatusOK}, {demo.PersonRateDiff, http.StatusForbidden}} {
		req := httptest.NewRequest("POST", "/api/v1/calculations/retirement", strings.NewReader(`{"personNumber":"`+tt.person+`","retirementDate":"2022-05-10"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Person", demo.PersonRetiring)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tt.want {
			t.Errorf("person %s: %d %s, want %d", tt.person, w.Code, w.Body, tt.want)
		}
	}
}

// TestGradeRatioExact: the grade's ratio is printed with all its decimals
// (at least two), never rounded: 0.655 stays 0.655, 0.6 is 0.60.
func TestGradeRatioExact(t *testing.T) {
	for _, tc := range []struct{ ratio, want string }{{"0.655", "0.655"}, {"0.6", "0.60"}, {"1.0000", "1.00"}, {"0.70125", "0.70125"}} {
		t.Run(tc.ratio, func(t *testing.T) {
			clk := clock.Frozen(day)
			st, err := boltstore.Open(t.TempDir()+"/t.db", clk)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = st.Close() })
			if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
				t.Fatal(err)
			}
			g := ledger.Grade{PersonNumber: demo.PersonFlexible, Year: 2022, Ratio: decimal.RequireFromString(tc.ratio), Base: ledger.MustFen("3841.58")}
			if _, err := ledger.NewStore(st, clk).Sync(t.Context(), []ledger.Record{g}); err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.NewJSONHandler(io.Discard, nil))
			h := asPerson(t, identity.NewSessions(st, clk), httpapi.Middleware(ledgerapi.NewWith(app.Deps{Clock: clk, Store: st, Log: log, Local: true}, ledgerapi.Options{}).HTTP, log, nil))
			res := do(t, h, "GET", "/api/v1/ledgers/flexible-employment-due-assessment?person="+demo.PersonFlexible, "")
			grade, _ := res.body["grade"].(map[string]any)
			if res.status != 200 || grade["ratio"] != tc.want {
				t.Errorf("status %d, grade %v; want ratio %s", res.status, grade, tc.want)
			}
		})
	}
}

// TestProvisionalToday: with today's date (2026-12-01) the 5.1 record
// table and the 试算 of a 2024 month need the 2025 bookkeeping rate, which
// is published only in 2026's second half at the earliest: they answer
// 200 with the interest at 2024's 2.62%, flagged in the cells, the parts,
// the totals and the answer; a calculation in 2025 is not flagged; a
// calculation date after next year is refused, naming the latest allowed.
func TestProvisionalToday(t *testing.T) {
	h := newHandlerAt(t, time.Date(2026, 12, 1, 10, 0, 0, 0, clock.Shanghai), ledgerapi.Options{})
	note := "2025年度记账利率尚未公布，暂按2024年度记账利率2.62%计息，公布后据实调整"
	checkAnswer := func(t *testing.T, res response) {
		t.Helper()
		if res.status != 200 {
			t.Fatalf("status %d: %s", res.status, res.raw)
		}
		rate, _ := res.body["provisionalRate"].(map[string]any)
		if fmt.Sprint(res.body["provisionalYears"]) != "[2025]" || rate["year"] != 2024.0 || rate["rate"] != "0.0262" || res.body["provisionalNote"] != note {
			t.Errorf("provisional answer: %v %v %v", res.body["provisionalYears"], rate, res.body["provisionalNote"])
		}
	}

	res := do(t, h, "GET", "/api/v1/ledgers/5.1?person="+demo.PersonBackPay+"&unit="+demo.UnitLogistics, "")
	checkAnswer(t, res)
	for _, r := range res.body["rows"].([]any) {
		row := r.(map[string]any)
		// 5.1's interest cells: unit 3, unit→account 5 (no amount, so no
		// interest), personal 7, personal→account 9.
		if row["provisional"] != true || fmt.Sprint(row["provisionalCells"]) != "[3 7 9]" {
			t.Errorf("row %v: provisional %v cells %v, want the interest cells 3, 7 and 9", row["period"], row["provisional"], row["provisionalCells"])
		}
	}
	for _, tot := range res.body["totals"].([]any) {
		if tot.(map[string]any)["provisional"] != true {
			t.Errorf("total not provisional: %v", tot)
		}
	}

	res = do(t, h, "POST", "/api/v1/calculations/back-payment", `{"rows":[{"period":"202406","base":"1000.00","rates":{"unit":"0.16","personal":"0.08"}}]}`)
	checkAnswer(t, res)
	// 160.00 due 202406: (1 + 2.62%·7/12)·(1 + 2.62%) − 1 → 6.70.
	unit := res.body["rows"].([]any)[0].(map[string]any)["unit"].(map[string]any)
	if unit["interest"] != "6.70" || unit["provisional"] != true || res.body["totals"].(map[string]any)["provisional"] != true {
		t.Errorf("trial: unit %v totals %v", unit, res.body["totals"])
	}
	if _, ok := res.body["rates"].(map[string]any)["2025"]; ok {
		t.Errorf("rates lists the unpublished 2025: %v", res.body["rates"])
	}

	res = do(t, h, "POST", "/api/v1/calculations/back-payment", `{"calcDate":"2025-06-01","rows":[{"period":"202406","base":"1000.00","rates":{"unit":"0.16"}}]}`)
	if res.status != 200 || res.body["provisionalYears"] != nil || strings.Contains(res.raw, "provisional") {
		t.Errorf("calculated in 2025: %s", res.raw)
	}

	res = do(t, h, "POST", "/api/v1/calculations/back-payment", `{"calcDate":"2028-01-01","rows":[{"period":"202406","base":"1000.00"}]}`)
	if res.status != 422 || !strings.Contains(res.field("calcDate"), "2027-12-31") {
		t.Errorf("calculation date after next year: %d %s", res.status, res.raw)
	}
}
