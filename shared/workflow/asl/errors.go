package asl

import (
	"fmt"
	"slices"
)

// Error names of the States Language that this interpreter raises.
const (
	ErrNameAll              = "States.ALL"
	ErrNameTaskFailed       = "States.TaskFailed"
	ErrNameTimeout          = "States.Timeout"
	ErrNameHeartbeatTimeout = "States.HeartbeatTimeout"
	ErrNameRuntime          = "States.Runtime"
	ErrNameNoChoiceMatched  = "States.NoChoiceMatched"
	// ErrNameParameterPathFailure: a "key.$" path of Parameters or
	// ResultSelector selected nothing.
	ErrNameParameterPathFailure = "States.ParameterPathFailure"
	// ErrNameResultPathMatchFailure: ResultPath could not be applied to
	// the state's input.
	ErrNameResultPathMatchFailure = "States.ResultPathMatchFailure"
)

// stateError is a failure inside a state: a task failure (from a handler,
// SendTaskFailure or a timeout) or a runtime error of the interpreter.
type stateError struct {
	Name  string
	Cause string
}

func (e *stateError) Error() string { return e.Name + ": " + e.Cause }

// runtimeErr is a States.Runtime error: it fails the execution and no
// Retry or Catch (not even States.ALL) matches it.
func runtimeErr(format string, args ...any) *stateError {
	return &stateError{Name: ErrNameRuntime, Cause: fmt.Sprintf(format, args...)}
}

// matchesError reports whether an ErrorEquals list matches the error name
// of a failed state, as Step Functions matches them: by exact name;
// States.ALL matches every name except States.Runtime; States.TaskFailed
// matches every name except States.Runtime and States.Timeout.
func matchesError(errorEquals []string, name string) bool {
	if name == ErrNameRuntime {
		return false
	}
	if slices.Contains(errorEquals, name) || slices.Contains(errorEquals, ErrNameAll) {
		return true
	}
	return name != ErrNameTimeout && slices.Contains(errorEquals, ErrNameTaskFailed)
}
