// Package sfnflow is the production adapter of the workflow port: AWS Step
// Functions (Standard workflows) through the AWS SDK for Go v2.
//
// State machines are addressed by their logical name (the resource id in
// template.yaml); New takes the map from those names to state machine ARNs,
// which the function's configuration supplies (e.g. from environment
// variables set with !Ref in template.yaml).
//
// # Start and ExecutionAlreadyExists
//
// Step Functions answers a StartExecution whose name is already taken in
// two ways: with ExecutionAlreadyExists when the earlier execution has
// ended or had a different input, but with success and the earlier
// execution's ARN and StartDate when it is still running with the same
// input (StartExecution is idempotent). The workflow port wants
// workflow.ErrExecutionExists in both cases. This adapter tells the second
// case apart by the StartDate of the answer: an execution that started
// more than the skew allowance (DefaultSkew, WithSkew) before the request
// was sent is an earlier one. That costs no extra call and no extra IAM
// permission, unlike a DescribeExecution before each Start, and unlike it
// has no race between two starters. A repeat within the allowance of the
// first start is reported as a fresh start: harmless, since the execution
// it names is the one running. Either way Start returns the execution ARN;
// for ExecutionAlreadyExists, which carries no ARN, it is derived from the
// state machine ARN (arn:...:stateMachine:M → arn:...:execution:M:name).
//
// # Errors
//
// ExecutionAlreadyExists → workflow.ErrExecutionExists;
// StateMachineDoesNotExist (and a name missing from the map) →
// workflow.ErrNoStateMachine; TaskTimedOut (which is also Step Functions'
// answer to a token already used), TaskDoesNotExist and InvalidToken →
// workflow.ErrTaskNotFound. An empty token is workflow.ErrTaskNotFound
// without a call (Step Functions would answer ValidationException), as in
// the embedded adapter. Other errors are wrapped as they come.
package sfnflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Client is the part of the Step Functions API this adapter calls;
// *sfn.Client implements it.
type Client interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	SendTaskFailure(ctx context.Context, in *sfn.SendTaskFailureInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error)
	SendTaskHeartbeat(ctx context.Context, in *sfn.SendTaskHeartbeatInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error)
}

var (
	_ Client          = (*sfn.Client)(nil)
	_ workflow.Engine = (*Engine)(nil)
)

// DefaultSkew is how much earlier than the request a returned StartDate
// may be and still count as this request's start.
const DefaultSkew = 5 * time.Second

// Limits of SendTaskFailure's fields, in characters; longer values are cut.
const (
	MaxErrorLen = 256
	MaxCauseLen = 32768
)

// Engine implements workflow.Engine on Step Functions.
type Engine struct {
	client Client
	arns   map[string]string
	clk    clock.Clock
	skew   time.Duration
}

// Option configures New.
type Option func(*Engine)

// WithClock sets the clock that stamps when Start sends its request
// (default clock.Real).
func WithClock(c clock.Clock) Option { return func(e *Engine) { e.clk = c } }

// WithSkew sets the StartDate allowance (default DefaultSkew).
func WithSkew(d time.Duration) Option { return func(e *Engine) { e.skew = d } }

// New returns an engine that starts the state machine arns[name] for each
// logical name.
func New(client Client, arns map[string]string, opts ...Option) *Engine {
	e := &Engine{client: client, arns: make(map[string]string, len(arns)), clk: clock.Real{}, skew: DefaultSkew}
	for k, v := range arns {
		e.arns[k] = v
	}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Start starts an execution named in.Name of the state machine configured
// for in.StateMachine and returns its ARN. If the name is taken it returns
// the execution's ARN and an error matching workflow.ErrExecutionExists.
func (e *Engine) Start(ctx context.Context, in workflow.StartInput) (string, error) {
	arn, ok := e.arns[in.StateMachine]
	if !ok {
		return "", fmt.Errorf("sfnflow: start %q: %w", in.StateMachine, workflow.ErrNoStateMachine)
	}
	input := string(in.Input)
	if strings.TrimSpace(input) == "" {
		input = "{}"
	}
	sent := e.clk.Now()
	out, err := e.client.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(arn),
		Name:            aws.String(in.Name),
		Input:           aws.String(input),
	})
	if err != nil {
		var exists *types.ExecutionAlreadyExists
		var noMachine *types.StateMachineDoesNotExist
		switch {
		case errors.As(err, &exists):
			return executionARN(arn, in.Name), fmt.Errorf("sfnflow: start %s/%s: %w (%v)", in.StateMachine, in.Name, workflow.ErrExecutionExists, err)
		case errors.As(err, &noMachine):
			return "", fmt.Errorf("sfnflow: start %s: %w (%v)", in.StateMachine, workflow.ErrNoStateMachine, err)
		}
		return "", fmt.Errorf("sfnflow: start %s/%s: %w", in.StateMachine, in.Name, err)
	}
	id := aws.ToString(out.ExecutionArn)
	if out.StartDate != nil && out.StartDate.Before(sent.Add(-e.skew)) {
		return id, fmt.Errorf("sfnflow: start %s/%s: running since %s: %w", in.StateMachine, in.Name, out.StartDate.Format(time.RFC3339), workflow.ErrExecutionExists)
	}
	return id, nil
}

// executionARN derives an execution's ARN from its state machine's ARN;
// "" when the ARN does not have the usual shape.
func executionARN(machineARN, name string) string {
	before, after, ok := strings.Cut(machineARN, ":stateMachine:")
	if !ok {
		return ""
	}
	return before + ":execution:" + after + ":" + name
}

// SendTaskSuccess completes the task waiting on token with output.
func (e *Engine) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	if token == "" {
		return emptyToken("send task success")
	}
	_, err := e.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(output))})
	return taskErr("send task success", err)
}

// SendTaskFailure fails the task waiting on token. errorName and cause are
// cut to MaxErrorLen and MaxCauseLen characters.
func (e *Engine) SendTaskFailure(ctx context.Context, token, errorName, cause string) error {
	if token == "" {
		return emptyToken("send task failure")
	}
	_, err := e.client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{
		TaskToken: aws.String(token),
		Error:     aws.String(truncate(errorName, MaxErrorLen)),
		Cause:     aws.String(truncate(cause, MaxCauseLen)),
	})
	return taskErr("send task failure", err)
}

// SendTaskHeartbeat restarts the HeartbeatSeconds countdown of the task
// waiting on token. It is not part of workflow.Engine.
func (e *Engine) SendTaskHeartbeat(ctx context.Context, token string) error {
	if token == "" {
		return emptyToken("send task heartbeat")
	}
	_, err := e.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	return taskErr("send task heartbeat", err)
}

// emptyToken is the error of a SendTask* operation with an empty token.
func emptyToken(op string) error {
	return fmt.Errorf("sfnflow: %s: empty task token: %w", op, workflow.ErrTaskNotFound)
}

// taskErr maps the errors of the SendTask* operations.
func taskErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var timedOut *types.TaskTimedOut
	var noTask *types.TaskDoesNotExist
	var invalid *types.InvalidToken
	if errors.As(err, &timedOut) || errors.As(err, &noTask) || errors.As(err, &invalid) {
		return fmt.Errorf("sfnflow: %s: %w (%v)", op, workflow.ErrTaskNotFound, err)
	}
	return fmt.Errorf("sfnflow: %s: %w", op, err)
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
