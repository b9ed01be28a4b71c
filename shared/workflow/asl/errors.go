package asl

import (
	"fmt"
	"slices"
)

// Error names of the States Language that this interpreter raises or
// matches.
const (
	ErrNameAll        = "States.ALL"
	ErrNameTaskFailed = "States.TaskFailed"
	// ErrNameTimeout: a task ran longer than TimeoutSeconds, a token task
	// got no heartbeat within HeartbeatSeconds, or the execution ran
	// longer than its TimeoutSeconds.
	ErrNameTimeout = "States.Timeout"
	// ErrNameHeartbeatTimeout is never the name of a raised error: in a
	// Retry's or Catch's ErrorEquals it matches the States.Timeout of an
	// expired HeartbeatSeconds only (not that of TimeoutSeconds).
	ErrNameHeartbeatTimeout = "States.HeartbeatTimeout"
	ErrNameRuntime          = "States.Runtime"
	ErrNameNoChoiceMatched  = "States.NoChoiceMatched"
	// ErrNameParameterPathFailure: a "key.$" path of Parameters or
	// ResultSelector selected nothing.
	ErrNameParameterPathFailure = "States.ParameterPathFailure"
	// ErrNameResultPathMatchFailure: ResultPath could not be applied to
	// the state's input.
	ErrNameResultPathMatchFailure = "States.ResultPathMatchFailure"
	// ErrNameDataLimitExceeded: a state's input after Parameters, a task's
	// result or a state's output is larger than MaxPayloadBytes. It is
	// terminal: no Retry or Catch matches it, not even States.ALL.
	ErrNameDataLimitExceeded = "States.DataLimitExceeded"
)

// MaxPayloadBytes is Step Functions' quota on an execution's input, a
// state's input and output and a task's result: 256 KiB of JSON, counted
// in bytes of its UTF-8 encoding.
const MaxPayloadBytes = 256 * 1024

// stateError is a failure inside a state: a task failure (from a handler,
// SendTaskFailure or a timeout) or a runtime error of the interpreter.
type stateError struct {
	Name  string
	Cause string
	// heartbeat marks the States.Timeout of an expired HeartbeatSeconds,
	// which ErrorEquals "States.HeartbeatTimeout" also matches.
	heartbeat bool
}

func (e *stateError) Error() string { return e.Name + ": " + e.Cause }

// runtimeErr is a States.Runtime error: it fails the execution and no
// Retry or Catch (not even States.ALL) matches it.
func runtimeErr(format string, args ...any) *stateError {
	return &stateError{Name: ErrNameRuntime, Cause: fmt.Sprintf(format, args...)}
}

// dataLimitErr is the States.DataLimitExceeded of state name, with the
// Cause Step Functions gives it.
func dataLimitErr(name string) *stateError {
	return &stateError{Name: ErrNameDataLimitExceeded, Cause: fmt.Sprintf(
		"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", name)}
}

// heartbeatErr is the error an expired HeartbeatSeconds raises.
func heartbeatErr() *stateError {
	return &stateError{Name: ErrNameTimeout, Cause: "no SendTaskHeartbeat within HeartbeatSeconds", heartbeat: true}
}

// matchesError reports whether an ErrorEquals list matches a failed
// state's error, as Step Functions matches them: by exact name;
// States.ALL matches every error but States.Runtime and
// States.DataLimitExceeded, which nothing matches; States.TaskFailed
// matches every error States.ALL matches but States.Timeout;
// States.HeartbeatTimeout matches the States.Timeout of an expired
// heartbeat.
func matchesError(errorEquals []string, se *stateError) bool {
	switch se.Name {
	case ErrNameRuntime, ErrNameDataLimitExceeded:
		return false
	}
	if slices.Contains(errorEquals, se.Name) || slices.Contains(errorEquals, ErrNameAll) {
		return true
	}
	if se.heartbeat && slices.Contains(errorEquals, ErrNameHeartbeatTimeout) {
		return true
	}
	return se.Name != ErrNameTimeout && slices.Contains(errorEquals, ErrNameTaskFailed)
}
