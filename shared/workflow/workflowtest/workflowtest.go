// Package workflowtest is the contract suite of the workflow port: every
// adapter of workflow.Engine (asl, sfnflow) runs Run from its own tests, so
// that the local runner and production agree on what Start and SendTask*
// mean.
//
// The suite drives one state machine, StateMachine, whose only state is a
// Task that invokes TokenFunction with .waitForTaskToken (Definition). Each
// case gets a fresh engine from the adapter's harness and pins down:
//
//   - Start returns the execution id, shaped as an execution ARN ending in
//     ":<name>", distinct per name;
//   - Start with a name already taken on the state machine returns the
//     first execution's id and an error matching workflow.ErrExecutionExists:
//     while it runs with another input, while it runs with the same input
//     when the repeat comes later than a skew allowance (sfnflow.DefaultSkew;
//     the suite waits a minute), and after it ended in success or failure;
//   - an immediate repeat with the same input (Step Functions answers it as
//     an idempotent success; sfnflow can only tell it apart by StartDate, see
//     its package doc) starts nothing new: it returns the same id and either
//     nil or workflow.ErrExecutionExists;
//   - Start of an unknown state machine fails with workflow.ErrNoStateMachine;
//   - a task token is single-use: SendTaskSuccess or SendTaskFailure with it
//     succeeds once, and every later SendTaskSuccess or SendTaskFailure with
//     it fails with workflow.ErrTaskNotFound;
//   - an unknown (or empty) token fails with workflow.ErrTaskNotFound;
//   - tokens are per execution: completing one leaves another's valid.
//
// An adapter that cannot honour a case (because of its test double, never
// because of the adapter itself) skips it by name through Options.Skip,
// with the reason written down.
package workflowtest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/contract"
	"github.com/hljhrss/hrss/shared/workflow"
)

// StateMachine is the logical name (template.yaml resource id) under which
// the harness's engine must know Definition.
const StateMachine = "ContractStateMachine"

// TokenFunction is the FunctionName of Definition's task: the function
// (logical id) that receives the task token. Its handler is what Harness.Token
// reads.
const TokenFunction = "ContractFunction"

// Definition returns the Amazon States Language definition of StateMachine:
// one Task invoking TokenFunction with .waitForTaskToken, whose payload
// carries the token, the execution name and the execution input:
//
//	{"token": <$$.Task.Token>, "execution": <$$.Execution.Name>, "input": <$>}
//
// The execution ends when the task's token is completed: in success after
// SendTaskSuccess, in failure after SendTaskFailure.
func Definition() []byte {
	return []byte(`{
  "Comment": "workflowtest: one task that waits on its task token",
  "StartAt": "AwaitToken",
  "States": {
    "AwaitToken": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {
        "FunctionName": "` + TokenFunction + `",
        "Payload": {"token.$": "$$.Task.Token", "execution.$": "$$.Execution.Name", "input.$": "$"}
      },
      "End": true
    }
  }
}`)
}

// Payload is what Definition's task sends TokenFunction.
type Payload struct {
	Token     string          `json:"token"`
	Execution string          `json:"execution"`
	Input     json.RawMessage `json:"input"`
}

// Harness is one fresh engine that knows StateMachine, and what the suite
// needs to observe it.
type Harness struct {
	// Engine is the adapter under test.
	Engine workflow.Engine
	// Token returns the task token that the waiting task of the execution
	// called name received (the latest, if it received several). It fails
	// t when the task received none.
	Token func(t *testing.T, name string) string
	// Advance moves forward the clock that the engine and, for a service
	// double, the service read.
	Advance func(d time.Duration)
	// Settle waits until the engine has acted on everything sent to it so
	// far (asl: Engine.Settle); nil for an engine that acts before it
	// returns.
	Settle func(t *testing.T)
}

// Options tunes Run for one adapter.
type Options struct {
	// Skip maps a case name (see Cases) to the reason the adapter's test
	// environment cannot run it. The reason must not be empty; an unknown
	// name fails the suite so that a renamed case is not skipped silently.
	Skip map[string]string
}

type contractCase struct {
	name string
	run  func(t *testing.T, h *harness)
}

// Cases returns the names of the contract cases, in the order Run runs them.
func Cases() []string {
	var names []string
	for _, c := range cases() {
		names = append(names, c.name)
	}
	return names
}

// Run runs every contract case as a subtest named for the case, each with
// a fresh harness from newHarness, which should register its own clean-up
// with t.Cleanup.
func Run(t *testing.T, newHarness func(t *testing.T) Harness, opts Options) {
	t.Helper()
	all := cases()
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.name
	}
	contract.Run(t, "workflowtest", names, opts.Skip, func(t *testing.T, i int) {
		c := all[i]
		hh := newHarness(t)
		if hh.Engine == nil || hh.Token == nil || hh.Advance == nil {
			t.Fatal("workflowtest: the harness needs Engine, Token and Advance")
		}
		c.run(t, &harness{Harness: hh, t: t})
	})
}

func cases() []contractCase {
	return []contractCase{
		{"start/returns_id", testStartReturnsID},
		{"start/distinct_names", testStartDistinctNames},
		{"start/same_name_running_other_input", testSameNameOtherInput},
		{"start/same_name_running_same_input_later", testSameNameSameInputLater},
		{"start/same_name_immediate_repeat", testSameNameImmediateRepeat},
		{"start/same_name_after_success", testSameNameAfterSuccess},
		{"start/same_name_after_failure", testSameNameAfterFailure},
		{"start/unknown_state_machine", testUnknownStateMachine},
		{"send_task_success/single_use", testSuccessSingleUse},
		{"send_task_failure/single_use", testFailureSingleUse},
		{"send_task/unknown_token", testUnknownToken},
		{"send_task/tokens_are_per_execution", testTokensPerExecution},
	}
}

// laterThanSkew is how long the suite waits before a repeat that must be
// told apart from the first start by its StartDate.
const laterThanSkew = time.Minute

// harness wraps Harness with helpers that fail the case's t.
type harness struct {
	Harness
	t *testing.T
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(h.t.Context(), 10*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

func (h *harness) settle() {
	h.t.Helper()
	if h.Settle != nil {
		h.Settle(h.t)
	}
}

// start starts an execution that must be new and returns its id.
func (h *harness) start(name, input string) string {
	h.t.Helper()
	id, err := h.Engine.Start(h.ctx(), workflow.StartInput{StateMachine: StateMachine, Name: name, Input: json.RawMessage(input)})
	if err != nil {
		h.t.Fatalf("Start(%s): %v", name, err)
	}
	h.settle()
	return id
}

// token returns the token the task of execution name waits on.
func (h *harness) token(name string) string {
	h.t.Helper()
	h.settle()
	tok := h.Token(h.t, name)
	if tok == "" {
		h.t.Fatalf("Token(%s) is empty", name)
	}
	return tok
}

// wantExists starts name again and wants ErrExecutionExists with firstID.
func (h *harness) wantExists(name, input, firstID string) {
	h.t.Helper()
	id, err := h.Engine.Start(h.ctx(), workflow.StartInput{StateMachine: StateMachine, Name: name, Input: json.RawMessage(input)})
	if !errors.Is(err, workflow.ErrExecutionExists) {
		h.t.Fatalf("second Start(%s): %v, want ErrExecutionExists", name, err)
	}
	if id != firstID {
		h.t.Errorf("second Start(%s) returned id %q, want the first execution's %q", name, id, firstID)
	}
	h.settle()
}

func (h *harness) success(token string) error {
	err := h.Engine.SendTaskSuccess(h.ctx(), token, json.RawMessage(`{"approved":true,"reviewer":"审核员"}`))
	h.settle()
	return err
}

func (h *harness) failure(token string) error {
	err := h.Engine.SendTaskFailure(h.ctx(), token, "Hrss.Rejected", "材料不全")
	h.settle()
	return err
}

// wantGone checks that every SendTask* with token fails with ErrTaskNotFound.
func (h *harness) wantGone(token, after string) {
	h.t.Helper()
	if err := h.success(token); !errors.Is(err, workflow.ErrTaskNotFound) {
		h.t.Errorf("SendTaskSuccess %s: %v, want ErrTaskNotFound", after, err)
	}
	if err := h.failure(token); !errors.Is(err, workflow.ErrTaskNotFound) {
		h.t.Errorf("SendTaskFailure %s: %v, want ErrTaskNotFound", after, err)
	}
}

const input = `{"applicationId":"APP-1","business":"个人参保登记"}`

func testStartReturnsID(t *testing.T, h *harness) {
	id := h.start("APP-1", input)
	if !strings.HasSuffix(id, ":APP-1") || len(id) == len(":APP-1") {
		t.Errorf("Start returned id %q, want an execution ARN ending in \":APP-1\"", id)
	}
	h.token("APP-1") // the execution runs and its task waits on a token
}

func testStartDistinctNames(t *testing.T, h *harness) {
	a := h.start("APP-1", input)
	b := h.start("APP-2", input)
	if a == b {
		t.Errorf("two names, one id %q", a)
	}
	if ta, tb := h.token("APP-1"), h.token("APP-2"); ta == tb {
		t.Errorf("two executions, one token %q", ta)
	}
}

func testSameNameOtherInput(t *testing.T, h *harness) {
	id := h.start("APP-1", input)
	h.wantExists("APP-1", `{"applicationId":"APP-1","business":"其他"}`, id)
}

func testSameNameSameInputLater(t *testing.T, h *harness) {
	id := h.start("APP-1", input)
	h.Advance(laterThanSkew)
	h.wantExists("APP-1", input, id)
}

func testSameNameImmediateRepeat(t *testing.T, h *harness) {
	id := h.start("APP-1", input)
	tok := h.token("APP-1")
	again, err := h.Engine.Start(h.ctx(), workflow.StartInput{StateMachine: StateMachine, Name: "APP-1", Input: json.RawMessage(input)})
	if err != nil && !errors.Is(err, workflow.ErrExecutionExists) {
		t.Fatalf("immediate repeat: %v, want nil or ErrExecutionExists", err)
	}
	if again != id {
		t.Errorf("immediate repeat returned id %q, want %q", again, id)
	}
	if now := h.token("APP-1"); now != tok {
		t.Errorf("immediate repeat started a new task (token %q, was %q)", now, tok)
	}
	if err := h.success(tok); err != nil {
		t.Errorf("SendTaskSuccess after the repeat: %v", err)
	}
}

func testSameNameAfterSuccess(t *testing.T, h *harness) {
	id := h.start("APP-1", input)
	if err := h.success(h.token("APP-1")); err != nil {
		t.Fatalf("SendTaskSuccess: %v", err)
	}
	h.Advance(laterThanSkew)
	h.wantExists("APP-1", input, id)
}

func testSameNameAfterFailure(t *testing.T, h *harness) {
	id := h.start("APP-1", input)
	if err := h.failure(h.token("APP-1")); err != nil {
		t.Fatalf("SendTaskFailure: %v", err)
	}
	h.Advance(laterThanSkew)
	h.wantExists("APP-1", input, id)
}

func testUnknownStateMachine(t *testing.T, h *harness) {
	id, err := h.Engine.Start(h.ctx(), workflow.StartInput{StateMachine: "NoSuchStateMachine", Name: "APP-1", Input: json.RawMessage(input)})
	if !errors.Is(err, workflow.ErrNoStateMachine) {
		t.Errorf("Start: %v, want ErrNoStateMachine", err)
	}
	if id != "" {
		t.Errorf("Start returned id %q, want none", id)
	}
	// The name is not taken on the known machine.
	h.start("APP-1", input)
}

func testSuccessSingleUse(t *testing.T, h *harness) {
	h.start("APP-1", input)
	tok := h.token("APP-1")
	if err := h.success(tok); err != nil {
		t.Fatalf("SendTaskSuccess: %v", err)
	}
	h.wantGone(tok, "after SendTaskSuccess")
}

func testFailureSingleUse(t *testing.T, h *harness) {
	h.start("APP-1", input)
	tok := h.token("APP-1")
	if err := h.failure(tok); err != nil {
		t.Fatalf("SendTaskFailure: %v", err)
	}
	h.wantGone(tok, "after SendTaskFailure")
}

func testUnknownToken(t *testing.T, h *harness) {
	h.start("APP-1", input)
	valid := h.token("APP-1")
	for name, tok := range map[string]string{
		"empty":                  "",
		"made up":                "no-such-token",
		"a valid token extended": valid + "x",
	} {
		t.Run(name, func(t *testing.T) {
			(&harness{Harness: h.Harness, t: t}).wantGone(tok, "with an unknown token")
		})
	}
	// The valid token is untouched.
	if err := h.success(valid); err != nil {
		t.Errorf("SendTaskSuccess with the valid token: %v", err)
	}
}

func testTokensPerExecution(t *testing.T, h *harness) {
	h.start("APP-1", input)
	h.start("APP-2", input)
	t1, t2 := h.token("APP-1"), h.token("APP-2")
	if err := h.success(t1); err != nil {
		t.Fatalf("SendTaskSuccess(APP-1): %v", err)
	}
	if err := h.failure(t2); err != nil {
		t.Errorf("SendTaskFailure(APP-2) after APP-1 completed: %v", err)
	}
	h.wantGone(t1, "on APP-1's used token")
	h.wantGone(t2, "on APP-2's used token")
}
