package asl_test

// Conformance with AWS Step Functions as its documentation describes it.
// Each case cites the page it comes from; where the page has an example,
// the case runs that example (with a lambda:invoke task in place of the
// page's resource when the page uses another one).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// pushTask is the token task of the "Push to SQS" example (HeartbeatSeconds
// 600) of
// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html,
// invoking function F instead of SQS, with extra fields; "Caught", when
// extra goes there, is a Pass state that ends.
func pushTask(extra string) []byte {
	caught := ""
	if strings.Contains(extra, `"Caught"`) {
		caught = `,"Caught":{"Type":"Pass","End":true}`
	}
	return []byte(`{"StartAt":"Push","States":{
		"Push":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
			"HeartbeatSeconds":600,
			"Parameters":{"FunctionName":"F","Payload":{"myTaskToken.$":"$$.Task.Token"}},
			"ResultPath":"$.SQS"` + extra + `,"End":true}` + caught + `}}`)
}

// TestConformanceHeartbeatTimeout:
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
// "Error names": States.Timeout is raised when "a Task state either ran longer than the
// TimeoutSeconds value, or failed to send a heartbeat for a period longer
// than the HeartbeatSeconds value"; States.HeartbeatTimeout ("a Task
// state failed to send a heartbeat for a period longer than the
// HeartbeatSeconds value") is available inside the Catch and Retry
// fields; States.TaskFailed "matches any known error name except for
// States.Timeout"; States.ALL matches any error but States.Runtime and
// States.DataLimitExceeded. So an expired heartbeat fails the task with
// States.Timeout, which Catch/Retry on States.Timeout, States.HeartbeatTimeout
// or States.ALL match and States.TaskFailed does not.
func TestConformanceHeartbeatTimeout(t *testing.T) {
	tests := []struct {
		name, extra string
		wantCaught  bool
	}{
		{"uncaught", ``, false},
		{"States.TaskFailed does not catch it", `,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}]`, false},
		{"States.HeartbeatTimeout catches it", `,"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Caught"}]`, true},
		{"States.Timeout catches it", `,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Caught"}]`, true},
		{"States.ALL catches it", `,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"},{"ErrorEquals":["States.ALL"],"Next":"Caught"}]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string][]byte{"M": pushTask(tt.extra)}, map[string]workflow.TaskHandler{"F": echo})
			h.start("M", "x", `{}`)
			h.tick(t0.Add(599 * time.Second))
			if d := h.describe("M", "x"); d.Status != asl.StatusRunning {
				t.Fatalf("at 599 s: %s, want RUNNING", d.Status)
			}
			h.tick(t0.Add(600 * time.Second))
			d := h.describe("M", "x")
			if !tt.wantCaught {
				if d.Status != asl.StatusFailed || d.Error != "States.Timeout" {
					t.Errorf("got %s %q, want FAILED States.Timeout", d.Status, d.Error)
				}
				return
			}
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("got %s %q, want the Catch to go to Caught", d.Status, d.Error)
			}
			var out struct{ Error string }
			if err := json.Unmarshal(d.Output, &out); err != nil || out.Error != "States.Timeout" {
				t.Errorf("error output %s, want Error States.Timeout", d.Output)
			}
		})
	}

	// States.HeartbeatTimeout is about heartbeats only: it does not match
	// a task that ran longer than TimeoutSeconds.
	t.Run("States.HeartbeatTimeout does not catch TimeoutSeconds", func(t *testing.T) {
		def := []byte(strings.Replace(string(pushTask(`,"TimeoutSeconds":60,"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Caught"}]`)),
			`"HeartbeatSeconds":600,`, ``, 1))
		h := newHarness(t, map[string][]byte{"M": def}, map[string]workflow.TaskHandler{"F": echo})
		h.start("M", "x", `{}`)
		h.tick(t0.Add(60 * time.Second))
		if d := h.describe("M", "x"); d.Status != asl.StatusFailed || d.Error != "States.Timeout" {
			t.Errorf("got %s %q, want FAILED States.Timeout", d.Status, d.Error)
		}
	})

	t.Run("Retry on States.HeartbeatTimeout", func(t *testing.T) {
		var calls atomic.Int32
		count := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
			calls.Add(1)
			return echo(ctx, p)
		}
		def := pushTask(`,"Retry":[{"ErrorEquals":["States.HeartbeatTimeout"],"IntervalSeconds":5,"MaxAttempts":1}]`)
		h := newHarness(t, map[string][]byte{"M": def}, map[string]workflow.TaskHandler{"F": count})
		h.start("M", "x", `{}`)
		h.tick(t0.Add(600 * time.Second))
		d := h.describe("M", "x")
		if d.Waiting != asl.WaitingRetry || !d.WaitingUntil.Equal(t0.Add(605*time.Second)) {
			t.Fatalf("waiting %q until %v, want a retry at 605 s", d.Waiting, d.WaitingUntil)
		}
		h.tick(t0.Add(605 * time.Second))
		h.tick(t0.Add(1205 * time.Second))
		if d := h.describe("M", "x"); d.Status != asl.StatusFailed || d.Error != "States.Timeout" || calls.Load() != 2 {
			t.Errorf("got %s %q after %d calls, want FAILED States.Timeout after 2", d.Status, d.Error, calls.Load())
		}
	})
}

// TestConformanceMissingEndState:
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
// lists the error code MISSING_END_STATE, "The workflow does not have a terminal state". A
// terminal state is a Succeed or Fail state or one with "End": true.
func TestConformanceMissingEndState(t *testing.T) {
	resolve := func(name string) (workflow.TaskHandler, bool) { return echo, name == "F" }
	refused := map[string]string{
		"a loop of Pass states": `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`,
		"a Wait that loops":     `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"W"}}}`,
		"a Choice and a task": `{"StartAt":"C","States":{
			"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"T"}],"Default":"C"},
			"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"Next":"C"}}}`,
	}
	for name, def := range refused {
		t.Run(name, func(t *testing.T) {
			err := asl.Validate([]byte(def), resolve)
			if err == nil || !strings.Contains(err.Error(), "MISSING_END_STATE") {
				t.Errorf("Validate: %v, want MISSING_END_STATE", err)
			}
			if _, err := asl.New(nopStore{}, clock.Frozen(t0), map[string][]byte{"M": []byte(def)}, resolve); err == nil || !strings.Contains(err.Error(), "MISSING_END_STATE") {
				t.Errorf("New: %v, want MISSING_END_STATE", err)
			}
		})
	}
	accepted := map[string]string{
		"a Fail state":        `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"F"},"F":{"Type":"Fail","Error":"E"}}}`,
		"a Succeed state":     `{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}`,
		"End on a Wait":       `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}`,
		"a loop with an exit": `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.done","IsPresent":true,"Next":"D"}],"Default":"A"},"D":{"Type":"Succeed"}}}`,
	}
	for name, def := range accepted {
		t.Run(name, func(t *testing.T) {
			if err := asl.Validate([]byte(def), resolve); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// jsonString is a JSON string whose encoding has exactly n bytes (n >= 2),
// of ASCII letters.
func jsonString(n int) string { return `"` + strings.Repeat("x", n-2) + `"` }

// TestConformanceDataLimit:
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
// States.DataLimitExceeded is reported "when the output of a connector is larger than payload size
// quota", "when the output of a state is larger than payload size quota"
// and "when, after Parameters processing, the input of a state is larger
// than the payload size quota"; it "is a terminal error that cannot be
// caught by the States.ALL error type".
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html:
// the maximum input or output size for a task, state or execution is 256 KiB of data as a
// UTF-8 encoded string; the API's history events give it as 262144 bytes
// in UTF-8 encoding.
func TestConformanceDataLimit(t *testing.T) {
	if asl.MaxPayloadBytes != 262144 {
		t.Fatalf("MaxPayloadBytes = %d", asl.MaxPayloadBytes)
	}
	catchAll := `"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]`
	withCaught := func(st string) []byte {
		return []byte(`{"StartAt":"S","States":{"S":` + st + `,"Caught":{"Type":"Pass","End":true}}}`)
	}

	t.Run("state output at and over the quota", func(t *testing.T) {
		for _, tt := range []struct {
			size int
			want string
		}{{asl.MaxPayloadBytes, asl.StatusSucceeded}, {asl.MaxPayloadBytes + 1, asl.StatusFailed}} {
			d := runOne(t, oneState(`{"Type":"Pass","Result":`+jsonString(tt.size)+`,"End":true}`), `{}`, nil)
			if d.Status != tt.want || (tt.want == asl.StatusFailed && d.Error != asl.ErrNameDataLimitExceeded) {
				t.Errorf("%d-byte output: got %s %q, want %s", tt.size, d.Status, d.Error, tt.want)
			}
		}
	})

	t.Run("bytes of UTF-8, not characters", func(t *testing.T) {
		// 87382 characters, 262146 bytes (+2 quotes).
		big := `"` + strings.Repeat("申", (asl.MaxPayloadBytes+2)/3) + `"`
		d := runOne(t, oneState(`{"Type":"Pass","Result":`+big+`,"End":true}`), `{}`, nil)
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameDataLimitExceeded {
			t.Errorf("got %s %q, want FAILED States.DataLimitExceeded", d.Status, d.Error)
		}
	})

	t.Run("input after Parameters", func(t *testing.T) {
		half := jsonString(asl.MaxPayloadBytes / 2)
		d := runOne(t, oneState(`{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s"},"Result":1,"End":true}`), `{"s":`+half+`}`, nil)
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameDataLimitExceeded {
			t.Errorf("Pass: got %s %q, want FAILED States.DataLimitExceeded", d.Status, d.Error)
		}
		var calls atomic.Int32
		fn := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
			calls.Add(1)
			return echo(ctx, p)
		}
		st := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F","Payload":{"a.$":"$.s","b.$":"$.s"}},` + catchAll + `,"End":true}`
		d = runOne(t, withCaught(st), `{"s":`+half+`}`, map[string]workflow.TaskHandler{"F": fn})
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameDataLimitExceeded || calls.Load() != 0 {
			t.Errorf("Task: got %s %q after %d calls, want FAILED States.DataLimitExceeded before any call", d.Status, d.Error, calls.Load())
		}
	})

	t.Run("task result: neither retried nor caught", func(t *testing.T) {
		var calls atomic.Int32
		fn := func(context.Context, json.RawMessage) (json.RawMessage, error) {
			calls.Add(1)
			return json.RawMessage(jsonString(asl.MaxPayloadBytes)), nil // the lambda:invoke wrapper makes it larger
		}
		st := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"ResultSelector":{"n":1},` + catchAll + `,"End":true}`
		d := runOne(t, withCaught(st), `{}`, map[string]workflow.TaskHandler{"F": fn})
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameDataLimitExceeded {
			t.Fatalf("got %s %q, want FAILED States.DataLimitExceeded", d.Status, d.Error)
		}
		if want := "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit."; d.Cause != want {
			t.Errorf("cause %q, want %q", d.Cause, want)
		}
		if calls.Load() != 1 || countEvents(d, asl.EventRetryScheduled, "S") != 0 || countEvents(d, asl.EventErrorCaught, "S") != 0 {
			t.Errorf("%d calls, %d retries, %d catches; want 1, 0, 0", calls.Load(),
				countEvents(d, asl.EventRetryScheduled, "S"), countEvents(d, asl.EventErrorCaught, "S"))
		}
	})

	t.Run("state output after ResultPath", func(t *testing.T) {
		half := jsonString(asl.MaxPayloadBytes / 2)
		fn := func(context.Context, json.RawMessage) (json.RawMessage, error) { return json.RawMessage(half), nil }
		st := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"ResultPath":"$.r",` + catchAll + `,"Next":"Caught"}`
		d := runOne(t, withCaught(st), `{"s":`+half+`}`, map[string]workflow.TaskHandler{"F": fn})
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameDataLimitExceeded {
			t.Errorf("got %s %q, want FAILED States.DataLimitExceeded", d.Status, d.Error)
		}
	})

	// "Terminal": not even its own name in ErrorEquals catches it.
	t.Run("terminal", func(t *testing.T) {
		fn := func(context.Context, json.RawMessage) (json.RawMessage, error) {
			return json.RawMessage(jsonString(asl.MaxPayloadBytes)), nil
		}
		st := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"Next":"Caught"}],"End":true}`
		d := runOne(t, withCaught(st), `{}`, map[string]workflow.TaskHandler{"F": fn})
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameDataLimitExceeded {
			t.Errorf("got %s %q, want FAILED States.DataLimitExceeded", d.Status, d.Error)
		}
	})

	// https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
	// and
	// https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html:
	// input and output are limited to 262144 bytes in UTF-8 encoding; the API call is refused
	// (InvalidExecutionInput, InvalidOutput): no execution starts.
	t.Run("StartExecution and SendTaskSuccess refuse more", func(t *testing.T) {
		var token atomic.Value
		fn := func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct{ MyTaskToken string }
			_ = json.Unmarshal(p, &in)
			token.Store(in.MyTaskToken)
			return nil, nil
		}
		h := newHarness(t, map[string][]byte{"M": pushTask("")}, map[string]workflow.TaskHandler{"F": fn})
		ctx := ctxT(t)
		atLimit := `{"s":` + jsonString(asl.MaxPayloadBytes-6) + `}`
		big := json.RawMessage(`{"s":` + jsonString(asl.MaxPayloadBytes-5) + `}`)
		if len(atLimit) != asl.MaxPayloadBytes || len(big) != asl.MaxPayloadBytes+1 {
			t.Fatalf("sizes %d, %d", len(atLimit), len(big))
		}
		if _, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: "M", Name: "big", Input: big}); !errors.Is(err, asl.ErrInvalidInput) {
			t.Errorf("Start with %d bytes: %v, want ErrInvalidInput", len(big), err)
		}
		if _, err := h.eng.Describe(ctx, "M", "big"); !errors.Is(err, asl.ErrExecutionNotFound) {
			t.Errorf("Describe of the refused execution: %v", err)
		}
		h.start("M", "x", atLimit)
		tok, _ := token.Load().(string)
		if err := h.eng.SendTaskSuccess(ctx, tok, big); !errors.Is(err, asl.ErrInvalidInput) {
			t.Errorf("SendTaskSuccess with %d bytes: %v, want ErrInvalidInput", len(big), err)
		}
		if d := h.describe("M", "x"); d.Status != asl.StatusRunning {
			t.Errorf("after the refused SendTaskSuccess: %s, want RUNNING", d.Status)
		}
	})
}

// TestConformanceWaitTimestampTruncation:
// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html,
// Timestamp: "Currently, if you specify the wait time as a timestamp, Step Functions considers
// the time value up to seconds and truncates milliseconds." The page's
// example timestamp is 2024-08-18T17:33:00Z.
func TestConformanceWaitTimestampTruncation(t *testing.T) {
	at := time.Date(2024, 8, 18, 17, 33, 0, 0, time.UTC)
	for _, tt := range []struct{ name, field, input string }{
		{"the page's example", `"Timestamp":"2024-08-18T17:33:00Z"`, `{}`},
		{"Timestamp with milliseconds", `"Timestamp":"2024-08-18T17:33:00.999Z"`, `{}`},
		{"TimestampPath with milliseconds", `"TimestampPath":"$.at"`, `{"at":"2024-08-18T17:33:00.500Z"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string][]byte{"M": oneState(`{"Type":"Wait",` + tt.field + `,"End":true}`)}, nil)
			h.clk.Set(at.Add(-time.Hour))
			h.start("M", "x", tt.input)
			if d := h.describe("M", "x"); !d.WaitingUntil.Equal(at) {
				t.Fatalf("waits until %v, want %v", d.WaitingUntil, at)
			}
			h.tick(at)
			if d := h.describe("M", "x"); d.Status != asl.StatusSucceeded {
				t.Errorf("at %v: %s, want SUCCEEDED", at, d.Status)
			}
		})
	}
}

// TestConformanceContextObject:
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
// gives the Context object's fields: Execution.Id, Input, Name, RoleArn, StartTime, RedriveCount
// (RedriveTime only after a redrive); State.EnteredTime, Name,
// RetryCount; StateMachine.Id, Name; Task.Token.
func TestConformanceContextObject(t *testing.T) {
	st := `{"Type":"Pass","Parameters":{"exec.$":"$$.Execution","state.$":"$$.State","machine.$":"$$.StateMachine"},"End":true}`
	d := runOne(t, oneState(st), `{"a":1}`, nil)
	if d.Status != asl.StatusSucceeded {
		t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
	}
	want := fmt.Sprintf(`{
		"exec": {"Id": %q, "Input": {"a":1}, "Name": "x", "RoleArn": %q, "StartTime": "2024-03-01T01:00:00.000Z", "RedriveCount": 0},
		"state": {"EnteredTime": "2024-03-01T01:00:00.000Z", "Name": "S", "RetryCount": 0},
		"machine": {"Id": "arn:aws:states:local:000000000000:stateMachine:M", "Name": "M"}
	}`, asl.ExecutionIDPrefix+"M:x", "arn:aws:iam::000000000000:role/MRole")
	if diff := jsonDiff(t, want, d.Output); diff != "" {
		t.Errorf("context object (-want +got):\n%s", diff)
	}
}

// retryRun runs a task that fails with the given error names in turn
// (then succeeds) under retry, and returns the timers it waited and the
// description.
func retryRun(t *testing.T, fields string, errs []string, opts ...asl.Option) ([]time.Duration, asl.Description) {
	t.Helper()
	var calls atomic.Int32
	fn := func(context.Context, json.RawMessage) (json.RawMessage, error) {
		if n := int(calls.Add(1)); n <= len(errs) {
			return nil, &workflow.TaskError{Name: errs[n-1], Cause: "planned"}
		}
		return json.RawMessage(`"done"`), nil
	}
	z := ""
	if strings.Contains(fields, `"Z"`) {
		z = `,"Z":{"Type":"Pass","End":true}`
	}
	def := []byte(`{"StartAt":"X","States":{
		"X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},` + fields + `,"Next":"Y"},
		"Y":{"Type":"Succeed"}` + z + `}}`)
	h := newHarness(t, map[string][]byte{"M": def}, map[string]workflow.TaskHandler{"F": fn}, opts...)
	h.start("M", "x", `{}`)
	d, waits := h.drive("M", "x")
	return waits, d
}

func secs(fs ...float64) []time.Duration {
	out := make([]time.Duration, len(fs))
	for i, f := range fs {
		out[i] = time.Duration(f * float64(time.Second))
	}
	return out
}

// TestConformanceRetryIntervals:
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
// "Retrying after an error": the wait before retry n (from 0) is IntervalSeconds ×
// BackoffRate^n; MaxDelaySeconds caps it; JitterStrategy FULL makes it a
// random number between 0 and that interval, NONE (the default) does not.
func TestConformanceRetryIntervals(t *testing.T) {
	three := []string{"E", "E", "E"}
	tests := []struct {
		name, fields string
		errs         []string
		random       float64
		want         []time.Duration
		wantLast     string
	}{
		// The page's JitterStrategy example: MaxAttempts 3, IntervalSeconds
		// 2, BackoffRate 2 wait 2, 4 and 8 seconds...
		{"NONE: the page's example", `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":3,"IntervalSeconds":2,"BackoffRate":2,"JitterStrategy":"NONE"}]`,
			three, 0.5, secs(2, 4, 8), "Y"},
		{"default is NONE", `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":3,"IntervalSeconds":2,"BackoffRate":2}]`,
			three, 0.5, secs(2, 4, 8), "Y"},
		// ...and with FULL, random waits between 0 and 2, 0 and 4, 0 and 8.
		{"FULL: the page's example", `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":3,"IntervalSeconds":2,"BackoffRate":2,"JitterStrategy":"FULL"}]`,
			three, 0.5, secs(1, 2, 4), "Y"},
		{"FULL with another draw", `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":3,"IntervalSeconds":2,"BackoffRate":2,"JitterStrategy":"FULL"}]`,
			three, 0.25, secs(0.5, 1, 2), "Y"},
		// The page's BackoffRate example: IntervalSeconds 3, MaxAttempts 3,
		// BackoffRate 2 wait 3, 6 and 12 seconds; MaxDelaySeconds 10 caps
		// the third.
		{"MaxDelaySeconds caps the backoff", `"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":2,"MaxDelaySeconds":10}]`,
			three, 0.5, secs(3, 6, 10), "Y"},
		{"FULL jitter of the capped interval", `"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":2,"MaxDelaySeconds":10,"JitterStrategy":"FULL"}]`,
			three, 0.5, secs(1.5, 3, 5), "Y"},
		// The page's "Complex retry scenarios": errors ErrorA, ErrorB,
		// ErrorC and ErrorB wait 1, 2 and 5 seconds; the fourth error has
		// used the first retrier's two attempts (MaxAttempts) and the Catch
		// goes to Z.
		{"the page's complex retry scenario", `"Retry":[{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},{"ErrorEquals":["ErrorC"],"IntervalSeconds":5}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Z"}]`,
			[]string{"ErrorA", "ErrorB", "ErrorC", "ErrorB"}, 0.5, secs(1, 2, 5), "Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			waits, d := retryRun(t, tt.fields, tt.errs, asl.WithRandom(func() float64 { return tt.random }))
			if diff := cmp.Diff(tt.want, waits); diff != "" {
				t.Errorf("retry intervals (-want +got):\n%s", diff)
			}
			if states := statesEntered(d); d.Status != asl.StatusSucceeded || states[len(states)-1] != tt.wantLast {
				t.Errorf("got %s through %v, want SUCCEEDED in %s", d.Status, states, tt.wantLast)
			}
		})
	}

	t.Run("FULL with the default random source", func(t *testing.T) {
		waits, _ := retryRun(t, `"Retry":[{"ErrorEquals":["E"],"MaxAttempts":3,"IntervalSeconds":2,"BackoffRate":2,"JitterStrategy":"FULL"}]`, three)
		if len(waits) != 3 {
			t.Fatalf("waits %v", waits)
		}
		for i, w := range waits {
			if limit := secs(2, 4, 8)[i]; w < 0 || w >= limit {
				t.Errorf("wait %d = %v, want in [0, %v)", i, w, limit)
			}
		}
	})
}

// TestConformanceRetrierFields:
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
// gives the retrier fields' ranges: IntervalSeconds a positive integer of at most 99999999,
// MaxAttempts at most 99999999 (0: never retried), BackoffRate at least
// 1.0, MaxDelaySeconds greater than 0 and less than 31622401,
// JitterStrategy FULL or NONE.
func TestConformanceRetrierFields(t *testing.T) {
	resolve := func(name string) (workflow.TaskHandler, bool) { return echo, name == "F" }
	def := func(retrier string) []byte {
		return oneState(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"},"Retry":[{"ErrorEquals":["E"],` + retrier + `}],"End":true}`)
	}
	for _, ok := range []string{
		`"MaxDelaySeconds":1`, `"MaxDelaySeconds":31622400`, `"JitterStrategy":"FULL"`, `"JitterStrategy":"NONE"`,
		`"IntervalSeconds":99999999`, `"MaxAttempts":99999999`, `"MaxAttempts":0`, `"BackoffRate":1.0`,
	} {
		if err := asl.Validate(def(ok), resolve); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for bad, field := range map[string]string{
		`"MaxDelaySeconds":0`:         "MaxDelaySeconds",
		`"MaxDelaySeconds":-1`:        "MaxDelaySeconds",
		`"MaxDelaySeconds":31622401`:  "MaxDelaySeconds",
		`"MaxDelaySeconds":3.5`:       "MaxDelaySeconds",
		`"JitterStrategy":"full"`:     "JitterStrategy",
		`"JitterStrategy":"HALF"`:     "JitterStrategy",
		`"IntervalSeconds":0`:         "IntervalSeconds",
		`"IntervalSeconds":100000000`: "IntervalSeconds",
		`"MaxAttempts":-1`:            "MaxAttempts",
		`"MaxAttempts":100000000`:     "MaxAttempts",
		`"BackoffRate":0.9`:           "BackoffRate",
		`"JitterStrategy":"FULL "`:    "JitterStrategy",
		`"X":1`:                       "X",
	} {
		err := asl.Validate(def(bad), resolve)
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v, want an error naming %q", bad, err, field)
		}
	}
}
