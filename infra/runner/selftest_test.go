package runner_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

const selfTest = "SelfTestStateMachine"

// drive lets the execution run with the frozen clock: settle, move the
// clock past retry intervals and waits, tick, until it stops or waits on
// a task token.
func drive(t *testing.T, r *runner.Runner, clk *clock.Fixed, name string) asl.Description {
	t.Helper()
	return driveMachine(t, r, clk, selfTest, name)
}

// driveMachine is drive for an execution of any state machine.
func driveMachine(t *testing.T, r *runner.Runner, clk *clock.Fixed, machine, name string) asl.Description {
	t.Helper()
	ctx := context.Background()
	for range 300 {
		if err := r.Engine.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		d, err := r.Engine.Describe(ctx, machine, name)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != asl.StatusRunning || d.Waiting == asl.WaitingTaskToken {
			return d
		}
		clk.Advance(time.Second)
		if err := r.Engine.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("execution %s did not settle", name)
	return asl.Description{}
}

// TestSelfTestThroughRunner runs infra/statemachine/selftest.asl.json with
// the real platform function's task handlers, as wired from template.yaml:
// unattended ({"complete":true}), and waiting on an operator's token across
// a restart of the runner.
func TestSelfTestThroughRunner(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	clk := clock.Frozen(may10)
	r := newRunner(t, data, clk)

	if _, err := r.Engine.Start(ctx, workflow.StartInput{StateMachine: selfTest, Name: "unattended", Input: json.RawMessage(`{"complete":true}`)}); err != nil {
		t.Fatal(err)
	}
	if d := drive(t, r, clk, "unattended"); d.Status != asl.StatusSucceeded {
		t.Fatalf("unattended self-test: %s %s %s", d.Status, d.Error, d.Cause)
	}
	if _, err := r.Engine.Start(ctx, workflow.StartInput{StateMachine: selfTest, Name: "unattended", Input: json.RawMessage(`{}`)}); err == nil {
		t.Error("a second start with the same name was accepted")
	}

	if _, err := r.Engine.Start(ctx, workflow.StartInput{StateMachine: selfTest, Name: "operator", Input: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if d := drive(t, r, clk, "operator"); d.Status != asl.StatusRunning || d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("operator self-test should wait on its token: %+v", d)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart: the waiting execution is resumed and completes when the
	// token the platform function recorded is sent back.
	r2 := newRunner(t, data, clk)
	defer r2.Close()
	if err := r2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	it, err := r2.Store.Get(ctx, table.Key{PK: "SELFTEST#operator", SK: "TOKEN"})
	if err != nil {
		t.Fatalf("await task did not record its token: %v", err)
	}
	if err := r2.Engine.SendTaskSuccess(ctx, it.String("Token"), json.RawMessage(`{"operator":"ok"}`)); err != nil {
		t.Fatal(err)
	}
	if d := drive(t, r2, clk, "operator"); d.Status != asl.StatusSucceeded {
		t.Fatalf("after restart and callback: %s %s %s", d.Status, d.Error, d.Cause)
	}
}
