package reminder_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/reminder"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var june1 = time.Date(2022, 6, 1, 9, 0, 0, 0, clock.Shanghai)

// synthetic lists n recipients, size a page; every seventh has no account.
type synthetic struct {
	prefix  string
	n, size int
}

func (s synthetic) Page(_ context.Context, period, after string) ([]reminder.Recipient, string, error) {
	from := 0
	if after != "" {
		from, _ = strconv.Atoi(after)
	}
	var out []reminder.Recipient
	for i := from; i < min(from+s.size, s.n); i++ {
		key := fmt.Sprintf("%s%07d", s.prefix, i)
		rc := reminder.Recipient{Key: key, Message: inbox.Message{Title: "办理时间开始", Body: "第" + key + "号，" + period + "月应缴"}}
		if i%7 != 6 {
			rc.Account = "individual:" + key
		}
		out = append(out, rc)
	}
	if from+s.size >= s.n {
		return out, "", nil
	}
	return out, strconv.Itoa(from + s.size), nil
}

func job(n, size int) reminder.Job {
	return reminder.Job{Name: "window-open", Label: "测试", Sources: []reminder.Source{synthetic{"p", n, size}, synthetic{"u", 3, 2}},
		Period: func(t time.Time) string { return t.Format("200601") }}
}

// sms counts the sends of each id (the notify port makes a second send
// of an id a no-op; counting them shows nothing even tried twice).
type sms struct {
	mu   sync.Mutex
	sent map[string]int
}

func (s *sms) Send(_ context.Context, m notify.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[m.ID]++
	return nil
}

type everyone struct{}

func (everyone) Mobile(_ context.Context, id string) (string, error) {
	return "+8613900" + id[len(id)-6:], nil
}

func setup(t *testing.T, st table.Store) (*reminder.Runner, *inbox.Store, *sms) {
	box := inbox.New(st, clock.Frozen(june1))
	out := &sms{sent: map[string]int{}}
	return reminder.NewRunner(st, clock.Frozen(june1), &inbox.Notifier{Inbox: box, Send: out, Mobiles: everyone{}}), box, out
}

// TestCrashThenResume: a run that crashes after its third page is resumed
// by the next invocation and finishes; everyone with an account is told
// exactly once (one message, one SMS), nobody twice.
func TestCrashThenResume(t *testing.T) {
	storetest.Each(t, clock.Frozen(june1), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		r, box, out := setup(t, st)
		j := job(300, 50)
		crash := errors.New("crash")
		pages := 0
		_, err := r.Do(ctx, j, "202206", reminder.Options{AfterPage: func(reminder.Run) error {
			if pages++; pages == 3 {
				return crash
			}
			return nil
		}})
		if !errors.Is(err, crash) {
			t.Fatalf("the crash: %v", err)
		}
		// The crashed invocation's lease is still held: a second one at once
		// leaves the run alone; after the lease it resumes.
		if _, err := reminder.NewRunner(st, clock.Frozen(june1), nil).Do(ctx, j, "202206", reminder.Options{}); !errors.Is(err, reminder.ErrBusy) {
			t.Fatalf("an overlapping invocation: %v", err)
		}
		later := clock.Frozen(june1.Add(3 * time.Minute))
		r2 := reminder.NewRunner(st, later, &inbox.Notifier{Inbox: inbox.New(st, later), Send: out, Mobiles: everyone{}})
		unfinished, err := r2.Unfinished(ctx)
		if err != nil || len(unfinished) != 1 || unfinished[0] != [2]string{"window-open", "202206"} {
			t.Fatalf("unfinished runs: %v %v", unfinished, err)
		}
		run, err := r2.Do(ctx, j, "202206", reminder.Options{})
		if err != nil || run.Status != reminder.StatusDone {
			t.Fatalf("resumed: %+v %v", run, err)
		}
		withAccount := 0
		for i := range 300 {
			if i%7 != 6 {
				withAccount++
			}
		}
		withAccount += 3 // the second source
		if run.Sent+run.Skipped != 303 || run.Failed != 0 {
			t.Errorf("counts %+v", run)
		}
		if got := len(out.sent); got != withAccount {
			t.Errorf("%d SMS ids, want %d", got, withAccount)
		}
		for id, n := range out.sent {
			if n != 1 {
				t.Errorf("SMS %s sent %d times", id, n)
			}
		}
		for _, key := range []string{"p0000000", "p0000149", "p0000299", "u0000000"} {
			p, _ := box.List(ctx, "individual:"+key, "", 10)
			if len(p.Messages) != 1 || p.Messages[0].ID != "r-window-open-202206-"+key || p.Messages[0].Kind != "reminder" {
				t.Errorf("%s: %+v", key, p.Messages)
			}
		}
		if u, _ := r2.Unfinished(ctx); len(u) != 0 {
			t.Errorf("still unfinished: %v", u)
		}
		// Run again: done already, nothing happens; a staff rerun walks
		// everyone again and tells nobody twice.
		again, err := r2.Do(ctx, j, "202206", reminder.Options{})
		if err != nil || again.Attempt != 1 || again.Version != run.Version {
			t.Errorf("a second invocation of a done run: %+v %v", again, err)
		}
		rerun, err := r2.Do(ctx, j, "202206", reminder.Options{Rerun: true})
		if err != nil || rerun.Status != reminder.StatusDone || rerun.Attempt != 2 || rerun.Sent != 0 || rerun.Skipped != 303 {
			t.Errorf("rerun: %+v %v", rerun, err)
		}
		if len(out.sent) != withAccount {
			t.Errorf("the rerun sent SMS: %d ids", len(out.sent))
		}
		recent, err := r2.Recent(ctx, "window-open", 5)
		if err != nil || len(recent) != 1 || recent[0].Attempt != 2 {
			t.Errorf("recent runs: %+v %v", recent, err)
		}
	})
}

// TestDeadline: an invocation stops after the page that ends past its
// deadline, lets go of the run, and the next one continues at once.
func TestDeadline(t *testing.T) {
	storetest.Each(t, clock.Frozen(june1), func(t *testing.T, st table.Store) {
		clk := clock.Frozen(june1)
		out := &sms{sent: map[string]int{}}
		r := reminder.NewRunner(st, clk, &inbox.Notifier{Inbox: inbox.New(st, clk), Send: out, Mobiles: everyone{}})
		tick := reminder.Options{Deadline: june1.Add(90 * time.Second), AfterPage: func(reminder.Run) error {
			clk.Advance(time.Minute) // each page takes a minute
			return nil
		}}
		run, err := r.Do(t.Context(), job(120, 40), "202206", tick)
		if err != nil || run.Status != reminder.StatusRunning || run.After != "80" || run.Sent != 69 {
			t.Fatalf("stopped at the deadline after two pages: %+v %v", run, err)
		}
		run, err = r.Do(t.Context(), job(120, 40), "202206", reminder.Options{})
		if err != nil || run.Status != reminder.StatusDone || run.Sent != 106 || run.Skipped != 17 || len(out.sent) != 106 {
			t.Fatalf("finished by the next invocation: %+v %v, %d SMS", run, err, len(out.sent))
		}
	})
}

// TestOverlappingRuns: eight invocations at once tell everyone once.
func TestOverlappingRuns(t *testing.T) {
	storetest.Each(t, clock.Frozen(june1), func(t *testing.T, st table.Store) {
		r, _, out := setup(t, st)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := r.Do(context.Background(), job(100, 25), "202206", reminder.Options{}); err != nil && !errors.Is(err, reminder.ErrBusy) {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		run, _, _ := r.Get(t.Context(), "window-open", "202206")
		if run.Status != reminder.StatusDone {
			t.Fatalf("run %+v", run)
		}
		for id, n := range out.sent {
			if n != 1 {
				t.Errorf("%s sent %d times", id, n)
			}
		}
	})
}
