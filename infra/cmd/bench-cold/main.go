// Command bench-cold measures the cold start of every function of
// template.yaml beside a hello-world aws-lambda-go bootstrap (./hello), under
// the AWS Lambda Runtime Interface Emulator (RIE), without Docker and
// without AWS. make bench-cold runs it:
//
//  1. builds every bootstrap for this machine (linux, the host's GOARCH,
//     CGO_ENABLED=0, -tags lambda.norpc, -trimpath, make build's -ldflags)
//     and, for their sizes, for linux/arm64 as make build ships them;
//  2. builds the emulator from the module proxy once, kept under -dir;
//  3. serves a fake AWS endpoint on 127.0.0.1 (fakeAWS) that the SDK is
//     pointed at with AWS_ENDPOINT_URL: it answers Parameter Store's
//     GetParameter with an ID hash key, which awswire reads at every start
//     as in AWS, and refuses and records every other call;
//  4. takes -runs cold starts of each bootstrap, round-robin, each one a
//     fresh emulator and bootstrap process (in their own process groups,
//     killed after the run) answering one invoke of bench.ColdStartEvent;
//  5. prints the table and writes it into the "Cold start" section of
//     -doc, with the package init costs (GODEBUG=inittrace=1) of the
//     slowest function when a function is over the target.
//
// Usage (from the repository root):
//
//	go run ./infra/cmd/bench-cold -ldflags "-s -w" [-runs 20] [-only PlatformFunction,CatalogFunction] [-doc ""]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// emulator is the RIE module and the version make bench-cold builds.
const (
	emulatorModule  = "github.com/aws/aws-lambda-runtime-interface-emulator"
	emulatorVersion = "v0.0.0-20261030222936-bef5c4ba774d"
)

// options are the command's flags.
type options struct {
	runs       int
	traceRuns  int
	ldflags    string
	dir        string
	doc        string
	template   string
	command    string
	only       []string
	arm64      bool
	timeout    time.Duration
	maxRatio   float64
	maxMiB     int64
	emuVersion string
	goBin      string
}

func main() {
	var o options
	var only string
	flag.IntVar(&o.runs, "runs", 20, "cold starts per bootstrap")
	flag.IntVar(&o.traceRuns, "trace-runs", 5, "GODEBUG=inittrace=1 cold starts of the slowest function and of hello world")
	flag.StringVar(&o.ldflags, "ldflags", "-s -w", "the -ldflags of make build")
	flag.StringVar(&o.dir, "dir", "dist/bench-cold", "where the bootstraps and the emulator are built (kept between runs)")
	flag.StringVar(&o.doc, "doc", "docs/performance.md", `the document whose "Cold start" section gets the table ("" = print only)`)
	flag.StringVar(&o.template, "template", "template.yaml", "the SAM template listing the functions")
	flag.StringVar(&o.command, "command", "make bench-cold", "the command named in the document")
	flag.StringVar(&only, "only", "", "comma-separated logical ids to measure (default: every function)")
	flag.BoolVar(&o.arm64, "arm64", true, "also build linux/arm64 bootstraps to report the sizes make build ships")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Second, "limit of one cold start (emulator start, init and first invoke)")
	flag.Float64Var(&o.maxRatio, "target-ratio", 1.2, "target: a function's median over hello world's (reported, not asserted)")
	flag.Int64Var(&o.maxMiB, "target-mib", 15, "target: a bootstrap's size in MiB (reported, not asserted)")
	flag.StringVar(&o.emuVersion, "rie-version", emulatorVersion, "version of "+emulatorModule)
	flag.StringVar(&o.goBin, "go", "go", "the go command that builds the bootstraps and the emulator")
	flag.Parse()
	if only != "" {
		o.only = strings.Split(only, ",")
	}
	if o.runs < 1 {
		fmt.Fprintln(os.Stderr, "bench-cold: -runs must be at least 1")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-cold:", err)
		os.Exit(1)
	}
}
