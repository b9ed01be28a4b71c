package asl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hljhrss/hrss/shared/table"
)

// Execution statuses, as Step Functions names them.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
)

// What a running execution is waiting for (Description.Waiting).
const (
	WaitingNone      = ""          // running a state in-process
	WaitingWait      = "Wait"      // a Wait state's time
	WaitingRetry     = "Retry"     // the interval before a Retry
	WaitingTaskToken = "TaskToken" // SendTaskSuccess/Failure on a task token
)

// History event types.
const (
	EventExecutionStarted   = "ExecutionStarted"
	EventStateEntered       = "StateEntered"
	EventTaskFailed         = "TaskFailed"
	EventRetryScheduled     = "RetryScheduled"
	EventErrorCaught        = "ErrorCaught"
	EventExecutionSucceeded = "ExecutionSucceeded"
	EventExecutionFailed    = "ExecutionFailed"
	EventExecutionTimedOut  = "ExecutionTimedOut"
)

// maxHistory bounds the history kept per execution; older events are
// dropped (and counted) so a looping machine cannot grow its item forever.
const maxHistory = 500

// HistoryEvent is one entry of an execution's history.
type HistoryEvent struct {
	Time  time.Time `json:"time"`
	Type  string    `json:"type"` // one of the Event* constants
	State string    `json:"state,omitempty"`
	Error string    `json:"error,omitempty"`
	Cause string    `json:"cause,omitempty"`
}

// Description is the state of one execution, for tests and the local
// status page.
type Description struct {
	ExecutionID  string
	StateMachine string
	Name         string
	Status       string // StatusRunning, StatusSucceeded, StatusFailed or StatusTimedOut
	Input        json.RawMessage
	Output       json.RawMessage // when SUCCEEDED
	Error        string          // when FAILED or TIMED_OUT
	Cause        string
	StartedAt    time.Time
	StoppedAt    time.Time // zero while RUNNING

	CurrentState string    // while RUNNING: the state being run or waited in
	Waiting      string    // while RUNNING: one of the Waiting* constants
	WaitingUntil time.Time // while waiting: the next deadline (end of the wait, task or heartbeat timeout, execution timeout); zero: none

	History        []HistoryEvent
	HistoryDropped int // events dropped from the front of History
}

// record is the persisted execution. It is stored as JSON in the Data
// attribute of the execution item.
type record struct {
	ID         string          `json:"id"`
	Machine    string          `json:"machine"`
	Name       string          `json:"name"`
	Status     string          `json:"status"`
	Input      json.RawMessage `json:"input"`
	StartedAt  time.Time       `json:"startedAt"`
	StoppedAt  time.Time       `json:"stoppedAt,omitzero"`
	Deadline   time.Time       `json:"deadline,omitzero"` // execution TimeoutSeconds
	Output     json.RawMessage `json:"output,omitempty"`
	Error      string          `json:"error,omitempty"`
	Cause      string          `json:"cause,omitempty"`
	State      string          `json:"state,omitempty"`      // current state
	StateInput json.RawMessage `json:"stateInput,omitempty"` // its raw input
	EnteredAt  time.Time       `json:"enteredAt,omitzero"`
	Retries    []int           `json:"retries,omitempty"` // attempts so far per retrier of the current state
	RetryCount int             `json:"retryCount,omitempty"`
	Wait       *waitRec        `json:"wait,omitempty"`

	History        []HistoryEvent `json:"history"`
	HistoryDropped int            `json:"historyDropped,omitempty"`
}

// waitRec is what a running execution waits for. With no waitRec the
// execution is running its current state in-process; after a restart that
// state is run again from its start.
type waitRec struct {
	Kind           string    `json:"kind"`                     // WaitingWait, WaitingRetry or WaitingTaskToken
	Until          time.Time `json:"until,omitzero"`           // end of a Wait or Retry; a token task's TimeoutSeconds
	Token          string    `json:"token,omitempty"`          // the task token
	HeartbeatUntil time.Time `json:"heartbeatUntil,omitzero"`  // a token task's next HeartbeatSeconds deadline
	HeartbeatEvery int64     `json:"heartbeatEvery,omitempty"` // HeartbeatSeconds, in seconds
	Invoked        bool      `json:"invoked,omitempty"`        // a token task's handler has returned without error
}

func (r *record) addHistory(ev HistoryEvent) {
	r.History = append(r.History, ev)
	if n := len(r.History) - maxHistory; n > 0 {
		r.History = append([]HistoryEvent(nil), r.History[n:]...)
		r.HistoryDropped += n
	}
}

func (r *record) describe() Description {
	d := Description{
		ExecutionID: r.ID, StateMachine: r.Machine, Name: r.Name, Status: r.Status,
		Input: r.Input, Output: r.Output, Error: r.Error, Cause: r.Cause,
		StartedAt: r.StartedAt, StoppedAt: r.StoppedAt,
		History:        append([]HistoryEvent(nil), r.History...),
		HistoryDropped: r.HistoryDropped,
	}
	if r.Status == StatusRunning {
		d.CurrentState = r.State
		if w := r.Wait; w != nil {
			d.Waiting = w.Kind
			d.WaitingUntil = earliest(w.Until, w.HeartbeatUntil, r.Deadline)
		}
	}
	return d
}

// earliest returns the earliest non-zero time, or zero.
func earliest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if !t.IsZero() && (out.IsZero() || t.Before(out)) {
			out = t
		}
	}
	return out
}

// Keys and attributes of the items this package writes.
const (
	execPKPrefix  = "WF#"
	execSKPrefix  = "EX#"
	openPKPrefix  = "WFOPEN#"
	tokenPKPrefix = "WFTOKEN#"
	tokenSK       = "WFTOKEN"
	attrData      = "Data"
	attrStatus    = "Status"
	attrMachine   = "Machine"
	attrName      = "Name"
	attrState     = "State"
)

func execKey(machine, name string) table.Key {
	return table.Key{PK: execPKPrefix + machine, SK: execSKPrefix + name}
}

func tokenKey(token string) table.Key {
	return table.Key{PK: tokenPKPrefix + token, SK: tokenSK}
}

// execItem encodes a record at a version.
func execItem(r *record, version int64) (table.Item, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("asl: encode execution: %w", err)
	}
	k := execKey(r.Machine, r.Name)
	it := table.Item{
		table.AttrPK: k.PK, table.AttrSK: k.SK, table.AttrVersion: version,
		attrStatus: r.Status, attrData: string(data),
	}
	if r.Status == StatusRunning {
		it[table.AttrGSI1PK] = openPKPrefix + r.Machine
		it[table.AttrGSI1SK] = execSKPrefix + r.Name
	}
	return it, nil
}

// decodeExec decodes an execution item.
func decodeExec(it table.Item) (*record, int64, error) {
	var r record
	if err := json.Unmarshal([]byte(it.String(attrData)), &r); err != nil {
		return nil, 0, fmt.Errorf("asl: decode execution %s/%s: %w", it.Key().PK, it.Key().SK, err)
	}
	return &r, it.Int(table.AttrVersion), nil
}

func tokenItem(token string, r *record) table.Item {
	k := tokenKey(token)
	return table.Item{
		table.AttrPK: k.PK, table.AttrSK: k.SK,
		attrMachine: r.Machine, attrName: r.Name, attrState: r.State,
	}
}

// loadExec reads an execution; table.ErrNotFound when absent.
func loadExec(ctx context.Context, s table.Store, machine, name string) (*record, int64, error) {
	it, err := s.Get(ctx, execKey(machine, name))
	if err != nil {
		return nil, 0, err
	}
	return decodeExec(it)
}

// errStale: another writer changed the execution since this engine read it
// (two engines on one store).
var errStale = errors.New("asl: execution changed by another engine")
