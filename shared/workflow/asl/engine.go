package asl

import (
	"container/heap"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	mathrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Errors of this engine beyond those of the workflow port.
var (
	// ErrExecutionNotFound: Describe found no execution of that name.
	ErrExecutionNotFound = errors.New("asl: execution not found")
	// ErrClosed: the engine was closed.
	ErrClosed = errors.New("asl: engine closed")
	// ErrInvalidInput: the execution name, input or task output is not
	// acceptable (Step Functions' InvalidName, InvalidExecutionInput,
	// InvalidOutput).
	ErrInvalidInput = errors.New("asl: invalid input")
)

// ExecutionIDPrefix prefixes the id Start returns: the rest is
// "<state machine>:<execution name>", the shape of a Step Functions
// execution ARN.
const ExecutionIDPrefix = "arn:aws:states:local:000000000000:execution:"

// RoleARNPrefix prefixes $$.Execution.RoleArn, the placeholder for the IAM
// role an execution runs with: the rest is "<state machine>Role", the
// logical id SAM gives the role it creates for a state machine.
const RoleARNPrefix = "arn:aws:iam::000000000000:role/"

// DefaultTickInterval is how often the background loop runs Tick.
const DefaultTickInterval = 250 * time.Millisecond

var _ workflow.Engine = (*Engine)(nil)

// Engine runs state machines in-process. It implements workflow.Engine.
type Engine struct {
	store     table.Store
	clk       clock.Clock
	machines  map[string]*machine
	resolve   Resolver
	log       *slog.Logger
	tickEvery time.Duration
	subs      map[string]string
	random    func() float64 // [0, 1), for JitterStrategy FULL
	slots     chan struct{}  // nil: no bound; else one per running task handler

	ctx    context.Context // canceled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // actors, handler calls, the tick loop

	mu      sync.Mutex
	closed  bool
	actors  map[string]*actor        // running executions in memory, by machine + "\x00" + name
	loading map[string]chan struct{} // keys being loaded from the store; closed when done
	parked  map[string]parkEntry     // running executions out of memory (see actor)
	parkQ   parkQueue                // their due times; entries whose seq is not parked[key]'s are stale
	parkSeq uint64
	slotQ   []slotWait      // parked executions waiting for a task slot, first come first served
	granted map[string]bool // executions a slot was handed over to, until they take it
	busy    int             // active actors + undelivered events + running handlers
	idle    chan struct{}   // closed while busy == 0
}

// Option configures New.
type Option func(*Engine)

// WithTickInterval sets how often a background goroutine calls Tick;
// d <= 0 starts no goroutine, and the caller calls Tick (tests with a
// frozen clock do). The default is DefaultTickInterval.
func WithTickInterval(d time.Duration) Option { return func(e *Engine) { e.tickEvery = d } }

// WithLogger sets the logger for executions that stop on a store error.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// WithSubstitutions replaces ${Key} in every definition before it is
// parsed, as DefinitionSubstitutions does in template.yaml. Without it a
// FunctionName "${PlatformFunction}" still resolves (see Resolver).
func WithSubstitutions(subs map[string]string) Option {
	return func(e *Engine) { e.subs = maps.Clone(subs) }
}

// WithRandom sets the source of the random numbers in [0, 1) that scale
// the retry intervals of a Retry with "JitterStrategy": "FULL"; runners
// of several executions call it concurrently. The default is
// math/rand/v2.Float64; tests pass a fixed one.
func WithRandom(random func() float64) Option {
	return func(e *Engine) {
		if random != nil {
			e.random = random
		}
	}
}

// WithMaxRunningTasks bounds how many task handlers run at once; n <= 0
// means no bound (the default). A task over the bound waits for a slot,
// as a Lambda invoke waits for its function's reserved concurrency: parked,
// first come first served, with its TimeoutSeconds starting when it gets
// one (the execution's own TimeoutSeconds runs on). The local runner uses it
// so that background work (receipts) cannot take every core from the
// requests that started it; in AWS each function has its own.
func WithMaxRunningTasks(n int) Option {
	return func(e *Engine) {
		e.slots = nil
		if n > 0 {
			e.slots = make(chan struct{}, n)
		}
	}
}

// New validates the definitions (state machine name → ASL JSON) and
// returns an engine that keeps its executions in store. Every literal
// FunctionName must resolve through resolve. New does not read the store:
// call Resume to continue the executions a previous engine left waiting.
func New(store table.Store, clk clock.Clock, machines map[string][]byte, resolve func(functionName string) (workflow.TaskHandler, bool), opts ...Option) (*Engine, error) {
	if store == nil || clk == nil || resolve == nil {
		return nil, errors.New("asl: New needs a store, a clock and a resolver")
	}
	e := &Engine{
		store: store, clk: clk, resolve: resolve, log: slog.Default(), random: mathrand.Float64,
		tickEvery: DefaultTickInterval, machines: map[string]*machine{},
		actors: map[string]*actor{}, loading: map[string]chan struct{}{}, parked: map[string]parkEntry{}, granted: map[string]bool{},
		idle: make(chan struct{}),
	}
	close(e.idle)
	for _, o := range opts {
		o(e)
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(machines)) {
		m, err := parseMachine(name, substitute(machines[name], e.subs), e.resolve)
		if err != nil {
			errs = append(errs, fmt.Errorf("asl: state machine %q: %w", name, err))
			continue
		}
		e.machines[name] = m
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if e.tickEvery > 0 {
		e.wg.Add(1)
		go e.tickLoop()
	}
	return e, nil
}

func (e *Engine) tickLoop() {
	defer e.wg.Done()
	t := time.NewTicker(e.tickEvery)
	defer t.Stop()
	for {
		select {
		case <-e.ctx.Done():
			return
		case <-t.C:
			_ = e.Tick(e.ctx)
		}
	}
}

// Start starts an execution. A second Start with the same name on the same
// state machine returns the execution id and an error matching
// workflow.ErrExecutionExists, whatever the input and even after the
// first execution ended (the name stays taken, as in Step Functions).
func (e *Engine) Start(ctx context.Context, in workflow.StartInput) (string, error) {
	m, ok := e.machines[in.StateMachine]
	if !ok {
		return "", fmt.Errorf("asl: start %q: %w", in.StateMachine, workflow.ErrNoStateMachine)
	}
	if err := checkExecutionName(in.Name); err != nil {
		return "", err
	}
	input := in.Input
	if len(strings.TrimSpace(string(input))) == 0 {
		input = json.RawMessage("{}")
	}
	if len(input) > MaxPayloadBytes {
		return "", fmt.Errorf("asl: start %s: input is %d bytes, more than the %d-byte payload quota: %w", in.Name, len(input), MaxPayloadBytes, ErrInvalidInput)
	}
	v, err := decodeJSON(input)
	if err != nil {
		return "", fmt.Errorf("asl: start %s: input: %v: %w", in.Name, err, ErrInvalidInput)
	}
	if input, err = encodeJSON(v); err != nil {
		return "", err
	}
	if e.isClosed() {
		return "", ErrClosed
	}
	now := e.clk.Now()
	id := ExecutionIDPrefix + m.name + ":" + in.Name
	rec := &record{
		ID: id, Machine: m.name, Name: in.Name, Status: StatusRunning, Input: input, StartedAt: now,
		State: m.startAt, StateInput: input, EnteredAt: now,
	}
	if m.timeout > 0 {
		rec.Deadline = now.Add(m.timeout)
	}
	rec.addHistory(HistoryEvent{Time: now, Type: EventExecutionStarted})
	rec.addHistory(HistoryEvent{Time: now, Type: EventStateEntered, State: m.startAt})
	it, err := execItem(rec, 1)
	if err != nil {
		return "", err
	}
	if err := e.store.Put(ctx, it, table.IfAbsent()); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return id, fmt.Errorf("asl: start %s/%s: %w", m.name, in.Name, workflow.ErrExecutionExists)
		}
		return "", fmt.Errorf("asl: start %s/%s: %w", m.name, in.Name, err)
	}
	if e.spawn(m, rec, 1, false) == nil {
		return id, ErrClosed
	}
	return id, nil
}

// checkExecutionName applies Step Functions' rules for execution names.
func checkExecutionName(name string) error {
	if n := len([]rune(name)); n < 1 || n > 80 {
		return fmt.Errorf("asl: execution name must have 1 to 80 characters: %w", ErrInvalidInput)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return fmt.Errorf("asl: execution name %q contains %q: %w", name, r, ErrInvalidInput)
		}
	}
	return nil
}

// SendTaskSuccess completes the task waiting on token with output (JSON).
// It returns an error matching workflow.ErrTaskNotFound when no task waits
// on the token (unknown, already completed, or timed out).
func (e *Engine) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	if !json.Valid(output) {
		return fmt.Errorf("asl: task output is not valid JSON: %w", ErrInvalidInput)
	}
	if len(output) > MaxPayloadBytes {
		return fmt.Errorf("asl: task output is %d bytes, more than the %d-byte payload quota: %w", len(output), MaxPayloadBytes, ErrInvalidInput)
	}
	return e.sendToken(ctx, event{kind: evSuccess, token: token, output: output})
}

// SendTaskFailure fails the task waiting on token with errorName and cause,
// which the Task's Retry and Catch see.
func (e *Engine) SendTaskFailure(ctx context.Context, token, errorName, cause string) error {
	return e.sendToken(ctx, event{kind: evFailure, token: token, errName: errorName, cause: cause})
}

// SendTaskHeartbeat restarts the HeartbeatSeconds countdown of the task
// waiting on token. It is not part of workflow.Engine.
func (e *Engine) SendTaskHeartbeat(ctx context.Context, token string) error {
	return e.sendToken(ctx, event{kind: evHeartbeat, token: token})
}

func (e *Engine) sendToken(ctx context.Context, ev event) error {
	if ev.token == "" {
		return fmt.Errorf("asl: empty task token: %w", workflow.ErrTaskNotFound)
	}
	it, err := e.store.Get(ctx, tokenKey(ev.token))
	if errors.Is(err, table.ErrNotFound) {
		return fmt.Errorf("asl: task token: %w", workflow.ErrTaskNotFound)
	}
	if err != nil {
		return fmt.Errorf("asl: task token: %w", err)
	}
	a, _, err := e.hold(ctx, it.String(attrMachine), it.String(attrName), true)
	if err != nil {
		return err
	}
	if a == nil {
		return fmt.Errorf("asl: task token: %w", workflow.ErrTaskNotFound)
	}
	ev.reply = make(chan error, 1)
	if err := a.deliver(ctx, ev); err != nil {
		return err
	}
	select {
	case err := <-ev.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hold returns the in-memory runner of a running execution, loading it
// from the store when it is not in memory (parked, or left by a previous
// engine); loaded reports that it was. If held, the runner is held for one
// event, which the caller delivers (it may not park meanwhile). It returns
// nil when the execution is not running. Loads of one execution are one at
// a time and only while no runner of it is in memory, so what is loaded is
// what the last runner persisted: a runner parks only with everything
// persisted.
func (e *Engine) hold(ctx context.Context, machineName, name string, held bool) (a *actor, loaded bool, err error) {
	k := actorKey(machineName, name)
	for {
		e.mu.Lock()
		if a := e.actors[k]; a != nil {
			if held {
				a.senders++
			}
			e.mu.Unlock()
			return a, false, nil
		}
		if ch := e.loading[k]; ch != nil {
			e.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
		}
		ch := make(chan struct{})
		e.loading[k] = ch
		e.mu.Unlock()
		a, err = e.load(ctx, machineName, name, held)
		e.mu.Lock()
		delete(e.loading, k)
		close(ch)
		e.mu.Unlock()
		return a, a != nil, err
	}
}

// load starts the runner of an execution from the store; the caller has
// registered the load in e.loading.
func (e *Engine) load(ctx context.Context, machineName, name string, held bool) (*actor, error) {
	m, ok := e.machines[machineName]
	if !ok {
		return nil, nil
	}
	rec, ver, err := loadExec(ctx, e.store, machineName, name)
	if errors.Is(err, table.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rec.Status != StatusRunning {
		return nil, nil
	}
	a := e.spawn(m, rec, ver, held)
	if a == nil {
		return nil, ErrClosed
	}
	return a, nil
}

// Resume continues every running execution of the engine's state machines
// that has no runner in this engine: those waiting on a timer or a task
// token, and those that were running a state when the previous engine
// stopped (that state runs again from its start). It returns how many it
// resumed.
func (e *Engine) Resume(ctx context.Context) (int, error) {
	n := 0
	for _, name := range slices.Sorted(maps.Keys(e.machines)) {
		q := table.Query{Index: table.GSI1, PK: openPKPrefix + name}
		for {
			page, err := e.store.Query(ctx, q)
			if err != nil {
				return n, fmt.Errorf("asl: resume %s: %w", name, err)
			}
			for _, it := range page.Items {
				execName, ok := strings.CutPrefix(it.String(table.AttrGSI1SK), execSKPrefix)
				if !ok {
					continue
				}
				k := actorKey(name, execName)
				e.mu.Lock()
				_, parked := e.parked[k]
				known := parked || e.actors[k] != nil
				e.mu.Unlock()
				if known {
					continue
				}
				_, loaded, err := e.hold(ctx, name, execName, false)
				if err != nil {
					return n, fmt.Errorf("asl: resume %s/%s: %w", name, execName, err)
				}
				if loaded {
					n++
				}
			}
			if page.Cursor == "" {
				break
			}
			q.Cursor = page.Cursor
		}
	}
	return n, nil
}

// Tick lets every execution whose Wait, Retry interval, task timeout,
// heartbeat timeout or execution timeout is due by the clock's now go on.
// The background loop calls it; with WithTickInterval(0) the caller does.
// Tick returns once the due executions have been told; Settle waits until
// they have run as far as they can.
func (e *Engine) Tick(ctx context.Context) error {
	now := e.clk.Now()
	e.mu.Lock()
	var due []*actor
	for _, a := range e.actors {
		if !a.active && !a.due.IsZero() && !a.due.After(now) {
			a.due = time.Time{}
			a.senders++
			due = append(due, a)
		}
	}
	wake := e.parkQ.popDue(now, e.parked)
	e.mu.Unlock()
	for _, a := range due { // every hold is given back, even once ctx is done
		_ = a.deliver(ctx, event{kind: evPoke})
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// A parked execution that is loaded runs its due timer by itself; one
	// that a token event loaded meanwhile is poked.
	for i, p := range wake {
		machineName, name, _ := strings.Cut(p.key, "\x00")
		a, loaded, err := e.hold(ctx, machineName, name, false)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			e.log.Error("asl: loading a parked execution failed; the next tick tries again", "machine", machineName, "execution", name, "err", err)
			e.mu.Lock()
			for _, p := range wake[i:] {
				if _, ok := e.parked[p.key]; !ok && e.actors[p.key] == nil {
					e.parkLocked(p.key, p.due)
				}
			}
			e.mu.Unlock()
			return nil
		}
		if a == nil || loaded {
			continue
		}
		e.mu.Lock()
		poke := e.actors[p.key] == a
		if poke {
			a.senders++
		}
		e.mu.Unlock()
		if poke {
			_ = a.deliver(ctx, event{kind: evPoke})
		}
	}
	return nil
}

// Settle waits until no execution can make progress without an outside
// event: every execution has finished or waits for a timer (see Tick) or
// a task token, and no task handler is running. Tests use it with a frozen
// clock.
func (e *Engine) Settle(ctx context.Context) error {
	e.mu.Lock()
	ch := e.idle
	e.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats counts the running executions this engine knows of: Runners in
// memory (working, or waiting on a handler call of their own), Parked out
// of memory while they wait on a task token, a timer or a task slot;
// SlotWaiters are those of the parked that wait for a slot.
type Stats struct {
	Runners, Parked, SlotWaiters int
}

// Stats returns what the engine holds now.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Stats{Runners: len(e.actors), Parked: len(e.parked)}
	for _, w := range e.slotQ {
		if p, ok := e.parked[w.key]; ok && p.seq == w.seq {
			s.SlotWaiters++
		}
	}
	return s
}

// Describe returns an execution's status, output or error, and history.
func (e *Engine) Describe(ctx context.Context, machineName, name string) (Description, error) {
	rec, _, err := loadExec(ctx, e.store, machineName, name)
	if errors.Is(err, table.ErrNotFound) {
		return Description{}, fmt.Errorf("asl: describe %s/%s: %w", machineName, name, ErrExecutionNotFound)
	}
	if err != nil {
		return Description{}, fmt.Errorf("asl: describe %s/%s: %w", machineName, name, err)
	}
	return rec.describe(), nil
}

// Close stops the background loop and every execution runner, cancels the
// contexts of running task handlers and waits for all of them to return.
// Executions stay in the store as they were last persisted; a new engine's
// Resume continues them.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.cancel()
	e.wg.Wait()
	return nil
}

func (e *Engine) isClosed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed
}

// spawn starts the runner of a running execution, held for one event if
// held, or returns the one already running; nil when the engine is closed.
func (e *Engine) spawn(m *machine, rec *record, ver int64, held bool) *actor {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	k := actorKey(rec.Machine, rec.Name)
	a := e.actors[k]
	if a == nil {
		a = &actor{e: e, m: m, rec: rec, ver: ver, key: k, events: make(chan event), done: make(chan struct{}), active: true}
		e.actors[k] = a
		delete(e.parked, k)
		e.busyLocked(+1)
		e.wg.Add(1)
		go a.run()
	}
	if held {
		a.senders++
	}
	return a
}

func actorKey(machineName, name string) string { return machineName + "\x00" + name }

// busyLocked adds d to the busy count; e.mu is held.
func (e *Engine) busyLocked(d int) {
	if e.busy == 0 && d > 0 {
		e.idle = make(chan struct{})
	}
	e.busy += d
	if e.busy == 0 && d < 0 {
		close(e.idle)
	}
}

func (e *Engine) busyAdd(d int) {
	e.mu.Lock()
	e.busyLocked(d)
	e.mu.Unlock()
}

// newToken returns a fresh task token.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// parkEntry is a parked execution: due is when Tick loads it again (zero:
// only a token event does).
type parkEntry struct {
	due time.Time
	seq uint64
}

// parkLocked records a parked execution; e.mu is held.
func (e *Engine) parkLocked(key string, due time.Time) {
	e.parkSeq++
	e.parked[key] = parkEntry{due: due, seq: e.parkSeq}
	if !due.IsZero() {
		heap.Push(&e.parkQ, parkItem{key: key, parkEntry: e.parked[key]})
	}
}

type parkItem struct {
	key string
	parkEntry
}

// parkQueue is a min-heap of parked executions by due time.
type parkQueue []parkItem

func (q parkQueue) Len() int           { return len(q) }
func (q parkQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q parkQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *parkQueue) Push(x any)        { *q = append(*q, x.(parkItem)) }
func (q *parkQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// popDue removes and returns the parked executions due by now, dropping
// stale entries (executions loaded, or parked again, since); e.mu is held.
func (q *parkQueue) popDue(now time.Time, parked map[string]parkEntry) []parkItem {
	var due []parkItem
	for q.Len() > 0 && !(*q)[0].due.After(now) {
		it := heap.Pop(q).(parkItem)
		if p, ok := parked[it.key]; ok && p.seq == it.seq {
			delete(parked, it.key)
			due = append(due, it)
		}
	}
	return due
}

// slotWait is an execution parked until a task slot is free; seq is its
// parking's (stale once the execution was loaded for another reason).
type slotWait struct {
	key string
	seq uint64
}

// releaseSlot hands a task slot that a handler call is done with over to
// the first execution parked waiting for one, and loads it; with none
// waiting it frees the slot.
func (e *Engine) releaseSlot() {
	e.mu.Lock()
	for len(e.slotQ) > 0 {
		w := e.slotQ[0]
		e.slotQ[0] = slotWait{}
		e.slotQ = e.slotQ[1:]
		if p, ok := e.parked[w.key]; !ok || p.seq != w.seq || e.closed {
			continue
		}
		delete(e.parked, w.key)
		e.granted[w.key] = true
		e.busyLocked(+1) // until the execution is loaded: Settle must not see a gap
		e.wg.Add(1)
		e.mu.Unlock()
		go e.wakeWithSlot(w.key)
		return
	}
	if len(e.slotQ) == 0 {
		e.slotQ = nil // let the drained backing array go
	}
	e.mu.Unlock()
	<-e.slots
}

// wakeWithSlot loads an execution a slot was handed over to. When nothing
// takes the slot (the execution is not running, or the load failed) it
// goes to the next waiter; after a failed load the execution is parked
// again, due now, so that Tick tries again.
func (e *Engine) wakeWithSlot(key string) {
	defer e.wg.Done()
	defer e.busyAdd(-1)
	machineName, name, _ := strings.Cut(key, "\x00")
	a, _, err := e.hold(e.ctx, machineName, name, false)
	if a != nil {
		return // it takes the slot, or gives it back when it exits
	}
	e.mu.Lock()
	unused := e.granted[key]
	delete(e.granted, key)
	if err != nil && !e.closed && e.actors[key] == nil {
		e.log.Error("asl: loading an execution for its task slot failed; the next tick tries again", "machine", machineName, "execution", name, "err", err)
		e.parkLocked(key, e.clk.Now())
	}
	e.mu.Unlock()
	if unused {
		e.releaseSlot()
	}
}
