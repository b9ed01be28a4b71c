package asl_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// t0 is when every test's frozen clock starts.
var t0 = time.Date(2024, 3, 1, 9, 0, 0, 0, clock.Shanghai)

// harness is an engine on a bbolt store in a temporary directory, with a
// frozen clock and no background ticking.
type harness struct {
	t        *testing.T
	dir      string
	store    *boltstore.Store
	clk      *clock.Fixed
	eng      *asl.Engine
	machines map[string][]byte
	handlers map[string]workflow.TaskHandler
	opts     []asl.Option
}

func newHarness(t *testing.T, machines map[string][]byte, handlers map[string]workflow.TaskHandler, opts ...asl.Option) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), clk: clock.Frozen(t0), machines: machines, handlers: handlers, opts: opts}
	h.open()
	t.Cleanup(h.close)
	return h
}

func (h *harness) resolve(name string) (workflow.TaskHandler, bool) {
	fn, ok := h.handlers[name]
	return fn, ok
}

func (h *harness) open() {
	h.t.Helper()
	s, err := boltstore.Open(filepath.Join(h.dir, "table.db"), h.clk)
	if err != nil {
		h.t.Fatalf("boltstore.Open: %v", err)
	}
	h.store = s
	opts := append([]asl.Option{asl.WithTickInterval(0)}, h.opts...)
	e, err := asl.New(s, h.clk, h.machines, h.resolve, opts...)
	if err != nil {
		s.Close()
		h.t.Fatalf("asl.New: %v", err)
	}
	h.eng = e
}

func (h *harness) close() {
	if h.eng != nil {
		if err := h.eng.Close(); err != nil {
			h.t.Errorf("Engine.Close: %v", err)
		}
		h.eng = nil
	}
	if h.store != nil {
		if err := h.store.Close(); err != nil {
			h.t.Errorf("Store.Close: %v", err)
		}
		h.store = nil
	}
}

// restart closes the engine and the store file, reopens both and resumes;
// it returns how many executions Resume continued.
func (h *harness) restart() int {
	h.t.Helper()
	h.close()
	h.open()
	n, err := h.eng.Resume(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("Resume: %v", err)
	}
	h.settle()
	return n
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (h *harness) start(machine, name, input string) {
	h.t.Helper()
	if _, err := h.eng.Start(ctxT(h.t), workflow.StartInput{StateMachine: machine, Name: name, Input: json.RawMessage(input)}); err != nil {
		h.t.Fatalf("Start(%s, %s): %v", machine, name, err)
	}
	h.settle()
}

func (h *harness) settle() {
	h.t.Helper()
	if err := h.eng.Settle(ctxT(h.t)); err != nil {
		h.t.Fatalf("Settle: %v", err)
	}
}

func (h *harness) describe(machine, name string) asl.Description {
	h.t.Helper()
	d, err := h.eng.Describe(ctxT(h.t), machine, name)
	if err != nil {
		h.t.Fatalf("Describe(%s, %s): %v", machine, name, err)
	}
	return d
}

// tick moves the clock to at and runs Tick, then settles.
func (h *harness) tick(at time.Time) {
	h.t.Helper()
	h.clk.Set(at)
	if err := h.eng.Tick(ctxT(h.t)); err != nil {
		h.t.Fatalf("Tick: %v", err)
	}
	h.settle()
}

// drive runs an execution through its Wait and Retry timers, moving the
// clock to each timer's end, until it ends or waits on a task token. It
// returns the description and the timers it went through (their lengths).
func (h *harness) drive(machine, name string) (asl.Description, []time.Duration) {
	h.t.Helper()
	var waits []time.Duration
	for range 100 {
		h.settle()
		d := h.describe(machine, name)
		if d.Status != asl.StatusRunning || d.Waiting == asl.WaitingTaskToken {
			return d, waits
		}
		if d.Waiting == asl.WaitingNone {
			h.t.Fatalf("execution %s is running state %s after Settle", name, d.CurrentState)
		}
		waits = append(waits, d.WaitingUntil.Sub(h.clk.Now()))
		h.tick(d.WaitingUntil)
	}
	h.t.Fatalf("execution %s did not stop within 100 timers", name)
	return asl.Description{}, nil
}

// statesEntered lists the StateEntered events of a history.
func statesEntered(d asl.Description) []string {
	var out []string
	for _, ev := range d.History {
		if ev.Type == asl.EventStateEntered {
			out = append(out, ev.State)
		}
	}
	return out
}

// countEvents counts the events of a type in state.
func countEvents(d asl.Description, typ, state string) int {
	n := 0
	for _, ev := range d.History {
		if ev.Type == typ && ev.State == state {
			n++
		}
	}
	return n
}

// jsonDiff compares two JSON documents by value.
func jsonDiff(t *testing.T, want string, got json.RawMessage) string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("bad JSON %s: %v", got, err)
	}
	return cmp.Diff(w, g)
}

// oneState is a machine whose only state is st (which must end).
func oneState(st string) []byte {
	return []byte(`{"StartAt":"S","States":{"S":` + st + `}}`)
}

// echo is a handler that returns its payload.
func echo(_ context.Context, p json.RawMessage) (json.RawMessage, error) { return p, nil }
