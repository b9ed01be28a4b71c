package loadbench_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hljhrss/hrss/infra/loadbench"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

const target = 50 * time.Millisecond

func TestLadderStopsAtFirstMiss(t *testing.T) {
	tests := []struct {
		name string
		p99  map[int]time.Duration // rate → p99 of its step
		errs map[int]int           // rate → errors
		want []int                 // rates stepped
	}{
		{name: "all pass", p99: map[int]time.Duration{}, want: []int{100, 200, 400}},
		{name: "slow at 200", p99: map[int]time.Duration{200: 60 * time.Millisecond}, want: []int{100, 200}},
		{name: "p99 at the target is a miss", p99: map[int]time.Duration{100: target}, want: []int{100}},
		{name: "an error at 200", errs: map[int]int{200: 1}, want: []int{100, 200}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			_, err := loadbench.Ladder([]int{100, 200, 400}, target, func(rate int) (loadbench.Step, error) {
				got = append(got, rate)
				p99 := tc.p99[rate]
				if p99 == 0 {
					p99 = 10 * time.Millisecond
				}
				return loadbench.Step{Rate: rate, Requests: 10, P99: p99, Errors: tc.errs[rate]}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("rates stepped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLadderReturnsStepError(t *testing.T) {
	boom := errors.New("boom")
	steps, err := loadbench.Ladder([]int{1, 2}, target, func(rate int) (loadbench.Step, error) {
		if rate == 2 {
			return loadbench.Step{}, boom
		}
		return loadbench.Step{Rate: rate, Requests: 1, P99: time.Millisecond}, nil
	})
	if !errors.Is(err, boom) || len(steps) != 1 {
		t.Errorf("Ladder = %d steps, %v; want 1 step and boom", len(steps), err)
	}
}

func TestBestIsHighestPassingThroughput(t *testing.T) {
	sc := loadbench.Scenario{Steps: []loadbench.Step{
		{Rate: 100, Requests: 300, Throughput: 100, P99: 5 * time.Millisecond},
		{Rate: 200, Requests: 600, Throughput: 199, P99: 9 * time.Millisecond},
		{Rate: 400, Requests: 1200, Throughput: 380, P99: 80 * time.Millisecond},
	}}
	best, ok := sc.Best(target)
	if !ok || best.Rate != 200 {
		t.Errorf("Best = %d, %v; want 200, true", best.Rate, ok)
	}
	if _, ok := (loadbench.Scenario{Steps: sc.Steps[2:]}).Best(target); ok {
		t.Error("Best found a step in a scenario that never met the target")
	}
}

func TestFromMetricsCountsErrorsAndLimits(t *testing.T) {
	var m vegeta.Metrics
	now := time.Now()
	for i, code := range []uint16{200, 201, 429, 409, 0} {
		m.Add(&vegeta.Result{Code: code, Timestamp: now.Add(time.Duration(i) * time.Millisecond), Latency: time.Millisecond})
	}
	m.Close()
	st := loadbench.FromMetrics(5, &m)
	if st.Errors != 3 || st.Limited != 1 || st.Requests != 5 {
		t.Errorf("errors %d, limited %d, requests %d; want 3, 1, 5", st.Errors, st.Limited, st.Requests)
	}
	if diff := cmp.Diff(map[string]int{"0": 1, "200": 1, "201": 1, "409": 1, "429": 1}, st.Codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
}

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want loadbench.Spread
	}{
		{"none", nil, loadbench.Spread{}},
		{"odd", []float64{3, 1, 2}, loadbench.Spread{Min: 1, Median: 2, Max: 3}},
		{"even", []float64{4, 1, 2, 3}, loadbench.Spread{Min: 1, Median: 2.5, Max: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, loadbench.SpreadOf(tc.in)); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestParseRates(t *testing.T) {
	got, err := loadbench.ParseRates("100, 250,500")
	if diff := cmp.Diff([]int{100, 250, 500}, got); err != nil || diff != "" {
		t.Errorf("ParseRates: %v %s", err, diff)
	}
	for _, bad := range []string{"", "100,100", "200,100", "0", "x"} {
		if _, err := loadbench.ParseRates(bad); err == nil {
			t.Errorf("ParseRates(%q) accepted", bad)
		}
	}
}

func report() loadbench.Report {
	run := func(rate float64) []loadbench.Scenario {
		return []loadbench.Scenario{{Name: "catalog", What: "reads", Steps: []loadbench.Step{
			{Rate: 1000, Duration: 3 * time.Second, Requests: 3000, Throughput: rate, P50: time.Millisecond, P99: 20 * time.Millisecond, Codes: map[string]int{"200": 3000}},
			{Rate: 2000, Duration: 3 * time.Second, Requests: 6000, Throughput: 1500, P99: 900 * time.Millisecond, Errors: 2, Limited: 1,
				Codes: map[string]int{"200": 5998, "429": 1, "0": 1}, FirstError: "GET /x: 429 `too` many"},
		}}}
	}
	return loadbench.Report{Command: "make bench-load", Date: time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC), Step: 3 * time.Second,
		MaxP99: target, Targets: []loadbench.Target{{Scenario: "catalog", Rate: 2000}}, Runs: [][]loadbench.Scenario{run(990), run(1000), run(970)},
		Volume: &loadbench.Volume{Business: "b", Accounts: 12, Asked: 20, Checkpoints: []loadbench.Checkpoint{
			{Submitted: 0, Memory: loadbench.Memory{RSSKiB: 1024, HWMKiB: 2048, AnonKiB: 512, FileKiB: 512}, DataBytes: 1 << 20},
			{Submitted: 20, Memory: loadbench.Memory{RSSKiB: 2048, HWMKiB: 4096, AnonKiB: 1536, FileKiB: 512}, Runners: 7, Parked: 13, HeapLive: 3 << 20, DataBytes: 2 << 20},
			{Submitted: 20, Settled: true, SettledIn: 4 * time.Second, Memory: loadbench.Memory{RSSKiB: 2048, HWMKiB: 4096, AnonKiB: 1536, FileKiB: 512}, Parked: 20, HeapLive: 1 << 20, DataBytes: 2 << 20}}}}
}

func TestMarkdown(t *testing.T) {
	md := report().Markdown()
	for _, want := range []string{
		"| catalog | 970 / 990 / 1000 | 20.0 | 2000 | **no** |", // min/median/max over three runs, under target
		"| 2 | 2000 | 3.0 | 6000 | 1500 | 0.0 | 0.0 | 900.0 | 0.0 | 2 | 1 | none×1 200×5998 429×1 |",
		"- run 1, 2000/s: first error: `GET /x: 429 'too' many`",
		"| 20 | at once | 0 | 7 | 13 | 3.0 | 2.0 | 1.5 | 0.5 | 4.0 | 2.0 | 52429 |", // (2 MiB − 1 MiB) / 20 submissions
		"| 20 | settled, 4 s later | 0 | 0 | 20 | 1.0 | 2.0 | 1.5 | 0.5 | 4.0 | 2.0 | 52429 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestUpdateDoc(t *testing.T) {
	doc := "# P\n\n## Cold start\n\nkept\n\n## Load\n\nNot yet measured.\n\n## Round trips\n\nkept too\n"
	once := string(loadbench.UpdateDoc([]byte(doc), "first"))
	want := "# P\n\n## Cold start\n\nkept\n\n## Load\n\n" + loadbench.BeginMarker + "\n\nfirst\n\n" + loadbench.EndMarker + "\n\n## Round trips\n\nkept too\n"
	if diff := cmp.Diff(want, once); diff != "" {
		t.Fatalf("first update (-want +got):\n%s", diff)
	}
	notes := strings.Replace(once, loadbench.EndMarker+"\n", loadbench.EndMarker+"\n\nhand-written findings\n", 1)
	twice := string(loadbench.UpdateDoc([]byte(notes), "second"))
	if strings.Contains(twice, "first") || !strings.Contains(twice, "second") || !strings.Contains(twice, "hand-written findings") {
		t.Errorf("second update did not replace the block alone:\n%s", twice)
	}
	if got := string(loadbench.UpdateDoc([]byte("# P\n"), "x")); !strings.HasSuffix(got, "## Load\n\n"+loadbench.BeginMarker+"\n\nx\n\n"+loadbench.EndMarker+"\n") {
		t.Errorf("a doc without the section got:\n%s", got)
	}
}
