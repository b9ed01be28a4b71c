// Command phases times what a function's main does before it serves —
// the part of a cold start GODEBUG=inittrace=1 does not see — in a fresh
// process, in lambdaentry.Main's order: awswire.Deps (configuration, AWS
// clients, the Parameter Store read), the function's constructor, and the
// Lambda handler around it. It prints them as one bench.MainPhases.
//
// bench-cold runs it, with its cold starts' environment (the fake AWS
// endpoint), for the slowest function. The binary links every function
// (through infra/runner's constructors), so its package init is not any
// one function's; only the phases after it are measured.
//
//	phases PlatformFunction
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/hljhrss/hrss/infra/bench"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/notifywire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: phases <FunctionLogicalId>")
		os.Exit(2)
	}
	build, ok := runner.Constructors[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "phases: no function %s\n", os.Args[1])
		os.Exit(2)
	}
	t0 := time.Now()
	// Every adapter: which ones a function wires is in its main.go, and
	// this one program measures them all; New gets a complete Deps.
	deps, err := awswire.Deps(context.Background(), blobswire.S3, workflowwire.StepFunctions, notifywire.SNSAndSES)
	if err != nil {
		fmt.Fprintln(os.Stderr, "phases:", err)
		os.Exit(1)
	}
	t1 := time.Now()
	fn := build(deps)
	t2 := time.Now()
	_ = lambdaentry.Handler(fn, deps.Log)
	t3 := time.Now()
	ms := func(a, b time.Time) float64 { return float64(b.Sub(a)) / float64(time.Millisecond) }
	_ = json.NewEncoder(os.Stdout).Encode(bench.MainPhases{DepsMs: ms(t0, t1), NewMs: ms(t1, t2), HandlerMs: ms(t2, t3)})
}
