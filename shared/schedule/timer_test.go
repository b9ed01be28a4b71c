package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/schedule"
)

// recorder is a working fake for the callbacks: it records what fired.
type recorder struct {
	mu    sync.Mutex
	fired []string
	ch    chan string
}

func newRecorder() *recorder { return &recorder{ch: make(chan string, 100)} }

// fire is a schedule.Func that records "name at" with at in Shanghai.
func (r *recorder) fire(_ context.Context, name string, at time.Time) {
	s := fmt.Sprintf("%s %s", name, at.In(clock.Shanghai).Format("2006-01-02 15:04:05"))
	r.mu.Lock()
	r.fired = append(r.fired, s)
	r.mu.Unlock()
	select {
	case r.ch <- s:
	default:
	}
}

// take returns what fired since the last take.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.fired
	r.fired = nil
	return out
}

func add(tb testing.TB, tm *schedule.Timer, r *recorder, name, expr string) {
	tb.Helper()
	s, err := schedule.Parse(expr, clock.Shanghai)
	if err != nil {
		tb.Fatal(err)
	}
	tm.Add(name, s, r.fire)
}

// TestTimerMonthlyWindow jumps a frozen clock over two months and checks
// that the window schedules of hrss fire once each, interleaved in time
// order.
func TestTimerMonthlyWindow(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-31 08:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "close", "cron(0 9 25 * ? *)")
	add(t, tm, r, "open", "cron(0 9 1 * ? *)")
	add(t, tm, r, "remind", "cron(0 9 20 * ? *)")

	if n := tm.Tick(ctx, clk.Now()); n != 0 {
		t.Fatalf("Tick at start fired %d, want 0", n)
	}
	clk.Set(sh(t, "2025-03-01 10:00:00"))
	n := tm.Tick(ctx, clk.Now())
	want := []string{
		"open 2025-02-01 09:00:00",
		"remind 2025-02-20 09:00:00",
		"close 2025-02-25 09:00:00",
		"open 2025-03-01 09:00:00",
	}
	if diff := cmp.Diff(want, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	if n != len(want) {
		t.Errorf("Tick returned %d, want %d", n, len(want))
	}
	if n := tm.Tick(ctx, clk.Now()); n != 0 {
		t.Errorf("second Tick at the same time fired %d, want 0", n)
	}
	wantNext := []schedule.Entry{
		{Name: "close", Next: sh(t, "2025-03-25 09:00:00")},
		{Name: "open", Next: sh(t, "2025-04-01 09:00:00")},
		{Name: "remind", Next: sh(t, "2025-03-20 09:00:00")},
	}
	if diff := cmp.Diff(wantNext, tm.Entries(), cmpopts.IgnoreFields(schedule.Entry{}, "Schedule")); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}
}

func TestTimerFiresAtDueTimeExactlyOnce(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-01 02:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "cleanup", "cron(0 3 * * ? *)")

	for _, step := range []struct {
		advance time.Duration
		want    []string
	}{
		{59*time.Minute + 59*time.Second, nil},
		{time.Second, []string{"cleanup 2025-01-01 03:00:00"}},
		{time.Second, nil},
		{24 * time.Hour, []string{"cleanup 2025-01-02 03:00:00"}},
		{0, nil},
	} {
		clk.Advance(step.advance)
		tm.Tick(ctx, clk.Now())
		if diff := cmp.Diff(step.want, r.take()); diff != "" {
			t.Errorf("at %v (-want +got):\n%s", clk.Now(), diff)
		}
	}
}

func TestTimerRateCatchesUpEveryOccurrence(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-01 10:17:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "hourly", "rate(1 hour)")
	add(t, tm, r, "top", "cron(0 * * * ? *)")

	clk.Advance(3 * time.Hour)
	tm.Tick(ctx, clk.Now())
	want := []string{
		"top 2025-01-01 11:00:00",
		"hourly 2025-01-01 11:17:00",
		"top 2025-01-01 12:00:00",
		"hourly 2025-01-01 12:17:00",
		"top 2025-01-01 13:00:00",
		"hourly 2025-01-01 13:17:00",
	}
	if diff := cmp.Diff(want, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
}

func TestTimerSameInstantFiresInAddOrder(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-31 12:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "b", "cron(0 9 1 * ? *)")
	add(t, tm, r, "a", "cron(0 9 1W * ? *)") // 2025-02-01 is a Saturday: 1W is the 3rd
	add(t, tm, r, "c", "cron(0 9 ? * 2#1 *)")

	clk.Set(sh(t, "2025-02-03 09:00:00"))
	tm.Tick(ctx, clk.Now())
	want := []string{"b 2025-02-01 09:00:00", "a 2025-02-03 09:00:00", "c 2025-02-03 09:00:00"}
	if diff := cmp.Diff(want, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
}

func TestTimerAtFiresOnce(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-01 00:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "once", "at(2025-01-02T09:30:00)")

	clk.Advance(48 * time.Hour)
	tm.Tick(ctx, clk.Now())
	clk.Advance(48 * time.Hour)
	tm.Tick(ctx, clk.Now())
	if diff := cmp.Diff([]string{"once 2025-01-02 09:30:00"}, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	if next := tm.Entries()[0].Next; !next.IsZero() {
		t.Errorf("Next after firing = %v, want zero", next)
	}
}

func TestTimerClockGoesBack(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-03-01 00:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "open", "cron(0 9 1 * ? *)")
	tm.Tick(ctx, clk.Now())

	// Back to January: the schedule is re-armed for 1 February, not left
	// waiting for 1 March.
	clk.Set(sh(t, "2025-01-15 00:00:00"))
	if n := tm.Tick(ctx, clk.Now()); n != 0 {
		t.Errorf("Tick after going back fired %d, want 0", n)
	}
	clk.Set(sh(t, "2025-02-01 09:00:00"))
	tm.Tick(ctx, clk.Now())
	if diff := cmp.Diff([]string{"open 2025-02-01 09:00:00"}, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
}

func TestTimerCatchUpIsBounded(t *testing.T) {
	ctx := context.Background()
	start := sh(t, "2025-01-01 00:00:00")
	clk := clock.Frozen(start)
	tm := schedule.NewTimer(clk)
	var n int
	tm.Add("minutely", schedule.MustParse("rate(1 minute)", clock.Shanghai), func(context.Context, string, time.Time) { n++ })

	clk.Advance(30 * 24 * time.Hour)
	if got := tm.Tick(ctx, clk.Now()); got != schedule.MaxCatchUp || n != schedule.MaxCatchUp {
		t.Errorf("Tick fired %d (callback saw %d), want %d", got, n, schedule.MaxCatchUp)
	}
	if next, want := tm.Entries()[0].Next, clk.Now().Add(time.Minute); !next.Equal(want) {
		t.Errorf("Next after a bounded catch-up = %v, want %v", next, want)
	}
}

func TestTimerTickWithDoneContextFiresNothing(t *testing.T) {
	clk := clock.Frozen(sh(t, "2025-01-01 00:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "top", "cron(0 * * * ? *)")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	clk.Advance(2 * time.Hour)
	if n := tm.Tick(ctx, clk.Now()); n != 0 {
		t.Errorf("Tick fired %d, want 0", n)
	}
	if got := r.take(); got != nil {
		t.Errorf("fired %v, want nothing", got)
	}
}

func TestTimerCallbackMayAdd(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-01 00:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	tm.Add("first", schedule.MustParse("at(2025-01-01T01:00:00)", clock.Shanghai), func(ctx context.Context, name string, at time.Time) {
		r.fire(ctx, name, at)
		tm.Add("second", schedule.MustParse("rate(1 hour)", clock.Shanghai), r.fire)
	})
	clk.Advance(time.Hour)
	tm.Tick(ctx, clk.Now())
	clk.Advance(time.Hour)
	tm.Tick(ctx, clk.Now())
	want := []string{"first 2025-01-01 01:00:00", "second 2025-01-01 02:00:00"}
	if diff := cmp.Diff(want, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
}

func TestTimerAddPanics(t *testing.T) {
	s := schedule.MustParse("rate(1 hour)", clock.Shanghai)
	f := func(context.Context, string, time.Time) {}
	for _, tc := range []struct {
		name string
		add  func(tm *schedule.Timer)
	}{
		{"duplicate name", func(tm *schedule.Timer) { tm.Add("x", s, f); tm.Add("x", s, f) }},
		{"nil schedule", func(tm *schedule.Timer) { tm.Add("x", nil, f) }},
		{"nil func", func(tm *schedule.Timer) { tm.Add("x", s, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Add did not panic")
				}
			}()
			tc.add(schedule.NewTimer(clock.Frozen(sh(t, "2025-01-01 00:00:00"))))
		})
	}
}

// stuck is a Schedule that does not move forward; the Timer must not loop on
// it.
type stuck struct{ at time.Time }

func (s stuck) Next(time.Time) time.Time { return s.at }
func (s stuck) String() string           { return "stuck" }

func TestTimerScheduleThatDoesNotAdvance(t *testing.T) {
	ctx := context.Background()
	clk := clock.Frozen(sh(t, "2025-01-01 00:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	tm.Add("stuck", stuck{at: sh(t, "2025-01-01 01:00:00")}, r.fire)
	clk.Advance(2 * time.Hour)
	if n := tm.Tick(ctx, clk.Now()); n != 1 {
		t.Errorf("Tick fired %d, want 1", n)
	}
}

// TestTimerBackground runs the real loop on a frozen clock: it notices the
// clock being advanced, stops, and on restart does not replay what it missed.
func TestTimerBackground(t *testing.T) {
	clk := clock.Frozen(sh(t, "2025-01-31 08:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "open", "cron(0 9 1 * ? *)")

	tm.Start(context.Background())
	tm.Start(context.Background()) // a second Start does nothing
	clk.Set(sh(t, "2025-02-01 09:00:00"))
	waitFor(t, r, "open 2025-02-01 09:00:00")
	tm.Stop()
	tm.Stop() // a second Stop does nothing

	// While stopped, 1 March passes; Start re-arms for 1 April.
	clk.Set(sh(t, "2025-03-15 00:00:00"))
	tm.Start(context.Background())
	if next, want := tm.Entries()[0].Next, sh(t, "2025-04-01 09:00:00"); !next.Equal(want) {
		t.Errorf("Next after restart = %v, want %v", next, want)
	}
	clk.Set(sh(t, "2025-04-01 09:00:30"))
	waitFor(t, r, "open 2025-04-01 09:00:00")
	tm.Stop()
	want := []string{"open 2025-02-01 09:00:00", "open 2025-04-01 09:00:00"}
	if diff := cmp.Diff(want, r.take()); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
}

// TestTimerStopsWithContext checks that the loop ends with its context and
// that Start then starts it afresh.
func TestTimerStopsWithContext(t *testing.T) {
	clk := clock.Frozen(sh(t, "2025-01-31 08:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	add(t, tm, r, "open", "cron(0 9 1 * ? *)")

	ctx, cancel := context.WithCancel(context.Background())
	tm.Start(ctx)
	cancel()
	tm.Stop() // returns once the loop has ended
	tm.Start(context.Background())
	defer tm.Stop()
	clk.Set(sh(t, "2025-02-01 09:00:00"))
	waitFor(t, r, "open 2025-02-01 09:00:00")
}

// TestTimerAddWhileRunning checks that a schedule added to a running Timer
// is armed from the clock's now and fires.
func TestTimerAddWhileRunning(t *testing.T) {
	clk := clock.Frozen(sh(t, "2025-01-01 00:00:00"))
	tm := schedule.NewTimer(clk)
	r := newRecorder()
	tm.Start(context.Background())
	defer tm.Stop()
	add(t, tm, r, "soon", "at(2025-01-01T00:00:01)")
	clk.Advance(time.Second)
	waitFor(t, r, "soon 2025-01-01 00:00:01")
}

// waitFor waits for the background loop to fire want.
func waitFor(tb testing.TB, r *recorder, want string) {
	tb.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-r.ch:
			if got == want {
				return
			}
			tb.Fatalf("fired %q, want %q", got, want)
		case <-timeout:
			tb.Fatalf("%q did not fire within 10s", want)
		}
	}
}
