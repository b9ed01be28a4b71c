package ledgerapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/reminder"
)

// reminders runs the ledger's scheduled reminders (package reminder): the
// monthly window's opening and its last five days, to those who owe.
type reminders struct {
	runner *reminder.Runner
	jobs   map[string]reminder.Job // by schedule name
	byName map[string]reminder.Job
	d      app.Deps
}

func newReminders(d app.Deps, ls *ledger.Store, refs *refstore.Store, keys *identity.Keys) (*reminders, error) {
	open, closing, err := reminder.WindowJobs(ls, identity.NewDirectory(d.Store, keys),
		func(ctx context.Context) (*refdata.Set, error) { return refs.Load(ctx) }, d.Clock)
	if err != nil {
		return nil, err
	}
	n := &inbox.Notifier{Inbox: inbox.New(d.Store, d.Clock), Send: d.Notify, Mobiles: identity.NewContacts(d.Store)}
	r := &reminders{runner: reminder.NewRunner(d.Store, d.Clock, n), jobs: map[string]reminder.Job{}, byName: map[string]reminder.Job{}, d: d}
	if d.Log != nil {
		r.runner.Log = d.Log.Warn
	}
	for _, j := range []reminder.Job{open, closing} {
		info, _ := reminder.InfoOf(j.Name)
		r.jobs[info.Schedule], r.byName[j.Name] = j, j
	}
	return r, nil
}

// deadline is when an invocation should stop taking pages: 30 seconds
// before the Lambda's own deadline (none locally).
func deadline(ctx context.Context) time.Time {
	if t, ok := ctx.Deadline(); ok {
		return t.Add(-30 * time.Second)
	}
	return time.Time{}
}

// schedule runs the job of a schedule for the current month, or resumes
// the function's unfinished runs.
func (r *reminders) schedule(ctx context.Context, ev app.ScheduleEvent) error {
	if ev.Schedule == reminder.ContinueSchedule {
		unfinished, err := r.runner.Unfinished(ctx)
		if err != nil {
			return err
		}
		var errs []error
		for _, u := range unfinished {
			if j, ok := r.byName[u[0]]; ok {
				errs = append(errs, r.do(ctx, j, u[1]))
			}
		}
		return errors.Join(errs...)
	}
	j, ok := r.jobs[ev.Schedule]
	if !ok {
		return fmt.Errorf("ledger: unknown schedule %q", ev.Schedule)
	}
	at, now := ev.Time, r.d.Clock.Now()
	if at.IsZero() {
		at = now
	}
	if now.Sub(at) > maxLate {
		// A firing missed long ago (the local runner catching up after its
		// clock jumped): "five days left" on another day would mislead.
		if r.d.Log != nil {
			r.d.Log.Warn("reminder skipped: its firing is stale", "job", j.Name, "scheduled", at.Format(time.RFC3339))
		}
		return nil
	}
	return r.do(ctx, j, j.Period(at))
}

// maxLate is how late a firing may still run its job.
const maxLate = 6 * time.Hour

func (r *reminders) do(ctx context.Context, j reminder.Job, period string) error {
	run, err := r.runner.Do(ctx, j, period, reminder.Options{Deadline: deadline(ctx)})
	if errors.Is(err, reminder.ErrBusy) {
		return nil // another invocation has it
	}
	if err == nil && r.d.Log != nil {
		r.d.Log.Info("reminder run", "job", j.Name, "period", period, "status", run.Status,
			"sent", run.Sent, "skipped", run.Skipped, "failed", run.Failed)
	}
	return err
}
