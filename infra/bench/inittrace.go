package bench

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strconv"
)

// InitCost is one package's initialization as GODEBUG=inittrace=1 reports it.
type InitCost struct {
	Package string
	ClockMs float64 // wall-clock time of the package's init
	Bytes   int64   // heap allocated
	Allocs  int64   // heap allocations
}

// inittrace lines, as the Go runtime prints them to standard error:
//
//	init github.com/aws/aws-sdk-go-v2/aws @1.2 ms, 0.031 ms clock, 4096 bytes, 12 allocs
var initLine = regexp.MustCompile(`(?m)^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, ([0-9]+) allocs`)

// ParseInitTrace returns the package inits of one process's output, in
// the order they ran.
func ParseInitTrace(out []byte) []InitCost {
	var costs []InitCost
	for _, m := range initLine.FindAllSubmatch(out, -1) {
		clock, _ := strconv.ParseFloat(string(m[2]), 64)
		b, _ := strconv.ParseInt(string(m[3]), 10, 64)
		n, _ := strconv.ParseInt(string(m[4]), 10, 64)
		pkg, err := url.PathUnescape(string(m[1])) // the runtime prints gopkg.in/yaml%2ev3
		if err != nil {
			pkg = string(m[1])
		}
		costs = append(costs, InitCost{Package: pkg, ClockMs: clock, Bytes: b, Allocs: n})
	}
	return costs
}

// MedianInitCosts combines the traces of several runs of one bootstrap:
// for each package, the median of its clock time, bytes and allocations
// over the runs (a run where the package did not appear counts as zero).
// The result is sorted by clock time, largest first.
func MedianInitCosts(traces [][]InitCost) []InitCost {
	type all struct{ clock, bytes, allocs []float64 }
	by := map[string]*all{}
	for _, tr := range traces {
		for _, c := range tr {
			a := by[c.Package]
			if a == nil {
				a = &all{}
				by[c.Package] = a
			}
			a.clock = append(a.clock, c.ClockMs)
			a.bytes = append(a.bytes, float64(c.Bytes))
			a.allocs = append(a.allocs, float64(c.Allocs))
		}
	}
	out := make([]InitCost, 0, len(by))
	for pkg, a := range by {
		pad := func(v []float64) []float64 { return append(v, make([]float64, len(traces)-len(v))...) }
		out = append(out, InitCost{
			Package: pkg,
			ClockMs: Summarize(pad(a.clock)).Median,
			Bytes:   int64(Summarize(pad(a.bytes)).Median),
			Allocs:  int64(Summarize(pad(a.allocs)).Median),
		})
	}
	slices.SortFunc(out, func(x, y InitCost) int {
		return cmp.Or(cmp.Compare(y.ClockMs, x.ClockMs), cmp.Compare(x.Package, y.Package))
	})
	return out
}

// TotalInitMs is the sum of the packages' clock times.
func TotalInitMs(costs []InitCost) float64 {
	var t float64
	for _, c := range costs {
		t += c.ClockMs
	}
	return t
}
