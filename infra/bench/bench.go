// Package bench is what make bench-cold (infra/cmd/bench-cold) measures
// and reports, apart from the processes it runs: the lines of the AWS
// Lambda Runtime Interface Emulator (RIE) it reads the times from, Go's
// GODEBUG=inittrace=1 output, the statistics, and the "Cold start" section
// of docs/performance.md.
//
// A cold start here is one fresh emulator and one fresh bootstrap process
// answering one invoke of ColdStartEvent. The times come from the
// emulator, as Lambda reports them:
//
//   - init: the durationMs of the "INIT REPORT" line (from just before the
//     bootstrap is executed until it asks for its first event), not the
//     "Init Duration" of the REPORT line, which this emulator measures
//     around an asynchronous call and reads as a fraction of a millisecond;
//   - handler: the duration of the first "INVOKE RTDONE" line, the first
//     invoke in the runtime, from the event's delivery to its answer;
//   - first invoke: the Duration of the first REPORT line. This emulator
//     starts its clock right after it starts the (asynchronous) init, so
//     on a first invoke it is init and invoke together;
//   - wall: the wall time of the HTTP invoke as the caller sees it. The
//     emulator starts the bootstrap on the first invoke, so this is init,
//     the first invoke and the emulator's own overhead together.
package bench

import (
	_ "embed"
	"slices"
)

// ColdStartEvent is the event of the first invoke: an API Gateway HTTP API
// (payload v2) GET of a path no function routes, which every function's
// router answers with its JSON 404 without reading the table.
//
//go:embed cold-start-event.json
var ColdStartEvent []byte

// Run is one cold start.
type Run struct {
	InitMs    float64  // INIT REPORT durationMs
	HandlerMs float64  // INVOKE RTDONE duration
	InvokeMs  float64  // Duration of the first REPORT line
	WallMs    float64  // wall time of the first HTTP invoke
	Status    int      // the statusCode the function answered (0 = not an HTTP answer)
	AWSCalls  []string // calls that reached the fake AWS endpoint, "service:Operation"
}

// Result is every cold start of one bootstrap.
type Result struct {
	Name       string   // logical id in template.yaml, or "hello world"
	HostBytes  int64    // size of the bootstrap measured (this machine's GOARCH)
	Arm64Bytes int64    // size of the linux/arm64 bootstrap make build ships (0 = not built)
	Runs       []Run    // the cold starts that completed
	Failures   []string // the ones that did not, and why
}

// Summary is the spread of one measure over the runs.
type Summary struct {
	Min, Median, Max float64
}

// Summarize returns the min, median and max of v (zero when v is empty).
// The median of an even count is the mean of the two middle values.
func Summarize(v []float64) Summary {
	if len(v) == 0 {
		return Summary{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Summary{Min: s[0], Median: med, Max: s[n-1]}
}

// Init summarizes the init times of r's runs.
func (r Result) Init() Summary { return r.summarize(func(x Run) float64 { return x.InitMs }) }

// Handler summarizes the first invokes' durations in the runtime of r's runs.
func (r Result) Handler() Summary { return r.summarize(func(x Run) float64 { return x.HandlerMs }) }

// Invoke summarizes the first-invoke durations of r's runs.
func (r Result) Invoke() Summary { return r.summarize(func(x Run) float64 { return x.InvokeMs }) }

// Wall summarizes the wall times of r's first HTTP invokes.
func (r Result) Wall() Summary { return r.summarize(func(x Run) float64 { return x.WallMs }) }

func (r Result) summarize(f func(Run) float64) Summary {
	v := make([]float64, len(r.Runs))
	for i, x := range r.Runs {
		v[i] = f(x)
	}
	return Summarize(v)
}

// Ratio is a/b, or 0 when b is 0 (nothing to compare with).
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
