package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hljhrss/hrss/functions/applications/applicationsapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/receipt/receipttest"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// submitted opens, fills in and submits a business as a demo person and
// lets the review workflow run until it waits for the reviewer.
func submitted(t *testing.T, r *runner.Runner, person, business string) (*client, string) {
	t.Helper()
	applicant := loggedIn(t, r, person)
	path := mustPrepare(t, applicant, mustBusiness(t, business))
	id := path[strings.LastIndex(path, "/")+1:]
	wantCode(t, "submit", applicant.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k-"+id), 201)
	if d := settleReview(t, r, id, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("after submit: %s %s %s", d.Status, d.Error, d.Cause)
	}
	return applicant, id
}

// messages are the outbox's messages to a phone number.
func messages(t *testing.T, r *runner.Runner, to string) []string {
	t.Helper()
	ms, err := r.Outbox.List(context.Background(), 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		if m.To == to {
			out = append(out, m.Body)
		}
	}
	return out
}

func count(list []string, sub string) int {
	n := 0
	for _, s := range list {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

// TestReviewWorkflowEndToEnd: submitted → the receipt is made and the
// applicant told once → returned with a reason (told, with the reason) →
// edited and resubmitted (a new execution) → approved → the effect applied
// and the application completed → told once. The receipt PDF says what was
// submitted and its QR link verifies; a tampered link does not.
func TestReviewWorkflowEndToEnd(t *testing.T) {
	r := seededRunner(t)
	applicant, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	path := "/api/v1/personal-info/applications/" + id
	mobile := "+86199" + demo.PersonRefund[len(demo.PersonRefund)-8:]
	if n := count(messages(t, r, mobile), "已提交"); n != 1 {
		t.Errorf("%d submission messages, want 1", n)
	}

	// The receipt.
	w := applicant.do("GET", "/api/v1/applications/"+id+"/receipt", "")
	wantCode(t, "receipt", w, 303)
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	dl := applicant.do("GET", loc.RequestURI(), "")
	wantCode(t, "receipt download", dl, 200)
	if ct := dl.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("receipt content type %q", ct)
	}
	if n := dl.Body.Len(); n > 200<<10 {
		t.Errorf("receipt is %d bytes", n)
	}
	text, err := receipttest.Text(dl.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	cs, err := application.Read(t.Context(), r.Store, id)
	if err != nil {
		t.Fatal(err)
	}
	// Waiting for the reviewer, the execution is out of memory.
	var stats runner.Stats
	if err := json.Unmarshal(applicant.do("GET", "/_local/stats", "").Body.Bytes(), &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Workflows.Runners != 0 || stats.Workflows.Parked == 0 || stats.Goroutines == 0 || stats.HeapLiveBytes == 0 {
		t.Errorf("waiting for review: %+v, want the execution parked", stats)
	}
	snap := cs.Snapshots[0]
	for _, want := range []string{"个人基本信息修改回执单", snap.Reference, snap.Fields["name"], "工作人员会在48小时之内处理", "扫码核验回执真伪"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt text lacks %q", want)
		}
	}
	if strings.Contains(text, snap.Fields["idNumber"]) && snap.Fields["idNumber"] != "" {
		t.Errorf("the receipt shows the whole ID number")
	}
	// The QR code, decoded from the page, is the printed link: the
	// runner's URL and the verification route.
	qr, err := receipttest.FirstQR(dl.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(qr)
	if err != nil || !strings.HasPrefix(u.Path, "/api/v1/receipts/verify/") || !strings.Contains(text, qr) {
		t.Fatalf("QR code %q (printed: %v)", qr, strings.Contains(text, qr))
	}
	link := u.RequestURI()
	vw := applicant.do("GET", link, "")
	wantCode(t, "verify", vw, 200, "回执单真实有效", "个人基本信息修改", "已提交")
	if strings.Contains(vw.Body.String(), snap.Fields["name"]) {
		t.Errorf("the verification page shows the applicant's name")
	}
	anon := &client{t: t, h: r.Handler()}
	wantCode(t, "verify as JSON, anonymously", anon.withHeader("GET", link, "", "Accept", "application/json"), 200, `"genuine":true`)
	wantCode(t, "tampered signature", anon.do("GET", link[:len(link)-2]+"xx", ""), 200, "回执单核验未通过")
	wantCode(t, "another reference", anon.withHeader("GET", strings.Replace(link, snap.Reference, "HL20220510-AAAAAA", 1), "", "Accept", "application/json"), 200, `"genuine":false`)
	other := loggedIn(t, r, demo.PersonBaseDiff)
	wantCode(t, "another person's receipt", other.do("GET", "/api/v1/applications/"+id+"/receipt", ""), 404)

	// Returned with a reason, resubmitted, approved.
	rv := reviewerClient(t, r)
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "return", rv.do("POST", "/api/v1/review/applications/"+id+"/decision",
		`{"decision":"return","reasons":{"fields.address":"请填写详细的居住地址"}}`), 200)
	if d := settleReview(t, r, id, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("returned round's execution: %s", d.Status)
	}
	if n := count(messages(t, r, mobile), "请填写详细的居住地址"); n != 1 {
		t.Errorf("%d return messages with the reason, want 1", n)
	}
	wantCode(t, "back to the first step", applicant.do("GET", path, ""), 200, "退回第一环节")
	fixAddress(t, applicant, path)
	wantCode(t, "resubmit", applicant.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k2"), 201, `"round":2`)
	if d := settleReview(t, r, id, 2); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("round 2: %s", d.Status)
	}
	wantCode(t, "claim round 2", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "approve", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
	if d := settleReview(t, r, id, 2); d.Status != asl.StatusSucceeded {
		t.Fatalf("round 2 after approval: %s %s", d.Status, d.Waiting)
	}
	wantCode(t, "completed", applicant.do("GET", "/api/v1/applications/"+id, ""), 200, `"status":"completed"`, `"result":"`, `"receipt":"/api/v1/applications/`+id+`/receipt"`)
	if n := count(messages(t, r, mobile), "已办结"); n != 1 {
		t.Errorf("%d completion messages, want 1", n)
	}
	// A late or repeated decision callback changes nothing.
	if err := r.Engine.SendTaskSuccess(t.Context(), "no-such-token", json.RawMessage(`{"decision":"reject"}`)); err == nil {
		t.Errorf("a callback with an unknown token was accepted")
	}
	wantCode(t, "decide again", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"reject","comment":"x"}`), 409)
	wantCode(t, "rate the completed application", applicant.do("POST", "/api/v1/applications/"+id+"/rating", `{"grade":"5"}`), 201)
}

// TestEscalationAtTheSLA: 48 hours undecided, the case is flagged overdue,
// the area's reviewers are told once, and the workflow waits again; the
// decision still completes it.
func TestEscalationAtTheSLA(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	_, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	clk.Advance(application.ReviewSLA + time.Second)
	if err := r.Engine.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if d := settleReview(t, r, id, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("after the escalation: %s %s", d.Status, d.Waiting)
	}
	cs, err := application.Read(t.Context(), r.Store, id)
	if err != nil {
		t.Fatal(err)
	}
	if !cs.App.Escalated || cs.App.SLA(clk.Now()) != application.SLAOverdue {
		t.Errorf("escalated %v, sla %s", cs.App.Escalated, cs.App.SLA(clk.Now()))
	}
	for _, m := range []string{"+8619900230999", "+8619900230998"} {
		if n := count(messages(t, r, m), "超过48小时"); n != 1 {
			t.Errorf("reviewer %s told %d times, want once", m, n)
		}
	}
	rv := reviewerClient(t, r)
	wantCode(t, "overdue in the queue", rv.do("GET", "/api/v1/review/queue?sla=overdue", ""), 200, `"id":"`+id+`"`)
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "reject", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"reject","comment":"材料不符"}`), 200)
	if d := settleReview(t, r, id, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("after the decision: %s", d.Status)
	}
}

// faultyRunner is a seeded runner whose family functions' applyDecision
// fails with a transient error while fail says so.
func faultyRunner(t *testing.T, fail *atomic.Int32, calls *atomic.Int32) *runner.Runner {
	t.Helper()
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
	wrap := func(fn string, h workflow.TaskHandler) workflow.TaskHandler {
		return func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
			if bytes.Contains(p, []byte(`"applyDecision"`)) {
				calls.Add(1)
				if fail.Load() > 0 {
					fail.Add(-1)
					return nil, &workflow.TaskError{Name: application.ErrTransient, Cause: "injected: the table is unavailable"}
				}
			}
			return h(ctx, p)
		}
	}
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clock.Frozen(may10), WrapTask: wrap,
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	seedRunner(t, r)
	return r
}

// TestFailingEffectRetriesThenWaitsForStaff: a decision effect that fails
// transiently is retried with backoff and succeeds; one that keeps failing
// ends in NeedsAttention, which the area's staff see and retry.
func TestFailingEffectRetriesThenWaitsForStaff(t *testing.T) {
	var fail, calls atomic.Int32
	r := faultyRunner(t, &fail, &calls)
	rv := reviewerClient(t, r)

	fail.Store(2)
	_, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "approve", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
	if d := settleReview(t, r, id, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("after two transient failures: %s %s", d.Status, d.Waiting)
	}
	if calls.Load() != 3 {
		t.Errorf("%d applyDecision calls, want 3 (two failures, one success)", calls.Load())
	}

	calls.Store(0)
	fail.Store(1000)
	_, id2 := submitted(t, r, demo.PersonBaseDiff, "personal-basic-info-change")
	wantCode(t, "claim 2", rv.do("POST", "/api/v1/review/applications/"+id2+"/claim", ""), 200)
	wantCode(t, "approve 2", rv.do("POST", "/api/v1/review/applications/"+id2+"/decision", `{"decision":"approve"}`), 200)
	if d := settleReview(t, r, id2, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("after failing for good: %s %s", d.Status, d.Waiting)
	}
	if calls.Load() != 5 {
		t.Errorf("%d applyDecision calls, want 5 (MaxAttempts 4 retries)", calls.Load())
	}
	wantCode(t, "attention list", rv.do("GET", "/api/v1/review/attention", ""), 200, `"id":"`+id2+`"`, `"step":"ApplyDecision"`, "injected")
	wantCode(t, "the case shows it", rv.do("GET", "/api/v1/review/applications/"+id2, ""), 200, `"attention":{"step":"ApplyDecision"`)
	fail.Store(0)
	wantCode(t, "retry", rv.do("POST", "/api/v1/review/applications/"+id2+"/retry", ""), 200)
	if d := settleReview(t, r, id2, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("after staff's retry: %s %s", d.Status, d.Waiting)
	}
	wantCode(t, "attention list after", rv.do("GET", "/api/v1/review/attention", ""), 200, `"items":[]`)
	wantCode(t, "retry again", rv.do("POST", "/api/v1/review/applications/"+id2+"/retry", ""), 409)
	cs, _ := application.Read(t.Context(), r.Store, id2)
	if cs.App.Status != application.StatusCompleted {
		t.Errorf("status %s after the retry", cs.App.Status)
	}
}

// TestWaitingExecutionsSurviveARestart: the runner stops while a review
// waits; after a restart on the same data the decision completes it.
func TestWaitingExecutionsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	clk := clock.Frozen(may10)
	r := newRunner(t, dir, clk)
	seedRunner(t, r)
	_, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r2 := newRunner(t, dir, clk)
	t.Cleanup(func() { r2.Close() })
	rv := reviewerClient(t, r2)
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "approve", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
	if d := settleReview(t, r2, id, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("after the restart: %s %s", d.Status, d.Waiting)
	}
}

// fixAddress answers a return on fields.address: the applicant reads the
// returned draft and saves it with a full address.
func fixAddress(t *testing.T, applicant *client, path string) {
	t.Helper()
	d := decode[struct {
		Version int64             `json:"version"`
		Fields  map[string]string `json:"fields"`
	}](t, applicant.do("GET", path, ""))
	d.Fields["address"] = "七台河市桃山区学府街12号"
	body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": d.Fields})
	wantCode(t, "edit", applicant.do("PUT", path, string(body)), 200)
}

// TestOnlyApplicationsFunctionSends: the state machine gives a family
// function applyDecision only, and every function with tasks but
// ApplicationsFunction (the families, receipts, the platform), built
// without notifications, refuses the notify task instead of running it
// without its SMS and e-mail; ApplicationsFunction takes it.
func TestOnlyApplicationsFunctionSends(t *testing.T) {
	r := newRunner(t, t.TempDir(), clock.Frozen(may10))
	t.Cleanup(func() { _ = r.Close() })
	notifyTask := []byte(`{"task":"notify","applicationId":"APP-NONE","round":1,"event":"submitted"}`)
	others := 0
	for name, w := range runner.Wired {
		fn := r.Functions[name]
		if fn.Task == nil || name == applicationsapi.Name {
			continue
		}
		if w.Notify {
			t.Errorf("%s is given notifications; only %s sends", name, applicationsapi.Name)
		}
		others++
		_, err := fn.Task(t.Context(), notifyTask)
		if got := workflow.ErrorName(err); got != "Hrss.BadTaskPayload" {
			t.Errorf("%s: notify task: %s (%v), want Hrss.BadTaskPayload", name, got, err)
		}
	}
	if others < 10 {
		t.Errorf("checked %d functions, want the 8 families, receipts and the platform", others)
	}
	_, err := r.Functions[applicationsapi.Name].Task(t.Context(), notifyTask)
	if got := workflow.ErrorName(err); got == "Hrss.BadTaskPayload" {
		t.Errorf("%s refused the notify task: %v", applicationsapi.Name, err)
	}
}
