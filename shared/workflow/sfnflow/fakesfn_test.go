package sfnflow_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
)

// sfnService is a small stateful double of the Step Functions API at the
// wire level (awsJson1_0), for the workflow contract suite. It is a fake
// rather than an emulator because this machine has none: Step Functions
// Local needs a JVM or Docker (neither is here), and DESIGN.md records why
// the Go emulator kumo is not usable. So it implements only the semantics
// the adapter relies on, as the Step Functions API reference documents
// them:
//
//   - StartExecution: execution names are unique per state machine. A name
//     that is free starts an execution (RUNNING) and answers its ARN and
//     startDate. A name taken by a RUNNING execution with the same input
//     answers 200 with that execution's ARN and startDate (StartExecution
//     is idempotent); a name taken by a closed execution, or by one with
//     another input, answers 400 ExecutionAlreadyExists. An unknown state
//     machine ARN answers 400 StateMachineDoesNotExist.
//   - A state machine whose StartAt state is a .waitForTaskToken Task
//     issues one task token per execution; any other completes at once.
//   - SendTaskSuccess / SendTaskFailure: a token is single-use. The first
//     call closes the task (the execution SUCCEEDED or FAILED); a later one
//     answers 400 TaskTimedOut ("Provided task does not exist anymore", as
//     Step Functions does), a token it never issued 400 InvalidToken, an
//     empty one 400 ValidationException (taskToken has minimum length 1).
//
// Time is the injected clock's, so that startDate follows the suite's
// Advance.
type sfnService struct {
	t   *testing.T
	clk *clock.Fixed

	mu       sync.Mutex
	machines map[string]bool          // state machine ARN → waits on a task token
	execs    map[string]*sfnExecution // execution ARN → execution
	tokens   map[string]*sfnExecution // token → execution (kept after use)
}

type sfnExecution struct {
	arn       string
	input     string
	startDate time.Time
	status    string // RUNNING, SUCCEEDED, FAILED
	token     string // "" when the machine does not wait on a token
	tokenUsed bool
}

func newSFNService(t *testing.T, clk *clock.Fixed) *sfnService {
	return &sfnService{
		t: t, clk: clk,
		machines: map[string]bool{},
		execs:    map[string]*sfnExecution{},
		tokens:   map[string]*sfnExecution{},
	}
}

// createStateMachine registers a state machine under arn with definition.
func (f *sfnService) createStateMachine(arn string, definition []byte) {
	f.t.Helper()
	var def struct {
		StartAt string
		States  map[string]struct {
			Type     string
			Resource string
		}
	}
	if err := json.Unmarshal(definition, &def); err != nil {
		f.t.Fatalf("state machine %s: definition: %v", arn, err)
	}
	first, ok := def.States[def.StartAt]
	if !ok {
		f.t.Fatalf("state machine %s: StartAt %q is not a state", arn, def.StartAt)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.machines[arn] = first.Type == "Task" && strings.HasSuffix(first.Resource, ".waitForTaskToken")
}

// token returns the task token of the execution name of machineARN.
func (f *sfnService) token(t *testing.T, machineARN, name string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	ex, ok := f.execs[executionARNOf(machineARN, name)]
	if !ok || ex.token == "" {
		t.Fatalf("execution %s of %s has no task token", name, machineARN)
	}
	return ex.token
}

func executionARNOf(machineARN, name string) string {
	return strings.Replace(machineARN, ":stateMachine:", ":execution:", 1) + ":" + name
}

type sfnError struct {
	typ, msg string
}

func (f *sfnService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		f.t.Errorf("request %s %s, want POST /", r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
		f.t.Errorf("Content-Type %q", ct)
	}
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/cn-north-1/states/aws4_request") {
		f.t.Errorf("Authorization %q is not SigV4 for states in cn-north-1", auth)
	}
	target := r.Header.Get("X-Amz-Target")
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	var resp any
	var e *sfnError
	switch target {
	case "AWSStepFunctions.StartExecution":
		resp, e = f.startExecution(body)
	case "AWSStepFunctions.SendTaskSuccess":
		e = f.closeTask(body, "SUCCEEDED")
		resp = map[string]any{}
	case "AWSStepFunctions.SendTaskFailure":
		e = f.closeTask(body, "FAILED")
		resp = map[string]any{}
	default:
		e = &sfnError{"UnknownOperationException", "unknown operation " + target}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if e != nil {
		w.WriteHeader(http.StatusBadRequest)
		resp = map[string]any{"__type": e.typ, "message": e.msg}
	}
	_ = json.NewEncoder(w).Encode(resp)
}

// startExecution runs with f.mu held.
func (f *sfnService) startExecution(body []byte) (any, *sfnError) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
		Name            string `json:"name"`
		Input           string `json:"input"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.StateMachineArn == "" || in.Name == "" {
		return nil, &sfnError{"ValidationException", fmt.Sprintf("bad StartExecution request: %s", body)}
	}
	waits, ok := f.machines[in.StateMachineArn]
	if !ok {
		return nil, &sfnError{"StateMachineDoesNotExist", "State Machine Does Not Exist: '" + in.StateMachineArn + "'"}
	}
	arn := executionARNOf(in.StateMachineArn, in.Name)
	if ex, ok := f.execs[arn]; ok {
		if ex.status == "RUNNING" && ex.input == in.Input {
			return startOutput(ex), nil
		}
		return nil, &sfnError{"ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'"}
	}
	ex := &sfnExecution{arn: arn, input: in.Input, startDate: f.clk.Now(), status: "SUCCEEDED"}
	if waits {
		ex.status = "RUNNING"
		ex.token = newFakeToken()
		f.tokens[ex.token] = ex
	}
	f.execs[arn] = ex
	return startOutput(ex), nil
}

func startOutput(ex *sfnExecution) map[string]any {
	return map[string]any{"executionArn": ex.arn, "startDate": float64(ex.startDate.UnixMilli()) / 1000}
}

// closeTask runs with f.mu held.
func (f *sfnService) closeTask(body []byte, status string) *sfnError {
	var in struct {
		TaskToken *string `json:"taskToken"`
		Output    *string `json:"output"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.TaskToken == nil {
		return &sfnError{"ValidationException", "taskToken is required"}
	}
	if *in.TaskToken == "" {
		return &sfnError{"ValidationException", "1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1"}
	}
	ex, ok := f.tokens[*in.TaskToken]
	if !ok {
		return &sfnError{"InvalidToken", "Invalid token"}
	}
	if ex.tokenUsed || ex.status != "RUNNING" {
		return &sfnError{"TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'"}
	}
	if status == "SUCCEEDED" && (in.Output == nil || !json.Valid([]byte(*in.Output))) {
		return &sfnError{"InvalidOutput", "Invalid Output: output is not valid JSON"}
	}
	ex.tokenUsed, ex.status = true, status
	return nil
}

func newFakeToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "AQB" + hex.EncodeToString(b)
}
