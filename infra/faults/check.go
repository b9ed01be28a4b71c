package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/hljhrss/hrss/functions/applications/applicationsapi"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// Count is what the data directory holds after the fault run, case by
// case. Problems names every case that breaks a rule; a good run has none.
type Count struct {
	Drafts         int            // drafts prepared
	Acked          int            // submits answered 2xx before a kill
	Unacked        int            // submits sent when a kill came and not answered
	UnackedPresent int            // of those, submitted by the time of the kill
	Present        int            // acknowledged submits found submitted, round 1
	Lost           int            // acknowledged submits not found
	Duplicates     int            // cases with more than one round, snapshot or submission message
	Running        int            // review executions waiting for the reviewer
	Done           int            // review executions finished
	NotStarted     int            // submitted cases without a review execution
	Decisions      int            // decisions answered 200 before a kill
	DecisionsLost  int            // of those, not recorded
	Completed      int            // cases whose approval was applied (effect, status, message)
	HalfApplied    int            // an effect without its status or message, or the reverse
	Untold         int            // decision recorded, its execution still waiting for it after the sweep
	Attention      int            // approved, its effect refused (the records changed), waiting for staff in NeedsAttention
	Causes         map[string]int // of those, how many per step and cause
	Problems       []string
}

func (c *Count) problem(format string, args ...any) {
	if len(c.Problems) < 50 {
		c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
	}
}

// Ledger is what the load knew of each draft: whether and how its submit
// and any decision were acknowledged.
type Ledger struct {
	IDs       []string                       // every draft
	Acked     map[string]application.Receipt // submit answered 2xx before a kill
	Unacked   map[string]bool                // submit in flight at a kill
	Final     map[string]application.Receipt // the submit retried after the last restart
	Decisions map[string]string              // decision answered 200: approve or return
}

// sweepAhead is how far ahead of the wall clock the check runs: past
// the sweep's grace (applicationsapi.SweepGrace).
const sweepAhead = 2 * time.Minute

// Check opens the stopped runner's data directory in this process,
// resumes its workflows until they wait or end, fires the sweep, lets
// the workflows run again, and counts.
func Check(ctx context.Context, root, data string, l *Ledger) (*Count, error) {
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		if k == "HRSS_DATA_DIR" {
			return data, true
		}
		return "", false
	})
	if err != nil {
		return nil, err
	}
	// The check runs as the platform would a few minutes after the last
	// restart: its clock is ahead by more than the sweep's grace, so the
	// ApplicationsSweep it fires finishes what the kills left (review
	// executions not started, decisions not told).
	clk := clock.Offset(time.Now().Add(sweepAhead))
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clk, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	if err := settle(ctx, r, l.IDs); err != nil {
		return nil, err
	}
	if err := r.FireSchedule(ctx, applicationsapi.SweepSchedule); err != nil {
		return nil, fmt.Errorf("faults: sweep: %w", err)
	}
	if err := settle(ctx, r, l.IDs); err != nil {
		return nil, err
	}
	msgs, err := messageBodies(ctx, r.Store)
	if err != nil {
		return nil, err
	}
	c := &Count{Drafts: len(l.IDs), Acked: len(l.Acked), Unacked: len(l.Unacked), Decisions: len(l.Decisions)}
	for _, id := range l.IDs {
		if err := c.add(ctx, r, id, l, msgs); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// settle lets every review execution run until it waits for a task token
// or ends: Settle, then look; a retry's backoff timer needs real time.
func settle(ctx context.Context, r *runner.Runner, ids []string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := r.Engine.Settle(sctx)
		cancel()
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		busy := 0
		for _, id := range ids {
			d, err := r.Engine.Describe(ctx, application.ReviewMachine, application.ExecutionName(id, 1))
			if errors.Is(err, asl.ErrExecutionNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if d.Status == asl.StatusRunning && d.Waiting != asl.WaitingTaskToken {
				busy++
			}
		}
		if busy == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d review executions still running after 2 minutes", busy)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// messageBodies are the bodies of every message in the outbox.
func messageBodies(ctx context.Context, s table.Store) ([]string, error) {
	var out []string
	q := table.Query{PK: outbox.Partition}
	for {
		page, err := s.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			out = append(out, it.String("Body"))
		}
		if page.Cursor == "" {
			return out, nil
		}
		q.Cursor = page.Cursor
	}
}

func countWith(bodies []string, subs ...string) int {
	n := 0
next:
	for _, b := range bodies {
		for _, s := range subs {
			if !strings.Contains(b, s) {
				continue next
			}
		}
		n++
	}
	return n
}

// add counts one draft.
func (c *Count) add(ctx context.Context, r *runner.Runner, id string, l *Ledger, msgs []string) error {
	cs, err := application.Read(ctx, r.Store, id)
	if err != nil {
		if _, acked := l.Acked[id]; acked {
			c.Lost++
			c.problem("%s: acknowledged, but the case is gone: %v", id, err)
		}
		return nil
	}
	a := cs.App
	rc, acked := l.Acked[id]
	switch {
	case acked && a.Round == 0:
		c.Lost++
		c.problem("%s: acknowledged, but not submitted", id)
		return nil
	case acked && (a.Reference != rc.Reference || rc.Round != 1):
		c.Duplicates++
		c.problem("%s: acknowledged as %s round %d, stored as %s round %d", id, rc.Reference, rc.Round, a.Reference, a.Round)
	case acked:
		c.Present++
	}
	if f, ok := l.Final[id]; ok && (f.ID != id || f.Reference != a.Reference || f.Round != 1 || (acked && !f.Submitted.Equal(rc.Submitted))) {
		c.Duplicates++
		c.problem("%s: the retried submit answered %+v, the first %+v", id, f, rc)
	}
	if a.Round == 0 {
		return nil
	}
	if a.Round > 1 || len(cs.Snapshots) != 1 || countWith(msgs, a.Reference, "已提交") > 1 {
		c.Duplicates++
		c.problem("%s: round %d, %d snapshots, %d submission messages", id, a.Round, len(cs.Snapshots), countWith(msgs, a.Reference, "已提交"))
	}
	d, err := r.Engine.Describe(ctx, application.ReviewMachine, application.ExecutionName(id, 1))
	switch {
	case errors.Is(err, asl.ErrExecutionNotFound):
		c.NotStarted++
		c.problem("%s: submitted, no review execution", id)
		return nil
	case err != nil:
		return err
	case d.Status == asl.StatusRunning && d.Waiting == asl.WaitingTaskToken:
		c.Running++
	case d.Status == asl.StatusSucceeded:
		c.Done++
	default:
		c.problem("%s: review execution %s (%s %s)", id, d.Status, d.Error, d.Cause)
	}
	return c.decision(ctx, r, cs, d, l.Decisions[id], msgs)
}

// decision checks that a decision is all there or not there: approved
// and applied (effect record, completed, one completion message), or
// returned with its execution ended; an acknowledged one is recorded.
func (c *Count) decision(ctx context.Context, r *runner.Runner, cs *application.Case, d asl.Description, acked string, msgs []string) error {
	a := cs.App
	eff, err := r.Store.Query(ctx, table.Query{PK: "APP#" + a.ID, SK: table.SKCond{Op: table.SKBeginsWith, Value: "EFFECT#"}})
	if err != nil {
		return err
	}
	effect := len(eff.Items) > 0
	done := countWith(msgs, a.Reference, "已办结")
	switch {
	case a.Status == application.StatusCompleted && effect && done == 1 && d.Status == asl.StatusSucceeded:
		c.Completed++
	case a.Status == application.StatusCompleted || effect || done > 0:
		c.HalfApplied++
		c.problem("%s: status %s, effect record %v, %d completion messages, execution %s", a.ID, a.Status, effect, done, d.Status)
	case a.Status == application.StatusApproved || a.Status == application.StatusReturned:
		switch {
		case d.Status == asl.StatusRunning && d.Waiting == asl.WaitingTaskToken && a.Attention != nil:
			// Told, and its step failed for a reason staff must see, which
			// bench-faults prints: the drill's drafts of one person collide
			// (a second refund of the same months, a second termination),
			// and the records refuse the effect (Hrss.CannotApply).
			c.Attention++
			if c.Causes == nil {
				c.Causes = map[string]int{}
			}
			c.Causes[a.Attention.Step+": "+a.Attention.Cause]++
		case d.Status == asl.StatusRunning && d.Waiting == asl.WaitingTaskToken:
			// Killed between recording the decision and telling the
			// workflow, and not told by the sweep either (its marker
			// should have let the sweep tell it).
			c.Untold++
			c.problem("%s: decided (%s acknowledged: %q), its workflow still waits for it after the sweep", a.ID, a.Status, acked)
		}
	}
	recorded := map[string]bool{
		// A four-eyes business's first approval leaves the case in review,
		// with the approval recorded, for the second reviewer.
		"approve": a.Status == application.StatusApproved || a.Status == application.StatusCompleted ||
			(a.Status == application.StatusInReview && len(a.Approvals) > 0),
		"return": a.Status == application.StatusReturned,
	}
	if acked != "" && !recorded[acked] {
		c.DecisionsLost++
		c.problem("%s: %s acknowledged, status %s", a.ID, acked, a.Status)
	}
	return nil
}
