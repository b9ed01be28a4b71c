// Package workflow is the port for long-running business processes (the
// review workflow: receipt → await review → apply → notify). Production
// uses AWS Step Functions (sfnflow); the local runner uses the in-process
// Amazon States Language interpreter in package asl.
//
// Tasks of a state machine invoke functions of template.yaml; a function's
// task handler is a TaskHandler. A handler that returns a *TaskError fails
// the task with that error name, which Retry and Catch match.
package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// Errors every adapter returns; match with errors.Is.
var (
	// ErrExecutionExists: an execution with this name was already started
	// on this state machine (Step Functions' ExecutionAlreadyExists).
	ErrExecutionExists = errors.New("workflow: execution already exists")
	// ErrTaskNotFound: no task waits on this token (or it timed out).
	ErrTaskNotFound = errors.New("workflow: task token not found")
	// ErrNoStateMachine: the state machine is not known.
	ErrNoStateMachine = errors.New("workflow: state machine not found")
)

// StartInput starts one execution.
type StartInput struct {
	StateMachine string          // logical name, the resource id in template.yaml
	Name         string          // execution name: the business key, unique per state machine
	Input        json.RawMessage // execution input (JSON object)
}

// Engine is the workflow port.
type Engine interface {
	// Start starts an execution and returns its id (an ARN in AWS).
	Start(ctx context.Context, in StartInput) (string, error)
	// SendTaskSuccess completes the task waiting on token with output.
	SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error
	// SendTaskFailure fails the task waiting on token.
	SendTaskFailure(ctx context.Context, token, errorName, cause string) error
}

// TaskHandler runs one task of a state machine: it receives the Task's
// Payload and returns its result.
type TaskHandler func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error)

// TaskError is a task failure with an error name for Retry/Catch.
type TaskError struct {
	Name  string // e.g. "Hrss.NotReady"; never "States.*"
	Cause string
}

// Error returns the error name and the cause.
func (e *TaskError) Error() string { return fmt.Sprintf("%s: %s", e.Name, e.Cause) }

// ErrorName is the error name a failed task reports: the Name of a
// *TaskError in err's chain, else the name of the error's type, as
// aws-lambda-go reports it in errorType (e.g. "errorString").
func ErrorName(err error) string {
	var te *TaskError
	if errors.As(err, &te) {
		return te.Name
	}
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}
