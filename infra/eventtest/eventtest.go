// Package eventtest feeds a function's sample events (events/<dir>/*.json)
// through its Lambda entry point (shared/lambdaentry), deployed, over the
// demo ledger, and checks each answer: what a function's main_test.go
// needs to show that the Lambda it builds serves its events. For tests
// only.
//
// In an event, {{session:individual:<人员编号>}}, {{session:agent:<单位编号>}}
// and {{session:reviewer:<统筹区>}} are replaced by the token of a session of
// that demo person, of that demo unit's agent (named as their login names
// them), or of a reviewer of that pooling area.
package eventtest

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

	"github.com/hljhrss/hrss/shared/blobs/diskblobs"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/lambdaentry"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

// Check checks what the entry point returned for one event.
type Check func(t *testing.T, out any, err error)

// Answers checks an HTTP API event's response: its status, check on the
// decoded body (nil: none), and that an error has a code and a message.
func Answers(status int, check func(b map[string]any) bool) Check {
	return answers(status, func(_ string, b map[string]any) bool { return check == nil || check(b) })
}

// AnswersWith checks an HTTP API event's response: its status, that its
// body holds has, and that an error has a code and a message.
func AnswersWith(status int, has string) Check {
	return answers(status, func(raw string, _ map[string]any) bool { return strings.Contains(raw, has) })
}

func answers(status int, check func(raw string, b map[string]any) bool) Check {
	return func(t *testing.T, out any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		resp, ok := out.(events.APIGatewayV2HTTPResponse)
		if !ok {
			t.Fatalf("answer %T, want an HTTP API response", out)
		}
		var b map[string]any
		if err := json.Unmarshal([]byte(resp.Body), &b); err != nil {
			t.Fatalf("body %q: %v", resp.Body, err)
		}
		if resp.StatusCode != status || !check(resp.Body, b) {
			t.Errorf("%d %.400s, want %d", resp.StatusCode, resp.Body, status)
		}
		if status >= 400 && (b["code"] == nil || b["message"] == nil) {
			t.Errorf("error without code or message: %s", resp.Body)
		}
	}
}

// Now is the time the events are fed at (the window of 每月1-25号 is open).
var Now = time.Date(2026, 3, 2, 10, 0, 0, 0, clock.Shanghai)

// Run feeds every events/<dir>/*.json (dir relative to the repository
// root, the test running two levels below it) to the function newFn
// builds over the demo ledger at Now, with the session placeholders
// replaced, and checks each with its expectation.
func Run(t *testing.T, dir string, newFn func(app.Deps) app.Function, expect map[string]Check) {
	t.Helper()
	d, sessions := Setup(t, Now)
	Feed(t, dir, lambdaentry.Handler(newFn(d), d.Log), Sessions(sessions), expect)
}

// Setup opens a store in a temporary directory with the demo ledger at
// now and returns deployed Deps on it (Local false: the cookie is
// __Host-hrss_session) and its sessions.
func Setup(t testing.TB, now time.Time) (app.Deps, *identity.Sessions) {
	t.Helper()
	clk := clock.Frozen(now)
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "t.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil {
		t.Fatal(err)
	}
	bs, err := diskblobs.New(filepath.Join(t.TempDir(), "blobs"), "http://127.0.0.1:1", []byte("eventtest-blob-secret-0123456789"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	d := app.Deps{Clock: clk, Store: st, StoreKind: "bbolt", Blobs: bs, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	return d, identity.NewSessions(st, clk)
}

// Feed feeds every events/<dir>/*.json to h, after prepare (nil: as
// read), and checks each with its expectation; an event without one, or an
// expectation without an event, fails.
func Feed(t *testing.T, dir string, h func(context.Context, json.RawMessage) (any, error), prepare func(*testing.T, []byte) []byte, expect map[string]Check) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../../events", dir, "*.json"))
	if err != nil || len(files) != len(expect) {
		t.Fatalf("%d sample events for %d expectations: %v", len(files), len(expect), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			check, ok := expect[name]
			if !ok {
				t.Fatalf("sample event %s has no expectation", name)
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if prepare != nil {
				raw = prepare(t, raw)
			}
			out, err := h(context.Background(), raw)
			check(t, out, err)
		})
	}
}

// Sessions replaces an event's session placeholders by the tokens of
// sessions started on sessions for those demo callers.
func Sessions(sessions *identity.Sessions) func(*testing.T, []byte) []byte {
	return func(t *testing.T, raw []byte) []byte { return withSessions(t, sessions, raw) }
}

var placeholder = regexp.MustCompile(`\{\{session:(individual|agent|reviewer):([0-9]+)\}\}`)

func withSessions(t testing.TB, sessions *identity.Sessions, raw []byte) []byte {
	return placeholder.ReplaceAllFunc(raw, func(m []byte) []byte {
		sub := placeholder.FindSubmatch(m)
		kind, no := string(sub[1]), string(sub[2])
		c := identity.Caller{AccountID: "individual:event-" + no, Kind: identity.Individual, Name: Name(no),
			Roles: []identity.Role{identity.RoleIndividual}, PersonNumber: no}
		switch kind {
		case "agent":
			c = identity.Caller{AccountID: "enterprise:event-" + no, Kind: identity.Enterprise, Name: Name(no),
				Roles: []identity.Role{identity.RoleAgent}, UnitNumber: no}
		case "reviewer": // no is the pooling area
			c = identity.Caller{AccountID: "staff:event-" + no, Kind: identity.Staff, Name: "审核员",
				Roles: []identity.Role{identity.RoleReviewer}, PoolingArea: no}
		}
		token, err := sessions.Create(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(token)
	})
}

// Name is the name of the demo person or unit numbered no.
func Name(no string) string {
	for _, p := range demo.Persons() {
		if p.Number == no {
			return p.Name
		}
	}
	for _, u := range demo.Units() {
		if u.Number == no {
			return u.Name
		}
	}
	return ""
}

var han = regexp.MustCompile(`\p{Han}`)

// Fuzz is the fuzz target of a function's Lambda entry point: starting
// from every events/<dir>/*.json (sessions filled in, so that the fuzzer
// reaches the routes behind them) and a few task payloads, whatever event
// it is given (an HTTP API request, a schedule, a task payload, or none of
// these) is answered without a panic: an HTTP answer below 500 (or a
// deliberate 503) whose JSON errors have a Chinese message, or an error
// Lambda reports as the invoke's. Each function's main_test.go calls it
// as FuzzEvents; go test runs the seeds, go test -fuzz FuzzEvents
// explores.
func Fuzz(f *testing.F, dir string, newFn func(app.Deps) app.Function) {
	d, sessions := Setup(f, Now)
	h := lambdaentry.Handler(newFn(d), d.Log)
	files, err := filepath.Glob(filepath.Join("../../events", dir, "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no sample events in events/%s: %v", dir, err)
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(withSessions(f, sessions, raw))
	}
	for _, s := range []string{`{"task":"generateReceipt","applicationId":"A#1$../..","round":1}`, `"task"`, `{}`, `[]`, `null`,
		`{"schedule":"x"}`, `{"routeKey":"GET /","requestContext":{}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := h(t.Context(), raw)
		if err != nil {
			return // reported by Lambda as the invoke's error
		}
		r, ok := out.(events.APIGatewayV2HTTPResponse)
		if !ok {
			return // a task's or a schedule's result
		}
		// 503 is a deliberate answer (a service not configured, storage
		// full) and must say so like any refusal; every other 5xx is a
		// fault.
		if r.StatusCode >= 500 && r.StatusCode != 503 {
			t.Fatalf("%d %.300s", r.StatusCode, r.Body)
		}
		if r.StatusCode >= 400 && (r.StatusCode == 503 || strings.HasPrefix(r.Headers["Content-Type"], "application/json")) {
			var b struct{ Code, Message string }
			if json.Unmarshal([]byte(r.Body), &b) != nil || b.Code == "" || !han.MatchString(b.Message) {
				t.Fatalf("%d %.300s: not a JSON error with a Chinese message", r.StatusCode, r.Body)
			}
		}
	})
}
