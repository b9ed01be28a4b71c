package asl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// tokens is a task handler that hands each execution's token to the test
// and returns at once, as the review task does: the execution then waits
// with nothing of its own running.
type tokens struct {
	mu sync.Mutex
	by map[string]string // execution input "n" → token
}

func (tk *tokens) handle(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
	var in struct {
		Token string
		In    struct{ N string }
	}
	if err := json.Unmarshal(p, &in); err != nil {
		return nil, err
	}
	tk.mu.Lock()
	tk.by[in.In.N] = in.Token
	tk.mu.Unlock()
	return json.RawMessage(`{}`), nil
}

func (tk *tokens) get(n string) string {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	return tk.by[n]
}

// errorLog counts error records: an execution runner that stops on a store
// error (a stale load) logs one.
type errorLog struct {
	slog.Handler
	n atomic.Int64
}

func (l *errorLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		l.n.Add(1)
	}
	return nil
}

func TestWaitingExecutionsLeaveMemory(t *testing.T) {
	const n = 200
	tk := &tokens{by: map[string]string{}}
	logs := &errorLog{Handler: slog.DiscardHandler}
	machine := tokenMachine(`,"HeartbeatSeconds":600,"TimeoutSeconds":3600`)
	h := newHarness(t, map[string][]byte{"M": machine}, map[string]workflow.TaskHandler{"F": tk.handle}, asl.WithLogger(slog.New(logs)))
	ctx := ctxT(t)
	for i := range n {
		if _, err := h.eng.Start(ctx, workflow.StartInput{StateMachine: "M", Name: fmt.Sprint("x", i), Input: json.RawMessage(fmt.Sprintf(`{"n":"%d"}`, i))}); err != nil {
			t.Fatal(err)
		}
	}
	h.settle()
	if got := h.eng.Stats(); got != (asl.Stats{Runners: 0, Parked: n}) {
		t.Fatalf("after the handlers returned: %+v, want every execution parked", got)
	}

	// For every execution at once: heartbeats, a tick, and one success
	// and one failure racing each other; exactly one of the two wins.
	var wg sync.WaitGroup
	var won, lost atomic.Int64
	send := func(f func() error) {
		defer wg.Done()
		switch err := f(); {
		case err == nil:
			won.Add(1)
		case errors.Is(err, workflow.ErrTaskNotFound):
			lost.Add(1)
		default:
			t.Error(err)
		}
	}
	for i := range n {
		tok := tk.get(fmt.Sprint(i))
		wg.Add(4)
		go func() {
			defer wg.Done()
			for range 3 {
				if err := h.eng.SendTaskHeartbeat(ctx, tok); err != nil && !errors.Is(err, workflow.ErrTaskNotFound) {
					t.Error(err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			if err := h.eng.Tick(ctx); err != nil {
				t.Error(err)
			}
		}()
		go send(func() error { return h.eng.SendTaskSuccess(ctx, tok, json.RawMessage(`"ok"`)) })
		go send(func() error { return h.eng.SendTaskFailure(ctx, tok, "Hrss.No", "") })
	}
	wg.Wait()
	h.settle()
	if won.Load() != n || lost.Load() != n {
		t.Errorf("%d outcomes accepted and %d refused, want %d each", won.Load(), lost.Load(), n)
	}
	for i := range n {
		d := h.describe("M", fmt.Sprint("x", i))
		ok := d.Status == asl.StatusSucceeded && string(d.Output) == `"ok"`
		if !ok && !(d.Status == asl.StatusFailed && d.Error == "Hrss.No") {
			t.Errorf("x%d: %s %s %s", i, d.Status, d.Output, d.Error)
		}
	}
	if got := h.eng.Stats(); got != (asl.Stats{}) {
		t.Errorf("after every execution ended: %+v, want nothing held", got)
	}
	if c := logs.n.Load(); c != 0 {
		t.Errorf("%d runners stopped on an error", c)
	}
}

func TestParkedTimersFire(t *testing.T) {
	wait := []byte(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"F","Payload":{"token.$":"$$.Task.Token","in.$":"$"}},"TimeoutSeconds":60,"End":true}}}`)
	tk := &tokens{by: map[string]string{}}
	h := newHarness(t, map[string][]byte{"M": wait}, map[string]workflow.TaskHandler{"F": tk.handle})
	h.start("M", "a", `{"n":"a"}`)
	h.start("M", "b", `{"n":"b"}`)
	if got := h.eng.Stats(); got != (asl.Stats{Parked: 2}) {
		t.Fatalf("in the Wait: %+v, want both parked", got)
	}
	h.tick(t0.Add(59 * time.Minute))
	if tk.get("a") != "" {
		t.Fatal("the Wait ended early")
	}
	// Past the Wait both run their task and park again on its token.
	h.tick(t0.Add(time.Hour))
	if tk.get("a") == "" || tk.get("b") == "" {
		t.Fatal("the Wait did not end")
	}
	if got := h.eng.Stats(); got != (asl.Stats{Parked: 2}) {
		t.Fatalf("on the token: %+v, want both parked", got)
	}
	if err := h.eng.SendTaskSuccess(ctxT(t), tk.get("a"), json.RawMessage(`1`)); err != nil {
		t.Fatal(err)
	}
	h.settle()
	// b's task timeout fires for a parked execution too, after a restart.
	if n := h.restart(); n != 1 {
		t.Errorf("Resume continued %d executions, want 1", n)
	}
	h.tick(t0.Add(time.Hour + time.Minute))
	if d := h.describe("M", "a"); d.Status != asl.StatusSucceeded {
		t.Errorf("a: %s", d.Status)
	}
	if d := h.describe("M", "b"); d.Status != asl.StatusFailed || d.Error != asl.ErrNameTimeout {
		t.Errorf("b: %s %s, want States.Timeout", d.Status, d.Error)
	}
	if got := h.eng.Stats(); got != (asl.Stats{}) {
		t.Errorf("at the end: %+v", got)
	}
}

// TestSlotWaitersLeaveMemory: executions waiting for a task slot are
// parked too, a slot goes to the next waiter when its call returns, and no
// slot is lost when waiters time out in the queue.
func TestSlotWaitersLeaveMemory(t *testing.T) {
	gate := make(chan struct{})
	var running, most atomic.Int32
	fn := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		select {
		case <-gate:
			return p, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	machine := []byte(`{"StartAt":"T","TimeoutSeconds":60,"States":{"T":` + taskState(`"End":true`) + `}}`)
	h := newHarness(t, map[string][]byte{"M": machine}, map[string]workflow.TaskHandler{"F": fn}, asl.WithMaxRunningTasks(1))
	start := func(name string) {
		if _, err := h.eng.Start(ctxT(t), workflow.StartInput{StateMachine: "M", Name: name, Input: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	const n = 20
	for i := range n {
		start(fmt.Sprint("a", i))
	}
	deadline := time.Now().Add(5 * time.Second)
	want := asl.Stats{Runners: 1, Parked: n - 1, SlotWaiters: n - 1}
	for h.eng.Stats() != want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := h.eng.Stats(); got != want || running.Load() != 1 {
		t.Fatalf("%+v with %d calls running, want one running and the rest parked", got, running.Load())
	}
	// Every execution's TimeoutSeconds passes: the waiters time out in the
	// queue, the running call is abandoned.
	h.tick(t0.Add(61 * time.Second))
	for i := range n {
		if d := h.describe("M", fmt.Sprint("a", i)); d.Status != asl.StatusTimedOut {
			t.Errorf("a%d: %s, want TIMED_OUT", i, d.Status)
		}
	}
	// The one slot is free again: new executions all run, one at a time.
	close(gate)
	for i := range 5 {
		start(fmt.Sprint("b", i))
	}
	h.settle()
	for i := range 5 {
		if d := h.describe("M", fmt.Sprint("b", i)); d.Status != asl.StatusSucceeded {
			t.Errorf("b%d: %s", i, d.Status)
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d calls ran at once, want 1", m)
	}
	if got := h.eng.Stats(); got != (asl.Stats{}) {
		t.Errorf("at the end: %+v", got)
	}
}
