// Package asl is the embedded adapter of the workflow port: an in-process
// interpreter of the subset of the Amazon States Language (JSONPath query
// language) that the project's infra/statemachine/*.asl.json files use. The
// local runner and tests use it; production uses AWS Step Functions through
// package sfnflow, with the same definitions.
//
// # Supported subset
//
//   - Task with Resource arn:<partition>:states:::lambda:invoke and
//     arn:<partition>:states:::lambda:invoke.waitForTaskToken, the partition
//     being aws, aws-cn, ... or "${Partition}" left unsubstituted (the
//     definitions build every ARN with the partition, for aws-cn); Parameters must hold
//     FunctionName and may hold Payload (nothing else). A plain invoke's
//     result is wrapped as the Step Functions integration wraps Lambda's
//     Invoke response: {"ExecutedVersion":"$LATEST","Payload":<handler
//     output>,"SdkHttpMetadata":{"HttpStatusCode":200},"StatusCode":200}, so
//     ResultSelector {"x.$":"$.Payload.x"} works as in AWS. A token task's
//     result is the SendTaskSuccess output. TimeoutSeconds (→ States.Timeout)
//     applies to both; HeartbeatSeconds applies to token tasks only, whose
//     waiters may call Engine.SendTaskHeartbeat. An expired heartbeat fails
//     the task with States.Timeout, as in Step Functions; ErrorEquals
//     "States.HeartbeatTimeout" matches that error (and not the one of
//     TimeoutSeconds), "States.TaskFailed" does not.
//     Retry (ErrorEquals; IntervalSeconds 1 to 99999999, default 1;
//     MaxAttempts 0 to 99999999, default 3; BackoffRate ≥ 1, default 2;
//     MaxDelaySeconds 1 to 31622400; JitterStrategy FULL or NONE, default
//     NONE) and Catch (ErrorEquals, Next, ResultPath receiving
//     {"Error","Cause"}). The wait before retry n (from 0) is IntervalSeconds
//     × BackoffRate^n, capped at MaxDelaySeconds; FULL multiplies it by a
//     random number in [0, 1) from the source WithRandom sets.
//   - Pass (Result, Parameters), Wait (Seconds, Timestamp, SecondsPath,
//     TimestampPath; a timestamp's fraction of a second is dropped, as Step
//     Functions drops it), Succeed, Fail (Error, Cause).
//   - Choice with Variable and String*, Numeric*, Boolean*, Timestamp*
//     comparisons (each also as ...Path), IsPresent, IsNull, IsString,
//     IsNumeric, IsBoolean, IsTimestamp, And, Or, Not, Default. And/Or stop
//     at the first deciding rule, so an IsPresent guard works.
//   - InputPath, OutputPath and ResultPath (including null) on the states
//     that allow them; execution-level TimeoutSeconds (→ TIMED_OUT).
//
// Everything else — Parallel, Map, other resources, JSONata, Assign,
// ErrorPath/CausePath, TimeoutSecondsPath, StringMatches — is refused when
// the definition is loaded, so that a definition never quietly means less
// here than in AWS. Definitions are validated at New: unknown state types
// or fields, a missing or double Next/End, transitions to missing states,
// unreachable states, no terminal state (Step Functions' MISSING_END_STATE:
// no Succeed or Fail state and no "End": true), malformed paths, retrier
// fields out of range, and FunctionNames without a handler.
//
// JSONPath is a small subset written here rather than a general JSONPath
// library: "$", "$$" (the context object), ".name", "['name']" and "[n]".
// That is all Step Functions allows in reference paths (ResultPath,
// Variable) and all the project's definitions need elsewhere; a general
// library would accept wildcards and filters that Step Functions treats
// differently. Intrinsic functions (States.Format, ...) are not
// implemented; a "key.$" value starting with "States." is refused at load.
// The context object has Execution.Id/Name/Input/RoleArn/StartTime/
// RedriveCount, State.Name/EnteredTime/RetryCount, StateMachine.Id/Name
// and, in a token task's Parameters, Task.Token. RoleArn is a placeholder,
// RoleARNPrefix + "<state machine>Role", in the local account of the other
// ARNs (ExecutionIDPrefix); RedriveCount is always 0.
//
// # Functions
//
// A Task's FunctionName is resolved to an in-process workflow.TaskHandler
// by the Resolver given to New, keyed by the function's logical id in
// template.yaml ("PlatformFunction"). The FunctionName may be that id,
// "${PlatformFunction}" left unsubstituted, or a function name or ARN
// (with or without a qualifier) whose name is or ends in the id after a
// '-', '_', '.' or '/' ("hrss-PlatformFunction"). WithSubstitutions applies
// DefinitionSubstitutions first, as CloudFormation does.
//
// A handler's error fails the task with the error name
// workflow.ErrorName(err) and a Cause shaped like Lambda's function error,
// {"errorMessage": <TaskError.Cause, else err.Error()>, "errorType": <name>};
// a panic is recovered and fails the task the same way. Error matching
// follows Step Functions: States.ALL matches any error but States.Runtime
// and States.DataLimitExceeded; States.TaskFailed matches any of those but
// States.Timeout; States.HeartbeatTimeout matches an expired heartbeat.
// Paths that select nothing raise States.Runtime (InputPath, OutputPath,
// Choice Variable: never caught), States.ParameterPathFailure (Parameters,
// ResultSelector) or States.ResultPathMatchFailure (ResultPath).
//
// Payloads are limited as in Step Functions, to MaxPayloadBytes (256 KiB)
// of JSON counted in UTF-8 bytes: a state's input after Parameters (the
// Parameters of a task, with its Payload), a task's result (a plain
// invoke's as wrapped above) and a state's output (the next state's input,
// a Catch's output included, or the execution's output) that are larger
// fail the execution with States.DataLimitExceeded, which is terminal: no
// Retry or Catch matches it, not even by name. Start refuses a larger
// execution input and SendTaskSuccess a larger output with
// ErrInvalidInput, as the StartExecution and SendTaskSuccess APIs refuse
// them; no execution starts and the task goes on waiting.
//
// # Persistence and restarts
//
// Executions live in the table port (table.Store), one item each, written
// at every state transition and before every wait:
//
//	execution   PK "WF#<machine>"         SK "EX#<name>"   Version, Status, Data (JSON)
//	            GSI1PK "WFOPEN#<machine>" GSI1SK "EX#<name>"  (only while RUNNING: sparse)
//	task token  PK "WFTOKEN#<token>"      SK "WFTOKEN"     Machine, Name, State
//
// Access patterns: Start puts the execution item IfAbsent, so a second
// Start with the same name fails with workflow.ErrExecutionExists (even
// after the first ended, as in Step Functions). SendTask* gets the token
// item, then the execution. Resume queries GSI1 "WFOPEN#<machine>" for
// running executions. Every write is conditional on Version, so two engines
// on one store cannot both advance an execution; the token item is written
// and deleted in the same transaction as the execution. Items are kept
// after the execution ends (no TTL).
//
// An execution waiting in a Wait state, a Retry interval or on a task token
// survives a restart: a new Engine on the same store continues it after
// Resume (SendTask* also continues a waiting execution on its own). An
// execution that was running a task handler when the engine stopped runs
// that state again from its start; a waitForTaskToken task whose handler
// had not returned calls it again with the same token. Task handlers must
// be idempotent, as Lambda functions under Step Functions must be anyway.
//
// # Time
//
// Every deadline (Wait, Retry, TimeoutSeconds, HeartbeatSeconds) reads the
// injected clock. A background goroutine calls Tick every
// DefaultTickInterval; tests use a frozen clock, WithTickInterval(0), and
// call Advance, Tick and Settle themselves, so no test sleeps.
//
// # Concurrency
//
// Each running execution that is working has one goroutine (its runner)
// that owns its state; task handlers run in goroutines of their own with a
// context that is canceled when their task times out or the engine closes.
// Close waits for runners and handlers to return.
//
// An execution that waits with nothing of its own running (on a task token
// whose handler has returned, in a Wait state, a Retry interval, or for a
// task slot: WithMaxRunningTasks) is parked: its runner ends, and the engine keeps its key and due time only,
// since the store already holds everything it waits with. SendTask* and
// Tick load it again, the same way as after a restart; the loads of one
// execution run one at a time and only while it has no runner, so a load
// never sees an older version than the last runner wrote, and a runner
// held by a sender does not park until the event is handed over. This is
// what lets a local runner keep a day's open cases (each waits up to 48
// hours for a reviewer) without a goroutine each. Stats counts both kinds.
package asl
