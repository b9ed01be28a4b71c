// Command bench-load drives the local platform (make run's hrss-local) over
// loopback with vegeta, used as a library, and writes what it measured
// into the "Load" section of docs/performance.md. make bench-load runs it:
//
//  1. builds ./infra/cmd/hrss-local into a temporary directory;
//  2. for each of -runs runs, starts it on a free 127.0.0.1 port with a
//     fresh temporary HRSS_DATA_DIR (the demo data seeds itself), waits
//     for /api/v1/health, and stops it at the end (SIGTERM, then SIGKILL,
//     by its pid);
//  3. drives each scenario (catalog reads, a record-table read, the
//     back-payment trial, logins, submits of prepared drafts) at the rates
//     of -rates (logins and submits: -slow-rates), -step each, stopping a scenario after the first step whose
//     p99 reaches -max-p99 or that has an error;
//  4. with -total N, submits N drafts on a fresh runner of its own and
//     reads the runner's RSS and the data directory's size at 0, 10k, 50k,
//     100k and N submissions;
//  5. prints the tables and writes them between loadbench.BeginMarker and
//     loadbench.EndMarker in -doc.
//
// Every request goes to 127.0.0.1; every step is bounded in time (-step,
// -timeout) and count (-max-per-step). Targets are reported, never
// asserted.
//
// Usage (from the repository root):
//
//	go run ./infra/cmd/bench-load [-runs 3] [-step 3s] [-rates 100,250,500] [-only catalog,submit] [-total 100000] [-doc ""]
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/infra/loadbench"
)

// options are the command's flags.
type options struct {
	runs       int
	step       time.Duration
	rates      []int
	slowRates  []int // logins and submits: each does far more work than a read
	maxP99     time.Duration
	only       []string
	total      int
	business   string
	workers    uint64
	prepConc   int
	maxPerStep int
	quotaFiles int
	timeout    time.Duration
	doc        string
	command    string
	goBin      string
	keep       bool
}

// scenarioNames are the scenarios in the order they run.
var scenarioNames = []string{"catalog", "ledger", "trial", "login", "submit"}

func main() {
	var o options
	var rates, slowRates, only string
	flag.IntVar(&o.runs, "runs", 3, "runs, each on a freshly started runner (min / median / max over them)")
	flag.DurationVar(&o.step, "step", 3*time.Second, "how long each rate is held")
	flag.StringVar(&rates, "rates", "100,250,500,1000,2000,3000,4000,6000", "the rates a scenario climbs, requests a second")
	flag.StringVar(&slowRates, "slow-rates", "10,25,50,100,200,300,500", "the rates the login and submit scenarios climb, requests a second")
	flag.DurationVar(&o.maxP99, "max-p99", 50*time.Millisecond, "a step over this p99 ends its scenario")
	flag.StringVar(&only, "only", "", "comma-separated scenarios to run (default all: "+strings.Join(scenarioNames, ",")+")")
	flag.IntVar(&o.total, "total", 0, "also submit this many drafts on a runner of their own and report its RSS and store size (0: skip)")
	flag.StringVar(&o.business, "business", "personal-basic-info-change", "the business whose drafts are submitted")
	flag.Uint64Var(&o.workers, "workers", 512, "vegeta's workers (and connections) at most")
	flag.IntVar(&o.prepConc, "prep-c", 8, "concurrent requests while preparing drafts and captchas")
	flag.IntVar(&o.maxPerStep, "max-per-step", 20000, "requests of one login or submit step at most")
	flag.IntVar(&o.quotaFiles, "quota-files", 2000, "files one party may keep in drafts on the runners started (HRSS_UPLOAD_QUOTA_FILES; the platform's default of 200 holds 66 drafts of 3 materials per account)")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Second, "limit of one request")
	flag.StringVar(&o.doc, "doc", "docs/performance.md", `the document whose "Load" section gets the tables ("" = print only)`)
	flag.StringVar(&o.command, "command", "make bench-load", "the command named in the document")
	flag.StringVar(&o.goBin, "go", "go", "the go command that builds hrss-local")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (runner, data, logs)")
	flag.Parse()
	var err error
	if o.rates, err = loadbench.ParseRates(rates); err != nil {
		fail(2, err)
	}
	if o.slowRates, err = loadbench.ParseRates(slowRates); err != nil {
		fail(2, err)
	}
	if only != "" {
		o.only = strings.Split(only, ",")
		for _, s := range o.only {
			if !slices.Contains(scenarioNames, s) {
				fail(2, fmt.Errorf("-only: no scenario %q (%s)", s, strings.Join(scenarioNames, ", ")))
			}
		}
	} else {
		o.only = scenarioNames
	}
	if o.runs < 1 || o.step < time.Second || o.workers < 1 || o.prepConc < 1 || o.total < 0 {
		fail(2, fmt.Errorf("-runs, -workers and -prep-c must be at least 1, -step at least 1s, -total not negative"))
	}
	if err := run(o); err != nil {
		fail(1, err)
	}
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "bench-load:", err)
	os.Exit(code)
}
