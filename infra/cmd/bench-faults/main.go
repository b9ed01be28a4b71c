// Command bench-faults runs the kill -9 drill of issue 13 at a larger
// size than the test does: it builds infra/cmd/hrss-local, starts it on a
// free port with a fresh data directory, prepares -n drafts, submits them
// in -kills phases while a reviewer approves and returns, kills the
// runner with SIGKILL at a random moment of each phase and restarts it on
// the same data, retries every submit with its key, and then counts what
// the data directory holds (infra/faults). It prints the counts as a
// Markdown table for docs/reliability.md and exits 1 when a count breaks
// a rule (lost, duplicated or half-applied).
//
//	go run ./infra/cmd/bench-faults -n 400 -kills 8 -c 8 [-business personal-refund]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/hljhrss/hrss/infra/bench"
	"github.com/hljhrss/hrss/infra/faults"
)

func main() {
	n := flag.Int("n", 400, "drafts to prepare and submit")
	kills := flag.Int("kills", 8, "kill -9 and restart this many times")
	conc := flag.Int("c", 8, "concurrent submits")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed of the kill moments")
	gobin := flag.String("go", "go", "the go command")
	business := flag.String("business", "personal-basic-info-change", "the business whose drafts are submitted and decided")
	flag.Parse()
	if err := run(*gobin, *business, *n, *kills, *conc, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bench-faults:", err)
		os.Exit(1)
	}
}

func run(gobin, business string, n, kills, conc int, seed uint64) error {
	tmp, err := os.MkdirTemp("", "bench-faults-")
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if keep {
			fmt.Fprintln(os.Stderr, "bench-faults: data and runner log kept in", tmp)
			return
		}
		os.RemoveAll(tmp)
	}()
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	bin := filepath.Join(tmp, "hrss-local")
	build := exec.Command(gobin, "build", "-o", bin, "./infra/cmd/hrss-local")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build hrss-local (run from the repository root): %w", err)
	}
	port, err := bench.FreePort()
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	res, err := faults.RunKills(context.Background(), faults.KillConfig{
		Runner:   faults.Runner{Bin: bin, Root: root, Data: filepath.Join(tmp, "data"), Port: port, Log: filepath.Join(tmp, "runner.log")},
		Business: business, N: n, Kills: kills, Conc: conc, Seed: seed, Logf: logf,
	})
	if err != nil {
		keep = true
		return err
	}
	c := res.Count
	fmt.Printf("kill -9 drill of %s, %s, %s/%s, %d CPUs, seed %d, %.0fs\n\n", business, time.Now().Format("2006-01-02"),
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), seed, res.Took.Seconds())
	fmt.Println("| kills | drafts | acknowledged | present | in flight at a kill | of those stored | lost | duplicates | review running | review done | not started | decisions acknowledged | decisions lost | approvals applied | approvals refused by the records (staff) | half-applied | decided, workflow not told |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	fmt.Printf("| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", res.Kills, c.Drafts, c.Acked,
		c.Present, c.Unacked, c.UnackedPresent, c.Lost, c.Duplicates, c.Running, c.Done, c.NotStarted, c.Decisions,
		c.DecisionsLost, c.Completed, c.Attention, c.HalfApplied, c.Untold)
	for cause, n := range c.Causes {
		fmt.Printf("refused by the records, %d: %s\n", n, cause)
	}
	for _, p := range c.Problems {
		fmt.Println("problem:", p)
	}
	if len(c.Problems) > 0 || c.Present != c.Acked {
		keep = true
		return errors.New("the drill found lost, duplicated or half-applied work")
	}
	return nil
}
