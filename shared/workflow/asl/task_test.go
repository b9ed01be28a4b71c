package asl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// taskState is a lambda:invoke Task of function F with extra fields.
func taskState(extra string) string {
	s := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"${F}","Payload.$":"$"}`
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func TestTaskResultShape(t *testing.T) {
	fn := func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
		return json.RawMessage(`{"x":1,"got":` + string(p) + `}`), nil
	}
	handlers := map[string]workflow.TaskHandler{"F": fn}
	tests := []struct {
		name, extra, input, want string
	}{
		{"the lambda:invoke wrapper", `"End":true`, `{"a":1}`,
			`{"ExecutedVersion":"$LATEST","Payload":{"x":1,"got":{"a":1}},"SdkHttpMetadata":{"HttpStatusCode":200},"StatusCode":200}`},
		{"ResultSelector, ResultPath, OutputPath", `"ResultSelector":{"value.$":"$.Payload.x","code.$":"$.StatusCode"},"ResultPath":"$.r","OutputPath":"$.r","End":true`, `{"a":1}`,
			`{"value":1,"code":200}`},
		{"InputPath before Parameters", `"InputPath":"$.inner","ResultSelector":{"echo.$":"$.Payload.got"},"End":true`, `{"inner":{"b":2}}`,
			`{"echo":{"b":2}}`},
		{"ResultPath null", `"ResultPath":null,"End":true`, `{"a":1}`, `{"a":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runOne(t, oneState(taskState(tt.extra)), tt.input, handlers)
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
			}
			if diff := jsonDiff(t, tt.want, d.Output); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFunctionNameForms(t *testing.T) {
	var got atomic.Value
	handlers := map[string]workflow.TaskHandler{
		"PlatformFunction": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			got.Store(string(p))
			return json.RawMessage(`"ok"`), nil
		},
	}
	for _, fn := range []string{
		"PlatformFunction",
		"${PlatformFunction}",
		"hrss-PlatformFunction",
		"hrss-PlatformFunction:live",
		"arn:aws-cn:lambda:cn-north-1:123456789012:function:hrss-PlatformFunction",
		"arn:aws:lambda:us-east-1:123456789012:function:PlatformFunction:$LATEST",
	} {
		t.Run(fn, func(t *testing.T) {
			got.Store("")
			st := fmt.Sprintf(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":%q},"End":true}`, fn)
			d := runOne(t, oneState(st), `{}`, handlers)
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
			}
			if p := got.Load(); p != "{}" {
				t.Errorf("payload %v, want {} when Parameters has no Payload", p)
			}
		})
	}
	t.Run("FunctionName.$ at run time", func(t *testing.T) {
		st := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.fn","Payload":{"k":1}},"End":true}`
		d := runOne(t, oneState(st), `{"fn":"hrss-PlatformFunction"}`, handlers)
		if d.Status != asl.StatusSucceeded {
			t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
		}
		d = runOne(t, oneState(st), `{"fn":"Other"}`, handlers)
		if d.Status != asl.StatusFailed || d.Error != "Lambda.ResourceNotFoundException" {
			t.Errorf("unknown function at run time: %s %q", d.Status, d.Error)
		}
	})
	t.Run("WithSubstitutions", func(t *testing.T) {
		def := oneState(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"${Fn}","Payload":{"table":"${TableName}"}},"End":true}`)
		h := newHarness(t, map[string][]byte{"M": def}, handlers,
			asl.WithSubstitutions(map[string]string{"Fn": "arn:aws:lambda:cn-north-1:1:function:PlatformFunction", "TableName": "hrss"}))
		h.start("M", "x", `{}`)
		if d := h.describe("M", "x"); d.Status != asl.StatusSucceeded || got.Load() != `{"table":"hrss"}` {
			t.Errorf("status %s payload %v", d.Status, got.Load())
		}
	})
}

func TestResourcePartitions(t *testing.T) {
	for _, res := range []string{
		"arn:aws:states:::lambda:invoke",
		"arn:aws-cn:states:::lambda:invoke",
		"arn:${Partition}:states:::lambda:invoke",
	} {
		t.Run(res, func(t *testing.T) {
			st := fmt.Sprintf(`{"Type":"Task","Resource":%q,"Parameters":{"FunctionName":"F","Payload":{"a":1}},"OutputPath":"$.Payload","End":true}`, res)
			d := runOne(t, oneState(st), `{}`, map[string]workflow.TaskHandler{"F": echo})
			if d.Status != asl.StatusSucceeded || string(d.Output) != `{"a":1}` {
				t.Errorf("got %s %s (%s)", d.Status, d.Output, d.Cause)
			}
		})
	}
	t.Run("substituted partition", func(t *testing.T) {
		st := `{"Type":"Task","Resource":"arn:${Partition}:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"End":true}`
		h := newHarness(t, map[string][]byte{"M": oneState(st)}, map[string]workflow.TaskHandler{"F": echo},
			asl.WithSubstitutions(map[string]string{"Partition": "aws-cn"}))
		h.start("M", "x", `{}`)
		if d := h.describe("M", "x"); d.Status != asl.StatusSucceeded {
			t.Errorf("status %s (%s)", d.Status, d.Cause)
		}
	})
}

type customError struct{}

func (customError) Error() string { return "custom" }

func TestHandlerErrorNames(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		panicWith any
		wantName  string
		wantMsg   string
	}{
		{"TaskError", &workflow.TaskError{Name: "Hrss.NotReady", Cause: "later"}, nil, "Hrss.NotReady", "later"},
		{"wrapped TaskError", fmt.Errorf("op: %w", &workflow.TaskError{Name: "Hrss.NotReady", Cause: "later"}), nil, "Hrss.NotReady", "later"},
		{"errors.New", errors.New("plain"), nil, "errorString", "plain"},
		{"custom type", customError{}, nil, "customError", "custom"},
		{"panic", nil, "boom", "panicError", "task handler panicked: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := func(context.Context, json.RawMessage) (json.RawMessage, error) {
				if tt.panicWith != nil {
					panic(tt.panicWith)
				}
				return nil, tt.err
			}
			d := runOne(t, oneState(taskState(`"End":true`)), `{}`, map[string]workflow.TaskHandler{"F": fn})
			if d.Status != asl.StatusFailed || d.Error != tt.wantName {
				t.Fatalf("got %s %q, want FAILED %s", d.Status, d.Error, tt.wantName)
			}
			var cause struct{ ErrorMessage, ErrorType string }
			if err := json.Unmarshal([]byte(d.Cause), &cause); err != nil {
				t.Fatalf("cause %q is not Lambda's error JSON: %v", d.Cause, err)
			}
			if cause.ErrorMessage != tt.wantMsg || cause.ErrorType != tt.wantName {
				t.Errorf("cause %+v, want message %q type %q", cause, tt.wantMsg, tt.wantName)
			}
		})
	}
}

// failing returns a handler that fails with name on its first n calls and
// counts calls.
func failing(name string, n int, calls *atomic.Int32) workflow.TaskHandler {
	return func(context.Context, json.RawMessage) (json.RawMessage, error) {
		if int(calls.Add(1)) <= n {
			return nil, &workflow.TaskError{Name: name, Cause: "planned"}
		}
		return json.RawMessage(`"done"`), nil
	}
}

// machineWithCatch is a machine starting at state S; when S catches to
// "Caught", that state is a Pass that ends.
func machineWithCatch(s string) []byte {
	if strings.Contains(s, `"Caught"`) {
		return fmt.Appendf(nil, `{"StartAt":"S","States":{"S":%s,"Caught":{"Type":"Pass","End":true}}}`, s)
	}
	return oneState(s)
}

func TestRetryAndCatch(t *testing.T) {
	tests := []struct {
		name      string
		errName   string
		failTimes int
		fields    string
		wantWaits []time.Duration
		wantCalls int32
		wantState string // last state entered
		wantOut   string // when it succeeds
		wantErr   string // when it fails
	}{
		{name: "defaults: 3 attempts, 1 s, backoff 2", errName: "E", failTimes: 3,
			fields:    `"Retry":[{"ErrorEquals":["E"]}]`,
			wantWaits: []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second}, wantCalls: 4, wantState: "S", wantOut: `"done"`},
		{name: "backoff 1.5 capped by MaxDelaySeconds", errName: "E", failTimes: 4,
			fields:    `"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxAttempts":4,"BackoffRate":1.5,"MaxDelaySeconds":4}]`,
			wantWaits: []time.Duration{2 * time.Second, 3 * time.Second, 4 * time.Second, 4 * time.Second}, wantCalls: 5, wantState: "S", wantOut: `"done"`},
		{name: "exhausted retries fail", errName: "E", failTimes: 5,
			fields:    `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}]`,
			wantWaits: []time.Duration{time.Second}, wantCalls: 2, wantState: "S", wantErr: "E"},
		{name: "MaxAttempts 0 never retries", errName: "E", failTimes: 1,
			fields: `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":0}]`, wantCalls: 1, wantState: "S", wantErr: "E"},
		{name: "States.TaskFailed matches any task error", errName: "Hrss.X", failTimes: 1,
			fields: `"Retry":[{"ErrorEquals":["States.TaskFailed"]}]`, wantWaits: []time.Duration{time.Second}, wantCalls: 2, wantState: "S", wantOut: `"done"`},
		{name: "only the first matching retrier counts", errName: "E", failTimes: 5,
			fields:    `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":1},{"ErrorEquals":["States.ALL"],"MaxAttempts":5}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]`,
			wantWaits: []time.Duration{time.Second}, wantCalls: 2, wantState: "Caught",
			wantOut: `{"Error":"E","Cause":"{\"errorMessage\":\"planned\",\"errorType\":\"E\"}"}`},
		{name: "non-matching retrier, Catch with ResultPath", errName: "E", failTimes: 1,
			fields:    `"Retry":[{"ErrorEquals":["Other"]}],"Catch":[{"ErrorEquals":["Other"],"Next":"Caught"},{"ErrorEquals":["E","F"],"ResultPath":"$.err","Next":"Caught"}]`,
			wantCalls: 1, wantState: "Caught",
			wantOut: `{"in":1,"err":{"Error":"E","Cause":"{\"errorMessage\":\"planned\",\"errorType\":\"E\"}"}}`},
		{name: "Catch with ResultPath null keeps the input", errName: "E", failTimes: 1,
			fields: `"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":null,"Next":"Caught"}]`, wantCalls: 1, wantState: "Caught", wantOut: `{"in":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			def := machineWithCatch(taskState(tt.fields + `,"ResultSelector":{"p.$":"$.Payload"},"OutputPath":"$.p","End":true`))
			h := newHarness(t, map[string][]byte{"M": def}, map[string]workflow.TaskHandler{"F": failing(tt.errName, tt.failTimes, &calls)})
			h.start("M", "x", `{"in":1}`)
			d, waits := h.drive("M", "x")
			if diff := cmp.Diff(tt.wantWaits, waits); diff != "" {
				t.Errorf("retry intervals (-want +got):\n%s", diff)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("handler calls = %d, want %d", got, tt.wantCalls)
			}
			if states := statesEntered(d); states[len(states)-1] != tt.wantState {
				t.Errorf("states entered %v, want to end in %s", states, tt.wantState)
			}
			if tt.wantErr != "" {
				if d.Status != asl.StatusFailed || d.Error != tt.wantErr {
					t.Errorf("got %s %q, want FAILED %s", d.Status, d.Error, tt.wantErr)
				}
				return
			}
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
			}
			if diff := jsonDiff(t, tt.wantOut, d.Output); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetryCountInContext(t *testing.T) {
	var calls atomic.Int32
	var seen []string
	var mu sync.Mutex
	fn := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
		mu.Lock()
		seen = append(seen, string(p))
		mu.Unlock()
		return failing("E", 2, &calls)(ctx, p)
	}
	st := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F","Payload":{"n.$":"$$.State.RetryCount"}},"Retry":[{"ErrorEquals":["E"]}],"End":true}`
	d := runOne(t, oneState(st), `{}`, map[string]workflow.TaskHandler{"F": fn})
	if d.Status != asl.StatusSucceeded {
		t.Fatalf("status %s", d.Status)
	}
	if diff := cmp.Diff([]string{`{"n":0}`, `{"n":1}`, `{"n":2}`}, seen); diff != "" {
		t.Errorf("payloads (-want +got):\n%s", diff)
	}
}

// blocking is a handler that reports its start and then waits for its
// context, counting calls.
type blocking struct {
	started chan struct{}
	calls   atomic.Int32
	finish  atomic.Bool // when true, return at once
}

func newBlocking() *blocking { return &blocking{started: make(chan struct{}, 10)} }

func (b *blocking) handle(ctx context.Context, _ json.RawMessage) (json.RawMessage, error) {
	b.calls.Add(1)
	if b.finish.Load() {
		return json.RawMessage(`"finished"`), nil
	}
	b.started <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

func (b *blocking) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-b.started:
	case <-time.After(5 * time.Second):
		t.Fatal("handler did not start")
	}
}

func TestTaskTimeout(t *testing.T) {
	tests := []struct {
		name, fields, wantErr, wantLast string
	}{
		{"fails with States.Timeout", ``, asl.ErrNameTimeout, "S"},
		{"States.TaskFailed does not match States.Timeout", `,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}]`, asl.ErrNameTimeout, "S"},
		{"States.ALL matches States.Timeout", `,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]`, "", "Caught"},
		{"States.Timeout by name", `,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Caught"}]`, "", "Caught"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBlocking()
			def := machineWithCatch(taskState(`"TimeoutSeconds":30,"End":true` + tt.fields))
			h := newHarness(t, map[string][]byte{"M": def}, map[string]workflow.TaskHandler{"F": b.handle})
			if _, err := h.eng.Start(ctxT(t), workflow.StartInput{StateMachine: "M", Name: "x"}); err != nil {
				t.Fatal(err)
			}
			b.waitStarted(t)
			if err := h.eng.Tick(ctxT(t)); err != nil { // not due yet: nothing happens
				t.Fatal(err)
			}
			h.clk.Advance(29 * time.Second)
			if err := h.eng.Tick(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			if d := h.describe("M", "x"); d.Status != asl.StatusRunning {
				t.Fatalf("at 29 s: %s", d.Status)
			}
			h.tick(t0.Add(30 * time.Second))
			d := h.describe("M", "x")
			states := statesEntered(d)
			if got := states[len(states)-1]; got != tt.wantLast {
				t.Errorf("last state %s, want %s", got, tt.wantLast)
			}
			if tt.wantErr == "" {
				if d.Status != asl.StatusSucceeded {
					t.Errorf("status %s (%s)", d.Status, d.Error)
				}
				return
			}
			if d.Status != asl.StatusFailed || d.Error != tt.wantErr {
				t.Errorf("got %s %q, want FAILED %s", d.Status, d.Error, tt.wantErr)
			}
		})
	}
}

func TestRuntimeErrorIsNotCaught(t *testing.T) {
	def := []byte(`{"StartAt":"S","States":{
		"S":` + taskState(`"OutputPath":"$.nope","Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true`) + `,
		"C":{"Type":"Succeed"}}}`)
	d := runOne(t, def, `{}`, map[string]workflow.TaskHandler{"F": echo})
	if d.Status != asl.StatusFailed || d.Error != asl.ErrNameRuntime {
		t.Errorf("got %s %q, want FAILED States.Runtime", d.Status, d.Error)
	}
	if n := countEvents(d, asl.EventRetryScheduled, "S"); n != 0 {
		t.Errorf("%d retries of a States.Runtime error", n)
	}
}

func TestParameterPathFailureIsCaught(t *testing.T) {
	def := []byte(`{"StartAt":"S","States":{
		"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F","Payload":{"x.$":"$.nope"}},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},
		"C":{"Type":"Succeed","OutputPath":"$.Error"}}}`)
	d := runOne(t, def, `{}`, map[string]workflow.TaskHandler{"F": echo})
	if d.Status != asl.StatusSucceeded || string(d.Output) != `"States.ParameterPathFailure"` {
		t.Errorf("got %s %s", d.Status, d.Output)
	}
}

func TestInterruptedTaskRunsAgainAfterRestart(t *testing.T) {
	b := newBlocking()
	h := newHarness(t, map[string][]byte{"M": oneState(taskState(`"End":true`))}, map[string]workflow.TaskHandler{"F": b.handle})
	if _, err := h.eng.Start(ctxT(t), workflow.StartInput{StateMachine: "M", Name: "x"}); err != nil {
		t.Fatal(err)
	}
	b.waitStarted(t)
	b.finish.Store(true)
	if n := h.restart(); n != 1 { // Close cancels the running handler
		t.Fatalf("Resume continued %d executions, want 1", n)
	}
	d := h.describe("M", "x")
	if d.Status != asl.StatusSucceeded || b.calls.Load() != 2 {
		t.Errorf("status %s after %d calls, want SUCCEEDED after 2", d.Status, b.calls.Load())
	}
}

func tokenMachine(extra string) []byte {
	return []byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"F","Payload":{"token.$":"$$.Task.Token","in.$":"$"}}` + extra + `,"End":true}}}`)
}

func TestTokenTask(t *testing.T) {
	t.Run("handler completes the token before returning", func(t *testing.T) {
		var h *harness
		fn := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct{ Token string }
			_ = json.Unmarshal(p, &in)
			if err := h.eng.SendTaskSuccess(ctx, in.Token, json.RawMessage(`{"v":"inline"}`)); err != nil {
				return nil, err
			}
			return json.RawMessage(`{}`), nil
		}
		h = newHarness(t, map[string][]byte{"M": tokenMachine(`,"ResultSelector":{"got.$":"$.v"}`)}, map[string]workflow.TaskHandler{"F": fn})
		h.start("M", "x", `{"a":1}`)
		d := h.describe("M", "x")
		if d.Status != asl.StatusSucceeded || string(d.Output) != `{"got":"inline"}` {
			t.Errorf("got %s %s (%s)", d.Status, d.Output, d.Cause)
		}
	})
	t.Run("handler error fails the task", func(t *testing.T) {
		fn := func(context.Context, json.RawMessage) (json.RawMessage, error) {
			return nil, &workflow.TaskError{Name: "Hrss.Down", Cause: "x"}
		}
		d := runOne(t, tokenMachine(""), `{}`, map[string]workflow.TaskHandler{"F": fn})
		if d.Status != asl.StatusFailed || d.Error != "Hrss.Down" {
			t.Errorf("got %s %q", d.Status, d.Error)
		}
	})
	t.Run("failure output goes through Retry", func(t *testing.T) {
		var mu sync.Mutex
		var tokens []string
		fn := func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct{ Token string }
			_ = json.Unmarshal(p, &in)
			mu.Lock()
			tokens = append(tokens, in.Token)
			mu.Unlock()
			return nil, nil
		}
		h := newHarness(t, map[string][]byte{"M": tokenMachine(`,"Retry":[{"ErrorEquals":["Hrss.Later"]}]`)}, map[string]workflow.TaskHandler{"F": fn})
		h.start("M", "x", `{}`)
		if err := h.eng.SendTaskFailure(ctxT(t), tokens[0], "Hrss.Later", "busy"); err != nil {
			t.Fatal(err)
		}
		h.drive("M", "x")
		if len(tokens) != 2 || tokens[0] == tokens[1] {
			t.Fatalf("tokens %v, want a new token for the retry", tokens)
		}
		if err := h.eng.SendTaskSuccess(ctxT(t), tokens[0], json.RawMessage(`1`)); !errors.Is(err, workflow.ErrTaskNotFound) {
			t.Errorf("old token: %v, want ErrTaskNotFound", err)
		}
		if err := h.eng.SendTaskSuccess(ctxT(t), tokens[1], json.RawMessage(`2`)); err != nil {
			t.Fatal(err)
		}
		h.settle()
		if d := h.describe("M", "x"); d.Status != asl.StatusSucceeded || string(d.Output) != "2" {
			t.Errorf("got %s %s", d.Status, d.Output)
		}
	})
	t.Run("bad token and output", func(t *testing.T) {
		h := newHarness(t, map[string][]byte{"M": tokenMachine("")}, map[string]workflow.TaskHandler{"F": echo})
		ctx := ctxT(t)
		for _, tok := range []string{"", "unknown"} {
			if err := h.eng.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !errors.Is(err, workflow.ErrTaskNotFound) {
				t.Errorf("SendTaskSuccess(%q): %v, want ErrTaskNotFound", tok, err)
			}
			if err := h.eng.SendTaskFailure(ctx, tok, "E", ""); !errors.Is(err, workflow.ErrTaskNotFound) {
				t.Errorf("SendTaskFailure(%q): %v, want ErrTaskNotFound", tok, err)
			}
		}
		if err := h.eng.SendTaskSuccess(ctx, "unknown", json.RawMessage(`{`)); !errors.Is(err, asl.ErrInvalidInput) {
			t.Errorf("invalid output: %v, want ErrInvalidInput", err)
		}
	})
}

func TestWaitState(t *testing.T) {
	tests := []struct {
		name, field, input string
		want               time.Time
	}{
		{"Seconds", `"Seconds":90`, `{}`, t0.Add(90 * time.Second)},
		{"Timestamp", `"Timestamp":"2024-03-01T02:00:00Z"`, `{}`, t0.Add(time.Hour)},
		{"SecondsPath", `"SecondsPath":"$.wait"`, `{"wait":30}`, t0.Add(30 * time.Second)},
		{"TimestampPath", `"TimestampPath":"$.at"`, `{"at":"2024-03-01T09:00:10+08:00"}`, t0.Add(10 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string][]byte{"M": oneState(`{"Type":"Wait",` + tt.field + `,"OutputPath":"$","End":true}`)}, nil)
			h.start("M", "x", tt.input)
			d := h.describe("M", "x")
			if d.Waiting != asl.WaitingWait || !d.WaitingUntil.Equal(tt.want) {
				t.Fatalf("waiting %q until %v, want Wait until %v", d.Waiting, d.WaitingUntil, tt.want)
			}
			h.restart()
			h.tick(tt.want.Add(-time.Second))
			if d := h.describe("M", "x"); d.Status != asl.StatusRunning {
				t.Fatalf("a second early: %s", d.Status)
			}
			h.tick(tt.want)
			d = h.describe("M", "x")
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("status %s (%s)", d.Status, d.Error)
			}
			if diff := jsonDiff(t, tt.input, d.Output); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("past timestamp goes on at once", func(t *testing.T) {
		d := runOne(t, oneState(`{"Type":"Wait","Timestamp":"2020-01-01T00:00:00Z","End":true}`), `{}`, nil)
		if d.Status != asl.StatusSucceeded {
			t.Errorf("status %s", d.Status)
		}
	})
	for _, in := range []string{`{"wait":-1}`, `{"wait":1.5}`, `{"wait":"1"}`, `{}`} {
		t.Run("bad SecondsPath "+in, func(t *testing.T) {
			d := runOne(t, oneState(`{"Type":"Wait","SecondsPath":"$.wait","End":true}`), in, nil)
			if d.Status != asl.StatusFailed || d.Error != asl.ErrNameRuntime {
				t.Errorf("got %s %q, want FAILED States.Runtime", d.Status, d.Error)
			}
		})
	}
}

func TestExecutionTimeout(t *testing.T) {
	for _, tt := range []struct{ name, def string }{
		{"in a Wait", `{"TimeoutSeconds":60,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`},
		{"on a task token", `{"TimeoutSeconds":60,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"F","Payload":{"t.$":"$$.Task.Token"}},"End":true}}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string][]byte{"M": []byte(tt.def)}, map[string]workflow.TaskHandler{"F": echo})
			h.start("M", "x", `{}`)
			if d := h.describe("M", "x"); !d.WaitingUntil.Equal(t0.Add(time.Minute)) {
				t.Errorf("WaitingUntil %v, want the execution timeout", d.WaitingUntil)
			}
			h.tick(t0.Add(time.Minute))
			d := h.describe("M", "x")
			if d.Status != asl.StatusTimedOut || d.Error != asl.ErrNameTimeout || d.StoppedAt.IsZero() {
				t.Errorf("got %s %q stopped %v, want TIMED_OUT", d.Status, d.Error, d.StoppedAt)
			}
			if got := d.History[len(d.History)-1].Type; got != asl.EventExecutionTimedOut {
				t.Errorf("last event %s", got)
			}
		})
	}
}

func TestStart(t *testing.T) {
	h := newHarness(t, map[string][]byte{"M": oneState(`{"Type":"Wait","Seconds":10,"End":true}`)}, nil)
	ctx := ctxT(t)
	tests := []struct {
		name string
		in   workflow.StartInput
		want error
	}{
		{"unknown machine", workflow.StartInput{StateMachine: "Nope", Name: "a"}, workflow.ErrNoStateMachine},
		{"empty name", workflow.StartInput{StateMachine: "M", Name: ""}, asl.ErrInvalidInput},
		{"name with a space", workflow.StartInput{StateMachine: "M", Name: "a b"}, asl.ErrInvalidInput},
		{"name with a colon", workflow.StartInput{StateMachine: "M", Name: "a:b"}, asl.ErrInvalidInput},
		{"name too long", workflow.StartInput{StateMachine: "M", Name: strings.Repeat("a", 81)}, asl.ErrInvalidInput},
		{"invalid input", workflow.StartInput{StateMachine: "M", Name: "a", Input: json.RawMessage(`{`)}, asl.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := h.eng.Start(ctx, tt.in); !errors.Is(err, tt.want) {
				t.Errorf("Start: %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("concurrent starts of one name", func(t *testing.T) {
		var wg sync.WaitGroup
		var ok, exists atomic.Int32
		for i := range 8 {
			wg.Go(func() {
				_, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: "M", Name: "race-申请", Input: json.RawMessage(fmt.Sprint(i))})
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, workflow.ErrExecutionExists):
					exists.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || exists.Load() != 7 {
			t.Errorf("%d started, %d refused; want 1 and 7", ok.Load(), exists.Load())
		}
	})
	t.Run("Describe of an unknown execution", func(t *testing.T) {
		if _, err := h.eng.Describe(ctx, "M", "nope"); !errors.Is(err, asl.ErrExecutionNotFound) {
			t.Errorf("Describe: %v", err)
		}
	})
	t.Run("Start after Close", func(t *testing.T) {
		if err := h.eng.Close(); err != nil {
			t.Fatal(err)
		}
		if err := h.eng.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: "M", Name: "late"}); !errors.Is(err, asl.ErrClosed) {
			t.Errorf("Start after Close: %v, want ErrClosed", err)
		}
	})
}

func TestBackgroundTicker(t *testing.T) {
	h := newHarness(t, map[string][]byte{"M": oneState(`{"Type":"Wait","Seconds":3600,"End":true}`)}, nil, asl.WithTickInterval(5*time.Millisecond))
	h.start("M", "x", `{}`)
	h.clk.Advance(time.Hour)
	deadline := time.Now().Add(5 * time.Second)
	for h.describe("M", "x").Status == asl.StatusRunning {
		if time.Now().After(deadline) {
			t.Fatal("the background loop did not end the Wait")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d := h.describe("M", "x"); d.Status != asl.StatusSucceeded {
		t.Errorf("status %s", d.Status)
	}
}

// A waitForTaskToken task whose handler was still running when the engine
// stopped never got to hand its token on (the handler's work was lost), so
// after a restart the handler runs again, as for a plain task; otherwise
// the execution would wait for a token nobody has.
func TestInterruptedTokenHandlerRunsAgainAfterRestart(t *testing.T) {
	b := newBlocking()
	var mu sync.Mutex
	var tokens []string
	fn := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
		if out, err := b.handle(ctx, p); err != nil {
			return out, err
		}
		var in struct{ Token string }
		_ = json.Unmarshal(p, &in)
		mu.Lock()
		tokens = append(tokens, in.Token)
		mu.Unlock()
		return json.RawMessage(`{}`), nil
	}
	h := newHarness(t, map[string][]byte{"M": tokenMachine("")}, map[string]workflow.TaskHandler{"F": fn})
	if _, err := h.eng.Start(ctxT(t), workflow.StartInput{StateMachine: "M", Name: "x"}); err != nil {
		t.Fatal(err)
	}
	b.waitStarted(t)
	b.finish.Store(true)
	if n := h.restart(); n != 1 { // Close cancels the running handler
		t.Fatalf("Resume continued %d executions, want 1", n)
	}
	if got := b.calls.Load(); got != 2 {
		t.Fatalf("handler called %d times, want 2 (again after the restart)", got)
	}
	mu.Lock()
	got := slices.Clone(tokens)
	mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("tokens handed on: %v, want one", got)
	}
	if err := h.eng.SendTaskSuccess(ctxT(t), got[0], json.RawMessage(`{"ok":true}`)); err != nil {
		t.Fatalf("SendTaskSuccess with the token of the second call: %v", err)
	}
	h.settle()
	if d := h.describe("M", "x"); d.Status != asl.StatusSucceeded || string(d.Output) != `{"ok":true}` {
		t.Errorf("got %s %s (%s: %s)", d.Status, d.Output, d.Error, d.Cause)
	}

	// A handler that returned before the restart is not called again.
	if _, err := h.eng.Start(ctxT(t), workflow.StartInput{StateMachine: "M", Name: "y"}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	if n := h.restart(); n != 1 {
		t.Fatalf("Resume continued %d executions, want 1", n)
	}
	if got := b.calls.Load(); got != 3 {
		t.Errorf("handler called %d times in all, want 3 (not again for y)", got)
	}
}

// TestMaxRunningTasks: with two slots, five executions' tasks run two at
// a time; each finished task lets a waiting one in, and all finish.
func TestMaxRunningTasks(t *testing.T) {
	var running, most atomic.Int32
	release := make(chan struct{})
	fn := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-release:
			return p, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	h := newHarness(t, map[string][]byte{"M": oneState(taskState(`"End":true`))}, map[string]workflow.TaskHandler{"F": fn}, asl.WithMaxRunningTasks(2))
	for i := range 5 {
		if _, err := h.eng.Start(ctxT(t), workflow.StartInput{StateMachine: "M", Name: fmt.Sprint(i), Input: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for running.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // time for a third to start, were it let in
	if n := running.Load(); n != 2 {
		t.Fatalf("%d tasks running, want 2", n)
	}
	close(release)
	h.settle()
	for i := range 5 {
		if d := h.describe("M", fmt.Sprint(i)); d.Status != asl.StatusSucceeded {
			t.Errorf("execution %d: %s", i, d.Status)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d tasks ran at once, want 2", m)
	}
}
