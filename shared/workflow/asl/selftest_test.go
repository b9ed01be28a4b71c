package asl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

const selfTestPath = "../../../infra/statemachine/selftest.asl.json"

// selfTestFunction behaves as the platform function's self-test tasks:
// ping, flaky (counting attempts in memory), fail and await (which
// completes the token itself when the payload says "complete").
type selfTestFunction struct {
	mu       sync.Mutex
	attempts map[string]int
	tokens   map[string]string // execution name → token of its await task
	pings    []json.RawMessage
	engine   func() workflow.Engine
}

func newSelfTestFunction() *selfTestFunction {
	return &selfTestFunction{attempts: map[string]int{}, tokens: map[string]string{}}
}

func (f *selfTestFunction) handle(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
	var p struct {
		Task      string `json:"task"`
		FailTimes int    `json:"failTimes"`
		Key       string `json:"key"`
		Error     string `json:"error"`
		Token     string `json:"token"`
		Complete  bool   `json:"complete"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, err
	}
	if p.Task == "await" && p.Complete {
		f.mu.Lock()
		f.tokens[p.Key] = p.Token
		f.mu.Unlock()
		if err := f.engine().SendTaskSuccess(ctx, p.Token, json.RawMessage(`{"callback":true}`)); err != nil {
			return nil, err
		}
		return json.RawMessage(`{}`), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch p.Task {
	case "ping":
		f.pings = append(f.pings, payload)
		return json.Marshal(map[string]any{"pong": true, "echo": payload})
	case "flaky":
		f.attempts[p.Key]++
		n := f.attempts[p.Key]
		if n <= p.FailTimes {
			return nil, &workflow.TaskError{Name: "Hrss.Transient", Cause: fmt.Sprintf("attempt %d fails on purpose", n)}
		}
		return json.Marshal(map[string]int{"attempts": n})
	case "fail":
		return nil, &workflow.TaskError{Name: p.Error, Cause: "failing on purpose"}
	case "await":
		f.tokens[p.Key] = p.Token
		return json.RawMessage(`{}`), nil
	}
	return nil, &workflow.TaskError{Name: "Hrss.UnknownTask", Cause: p.Task}
}

func (f *selfTestFunction) token(t *testing.T, execution string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := f.tokens[execution]
	if tok == "" {
		t.Fatalf("await task of %s recorded no token", execution)
	}
	return tok
}

func selfTestHarness(t *testing.T) (*harness, *selfTestFunction) {
	t.Helper()
	def, err := os.ReadFile(selfTestPath)
	if err != nil {
		t.Fatal(err)
	}
	fn := newSelfTestFunction()
	h := newHarness(t, map[string][]byte{"SelfTestStateMachine": def},
		map[string]workflow.TaskHandler{"PlatformFunction": fn.handle})
	fn.engine = func() workflow.Engine { return h.eng }
	return h, fn
}

const selfTest = "SelfTestStateMachine"

// runToToken drives a self-test execution to its await task, restarting
// the engine while it waits for its first retry.
func runToToken(t *testing.T, h *harness, name, input string) asl.Description {
	t.Helper()
	h.start(selfTest, name, input)
	d := h.describe(selfTest, name)
	if d.Waiting != asl.WaitingRetry || d.CurrentState != "Flaky" {
		t.Fatalf("after start: waiting %q in %q, want the first retry of Flaky", d.Waiting, d.CurrentState)
	}
	if n := h.restart(); n != 1 {
		t.Errorf("Resume while waiting for a retry continued %d executions, want 1", n)
	}
	d, waits := h.drive(selfTest, name)
	// The remaining timers: the first retry (1 s), the second (2 s: backoff
	// rate 2), the Wait state (1 s).
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, time.Second}, waits); diff != "" {
		t.Errorf("timers (-want +got):\n%s", diff)
	}
	if d.Status != asl.StatusRunning || d.Waiting != asl.WaitingTaskToken || d.CurrentState != "AwaitOperator" {
		t.Fatalf("status %s waiting %q in %q, want RUNNING on the task token of AwaitOperator (error %s: %s)",
			d.Status, d.Waiting, d.CurrentState, d.Error, d.Cause)
	}
	if want := h.clk.Now().Add(600 * time.Second); !d.WaitingUntil.Equal(want) {
		t.Errorf("WaitingUntil = %v, want the heartbeat deadline %v", d.WaitingUntil, want)
	}
	return d
}

func TestSelfTestSucceedsAcrossRestarts(t *testing.T) {
	h, fn := selfTestHarness(t)
	ctx := ctxT(t)
	runToToken(t, h, "deploy-42", `{}`)

	if n := h.restart(); n != 1 {
		t.Errorf("Resume while waiting on the token continued %d executions, want 1", n)
	}
	tok := fn.token(t, "deploy-42")
	if err := h.eng.SendTaskSuccess(ctx, tok, json.RawMessage(`{"checkedBy":"operator"}`)); err != nil {
		t.Fatalf("SendTaskSuccess after restart: %v", err)
	}
	h.settle()

	d := h.describe(selfTest, "deploy-42")
	if d.Status != asl.StatusSucceeded {
		t.Fatalf("status %s (%s: %s), want SUCCEEDED", d.Status, d.Error, d.Cause)
	}
	wantOut := `{
		"execution": "deploy-42",
		"startedAt": "2024-03-01T01:00:00.000Z",
		"input": {},
		"expectedError": "Hrss.SelfTestFailure",
		"ping": {"pong": true, "statusCode": 200},
		"caught": {"Error": "Hrss.SelfTestFailure", "Cause": "{\"errorMessage\":\"failing on purpose\",\"errorType\":\"Hrss.SelfTestFailure\"}"},
		"catch": {"error": "Hrss.SelfTestFailure"},
		"operator": {"checkedBy": "operator"}
	}`
	if diff := jsonDiff(t, wantOut, d.Output); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	wantStates := []string{"Begin", "Ping", "Flaky", "AlwaysFail", "Caught", "Check", "Pause", "HowToAwait", "AwaitOperator", "Done"}
	if diff := cmp.Diff(wantStates, statesEntered(d)); diff != "" {
		t.Errorf("states entered (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		typ, state string
		want       int
	}{
		{asl.EventTaskFailed, "Flaky", 2},
		{asl.EventRetryScheduled, "Flaky", 2},
		{asl.EventTaskFailed, "AlwaysFail", 1},
		{asl.EventRetryScheduled, "AlwaysFail", 0}, // its Retry matches Hrss.Transient only
		{asl.EventErrorCaught, "AlwaysFail", 1},
	} {
		if got := countEvents(d, c.typ, c.state); got != c.want {
			t.Errorf("%s events in %s = %d, want %d", c.typ, c.state, got, c.want)
		}
	}
	if got := fn.attempts["deploy-42"]; got != 3 {
		t.Errorf("flaky attempts = %d, want 3", got)
	}
	if diff := cmp.Diff([]json.RawMessage{json.RawMessage(`{"echo":{"execution":"deploy-42"},"task":"ping"}`)}, fn.pings); diff != "" {
		t.Errorf("ping payloads (-want +got):\n%s", diff)
	}

	// The token is spent, and the name stays taken.
	if err := h.eng.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !errors.Is(err, workflow.ErrTaskNotFound) {
		t.Errorf("second SendTaskSuccess: %v, want ErrTaskNotFound", err)
	}
	id, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: selfTest, Name: "deploy-42", Input: json.RawMessage(`{}`)})
	if !errors.Is(err, workflow.ErrExecutionExists) {
		t.Errorf("Start of a finished name: %v, want ErrExecutionExists", err)
	}
	if want := asl.ExecutionIDPrefix + selfTest + ":deploy-42"; id != want || d.ExecutionID != want {
		t.Errorf("execution id %q / %q, want %q", id, d.ExecutionID, want)
	}
}

func TestSelfTestCompletesItself(t *testing.T) {
	h, _ := selfTestHarness(t)
	h.start(selfTest, "unattended", `{"complete": true}`)
	d, _ := h.drive(selfTest, "unattended")
	if d.Status != asl.StatusSucceeded {
		t.Fatalf("status %s (%s: %s), want SUCCEEDED", d.Status, d.Error, d.Cause)
	}
	want := []string{"Begin", "Ping", "Flaky", "AlwaysFail", "Caught", "Check", "Pause", "HowToAwait", "AwaitCallback", "Done"}
	if diff := cmp.Diff(want, statesEntered(d)); diff != "" {
		t.Errorf("states entered (-want +got):\n%s", diff)
	}
	var out struct{ Operator map[string]any }
	if err := json.Unmarshal(d.Output, &out); err != nil || out.Operator["callback"] != true {
		t.Errorf("output %s, want operator.callback true", d.Output)
	}
}

func TestSelfTestSecondStartIsRefused(t *testing.T) {
	h, _ := selfTestHarness(t)
	ctx := ctxT(t)
	h.start(selfTest, "twice", `{}`)
	for _, input := range []string{`{}`, `{"other":1}`} {
		if _, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: selfTest, Name: "twice", Input: json.RawMessage(input)}); !errors.Is(err, workflow.ErrExecutionExists) {
			t.Errorf("second Start with input %s: %v, want ErrExecutionExists", input, err)
		}
	}
	h.restart()
	if _, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: selfTest, Name: "twice"}); !errors.Is(err, workflow.ErrExecutionExists) {
		t.Errorf("Start after restart: %v, want ErrExecutionExists", err)
	}
}

func TestSelfTestForcedFailure(t *testing.T) {
	h, _ := selfTestHarness(t)
	h.start(selfTest, "forced", `{"forceFailure": true}`)
	d, _ := h.drive(selfTest, "forced")
	if d.Status != asl.StatusFailed || d.Error != "Hrss.SelfTestFailed" {
		t.Fatalf("status %s error %q, want FAILED Hrss.SelfTestFailed", d.Status, d.Error)
	}
	want := []string{"Begin", "Ping", "Flaky", "AlwaysFail", "Caught", "Check", "SelfTestFailed"}
	if diff := cmp.Diff(want, statesEntered(d)); diff != "" {
		t.Errorf("states entered (-want +got):\n%s", diff)
	}
}

func TestSelfTestTaskFailure(t *testing.T) {
	h, fn := selfTestHarness(t)
	ctx := ctxT(t)
	runToToken(t, h, "rejected", `{}`)
	tok := fn.token(t, "rejected")
	// A new engine continues a waiting execution when its token arrives,
	// even before Resume.
	h.close()
	h.open()
	if err := h.eng.SendTaskFailure(ctx, tok, "Hrss.OperatorRejected", "the operator saw a problem"); err != nil {
		t.Fatalf("SendTaskFailure: %v", err)
	}
	h.settle()
	d := h.describe(selfTest, "rejected")
	if d.Status != asl.StatusFailed || d.Error != "Hrss.OperatorRejected" || d.Cause != "the operator saw a problem" {
		t.Errorf("got %s %q %q, want FAILED Hrss.OperatorRejected with the cause", d.Status, d.Error, d.Cause)
	}
	if err := h.eng.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !errors.Is(err, workflow.ErrTaskNotFound) {
		t.Errorf("SendTaskSuccess after failure: %v, want ErrTaskNotFound", err)
	}
}

func TestSelfTestTokenTimeout(t *testing.T) {
	h, fn := selfTestHarness(t)
	ctx := ctxT(t)
	runToToken(t, h, "late", `{}`)
	tok := fn.token(t, "late")
	waitStart := h.clk.Now()

	// Heartbeats keep HeartbeatSeconds (600) from firing...
	h.tick(waitStart.Add(500 * time.Second))
	if err := h.eng.SendTaskHeartbeat(ctx, tok); err != nil {
		t.Fatalf("SendTaskHeartbeat: %v", err)
	}
	h.settle()
	h.tick(waitStart.Add(899 * time.Second))
	if d := h.describe(selfTest, "late"); d.Status != asl.StatusRunning || !d.WaitingUntil.Equal(waitStart.Add(900*time.Second)) {
		t.Fatalf("at 899 s: %s until %v, want RUNNING until the 900 s timeout", d.Status, d.WaitingUntil)
	}
	// ...but not TimeoutSeconds (900).
	h.tick(waitStart.Add(900 * time.Second))
	d := h.describe(selfTest, "late")
	if d.Status != asl.StatusFailed || d.Error != asl.ErrNameTimeout {
		t.Errorf("got %s %q, want FAILED %s", d.Status, d.Error, asl.ErrNameTimeout)
	}
	if err := h.eng.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !errors.Is(err, workflow.ErrTaskNotFound) {
		t.Errorf("SendTaskSuccess after timeout: %v, want ErrTaskNotFound", err)
	}
}

func TestSelfTestHeartbeatTimeoutAfterRestart(t *testing.T) {
	h, fn := selfTestHarness(t)
	runToToken(t, h, "silent", `{}`)
	waitStart := h.clk.Now()
	h.restart()
	h.tick(waitStart.Add(599 * time.Second))
	if d := h.describe(selfTest, "silent"); d.Status != asl.StatusRunning {
		t.Fatalf("at 599 s: %s, want RUNNING", d.Status)
	}
	h.tick(waitStart.Add(600 * time.Second))
	d := h.describe(selfTest, "silent")
	// Step Functions names an expired heartbeat States.Timeout (see
	// conformance_test.go).
	if d.Status != asl.StatusFailed || d.Error != asl.ErrNameTimeout {
		t.Errorf("got %s %q, want FAILED %s", d.Status, d.Error, asl.ErrNameTimeout)
	}
	if err := h.eng.SendTaskHeartbeat(ctxT(t), fn.token(t, "silent")); !errors.Is(err, workflow.ErrTaskNotFound) {
		t.Errorf("heartbeat after timeout: %v, want ErrTaskNotFound", err)
	}
}

func TestSelfTestDefinitionValidates(t *testing.T) {
	def, err := os.ReadFile(selfTestPath)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(name string) (workflow.TaskHandler, bool) { return echo, name == "PlatformFunction" }
	if err := asl.Validate(def, resolve); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}
