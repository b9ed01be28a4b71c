package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"time"

	"github.com/hljhrss/hrss/infra/bench"
	"github.com/hljhrss/hrss/infra/samtemplate"
)

// helloWorld is the baseline bootstrap.
var helloWorld = target{id: "HelloWorld", name: "hello world", pkg: "./infra/cmd/bench-cold/hello"}

// floors are reference bootstraps measured beside the functions: hello
// world with only the DynamoDB client every function builds before its
// first event, configured as AWS documents (config.LoadDefaultConfig) and
// from Lambda's environment, as the functions do (awswire.EnvConfig).
// They are reported, not held to the targets.
var floors = []target{
	{id: "FloorConfig", name: "*floor: hello world + DynamoDB client (config.LoadDefaultConfig)*", pkg: "./infra/cmd/bench-cold/floor-config"},
	{id: "FloorEnv", name: "*floor: hello world + DynamoDB client (aws.Config from the environment, as the functions)*", pkg: "./infra/cmd/bench-cold/floor-env"},
}

// topInits is how many packages the init profile lists.
const topInits = 15

// run builds, measures, profiles what is over the target, and reports
// (see the command's doc comment).
func run(o options) error {
	if runtime.GOOS != "linux" {
		return errors.New("the Runtime Interface Emulator runs on Linux only")
	}
	targets, err := targetsOf(o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	if err := build(o, targets); err != nil {
		return err
	}
	rie, err := buildEmulator(o.goBin, o.dir, o.emuVersion)
	if err != nil {
		return err
	}
	fake, err := startFakeAWS()
	if err != nil {
		return err
	}
	defer fake.close()
	cs := &coldStarter{rie: rie, env: functionEnv(fake.url, o.timeout), event: bench.ColdStartEvent,
		timeout: o.timeout, fake: fake, logDir: o.dir}

	started, loadStart := time.Now(), bench.LoadAverage()
	results := measure(cs, targets, o.runs)
	m := bench.Host(o.goBin)
	m.LoadStart, m.LoadEnd = loadStart, bench.LoadAverage()
	r := bench.Report{
		Command:   o.command,
		Date:      started.In(time.FixedZone("CST", 8*60*60)), // Asia/Shanghai, which has no summer time
		Machine:   m,
		Emulator:  emulatorModule + "@" + o.emuVersion,
		Event:     "`GET /api/v1/bench-cold/not-found`, an API Gateway HTTP API v2 event (`infra/bench/cold-start-event.json`) every router answers with 404 without the table",
		Runs:      o.runs,
		Targets:   bench.Targets{MaxRatio: o.maxRatio, MaxBytes: o.maxMiB << 20},
		Hello:     results[0],
		Floors:    results[1 : 1+len(floors)],
		Functions: results[1+len(floors):],
	}
	if over := overTarget(r); len(over) > 0 && o.traceRuns > 0 {
		fmt.Fprintf(os.Stderr, "bench-cold: %d functions are over %.1f× hello world: profiling their init\n", len(over), o.maxRatio)
		if r.Profile, err = profile(o, cs, targets, over); err != nil {
			return fmt.Errorf("init profile: %w", err)
		}
	}
	fmt.Fprintf(os.Stderr, "bench-cold: measured in %s\n\n", time.Since(started).Round(time.Second))
	md := r.Markdown()
	fmt.Print(md)
	if o.doc == "" {
		return nil
	}
	doc, err := os.ReadFile(o.doc)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.WriteFile(o.doc, bench.UpdateDoc(doc, md), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench-cold: wrote the Cold start section of %s\n", o.doc)
	return nil
}

// targetsOf is hello world, the floors, and then the functions of the
// template (or those -only names), by logical id.
func targetsOf(o options) ([]target, error) {
	tpl, err := samtemplate.Load(o.template)
	if err != nil {
		return nil, err
	}
	targets := append([]target{helloWorld}, floors...)
	for _, name := range tpl.FunctionNames() {
		if len(o.only) == 0 || slices.Contains(o.only, name) {
			targets = append(targets, target{id: name, name: name, pkg: "./" + tpl.Functions[name].Source})
		}
	}
	for _, name := range o.only {
		if _, ok := tpl.Functions[name]; !ok {
			return nil, fmt.Errorf("-only: %s is not a function of %s", name, o.template)
		}
	}
	return targets, nil
}

// build builds the bootstraps measured and, with -arm64, those make build
// ships, recording where they are and how big.
func build(o options, targets []target) error {
	paths, err := buildBootstraps(o.goBin, o.ldflags, o.dir, runtime.GOARCH, targets)
	if err != nil {
		return err
	}
	for i := range targets {
		targets[i].host = paths[i]
	}
	if !o.arm64 {
		return nil
	}
	if runtime.GOARCH == "arm64" {
		for i := range targets {
			targets[i].arm = size(paths[i])
		}
		return nil
	}
	if paths, err = buildBootstraps(o.goBin, o.ldflags, o.dir, "arm64", targets); err != nil {
		return err
	}
	for i := range targets {
		targets[i].arm = size(paths[i])
	}
	return nil
}

// measure takes runs cold starts of every target, round-robin so that
// the machine's drift falls on all alike, after one untimed start each:
// it brings the bootstrap into the page cache and shows it starts at all
// (a target whose warm-up fails is not measured further).
func measure(cs *coldStarter, targets []target, runs int) []bench.Result {
	results := make([]bench.Result, len(targets))
	live := make([]bool, len(targets))
	for i, t := range targets {
		results[i] = bench.Result{Name: t.name, HostBytes: size(t.host), Arm64Bytes: t.arm}
		if _, _, err := cs.start(t); err != nil {
			fmt.Fprintf(os.Stderr, "bench-cold: %s does not start: %v\n", t.name, err)
			results[i].Failures = append(results[i].Failures, "warm-up: "+err.Error())
			continue
		}
		live[i] = true
	}
	for n := 1; n <= runs; n++ {
		for i, t := range targets {
			if !live[i] {
				continue
			}
			run, _, err := cs.start(t)
			if err != nil {
				results[i].Failures = append(results[i].Failures, err.Error())
				continue
			}
			results[i].Runs = append(results[i].Runs, run)
		}
		fmt.Fprintf(os.Stderr, "bench-cold: round %d/%d\n", n, runs)
	}
	return results
}

// overTarget lists the indexes in r's targets (hello world is 0, the
// floors follow) of the functions whose init median is over the target
// ratio, slowest first.
func overTarget(r bench.Report) []int {
	hello := r.Hello.Init().Median
	first := 1 + len(r.Floors)
	var over []int
	for i, f := range r.Functions {
		if bench.Ratio(f.Init().Median, hello) > r.Targets.MaxRatio {
			over = append(over, first+i)
		}
	}
	slices.SortStableFunc(over, func(a, b int) int {
		return cmp.Compare(r.Functions[b-first].Init().Median, r.Functions[a-first].Init().Median)
	})
	return over
}

// profile breaks down the init of hello world and of the functions over
// (slowest first), and lists the slowest one's costliest package inits.
func profile(o options, cs *coldStarter, targets []target, over []int) (*bench.InitProfile, error) {
	probe := target{id: "phases", pkg: "./infra/cmd/bench-cold/phases"}
	paths, err := buildBootstraps(o.goBin, o.ldflags, o.dir, runtime.GOARCH, []target{probe})
	if err != nil {
		return nil, err
	}
	p := &bench.InitProfile{Runs: o.traceRuns, Slowest: targets[over[0]].name}
	for _, i := range append([]int{0}, over...) {
		t := targets[i]
		d, traces, err := traceInit(cs, t, o.traceRuns)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		if i != 0 {
			m, err := mainPhases(paths[0], cs, t, o)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			d.Main = &m
		}
		if i == over[0] {
			top := bench.MedianInitCosts(traces)
			p.Top = top[:min(topInits, len(top))]
		}
		p.Breakdowns = append(p.Breakdowns, d)
	}
	return p, nil
}

// traceInit takes runs cold starts of t with GODEBUG=inittrace=1.
func traceInit(cs *coldStarter, t target, runs int) (bench.Breakdown, [][]bench.InitCost, error) {
	var traces [][]bench.InitCost
	var inits, totals []float64
	for range runs {
		run, out, err := cs.start(t, "GODEBUG=inittrace=1")
		if err != nil {
			return bench.Breakdown{}, nil, err
		}
		tr := bench.ParseInitTrace(out)
		if len(tr) == 0 {
			return bench.Breakdown{}, nil, errors.New("no inittrace lines")
		}
		traces = append(traces, tr)
		inits, totals = append(inits, run.InitMs), append(totals, bench.TotalInitMs(tr))
	}
	return bench.Breakdown{Name: t.name, InitMs: bench.Summarize(inits).Median,
		PackageInitMs: bench.Summarize(totals).Median}, traces, nil
}

// mainPhases runs the phases probe o.traceRuns times for t, in the cold
// starts' environment, and returns the medians.
func mainPhases(probe string, cs *coldStarter, t target, o options) (bench.MainPhases, error) {
	var deps, news, handlers []float64
	for range o.traceRuns {
		ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
		cmd := exec.CommandContext(ctx, probe, t.id)
		cmd.Env = append(slices.Clone(cs.env), "AWS_LAMBDA_FUNCTION_NAME="+t.id)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		cancel()
		if err != nil {
			return bench.MainPhases{}, fmt.Errorf("phases: %w", err)
		}
		var p bench.MainPhases
		if err := json.Unmarshal(out, &p); err != nil {
			return bench.MainPhases{}, fmt.Errorf("phases: %w", err)
		}
		deps, news, handlers = append(deps, p.DepsMs), append(news, p.NewMs), append(handlers, p.HandlerMs)
	}
	return bench.MainPhases{
		DepsMs:    bench.Summarize(deps).Median,
		NewMs:     bench.Summarize(news).Median,
		HandlerMs: bench.Summarize(handlers).Median,
	}, nil
}
