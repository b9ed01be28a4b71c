package loadbench

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Step is one rate of a scenario: what was asked, what came back.
type Step struct {
	Rate       int           // target requests per second
	Duration   time.Duration // how long the requests were sent
	Requests   uint64        // requests sent
	Throughput float64       // successful answers per second, until the last answer
	P50, P95   time.Duration
	P99, Max   time.Duration
	Errors     int            // requests without a 2xx answer, 429s included
	Limited    int            // 429: refused by the platform's own rate limits
	Codes      map[string]int // status code ("0": no answer) → count
	FirstError string         // one error, for the report ("" when none)
}

// FromMetrics makes a step of the closed metrics of one vegeta attack at
// rate requests per second.
func FromMetrics(rate int, m *vegeta.Metrics) Step {
	s := Step{Rate: rate, Duration: m.Duration, Requests: m.Requests, Throughput: m.Throughput,
		P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99, Max: m.Latencies.Max,
		Codes: map[string]int{}}
	for code, n := range m.StatusCodes {
		s.Codes[code] = n
		if c, err := strconv.Atoi(code); err != nil || c < 200 || c > 299 {
			s.Errors += n
		}
		if code == "429" {
			s.Limited += n
		}
	}
	if len(m.Errors) > 0 {
		s.FirstError = m.Errors[0]
	}
	return s
}

// OK reports whether the step met the target: no error and a p99 under
// maxP99.
func (s Step) OK(maxP99 time.Duration) bool { return s.Errors == 0 && s.Requests > 0 && s.P99 < maxP99 }

// Scenario is one kind of request driven at increasing rates.
type Scenario struct {
	Name  string // catalog, ledger, trial, login, submit
	What  string // the requests, for the report
	Steps []Step
	Note  string // what the reader should know (limits met, steps shortened)
}

// Best is the step with the highest achieved throughput among those that
// met the target, and whether there is one.
func (s Scenario) Best(maxP99 time.Duration) (Step, bool) {
	var best Step
	found := false
	for _, st := range s.Steps {
		if st.OK(maxP99) && (!found || st.Throughput > best.Throughput) {
			best, found = st, true
		}
	}
	return best, found
}

// Ladder yields the rates of a scenario: each rate of rates in order,
// stopping after the first step that misses the target. Run calls step for
// each rate and returns the steps taken.
func Ladder(rates []int, maxP99 time.Duration, step func(rate int) (Step, error)) ([]Step, error) {
	var out []Step
	for _, r := range rates {
		st, err := step(r)
		if err != nil {
			return out, err
		}
		out = append(out, st)
		if !st.OK(maxP99) {
			break
		}
	}
	return out, nil
}

// Spread is the minimum, median and maximum of several runs' values.
type Spread struct{ Min, Median, Max float64 }

// SpreadOf is the spread of v (the zero Spread for none). The median of
// an even count is the mean of the middle two.
func SpreadOf(v []float64) Spread {
	if len(v) == 0 {
		return Spread{}
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	mid := s[len(s)/2]
	if len(s)%2 == 0 {
		mid = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Spread{Min: s[0], Median: mid, Max: s[len(s)-1]}
}

// ParseRates reads a -rates flag, "100,250,500": positive and increasing.
func ParseRates(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("rates: %q is not a list of increasing positive rates", s)
		}
		out = append(out, n)
	}
	return out, nil
}
