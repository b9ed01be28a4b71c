package schedule

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
)

// MaxCatchUp bounds how many occurrences of one schedule a single Tick fires.
// When a clock jumps far ahead (a frozen clock Set a year on, say) a
// rate(1 minute) schedule would otherwise fire hundreds of thousands of
// times; past the bound the rest of its occurrences up to now are skipped.
const MaxCatchUp = 1000

// MaxSleep is the longest the background loop of a Timer sleeps before it
// reads the clock again, so that it notices a clock that was Set or Advanced.
const MaxSleep = time.Second

// Func is what a Timer calls when a schedule fires: name is the name given
// to Add, at the occurrence being fired (not the time of the call).
type Func func(ctx context.Context, name string, at time.Time)

// Timer fires schedules in process, by the time of a clock.Clock. It is the
// local runner's stand-in for EventBridge Scheduler.
//
// Each schedule is armed when it is added (or when the Timer starts) at its
// first time after the clock's now, and from then on every occurrence up to
// the clock's now fires exactly once, in time order across all schedules
// (schedules due at the same instant fire in the order they were added).
// Tests drive a Timer with Tick and a frozen clock; the local runner calls
// Start, whose loop ticks whenever a schedule is due and at least every
// MaxSleep.
//
// Occurrences missed while the Timer is stopped are not replayed: Start
// re-arms every schedule at its first time after now, as EventBridge does
// when a disabled schedule is enabled again. Occurrences passed over while it
// runs — a jump of the clock, or a slow callback — are fired late, up to
// MaxCatchUp per schedule and Tick. If the clock goes backwards, every
// schedule is re-armed from the new now.
//
// Callbacks run one at a time on the goroutine that ticks, so a slow one
// delays the others; hand long work to a goroutine. Callbacks may call Add
// and Entries but must not call Stop or Tick.
type Timer struct {
	clk clock.Clock

	tickMu sync.Mutex // serialises Tick: each occurrence fires once, in order

	mu      sync.Mutex // guards the fields below
	entries []*entry
	byName  map[string]*entry
	last    time.Time // the now of the last Tick, to notice a clock going back
	cancel  context.CancelFunc
	done    chan struct{} // closed when the loop started by Start returns
	wake    chan struct{} // nudges the loop when a schedule is added
}

type entry struct {
	name string
	s    Schedule
	fire Func
	next time.Time // zero: never again
}

// Entry describes one schedule of a Timer.
type Entry struct {
	Name     string
	Schedule Schedule
	Next     time.Time // the next occurrence; zero when there is none
}

// NewTimer returns a stopped Timer that reads the time from clk.
func NewTimer(clk clock.Clock) *Timer {
	return &Timer{clk: clk, byName: map[string]*entry{}, wake: make(chan struct{}, 1)}
}

// Add arms schedule s under name at its first time after the clock's now;
// fire is called for each occurrence. Add may be called before or after
// Start. It panics if name is already in use or s or fire is nil, which are
// wiring mistakes.
func (t *Timer) Add(name string, s Schedule, fire Func) {
	if s == nil || fire == nil {
		panic(fmt.Sprintf("schedule: Timer.Add(%q): nil schedule or func", name))
	}
	now := t.clk.Now()
	t.mu.Lock()
	if _, dup := t.byName[name]; dup {
		t.mu.Unlock()
		panic(fmt.Sprintf("schedule: Timer.Add(%q): name already added", name))
	}
	e := &entry{name: name, s: s, fire: fire, next: next(s, now)}
	t.entries = append(t.entries, e)
	t.byName[name] = e
	t.mu.Unlock()
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// Entries returns the Timer's schedules in the order they were added, with
// their next occurrences.
func (t *Timer) Entries() []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Entry, len(t.entries))
	for i, e := range t.entries {
		out[i] = Entry{Name: e.name, Schedule: e.s, Next: e.next}
	}
	return out
}

// Tick fires, in time order, every occurrence due at or before now that has
// not fired yet, and returns how many it fired. Each call passes ctx to the
// callbacks; once ctx is done, Tick fires nothing more and the occurrences it
// had not yet fired are dropped. Tick works whether or not the Timer is
// started; concurrent Ticks are serialised.
func (t *Timer) Tick(ctx context.Context, now time.Time) int {
	t.tickMu.Lock()
	defer t.tickMu.Unlock()
	n := 0
	for _, o := range t.due(now) {
		if ctx.Err() != nil {
			break
		}
		o.fire(ctx, o.name, o.at)
		n++
	}
	return n
}

type occurrence struct {
	fire Func
	name string
	at   time.Time
}

// due advances every schedule past now and returns the occurrences passed
// over, in time order.
func (t *Timer) due(now time.Time) []occurrence {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Before(t.last) {
		t.rearm(now)
		return nil
	}
	t.last = now
	var (
		out   []occurrence
		count = map[*entry]int{}
	)
	for {
		var first *entry
		for _, e := range t.entries {
			if e.next.IsZero() || e.next.After(now) {
				continue
			}
			if first == nil || e.next.Before(first.next) {
				first = e
			}
		}
		if first == nil {
			return out
		}
		out = append(out, occurrence{fire: first.fire, name: first.name, at: first.next})
		count[first]++
		if count[first] >= MaxCatchUp {
			first.next = next(first.s, now)
		} else {
			first.next = next(first.s, first.next)
		}
	}
}

// rearm sets every schedule to its first time after now. t.mu is held.
func (t *Timer) rearm(now time.Time) {
	t.last = now
	for _, e := range t.entries {
		e.next = next(e.s, now)
	}
}

// next is s.Next(after), made safe against a Schedule that does not move
// forward: such a schedule is treated as finished.
func next(s Schedule, after time.Time) time.Time {
	n := s.Next(after)
	if n.IsZero() || !n.After(after) {
		return time.Time{}
	}
	return n
}

// Start re-arms every schedule at its first time after now — occurrences
// missed while stopped are not replayed — and starts the background loop,
// which runs until Stop is called or ctx is done. Start on a running Timer
// does nothing.
func (t *Timer) Start(ctx context.Context) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done != nil {
		select {
		case <-t.done: // the loop ended with its context; start afresh
		default:
			return
		}
	}
	t.rearm(t.clk.Now())
	ctx, cancel := context.WithCancel(ctx)
	t.cancel, t.done = cancel, make(chan struct{})
	go t.run(ctx, t.done)
}

// Stop stops the background loop and waits for it, including a callback in
// progress, whose context is cancelled. Stop on a stopped Timer does
// nothing.
func (t *Timer) Stop() {
	t.mu.Lock()
	cancel, done := t.cancel, t.done
	t.cancel, t.done = nil, nil
	t.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

func (t *Timer) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	sleep := time.NewTimer(MaxSleep)
	defer sleep.Stop()
	for {
		t.Tick(ctx, t.clk.Now())
		sleep.Reset(t.sleepFor(t.clk.Now()))
		select {
		case <-ctx.Done():
			return
		case <-t.wake:
		case <-sleep.C:
		}
	}
}

// sleepFor returns how long the loop may sleep: until the earliest next
// occurrence, but no longer than MaxSleep.
func (t *Timer) sleepFor(now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := MaxSleep
	for _, e := range t.entries {
		if !e.next.IsZero() {
			d = min(d, max(e.next.Sub(now), 0))
		}
	}
	return d
}
