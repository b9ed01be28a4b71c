package application_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// TestDecidedBeforeStartIsStarted: a crash between a submit's write and
// its review execution's start, then a reviewer who claims and approves
// the case before the retry or the sweep: the decided round's execution
// is still started (its AwaitReview answers with the decision at once),
// by the retried submit and by the sweep, so the approval is applied.
// Found by the kill -9 drill (docs/reliability.md).
func TestDecidedBeforeStartIsStarted(t *testing.T) {
	for _, by := range []string{"retried submit", "sweep"} {
		t.Run(by, func(t *testing.T) {
			storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
				crash := errors.New("crash (injected) between the write and the start")
				crashing := true
				e := newEnv(t, s, application.Hooks{AfterWrite: func(*application.Application) error {
					if crashing {
						return crash
					}
					return nil
				}})
				c := caller(demo.PersonRefund)
				cs := e.ready(t, c, "personal-basic-info-change")
				if _, err := e.svc.Submit(t.Context(), c, "personal-info", cs.App.ID, "k", application.Meta{}); !errors.Is(err, crash) {
					t.Fatalf("submit: %v", err)
				}
				crashing = false
				rv := staff("R1")
				if _, err := e.svc.Claim(t.Context(), rv, cs.App.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.Decide(t.Context(), rv, cs.App.ID, application.Decision{Decision: application.Approve}); err != nil {
					t.Fatal(err)
				}
				if by == "retried submit" {
					if _, err := e.svc.Submit(t.Context(), c, "personal-info", cs.App.ID, "k", application.Meta{}); err != nil {
						t.Fatal(err)
					}
				} else {
					e.clk.Advance(2 * time.Minute)
					if n, err := e.svc.Sweep(t.Context(), time.Minute); err != nil || n != 1 {
						t.Fatalf("sweep started %d (%v), want 1", n, err)
					}
				}
				if _, err := e.wf.Describe(t.Context(), application.ReviewMachine, application.ExecutionName(cs.App.ID, 1)); err != nil {
					t.Errorf("the approved round has no review execution: %v", err)
				}
			})
		})
	}
}

// TestUntoldDecisionIsToldBySweep: the decision is recorded but its
// message to the review execution fails (or the process dies before
// sending it). The decision's marker, written with it, lets the sweep tell
// the execution a minute later — not the 48-hour timeout — and the case
// completes; once told, nothing is sent again. Found by the kill -9 drill
// (docs/reliability.md).
func TestUntoldDecisionIsToldBySweep(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		ctx := t.Context()
		e, cs := claimedCase(t, s)
		e.wf.refuse.Store(true)
		if _, err := e.svc.Decide(ctx, staff("R1"), cs.App.ID, application.Decision{Decision: application.Approve}); err != nil {
			t.Fatal(err)
		}
		e.wf.refuse.Store(false)
		name := application.ExecutionName(cs.App.ID, 1)
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if d, _ := e.wf.Describe(ctx, application.ReviewMachine, name); d.Status != asl.StatusRunning || d.Waiting != asl.WaitingTaskToken {
			t.Fatalf("after the failed message: %s %s, want waiting for the decision", d.Status, d.Waiting)
		}
		// Within the grace the sweep leaves it to the request in flight.
		if n, err := e.svc.Sweep(ctx, time.Minute); err != nil || n != 0 {
			t.Fatalf("sweep within the grace: %d, %v", n, err)
		}
		e.advance(2 * time.Minute)
		if n, err := e.svc.Sweep(ctx, time.Minute); err != nil || n != 1 {
			t.Fatalf("sweep told %d (%v), want 1", n, err)
		}
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if d, _ := e.wf.Describe(ctx, application.ReviewMachine, name); d.Status != asl.StatusSucceeded {
			t.Fatalf("after the sweep: %s %s, want succeeded", d.Status, d.Waiting)
		}
		got, _ := application.Read(ctx, s, cs.App.ID)
		if got.App.Status != application.StatusCompleted {
			t.Errorf("status %s, want completed", got.App.Status)
		}
		if n, err := e.svc.Sweep(ctx, time.Minute); err != nil || n != 0 {
			t.Errorf("second sweep: %d, %v; want nothing left", n, err)
		}
	})
}

// TestToldDecisionLeavesNoMarker: a decision told at once leaves nothing
// for the sweep.
func TestToldDecisionLeavesNoMarker(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		ctx := t.Context()
		e, cs := claimedCase(t, s)
		if _, err := e.svc.Decide(ctx, staff("R1"), cs.App.ID, application.Decision{Decision: application.Approve}); err != nil {
			t.Fatal(err)
		}
		e.advance(2 * time.Minute)
		if n, err := e.svc.Sweep(ctx, time.Minute); err != nil || n != 0 {
			t.Errorf("sweep: %d, %v; want nothing to tell", n, err)
		}
	})
}

// claimedCase is a submitted case whose review execution waits for the
// decision, claimed by the reviewer R1.
func claimedCase(t *testing.T, s table.Store) (*env, *application.Case) {
	t.Helper()
	ctx := t.Context()
	e := newEnv(t, s, application.Hooks{})
	c := caller(demo.PersonRefund)
	cs := e.ready(t, c, "personal-basic-info-change")
	if _, err := e.svc.Submit(ctx, c, "personal-info", cs.App.ID, "k", application.Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := e.wf.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Claim(ctx, staff("R1"), cs.App.ID); err != nil {
		t.Fatal(err)
	}
	return e, cs
}
