package runner_test

import (
	"path/filepath"
	"testing"

	"github.com/hljhrss/hrss/infra/bench"
	"github.com/hljhrss/hrss/infra/faults"
)

// localRunner is the built runner on a free port with its own data.
func localRunner(t *testing.T, bin, data string) faults.Runner {
	t.Helper()
	port, err := bench.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	return faults.Runner{Bin: bin, Root: abs, Data: data, Port: port}
}

// TestKillDuringSubmissionLoad: the local runner is killed with SIGKILL
// three times while drafts are submitted and a reviewer decides, and
// restarted on the same data. Every acknowledged submit is there once
// with its review running or done; the same key after the restart gives
// the same receipt; every acknowledged decision is recorded, and an
// approval is applied whole or not at all. (make bench-faults runs more.)
func TestKillDuringSubmissionLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the local runner; -short skips it")
	}
	bin := buildLocal(t)
	res, err := faults.RunKills(t.Context(), faults.KillConfig{Runner: localRunner(t, bin, t.TempDir()),
		N: 60, Kills: 3, Conc: 6, Seed: 1, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Count
	t.Logf("%+v", *c)
	for _, p := range c.Problems {
		t.Error(p)
	}
	if c.Acked == 0 || c.Present != c.Acked {
		t.Errorf("%d acknowledged submits, %d present", c.Acked, c.Present)
	}
	if c.Lost+c.Duplicates+c.HalfApplied+c.DecisionsLost+c.NotStarted > 0 {
		t.Errorf("lost %d, duplicates %d, half-applied %d, decisions lost %d, not started %d",
			c.Lost, c.Duplicates, c.HalfApplied, c.DecisionsLost, c.NotStarted)
	}
	if c.Running+c.Done != c.Drafts {
		t.Errorf("%d drafts, %d review executions running or done", c.Drafts, c.Running+c.Done)
	}
}
