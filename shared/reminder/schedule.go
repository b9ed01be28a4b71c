package reminder

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Scheduler answers the schedules of one function's jobs: each job's own
// schedule (Info.Schedule) runs it for the period of its firing, and
// ContinueSchedule resumes the function's unfinished runs.
type Scheduler struct {
	Runner *Runner
	Jobs   []Job
	Log    *slog.Logger
}

// MaxLate is how late a firing may still run its job: an older one (the
// local runner catching up after its clock jumped) is skipped, because
// "five days left" on another day would mislead.
const MaxLate = 6 * time.Hour

// deadline is when an invocation should stop taking pages: 30 seconds
// before the Lambda's own deadline (none locally).
func deadline(ctx context.Context) time.Time {
	if t, ok := ctx.Deadline(); ok {
		return t.Add(-30 * time.Second)
	}
	return time.Time{}
}

// Handle runs what the schedule named name asks; handled is false for a
// schedule that is none of the function's jobs. at is the firing's time
// (zero: now).
func (s *Scheduler) Handle(ctx context.Context, name string, at time.Time) (handled bool, err error) {
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := s.Runner.clk.Now()
	if name == ContinueSchedule {
		unfinished, err := s.Runner.Unfinished(ctx)
		if err != nil {
			return true, err
		}
		var errs []error
		for _, u := range unfinished {
			for _, j := range s.Jobs {
				if j.Name == u[0] {
					errs = append(errs, s.do(ctx, log, j, u[1]))
				}
			}
		}
		return true, errors.Join(errs...)
	}
	for _, j := range s.Jobs {
		if info, ok := InfoOf(j.Name); !ok || info.Schedule != name {
			continue
		}
		if at.IsZero() {
			at = now
		}
		if now.Sub(at) > MaxLate {
			log.WarnContext(ctx, "reminder skipped: its firing is stale", "job", j.Name, "scheduled", at.Format(time.RFC3339))
			return true, nil
		}
		return true, s.do(ctx, log, j, j.Period(at))
	}
	return false, nil
}

func (s *Scheduler) do(ctx context.Context, log *slog.Logger, j Job, period string) error {
	run, err := s.Runner.Do(ctx, j, period, Options{Deadline: deadline(ctx)})
	if errors.Is(err, ErrBusy) {
		return nil // another invocation has it
	}
	if err == nil {
		log.InfoContext(ctx, "reminder run", "job", j.Name, "period", period, "status", run.Status,
			"sent", run.Sent, "skipped", run.Skipped, "failed", run.Failed)
	}
	return err
}
