package runner_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	minidyn "github.com/truora/minidyn/aws-v2/client"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/table/dynamostore"
)

// calls counts the DynamoDB calls made on behalf of one request: the
// counting client sees the context of every call and counts those whose
// context carries the request's calls (the workflow engine's and the
// timer's background work carries none).
type calls struct {
	mu   sync.Mutex
	n    map[string]int
	last []string // the last evaluated keys this request's queries returned
}

type callsKey struct{}

func (c *calls) add(ctx context.Context, op string) {
	if c2, ok := ctx.Value(callsKey{}).(*calls); ok && c2 == c {
		c.mu.Lock()
		c.n[op]++
		c.mu.Unlock()
	}
}

// total is the calls held to the budget (not the continued pages).
func (c *calls) total() int {
	n := 0
	for op, v := range c.n {
		if !strings.HasSuffix(op, "(next page)") {
			n += v
		}
	}
	return n
}

func (c *calls) String() string {
	var parts []string
	for op, n := range c.n {
		parts = append(parts, fmt.Sprintf("%s×%d", op, n))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// countingAPI is the DynamoDB client with a counter in front: what a
// middleware on the SDK client sees, one entry per API call.
type countingAPI struct{ dynamostore.API }

func keyString(k map[string]types.AttributeValue) string {
	var parts []string
	for name, v := range k {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			parts = append(parts, name+"="+s.Value)
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}

func (a countingAPI) remember(ctx context.Context, k map[string]types.AttributeValue) {
	if c, ok := ctx.Value(callsKey{}).(*calls); ok {
		c.mu.Lock()
		c.last = append(c.last, keyString(k))
		c.mu.Unlock()
	}
}

func (a countingAPI) continues(ctx context.Context, k map[string]types.AttributeValue) bool {
	c, ok := ctx.Value(callsKey{}).(*calls)
	if !ok {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Contains(c.last, keyString(k))
}

func countCall(ctx context.Context, op string) {
	if c, ok := ctx.Value(callsKey{}).(*calls); ok {
		c.add(ctx, op)
	}
}

func (a countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, f ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	countCall(ctx, "GetItem "+prefix(in.Key["PK"]))
	return a.API.GetItem(ctx, in, f...)
}

func (a countingAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, f ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	countCall(ctx, "UpdateItem "+prefix(in.Key["PK"]))
	return a.API.UpdateItem(ctx, in, f...)
}

// prefix is the key's first segment, as the counts name the item written.
func prefix(v types.AttributeValue) string {
	s, _ := v.(*types.AttributeValueMemberS)
	if s == nil {
		return ""
	}
	p, _, _ := strings.Cut(s.Value, "#")
	return p
}

func (a countingAPI) PutItem(ctx context.Context, in *dynamodb.PutItemInput, f ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	countCall(ctx, "PutItem "+prefix(in.Item["PK"]))
	return a.API.PutItem(ctx, in, f...)
}

func (a countingAPI) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, f ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	countCall(ctx, "DeleteItem "+prefix(in.Key["PK"]))
	return a.API.DeleteItem(ctx, in, f...)
}

func (a countingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, f ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	countCall(ctx, "TransactWriteItems")
	return a.API.TransactWriteItems(ctx, in, f...)
}

func (a countingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, f ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	// A Query that continues one of this request from its last evaluated
	// key is the adapter reading past the TTL filter; minidyn also answers
	// an empty partition a page at a time, which DynamoDB does not (its
	// Limit counts the items the key condition selects). Those are counted
	// apart and not held to the budget.
	op := "Query"
	if in.ExclusiveStartKey != nil && a.continues(ctx, in.ExclusiveStartKey) {
		op = "Query(next page)"
	}
	countCall(ctx, op)
	out, err := a.API.Query(ctx, in, f...)
	if err == nil && len(out.LastEvaluatedKey) > 0 {
		a.remember(ctx, out.LastEvaluatedKey)
	}
	return out, err
}

// measured sends one request with a counter in its context and returns
// the answer and the calls it made.
func measured(t *testing.T, c *client, method, path, body string, header ...string) (*httptest.ResponseRecorder, *calls) {
	t.Helper()
	n := &calls{n: map[string]int{}}
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req = req.WithContext(context.WithValue(req.Context(), callsKey{}, n))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	return w, n
}

// TestRoundTrips runs the platform on the DynamoDB adapter (over minidyn,
// through a counting client) and holds each route to its budget of table
// calls per request: a catalog read none, a read of a ledger or an
// application two (the session and the data), a submit one transaction
// (beside the reads it checks against). A route over budget fails.
func TestRoundTrips(t *testing.T) {
	clk := clock.Frozen(may10)
	api := countingAPI{minidyn.NewClient()}
	if _, err := api.API.(*minidyn.Client).CreateTable(t.Context(), dynamostore.TableDefinition("hrss")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		if k == "HRSS_DATA_DIR" {
			return dir, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clk, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Store: dynamostore.New(api, "hrss", clk), StoreKind: "dynamodb (minidyn)"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	seedRunner(t, r)
	person := loggedIn(t, r, demo.PersonRefund)
	anon := &client{t: t, h: r.Handler()}

	type budget struct {
		what         string
		c            *client
		method, path string
		body         string
		header       []string
		max          int            // table calls in all
		exactly      map[string]int // calls of these operations exactly
		status       int
	}
	// Warm the caches a function keeps between requests (the reference
	// data, read once a minute), as a warm Lambda has them.
	anon.do("GET", "/api/v1/services", "")
	person.do("GET", "/api/v1/ledgers/personal-refund", "")

	path := mustPrepare(t, person, mustBusiness(t, "personal-basic-info-change"))
	id := path[strings.LastIndex(path, "/")+1:]
	// A second draft, for an upload form.
	w := person.do("POST", "/api/v1/contributions-and-arrears/applications", `{"business":"personal-refund"}`)
	if w.Code != 201 {
		t.Fatalf("create a draft: %d %s", w.Code, w.Body)
	}
	draft := "/api/v1/contributions-and-arrears/applications/" + decode[draftJSON](t, w).ID
	checks := []budget{
		{what: "catalog list", c: anon, method: "GET", path: "/api/v1/services", max: 0, status: 200},
		{what: "catalog detail", c: anon, method: "GET", path: "/api/v1/services/personal-refund", max: 0, status: 200},
		{what: "code table", c: anon, method: "GET", path: "/api/v1/code-tables/gender", max: 0, status: 200},
		// The session and the person's dossier; the names of the units the
		// person worked for come from the record tables' one-minute cache
		// of unit profiles, warmed above.
		{what: "a ledger (record table)", c: person, method: "GET", path: "/api/v1/ledgers/personal-refund", max: 2, status: 200},
		{what: "an application", c: person, method: "GET", path: path, max: 2, status: 200},
		{what: "my applications", c: person, method: "GET", path: "/api/v1/applications", max: 2, status: 200},
		{what: "the message center", c: person, method: "GET", path: "/api/v1/me/messages", max: 3, status: 200},
		// The session, the draft, and one transaction: the upload record,
		// the draft's version and the party's quota, counted by an add
		// (no read of the counter, APP#QUOTA#…).
		{what: "upload form", c: person, method: "POST", path: draft + "/uploads",
			body:    `{"material":"银行卡","fileName":"卡.png","contentType":"image/png","size":72}`,
			exactly: map[string]int{"TransactWriteItems": 1, "GetItem APP": 0}, max: 3, status: 201},
		// One transaction (the application, its snapshot, the reference,
		// the unstarted marker, the idempotency record), one workflow start
		// (here the local engine's item; in AWS states:StartExecution); the
		// execution's first task removes the marker, not the request; the
		// files it takes off the party's quota are an add, not a read and a
		// versioned write. The rest are the reads the submit checks against.
		{what: "submit", c: person, method: "POST", path: path + "/submit", header: []string{"Idempotency-Key", "rt-" + id},
			exactly: map[string]int{"TransactWriteItems": 1, "PutItem WF": 1, "DeleteItem APP": 0, "PutItem APP": 0, "GetItem APP": 0}, max: 6, status: 201},
	}
	var report []string
	for _, b := range checks {
		w, n := measured(t, b.c, b.method, b.path, b.body, b.header...)
		if w.Code != b.status {
			t.Errorf("%s: %d %s", b.what, w.Code, w.Body.String()[:min(w.Body.Len(), 200)])
			continue
		}
		report = append(report, fmt.Sprintf("%-26s %s %-52s %2d  %s", b.what, b.method, b.path, n.total(), n))
		if n.total() > b.max {
			t.Errorf("%s: %d table calls (%s), budget %d", b.what, n.total(), n, b.max)
		}
		for op, want := range b.exactly {
			if n.n[op] != want {
				t.Errorf("%s: %d %s, want exactly %d (%s)", b.what, n.n[op], op, want, n)
			}
		}
	}
	t.Logf("table calls per request (DynamoDB adapter over minidyn):\n%s", strings.Join(report, "\n"))
}
