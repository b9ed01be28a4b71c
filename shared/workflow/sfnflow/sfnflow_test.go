package sfnflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/sfnflow"
)

const (
	machineARN = "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:hrss-Review"
	execARN    = "arn:aws-cn:states:cn-north-1:123456789012:execution:hrss-Review:APP-1"
)

var t0 = time.Date(2024, 3, 1, 9, 0, 0, 0, clock.Shanghai)

// fakeSFN speaks the awsJson1_0 protocol of Step Functions: it records each
// request and answers with the scripted status and body.
type fakeSFN struct {
	t      *testing.T
	mu     sync.Mutex
	calls  []call
	status int
	body   any
}

type call struct {
	Target string
	Body   map[string]any
}

func (f *fakeSFN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		f.t.Errorf("request %s %s, want POST /", r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
		f.t.Errorf("Content-Type %q", ct)
	}
	if auth := r.Header.Get("Authorization"); !strings.Contains(auth, "/cn-north-1/states/aws4_request") {
		f.t.Errorf("Authorization %q is not signed for states in cn-north-1", auth)
	}
	b, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		f.t.Errorf("body %s: %v", b, err)
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{Target: r.Header.Get("X-Amz-Target"), Body: body})
	status, resp := f.status, f.body
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

func (f *fakeSFN) answer(status int, body any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body, f.calls = status, body, nil
}

func (f *fakeSFN) lastCalls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func newEngine(t *testing.T) (*sfnflow.Engine, *fakeSFN) {
	t.Helper()
	fake := &fakeSFN{t: t, status: 200, body: map[string]any{}}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	client := sfn.New(sfn.Options{
		Region:       "cn-north-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		}),
		RetryMaxAttempts: 1,
	})
	e := sfnflow.New(client, map[string]string{"ReviewStateMachine": machineARN}, sfnflow.WithClock(clock.Frozen(t0)))
	return e, fake
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func awsErr(typ string) map[string]any {
	return map[string]any{"__type": typ, "message": "scripted " + typ}
}

func TestStart(t *testing.T) {
	tests := []struct {
		name     string
		in       workflow.StartInput
		status   int
		resp     any
		wantID   string
		wantErr  error // nil: success
		wantBody map[string]any
	}{
		{
			name:   "new execution",
			in:     workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "APP-1", Input: json.RawMessage(`{"applicationId":"APP-1"}`)},
			status: 200, resp: map[string]any{"executionArn": execARN, "startDate": epoch(t0)},
			wantID:   execARN,
			wantBody: map[string]any{"stateMachineArn": machineARN, "name": "APP-1", "input": `{"applicationId":"APP-1"}`},
		},
		{
			name:   "empty input is {}",
			in:     workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "APP-1"},
			status: 200, resp: map[string]any{"executionArn": execARN, "startDate": epoch(t0.Add(-2 * time.Second))},
			wantID:   execARN,
			wantBody: map[string]any{"stateMachineArn": machineARN, "name": "APP-1", "input": `{}`},
		},
		{
			name:   "same name and input while running: the earlier execution",
			in:     workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "APP-1", Input: json.RawMessage(`{}`)},
			status: 200, resp: map[string]any{"executionArn": execARN, "startDate": epoch(t0.Add(-time.Hour))},
			wantID: execARN, wantErr: workflow.ErrExecutionExists,
		},
		{
			name:   "ExecutionAlreadyExists",
			in:     workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "APP-1", Input: json.RawMessage(`{"x":2}`)},
			status: 400, resp: awsErr("ExecutionAlreadyExists"),
			wantID: execARN, wantErr: workflow.ErrExecutionExists,
		},
		{
			name:   "ExecutionAlreadyExists with a namespaced type",
			in:     workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "APP-1"},
			status: 400, resp: awsErr("com.amazonaws.states#ExecutionAlreadyExists"),
			wantID: execARN, wantErr: workflow.ErrExecutionExists,
		},
		{
			name:   "StateMachineDoesNotExist",
			in:     workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "APP-1"},
			status: 400, resp: awsErr("StateMachineDoesNotExist"),
			wantErr: workflow.ErrNoStateMachine,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, fake := newEngine(t)
			fake.answer(tt.status, tt.resp)
			id, err := e.Start(t.Context(), tt.in)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Start: %v, want %v", err, tt.wantErr)
			}
			if id != tt.wantID {
				t.Errorf("id %q, want %q", id, tt.wantID)
			}
			calls := fake.lastCalls()
			if len(calls) != 1 || calls[0].Target != "AWSStepFunctions.StartExecution" {
				t.Fatalf("calls %+v, want one StartExecution", calls)
			}
			if tt.wantBody != nil {
				if diff := cmp.Diff(tt.wantBody, calls[0].Body); diff != "" {
					t.Errorf("request body (-want +got):\n%s", diff)
				}
			}
		})
	}
	t.Run("other errors pass through", func(t *testing.T) {
		e, fake := newEngine(t)
		fake.answer(400, awsErr("InvalidName"))
		_, err := e.Start(t.Context(), workflow.StartInput{StateMachine: "ReviewStateMachine", Name: "a b"})
		if err == nil || errors.Is(err, workflow.ErrExecutionExists) || errors.Is(err, workflow.ErrNoStateMachine) || !strings.Contains(err.Error(), "InvalidName") {
			t.Errorf("Start: %v, want the InvalidName error", err)
		}
	})
	t.Run("unknown logical name", func(t *testing.T) {
		e, fake := newEngine(t)
		fake.answer(200, map[string]any{})
		if _, err := e.Start(t.Context(), workflow.StartInput{StateMachine: "Nope", Name: "x"}); !errors.Is(err, workflow.ErrNoStateMachine) {
			t.Errorf("Start: %v, want ErrNoStateMachine", err)
		}
		if n := len(fake.lastCalls()); n != 0 {
			t.Errorf("%d calls, want none", n)
		}
	})
}

func TestSendTask(t *testing.T) {
	longError := strings.Repeat("错", 300)
	ops := []struct {
		name     string
		target   string
		send     func(*sfnflow.Engine) error
		wantBody map[string]any
	}{
		{
			name:   "success",
			target: "AWSStepFunctions.SendTaskSuccess",
			send: func(e *sfnflow.Engine) error {
				return e.SendTaskSuccess(context.Background(), "tok-1", json.RawMessage(`{"approved":true}`))
			},
			wantBody: map[string]any{"taskToken": "tok-1", "output": `{"approved":true}`},
		},
		{
			name:   "failure",
			target: "AWSStepFunctions.SendTaskFailure",
			send: func(e *sfnflow.Engine) error {
				return e.SendTaskFailure(context.Background(), "tok-1", "Hrss.Rejected", "材料不全")
			},
			wantBody: map[string]any{"taskToken": "tok-1", "error": "Hrss.Rejected", "cause": "材料不全"},
		},
		{
			name:   "failure with a long error name",
			target: "AWSStepFunctions.SendTaskFailure",
			send: func(e *sfnflow.Engine) error {
				return e.SendTaskFailure(context.Background(), "tok-1", longError, "")
			},
			wantBody: map[string]any{"taskToken": "tok-1", "error": strings.Repeat("错", sfnflow.MaxErrorLen), "cause": ""},
		},
		{
			name:     "heartbeat",
			target:   "AWSStepFunctions.SendTaskHeartbeat",
			send:     func(e *sfnflow.Engine) error { return e.SendTaskHeartbeat(context.Background(), "tok-1") },
			wantBody: map[string]any{"taskToken": "tok-1"},
		},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			e, fake := newEngine(t)
			fake.answer(200, map[string]any{})
			if err := op.send(e); err != nil {
				t.Fatalf("send: %v", err)
			}
			calls := fake.lastCalls()
			if len(calls) != 1 || calls[0].Target != op.target {
				t.Fatalf("calls %+v, want one %s", calls, op.target)
			}
			if diff := cmp.Diff(op.wantBody, calls[0].Body); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
			for _, typ := range []string{"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"} {
				fake.answer(400, awsErr(typ))
				if err := op.send(e); !errors.Is(err, workflow.ErrTaskNotFound) {
					t.Errorf("%s: %v, want ErrTaskNotFound", typ, err)
				}
			}
			fake.answer(400, awsErr("InvalidOutput"))
			if err := op.send(e); err == nil || errors.Is(err, workflow.ErrTaskNotFound) {
				t.Errorf("InvalidOutput: %v, want another error", err)
			}
		})
	}
}
