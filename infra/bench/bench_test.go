package bench_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/infra/bench"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseEmulatorLog(t *testing.T) {
	stderr, stdout := read(t, "rie-stderr.txt"), read(t, "rie-stdout.txt")
	tests := []struct {
		name  string
		parse func([]byte) (float64, error)
		log   []byte
		want  float64
	}{
		{"INIT REPORT", bench.ParseInitReport, stderr, 2.844},
		{"INVOKE RTDONE", bench.ParseInvokeDone, stderr, 1.091},
		{"REPORT Duration, not Init Duration", bench.ParseReportDuration, stdout, 4.14},
		{"REPORT without Init Duration", bench.ParseReportDuration, []byte("REPORT RequestId: x\tDuration: 0.91 ms\tBilled Duration: 1 ms\t\n"), 0.91},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.log)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("missing lines", func(t *testing.T) {
		for _, parse := range []func([]byte) (float64, error){bench.ParseInitReport, bench.ParseInvokeDone, bench.ParseReportDuration} {
			if _, err := parse([]byte("START RequestId: x\n")); err == nil {
				t.Error("no error for a log without the line")
			}
		}
	})
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		status int
		ok     bool
	}{
		{"HTTP answer", `{"statusCode":404,"headers":{"Content-Type":"application/json"},"body":"{}"}`, 404, true},
		{"function error", `{"errorMessage":"boom","errorType":"errorString"}`, 0, false},
		{"not JSON", `Task timed out after 15.00 seconds`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bench.ParseAnswer([]byte(tt.body))
			if (err == nil) != tt.ok || got != tt.status {
				t.Errorf("ParseAnswer = %d, %v; want %d, ok %t", got, err, tt.status, tt.ok)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want bench.Summary
	}{
		{"empty", nil, bench.Summary{}},
		{"one", []float64{3}, bench.Summary{Min: 3, Median: 3, Max: 3}},
		{"odd count, unsorted", []float64{9, 1, 5}, bench.Summary{Min: 1, Median: 5, Max: 9}},
		{"even count: mean of the middle two", []float64{4, 1, 2, 10}, bench.Summary{Min: 1, Median: 3, Max: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, bench.Summarize(tt.in)); diff != "" {
				t.Errorf("Summarize (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseInitTrace(t *testing.T) {
	want := []bench.InitCost{
		{Package: "internal/bytealg"},
		{Package: "runtime", ClockMs: 0.34},
		{Package: "gopkg.in/yaml.v3", ClockMs: 1.9, Bytes: 25880, Allocs: 279},
	}
	if diff := cmp.Diff(want, bench.ParseInitTrace(read(t, "rie-stdout.txt"))); diff != "" {
		t.Errorf("ParseInitTrace (-want +got):\n%s", diff)
	}
}

func TestMedianInitCosts(t *testing.T) {
	traces := [][]bench.InitCost{
		{{Package: "a", ClockMs: 1, Bytes: 10, Allocs: 1}, {Package: "b", ClockMs: 5}},
		{{Package: "a", ClockMs: 3, Bytes: 30, Allocs: 3}, {Package: "b", ClockMs: 4}},
		{{Package: "a", ClockMs: 2, Bytes: 20, Allocs: 2}},
	}
	want := []bench.InitCost{
		{Package: "b", ClockMs: 4}, // 5, 4 and a run without it (0)
		{Package: "a", ClockMs: 2, Bytes: 20, Allocs: 2},
	}
	if diff := cmp.Diff(want, bench.MedianInitCosts(traces)); diff != "" {
		t.Errorf("MedianInitCosts (-want +got):\n%s", diff)
	}
}

func TestColdStartEventIsAnHTTPAPIEvent(t *testing.T) {
	var ev struct {
		Version        string `json:"version"`
		RouteKey       string `json:"routeKey"`
		RequestContext struct {
			HTTP struct{ Method, Path string } `json:"http"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(bench.ColdStartEvent, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Version != "2.0" || ev.RouteKey == "" || ev.RequestContext.HTTP.Method != "GET" {
		t.Errorf("event = %+v, want an HTTP API v2 GET (lambdaentry tells HTTP events by routeKey and requestContext)", ev)
	}
}

func TestUpdateDoc(t *testing.T) {
	first := string(bench.UpdateDoc(nil, "table one\n"))
	if !strings.HasPrefix(first, "# Performance\n") || !strings.Contains(first, "## Load\n\nNot yet measured.") ||
		!strings.Contains(first, "## Round trips\n\nNot yet measured.") {
		t.Errorf("an empty doc does not start from the skeleton:\n%s", first)
	}
	if strings.Contains(sectionOf(first, "## Cold start"), "Not yet measured.") {
		t.Errorf("the Cold start placeholder was kept:\n%s", first)
	}

	// A note written after the generated block, and a later Load section,
	// survive the next run; the block is replaced, not added.
	edited := strings.Replace(first, bench.EndMarker, bench.EndMarker+"\n\nA note on the table.", 1)
	edited = strings.Replace(edited, "## Load\n\nNot yet measured.", "## Load\n\n500 submits/s.", 1)
	second := string(bench.UpdateDoc([]byte(edited), "table two\n"))
	for _, want := range []string{"table two", "A note on the table.", "500 submits/s."} {
		if !strings.Contains(second, want) {
			t.Errorf("second run lost %q:\n%s", want, second)
		}
	}
	if strings.Contains(second, "table one") || strings.Count(second, bench.BeginMarker) != 1 {
		t.Errorf("second run did not replace the block:\n%s", second)
	}

	other := string(bench.UpdateDoc([]byte("# Notes\n\nSomething.\n"), "table\n"))
	if !strings.HasPrefix(other, "# Notes\n\nSomething.\n\n## Cold start\n") || !strings.Contains(other, "table") {
		t.Errorf("a doc without the section did not get it at its end:\n%s", other)
	}
}

// sectionOf is the text of doc from heading to the next "## " heading.
func sectionOf(doc, heading string) string {
	_, after, _ := strings.Cut(doc, heading+"\n")
	if i := strings.Index(after, "\n## "); i >= 0 {
		return after[:i]
	}
	return after
}

func TestMarkdown(t *testing.T) {
	run := func(initMs, wallMs float64) bench.Run {
		return bench.Run{InitMs: initMs, HandlerMs: 1, InvokeMs: initMs + 1, WallMs: wallMs, Status: 404, AWSCalls: []string{"ssm:GetParameter"}}
	}
	hello := bench.Result{Name: "hello world", HostBytes: 6 << 20, Arm64Bytes: 5 << 20,
		Runs: []bench.Run{{InitMs: 4, HandlerMs: 1, InvokeMs: 5, WallMs: 8, Status: 404}, {InitMs: 6, HandlerMs: 1, InvokeMs: 7, WallMs: 10, Status: 404}}}
	r := bench.Report{
		Command: "make bench-cold",
		Date:    time.Date(2026, 12, 2, 16, 30, 0, 0, time.FixedZone("CST", 8*60*60)),
		Machine: bench.Machine{CPUs: 2, CPUModel: "AMD EPYC", Memory: "23.5 GiB", Kernel: "6.18", GoVersion: "go1.26.8",
			GOARCH: "amd64", LoadStart: "1.00", LoadEnd: "1.50"},
		Emulator: "github.com/aws/aws-lambda-runtime-interface-emulator@v0.0.0-20261030222936-bef5c4ba774d",
		Event:    "`GET /api/v1/bench-cold/not-found`",
		Runs:     2,
		Targets:  bench.Targets{MaxRatio: 1.2, MaxBytes: 15 << 20},
		Hello:    hello,
		Floors: []bench.Result{
			{Name: "*floor: hello world + DynamoDB client*", HostBytes: 9 << 20, Arm64Bytes: 8 << 20, Runs: []bench.Run{run(9, 12), run(11, 14)}},
		},
		Functions: []bench.Result{
			{Name: "FastFunction", HostBytes: 14 << 20, Arm64Bytes: 14 << 20, Runs: []bench.Run{run(5, 9), run(5.5, 10)}},
			{Name: "SlowFunction", HostBytes: 32 << 20, Arm64Bytes: 15_500_000, Runs: []bench.Run{run(40, 50), run(60, 70)},
				Failures: []string{"invoke: timeout", "invoke: timeout"}},
			{Name: "BrokenFunction", HostBytes: 14 << 20, Failures: []string{"warm-up: lambda init: no key"}},
		},
		Profile: &bench.InitProfile{
			Runs: 5,
			Breakdowns: []bench.Breakdown{
				{Name: "hello world", InitMs: 5, PackageInitMs: 0.7},
				{Name: "SlowFunction", InitMs: 52, PackageInitMs: 12, Main: &bench.MainPhases{DepsMs: 4.5, NewMs: 30, HandlerMs: 0.01}},
			},
			Slowest: "SlowFunction",
			Top:     []bench.InitCost{{Package: "github.com/hljhrss/hrss/shared/awswire", ClockMs: 2, Bytes: 617688, Allocs: 3033}},
		},
	}
	got := r.Markdown()
	golden := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(string(read(t, "report.golden.md")), got); diff != "" {
		t.Errorf("Markdown (-golden +got), go test -update to accept:\n%s", diff)
	}
}

func TestFsyncLatency(t *testing.T) {
	f, err := bench.FsyncLatency(t.TempDir(), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if f.N < 1 || f.P50 <= 0 || f.P50 > f.P99 || f.P99 > f.P999 || f.P999 > f.Max || f.Over50ms > f.N {
		t.Errorf("%+v", f)
	}
	if s := f.String(); !strings.Contains(s, "fsyncs: p50") {
		t.Errorf("%q", s)
	}
	if _, err := bench.FsyncLatency(filepath.Join(t.TempDir(), "missing"), time.Millisecond); err == nil {
		t.Error("no error for a directory that does not exist")
	}
}
