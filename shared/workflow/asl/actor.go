package asl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// actor runs one execution. Only its goroutine touches rec and ver; the
// engine talks to it through events. active, due, parked and senders are
// guarded by e.mu.
//
// An actor that would wait with nothing of its own running (a token whose
// handler has returned, a Wait, a Retry interval) parks instead: its
// goroutine ends and the engine keeps only its key and due time (see
// Engine.parked); a token event or Tick loads it again from the store, where
// everything it waits with is already persisted. Thousands of applications
// waiting 48 hours for a reviewer then cost a map entry each, not a
// goroutine and a record.
type actor struct {
	e      *Engine
	m      *machine
	rec    *record
	ver    int64
	key    string
	events chan event
	done   chan struct{}

	dropToken string // token item to delete with the next persist

	active  bool      // not blocked waiting for an event (counts in e.busy)
	due     time.Time // while blocked: when Tick should poke it
	parked  bool      // left memory; its events go to a new actor
	senders int       // events on their way in: the actor may not park
}

type eventKind int

const (
	evPoke eventKind = iota
	evSuccess
	evFailure
	evHeartbeat
)

// event is delivered to an actor; token events get a reply.
type event struct {
	kind    eventKind
	token   string
	output  json.RawMessage
	errName string
	cause   string
	reply   chan error
}

// deliver hands an event to an actor held for it (Engine.hold), and
// releases the hold. The busy count taken here passes to the actor, which
// is active from receipt on.
func (a *actor) deliver(ctx context.Context, ev event) error {
	e := a.e
	e.mu.Lock()
	e.busyLocked(+1)
	e.mu.Unlock()
	sent := false
	defer func() {
		e.mu.Lock()
		a.senders--
		if !sent {
			e.busyLocked(-1)
		}
		e.mu.Unlock()
	}()
	select {
	case a.events <- ev:
		sent = true
		return nil
	case <-a.done:
		if e.ctx.Err() != nil {
			return ErrClosed
		}
		return fmt.Errorf("asl: task token: %w", workflow.ErrTaskNotFound)
	case <-ctx.Done():
		return ctx.Err()
	}
}

var (
	// errClosing stops an actor because the engine is closing.
	errClosing = errors.New("asl: closing")
	// errParked ends an actor's goroutine because it parked.
	errParked = errors.New("asl: parked")
)

func (a *actor) run() {
	defer a.exit()
	for a.rec.Status == StatusRunning {
		if a.e.ctx.Err() != nil {
			return
		}
		if err := a.step(a.e.ctx); err != nil {
			if !errors.Is(err, errClosing) && !errors.Is(err, errParked) {
				a.e.log.Error("asl: execution runner stopped; Resume continues it", "machine", a.rec.Machine, "execution", a.rec.Name, "state", a.rec.State, "err", err)
			}
			return
		}
	}
}

func (a *actor) exit() {
	e := a.e
	e.mu.Lock()
	if e.actors[a.key] == a {
		delete(e.actors, a.key)
	}
	if a.active {
		a.active = false
		e.busyLocked(-1)
	}
	// A slot handed over and not taken: the execution ended or stopped. A
	// parked actor's grant is its successor's.
	unused := !a.parked && e.granted[a.key]
	if unused {
		delete(e.granted, a.key)
	}
	e.mu.Unlock()
	if unused {
		e.releaseSlot()
	}
	close(a.done)
	e.wg.Done()
}

// step runs the current state (or goes on waiting in it) until the
// execution moves to another state, finishes, or the engine closes.
func (a *actor) step(ctx context.Context) error {
	now := a.e.clk.Now()
	if d := a.rec.Deadline; !d.IsZero() && !now.Before(d) {
		return a.timedOut()
	}
	st := a.m.states[a.rec.State]
	if st == nil {
		return a.finish(StatusFailed, nil, ErrNameRuntime, fmt.Sprintf("state %q is not in the definition any more", a.rec.State))
	}
	if w := a.rec.Wait; w != nil {
		switch w.Kind {
		case WaitingWait:
			return a.awaitWait(ctx, st)
		case WaitingRetry:
			o := a.block(ctx, blockSpec{until: w.Until})
			if o.kind != outTimer {
				return a.onInterrupt(o)
			}
			a.rec.Wait = nil // the next step runs the task again
			return nil
		case WaitingTaskToken:
			return a.awaitToken(ctx, st, nil)
		}
	}
	switch st.typ {
	case typePass:
		return a.runPass(st)
	case typeTask:
		return a.runTask(ctx, st)
	case typeChoice:
		return a.runChoice(st)
	case typeWait:
		return a.runWait(ctx, st)
	case typeSucceed:
		raw, cobj, err := a.input("")
		if err != nil {
			return a.fail(st, err)
		}
		eff, err := st.inputPath.apply(raw, cobj)
		if err == nil {
			eff, err = st.outputPath.apply(eff, cobj)
		}
		if err != nil {
			return a.fail(st, err)
		}
		return a.finishValue(eff)
	case typeFail:
		return a.finish(StatusFailed, nil, st.errName, st.cause)
	}
	return a.finish(StatusFailed, nil, ErrNameRuntime, "unsupported state type "+st.typ)
}

// input decodes the current state's raw input and builds the context
// object ($$) with the task token, if any.
func (a *actor) input(token string) (any, map[string]any, error) {
	raw, err := decodeJSON(a.rec.StateInput)
	if err != nil {
		return nil, nil, runtimeErr("state input: %v", err)
	}
	execInput, _ := decodeJSON(a.rec.Input)
	cobj := map[string]any{
		"Execution": map[string]any{
			"Id": a.rec.ID, "Name": a.rec.Name, "Input": execInput,
			"RoleArn":      RoleARNPrefix + a.m.name + "Role",
			"StartTime":    formatTime(a.rec.StartedAt),
			"RedriveCount": json.Number("0"), // executions are never redriven here
		},
		"State": map[string]any{
			"Name": a.rec.State, "EnteredTime": formatTime(a.rec.EnteredAt),
			"RetryCount": json.Number(strconv.Itoa(a.rec.RetryCount)),
		},
		"StateMachine": map[string]any{
			"Id":   "arn:aws:states:local:000000000000:stateMachine:" + a.m.name,
			"Name": a.m.name,
		},
	}
	if token != "" {
		cobj["Task"] = map[string]any{"Token": token}
	}
	return raw, cobj, nil
}

// checkSize returns States.DataLimitExceeded when v, encoded as JSON, is
// larger than MaxPayloadBytes: a state's input after Parameters or a
// task's result.
func checkSize(st *state, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return runtimeErr("encode: %v", err)
	}
	if len(b) > MaxPayloadBytes {
		return dataLimitErr(st.name)
	}
	return nil
}

// formatTime formats a time as Step Functions does in the context object.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (a *actor) runPass(st *state) error {
	raw, cobj, err := a.input("")
	if err != nil {
		return a.fail(st, err)
	}
	eff, err := st.inputPath.apply(raw, cobj)
	if err == nil && st.parameters != nil {
		if eff, err = st.parameters.eval(eff, cobj); err == nil {
			err = checkSize(st, eff)
		}
	}
	if err != nil {
		return a.fail(st, err)
	}
	result := eff
	if st.hasResult {
		result = deepCopy(st.result)
	}
	return a.complete(st, result, cobj)
}

// complete applies ResultPath and OutputPath to a state's result and moves
// on.
func (a *actor) complete(st *state, result any, cobj map[string]any) error {
	raw, err := decodeJSON(a.rec.StateInput) // fresh: result may share values with the old copy
	if err != nil {
		return a.fail(st, runtimeErr("state input: %v", err))
	}
	var out any
	switch rp := st.resultPath; {
	case !rp.set:
		out = result
	case rp.null:
		out = raw
	default:
		if out, err = rp.p.set(raw, result); err != nil {
			return a.fail(st, &stateError{Name: ErrNameResultPathMatchFailure, Cause: err.Error()})
		}
	}
	if out, err = st.outputPath.apply(out, cobj); err != nil {
		return a.fail(st, err)
	}
	return a.transition(st, out)
}

func (a *actor) runChoice(st *state) error {
	raw, cobj, err := a.input("")
	if err != nil {
		return a.fail(st, err)
	}
	eff, err := st.inputPath.apply(raw, cobj)
	if err != nil {
		return a.fail(st, err)
	}
	next := st.defaultNext
	for _, r := range st.choices {
		ok, err := r.eval(eff, cobj)
		if err != nil {
			return a.fail(st, err)
		}
		if ok {
			next = r.next
			break
		}
	}
	if next == "" {
		return a.fail(st, &stateError{Name: ErrNameNoChoiceMatched, Cause: "no choice rule matched and there is no Default"})
	}
	out, err := st.outputPath.apply(eff, cobj)
	if err != nil {
		return a.fail(st, err)
	}
	return a.enter(next, out)
}

func (a *actor) runWait(ctx context.Context, st *state) error {
	raw, cobj, err := a.input("")
	if err != nil {
		return a.fail(st, err)
	}
	eff, err := st.inputPath.apply(raw, cobj)
	if err != nil {
		return a.fail(st, err)
	}
	var until time.Time
	switch {
	case st.seconds != nil:
		until = a.rec.EnteredAt.Add(time.Duration(*st.seconds) * time.Second)
	case st.timestamp != nil:
		until = *st.timestamp
	case st.secondsPath != nil:
		v, _ := st.secondsPath.get(eff, cobj)
		n, ok := v.(json.Number)
		secs, err := strconv.ParseInt(string(n), 10, 64)
		if !ok || err != nil || secs < 0 {
			return a.fail(st, runtimeErr("SecondsPath %q must select a non-negative integer", st.secondsPath.raw))
		}
		until = a.rec.EnteredAt.Add(time.Duration(secs) * time.Second)
	case st.timestampPath != nil:
		v, _ := st.timestampPath.get(eff, cobj)
		t, ok := parseTimestamp(v)
		if !ok {
			return a.fail(st, runtimeErr("TimestampPath %q must select an RFC 3339 timestamp", st.timestampPath.raw))
		}
		until = t.Truncate(time.Second) // Step Functions ignores fractions of a second
	}
	a.rec.Wait = &waitRec{Kind: WaitingWait, Until: until}
	if err := a.persist(); err != nil {
		return err
	}
	return a.awaitWait(ctx, st)
}

func (a *actor) awaitWait(ctx context.Context, st *state) error {
	o := a.block(ctx, blockSpec{until: a.rec.Wait.Until})
	if o.kind != outTimer {
		return a.onInterrupt(o)
	}
	raw, cobj, err := a.input("")
	if err != nil {
		return a.fail(st, err)
	}
	eff, err := st.inputPath.apply(raw, cobj)
	if err == nil {
		eff, err = st.outputPath.apply(eff, cobj)
	}
	if err != nil {
		return a.fail(st, err)
	}
	return a.transition(st, eff)
}

// taskCall evaluates a Task's InputPath and Parameters against the
// current state input and returns the handler to call, its payload and
// the context object; token is the task token of a waitForTaskToken task.
// Its errors are the state's to fail with.
func (a *actor) taskCall(st *state, token string) (workflow.TaskHandler, json.RawMessage, map[string]any, error) {
	raw, cobj, err := a.input(token)
	if err != nil {
		return nil, nil, nil, err
	}
	eff, err := st.inputPath.apply(raw, cobj)
	if err != nil {
		return nil, nil, nil, err
	}
	pv, err := st.parameters.eval(eff, cobj)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkSize(st, pv); err != nil {
		return nil, nil, nil, err
	}
	params := pv.(map[string]any)
	h := st.handler
	if h == nil {
		fn, _ := params["FunctionName"].(string)
		var ok bool
		if h, ok = resolveFunction(a.e.resolve, fn); !ok {
			return nil, nil, nil, &stateError{Name: "Lambda.ResourceNotFoundException", Cause: fmt.Sprintf("Function not found: %s", fn)}
		}
	}
	payload := json.RawMessage("{}")
	if p, ok := params["Payload"]; ok {
		if payload, err = encodeJSON(p); err != nil {
			return nil, nil, nil, runtimeErr("Payload: %v", err)
		}
	}
	return h, payload, cobj, nil
}

func (a *actor) runTask(ctx context.Context, st *state) error {
	token := ""
	if st.waitToken {
		token = newToken()
	}
	h, payload, cobj, err := a.taskCall(st, token)
	if err != nil {
		return a.fail(st, err)
	}
	now := a.e.clk.Now()
	if st.waitToken {
		w := &waitRec{Kind: WaitingTaskToken, Token: token}
		if st.timeout > 0 {
			w.Until = now.Add(st.timeout)
		}
		if st.heartbeat > 0 {
			w.HeartbeatUntil = now.Add(st.heartbeat)
			w.HeartbeatEvery = int64(st.heartbeat / time.Second)
		}
		a.rec.Wait = w
		// The token is stored before the handler sees it, so the handler
		// may complete it at once.
		if err := a.persist(table.Put(tokenItem(token, a.rec), table.IfAbsent())); err != nil {
			return err
		}
		inv, ok := a.invoke(ctx, h, payload)
		if !ok {
			return errParked
		}
		return a.awaitToken(ctx, st, inv)
	}

	inv, ok := a.invoke(ctx, h, payload)
	if !ok {
		return errParked
	}
	defer inv.abandon()
	var taskUntil time.Time
	if st.timeout > 0 {
		taskUntil = now.Add(st.timeout)
	}
	o := a.block(ctx, blockSpec{taskUntil: taskUntil, inv: inv})
	switch o.kind {
	case outResult:
		if o.err != nil {
			return a.fail(st, handlerError(o.err))
		}
		out, err := decodeOutput(o.output)
		if err != nil {
			return a.fail(st, err)
		}
		result := lambdaResult(out)
		if err := checkSize(st, result); err != nil {
			return a.fail(st, err)
		}
		return a.taskResult(st, result, cobj)
	case outTaskTimeout:
		return a.fail(st, &stateError{Name: ErrNameTimeout, Cause: "the task did not finish within TimeoutSeconds"})
	}
	return a.onInterrupt(o)
}

// awaitToken waits for the outcome of a waitForTaskToken task; inv is the
// handler call still running, nil after a restart. A handler that had not
// returned when the engine stopped may never have handed the token on, so
// after a restart it is called again, with the same token (task handlers
// are idempotent); one that had returned is not.
func (a *actor) awaitToken(ctx context.Context, st *state, inv *invocation) error {
	w := a.rec.Wait
	if inv == nil && !w.Invoked {
		h, payload, _, err := a.taskCall(st, w.Token)
		if err != nil {
			a.dropToken = w.Token
			return a.fail(st, err)
		}
		var ok bool
		if inv, ok = a.invoke(ctx, h, payload); !ok {
			return errParked
		}
	}
	if inv != nil {
		defer inv.abandon()
	}
	for {
		o := a.block(ctx, blockSpec{taskUntil: w.Until, token: w.Token, inv: inv})
		if o.kind == outResult && o.err == nil {
			// The handler is done; record it so that a restart does not
			// call it again, and keep waiting for the token.
			inv = nil
			w.Invoked = true
			if err := a.persist(); err != nil {
				return err
			}
			continue
		}
		if o.kind != outClosed && o.kind != outStoreError && o.kind != outParked {
			a.dropToken = w.Token
		}
		switch o.kind {
		case outResult:
			return a.fail(st, handlerError(o.err))
		case outTokenSuccess, outTokenFailure:
			// The sender hears back once the outcome is persisted.
			err := a.tokenOutcome(st, o)
			o.reply <- err
			return err
		case outTaskTimeout:
			return a.fail(st, &stateError{Name: ErrNameTimeout, Cause: "no SendTaskSuccess or SendTaskFailure within TimeoutSeconds"})
		case outHeartbeatTimeout:
			return a.fail(st, heartbeatErr())
		}
		return a.onInterrupt(o)
	}
}

// tokenOutcome moves on after SendTaskSuccess or SendTaskFailure.
func (a *actor) tokenOutcome(st *state, o outcome) error {
	if o.kind == outTokenFailure {
		return a.fail(st, &stateError{Name: o.errName, Cause: o.cause})
	}
	out, err := decodeOutput(o.output)
	if err == nil {
		err = checkSize(st, out)
	}
	if err != nil {
		return a.fail(st, err)
	}
	_, cobj, err := a.input("")
	if err != nil {
		return a.fail(st, err)
	}
	return a.taskResult(st, out, cobj)
}

// taskResult applies ResultSelector, ResultPath and OutputPath to a task's
// result.
func (a *actor) taskResult(st *state, result any, cobj map[string]any) error {
	if st.resultSelector != nil {
		var err error
		if result, err = st.resultSelector.eval(result, cobj); err != nil {
			return a.fail(st, err)
		}
	}
	return a.complete(st, result, cobj)
}

// lambdaResult wraps a handler's output as the lambda:invoke integration
// returns an Invoke response.
func lambdaResult(payload any) any {
	return map[string]any{
		"ExecutedVersion": "$LATEST",
		"Payload":         payload,
		"SdkHttpMetadata": map[string]any{"HttpStatusCode": json.Number("200")},
		"StatusCode":      json.Number("200"),
	}
}

func decodeOutput(b json.RawMessage) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	v, err := decodeJSON(b)
	if err != nil {
		return nil, runtimeErr("task output is not valid JSON: %v", err)
	}
	return v, nil
}

// handlerError turns a handler's error into a task failure named as
// workflow.ErrorName names it, with a Cause shaped like Lambda's:
// {"errorMessage": ..., "errorType": ...}. The message is a TaskError's
// Cause, else err.Error().
func handlerError(err error) *stateError {
	name := workflow.ErrorName(err)
	msg := err.Error()
	var te *workflow.TaskError
	if errors.As(err, &te) {
		msg = te.Cause
	}
	cause, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{msg, name})
	return &stateError{Name: name, Cause: string(cause)}
}

// fail handles an error raised in a state: the first matching retrier
// schedules a retry while it has attempts left, else the first matching
// catcher moves on, else the execution fails.
func (a *actor) fail(st *state, err error) error {
	var se *stateError
	if !errors.As(err, &se) {
		se = runtimeErr("%v", err)
	}
	now := a.e.clk.Now()
	if st.typ == typeTask {
		a.rec.addHistory(HistoryEvent{Time: now, Type: EventTaskFailed, State: st.name, Error: se.Name, Cause: se.Cause})
	}
	for i, r := range st.retry {
		if !matchesError(r.errorEquals, se) {
			continue
		}
		for len(a.rec.Retries) < len(st.retry) {
			a.rec.Retries = append(a.rec.Retries, 0)
		}
		if a.rec.Retries[i] < r.maxAttempts {
			until := now.Add(r.delay(a.rec.Retries[i], a.e.random))
			a.rec.Retries[i]++
			a.rec.RetryCount++
			a.rec.Wait = &waitRec{Kind: WaitingRetry, Until: until}
			a.rec.addHistory(HistoryEvent{Time: now, Type: EventRetryScheduled, State: st.name, Error: se.Name})
			return a.persist()
		}
		break
	}
	for _, c := range st.catch {
		if !matchesError(c.errorEquals, se) {
			continue
		}
		raw, err := decodeJSON(a.rec.StateInput)
		if err != nil {
			break
		}
		errOut := map[string]any{"Error": se.Name, "Cause": se.Cause}
		var out any
		switch rp := c.resultPath; {
		case !rp.set:
			out = errOut
		case rp.null:
			out = raw
		default:
			if out, err = rp.p.set(raw, errOut); err != nil {
				return a.finish(StatusFailed, nil, ErrNameResultPathMatchFailure, err.Error())
			}
		}
		a.rec.addHistory(HistoryEvent{Time: now, Type: EventErrorCaught, State: st.name, Error: se.Name})
		return a.enter(c.next, out)
	}
	return a.finish(StatusFailed, nil, se.Name, se.Cause)
}

// transition leaves st with output: to Next, or ends the execution.
func (a *actor) transition(st *state, out any) error {
	if st.end {
		return a.finishValue(out)
	}
	return a.enter(st.next, out)
}

// enter moves the execution to state name with input v, the output of
// the current state.
func (a *actor) enter(name string, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return a.finish(StatusFailed, nil, ErrNameRuntime, "encode state input: "+err.Error())
	}
	if len(b) > MaxPayloadBytes {
		return a.dataLimitExceeded()
	}
	now := a.e.clk.Now()
	a.rec.State, a.rec.StateInput, a.rec.EnteredAt = name, b, now
	a.rec.Retries, a.rec.RetryCount, a.rec.Wait = nil, 0, nil
	a.rec.addHistory(HistoryEvent{Time: now, Type: EventStateEntered, State: name})
	return a.persist()
}

func (a *actor) finishValue(v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return a.finish(StatusFailed, nil, ErrNameRuntime, "encode output: "+err.Error())
	}
	if len(b) > MaxPayloadBytes {
		return a.dataLimitExceeded()
	}
	return a.finish(StatusSucceeded, b, "", "")
}

// dataLimitExceeded fails the execution because the current state's
// output is larger than MaxPayloadBytes; no Catch applies.
func (a *actor) dataLimitExceeded() error {
	se := dataLimitErr(a.rec.State)
	return a.finish(StatusFailed, nil, se.Name, se.Cause)
}

// finish ends the execution.
func (a *actor) finish(status string, output json.RawMessage, errName, cause string) error {
	now := a.e.clk.Now()
	if w := a.rec.Wait; w != nil && w.Token != "" {
		a.dropToken = w.Token
	}
	a.rec.Status, a.rec.StoppedAt, a.rec.Output = status, now, output
	a.rec.Error, a.rec.Cause, a.rec.Wait = errName, cause, nil
	typ := map[string]string{StatusSucceeded: EventExecutionSucceeded, StatusFailed: EventExecutionFailed, StatusTimedOut: EventExecutionTimedOut}[status]
	a.rec.addHistory(HistoryEvent{Time: now, Type: typ, State: a.rec.State, Error: errName, Cause: cause})
	return a.persist()
}

func (a *actor) timedOut() error {
	return a.finish(StatusTimedOut, nil, ErrNameTimeout, "the execution did not finish within its TimeoutSeconds")
}

// onInterrupt handles the block outcomes that are not the awaited one:
// the execution's timeout, the engine closing, a store error.
func (a *actor) onInterrupt(o outcome) error {
	switch o.kind {
	case outExecTimeout:
		return a.timedOut()
	case outStoreError:
		return o.err
	case outParked:
		return errParked
	}
	return errClosing
}

// persist writes the record at the next version, with extra operations in
// the same transaction (and the pending token deletion).
func (a *actor) persist(extra ...table.Op) error {
	it, err := execItem(a.rec, a.ver+1)
	if err != nil {
		return err
	}
	ctx := context.WithoutCancel(a.e.ctx)
	put := table.Put(it, table.IfVersion(a.ver))
	if a.dropToken != "" {
		extra = append(extra, table.Delete(tokenKey(a.dropToken), table.Cond{}))
	}
	if len(extra) == 0 {
		err = a.e.store.Put(ctx, it, put.Cond)
	} else {
		err = a.e.store.TransactWrite(ctx, append([]table.Op{put}, extra...))
	}
	if errors.Is(err, table.ErrConditionFailed) {
		return fmt.Errorf("%w: %v", errStale, err)
	}
	if err != nil {
		return fmt.Errorf("asl: persist execution: %w", err)
	}
	a.ver++
	a.dropToken = ""
	return nil
}

// invocation is a task handler call running in its own goroutine.
type invocation struct {
	ch        chan handlerResult
	abandoned chan struct{}
	cancel    context.CancelFunc
	once      sync.Once
}

type handlerResult struct {
	out json.RawMessage
	err error
}

// invoke calls h in a goroutine, in a task slot if the engine has them.
// The call counts as busy until the actor receives its result or abandons
// it. With every slot taken, the actor parks to wait for one instead and
// invoke reports false: the state runs again from its start when the
// actor is loaded with a slot handed over (see takeSlot).
func (a *actor) invoke(ctx context.Context, h workflow.TaskHandler, payload json.RawMessage) (*invocation, bool) {
	slot, parked := a.takeSlot()
	if parked {
		return nil, false
	}
	hctx, cancel := context.WithCancel(ctx)
	inv := &invocation{ch: make(chan handlerResult), abandoned: make(chan struct{}), cancel: cancel}
	a.e.busyAdd(+1)
	a.e.wg.Add(1)
	go func() {
		defer a.e.wg.Done()
		out, err := a.e.runTask(hctx, h, payload, slot)
		select {
		case inv.ch <- handlerResult{out, err}:
		case <-inv.abandoned:
			a.e.busyAdd(-1)
		}
	}()
	return inv, true
}

// takeSlot takes a task slot for the actor's next handler call: one handed
// over to it, or a free one. With none free it parks in the queue of
// slot waiters, unless a sender holds it (then the call waits for a slot
// in its goroutine: slot false). Without slots it reports slot true.
func (a *actor) takeSlot() (slot, parked bool) {
	e := a.e
	if e.slots == nil {
		return true, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.granted[a.key] {
		delete(e.granted, a.key)
		return true, false
	}
	select {
	case e.slots <- struct{}{}:
		return true, false
	default:
	}
	if a.senders > 0 || a.dropToken != "" {
		return false, false
	}
	a.parked, a.active = true, false
	e.busyLocked(-1)
	if e.actors[a.key] == a {
		delete(e.actors, a.key)
	}
	e.parkLocked(a.key, a.rec.Deadline)
	e.slotQ = append(e.slotQ, slotWait{key: a.key, seq: e.parkSeq})
	return false, true
}

// runTask calls h in a task slot: the one taken by takeSlot (slot), or
// one it waits for here.
func (e *Engine) runTask(ctx context.Context, h workflow.TaskHandler, payload json.RawMessage, slot bool) (json.RawMessage, error) {
	if e.slots != nil {
		if !slot {
			select {
			case e.slots <- struct{}{}:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		defer e.releaseSlot()
	}
	return callHandler(ctx, h, payload)
}

// abandon cancels the call's context and drops its result.
func (inv *invocation) abandon() {
	inv.once.Do(func() {
		close(inv.abandoned)
		inv.cancel()
	})
}

// panicError is a handler panic turned into a task failure.
type panicError struct{ v any }

func (p *panicError) Error() string { return fmt.Sprintf("task handler panicked: %v", p.v) }

func callHandler(ctx context.Context, h workflow.TaskHandler, payload json.RawMessage) (out json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &panicError{r}
		}
	}()
	return h(ctx, payload)
}

type outcomeKind int

const (
	outClosed outcomeKind = iota
	outTimer
	outResult
	outTokenSuccess
	outTokenFailure
	outTaskTimeout
	outHeartbeatTimeout
	outExecTimeout
	outStoreError
	outParked // the actor left memory (see actor); a new one goes on
)

type outcome struct {
	kind    outcomeKind
	output  json.RawMessage
	err     error
	errName string
	cause   string
	reply   chan error // a token event's answer, sent by the receiver
}

// blockSpec says what an actor waits for.
type blockSpec struct {
	until     time.Time   // end of a Wait or Retry interval
	taskUntil time.Time   // task TimeoutSeconds
	token     string      // accept token events for this token (heartbeat from a.rec.Wait)
	inv       *invocation // a running handler call
}

// block waits until something in sp happens, the execution times out or
// the engine closes. While it waits the actor is idle and publishes its
// next deadline for Tick; with no handler call of its own running and
// nothing unpersisted it parks instead (outParked).
func (a *actor) block(ctx context.Context, sp blockSpec) outcome {
	for {
		now := a.e.clk.Now()
		var hbUntil time.Time
		if sp.token != "" {
			hbUntil = a.rec.Wait.HeartbeatUntil
		}
		due := func(t time.Time) bool { return !t.IsZero() && !now.Before(t) }
		switch {
		case due(a.rec.Deadline):
			return outcome{kind: outExecTimeout}
		case due(sp.taskUntil):
			return outcome{kind: outTaskTimeout}
		case due(hbUntil):
			return outcome{kind: outHeartbeatTimeout}
		case due(sp.until):
			return outcome{kind: outTimer}
		}

		idle, parked := a.setIdle(earliest(a.rec.Deadline, sp.taskUntil, hbUntil, sp.until), sp.inv == nil && a.dropToken == "")
		if !idle {
			continue // came due since now was read
		}
		if parked {
			return outcome{kind: outParked}
		}
		var results <-chan handlerResult
		if sp.inv != nil {
			results = sp.inv.ch
		}
		select {
		case <-ctx.Done():
			return outcome{kind: outClosed}
		case r := <-results:
			a.setActive()
			if ctx.Err() != nil { // closing: a handler canceled by Close must not fail the task
				return outcome{kind: outClosed}
			}
			return outcome{kind: outResult, output: r.out, err: r.err}
		case ev := <-a.events:
			a.setActive()
			if ctx.Err() != nil {
				if ev.reply != nil {
					ev.reply <- ErrClosed
				}
				return outcome{kind: outClosed}
			}
			if o, done := a.handleEvent(sp, ev); done {
				return o
			}
		}
	}
}

// handleEvent answers an event received in block; done reports that the
// wait is over.
func (a *actor) handleEvent(sp blockSpec, ev event) (outcome, bool) {
	if ev.kind == evPoke {
		return outcome{}, false
	}
	if sp.token == "" || ev.token != sp.token {
		ev.reply <- fmt.Errorf("asl: task token: %w", workflow.ErrTaskNotFound)
		return outcome{}, false
	}
	switch ev.kind {
	case evSuccess:
		return outcome{kind: outTokenSuccess, output: ev.output, reply: ev.reply}, true
	case evFailure:
		return outcome{kind: outTokenFailure, errName: ev.errName, cause: ev.cause, reply: ev.reply}, true
	case evHeartbeat:
		w := a.rec.Wait
		if w.HeartbeatEvery > 0 {
			w.HeartbeatUntil = a.e.clk.Now().Add(time.Duration(w.HeartbeatEvery) * time.Second)
			if err := a.persist(); err != nil {
				ev.reply <- err
				return outcome{kind: outStoreError, err: err}, true
			}
		}
		ev.reply <- nil
	}
	return outcome{}, false
}

// setIdle publishes the actor as idle until due, unless due has come
// meanwhile: the clock is read again under e.mu, which Tick holds while it
// picks due actors, so a clock moved and ticked between block's first
// read and here is not missed (the actor then stays active and reports
// false). A parkable actor that no sender holds parks: it leaves
// e.actors in the same critical section, so a sender either held it
// before (and it stays) or finds it gone and loads a new one.
func (a *actor) setIdle(due time.Time, parkable bool) (idle, parked bool) {
	e := a.e
	e.mu.Lock()
	if !due.IsZero() && !e.clk.Now().Before(due) {
		e.mu.Unlock()
		return false, false
	}
	a.active, a.due = false, due
	e.busyLocked(-1)
	if !parkable || a.senders > 0 {
		e.mu.Unlock()
		return true, false
	}
	a.parked = true
	if e.actors[a.key] == a {
		delete(e.actors, a.key)
	}
	e.parkLocked(a.key, due)
	// A slot handed to this execution is taken by its next task call; one
	// still here is not going to be (a safeguard: a loaded execution calls
	// its task before it waits), so it goes on to the next waiter.
	unused := e.granted[a.key]
	delete(e.granted, a.key)
	e.mu.Unlock()
	if unused {
		e.releaseSlot()
	}
	return true, true
}

// setActive marks the actor active on receipt of an event or result; the
// busy count was taken by the sender.
func (a *actor) setActive() {
	a.e.mu.Lock()
	a.active, a.due = true, time.Time{}
	a.e.mu.Unlock()
}
