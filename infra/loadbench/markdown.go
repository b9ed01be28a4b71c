package loadbench

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/infra/bench"
)

// Machine describes where the load ran (bench.Host, with the load
// averages before the first run and after the last).
type Machine = bench.Machine

// Target is the goal of issue 13 for one scenario: Rate requests per
// second with a p99 under the report's MaxP99 and no error. Reported,
// never asserted.
type Target struct {
	Scenario string
	Rate     float64
}

// Checkpoint is the runner's memory and the store's size after a number
// of submissions.
type Checkpoint struct {
	Submitted int
	Elapsed   time.Duration // since the volume run began
	// Settled: read after the workflows had no runner in memory left (the
	// receipts of the last batch made), SettledIn after the submissions;
	// otherwise read as soon as the last submission was answered.
	Settled   bool
	SettledIn time.Duration
	Memory
	Runners   int    // workflow executions in memory (the receipt backlog)
	Parked    int    // executions waiting for a reviewer, out of memory
	HeapLive  uint64 // bytes of Go heap the last collection kept
	DataBytes int64  // the data directory on disk (allocated blocks)
}

// Memory is a process's resident memory from /proc/<pid>/status.
type Memory struct {
	RSSKiB  int64 // VmRSS
	HWMKiB  int64 // VmHWM: the peak RSS so far
	AnonKiB int64 // RssAnon: the heap, stacks and other private memory
	FileKiB int64 // RssFile: mapped file pages (the bolt file), which the kernel may drop
}

// Volume is the run that submits many applications and watches memory
// and the store grow.
type Volume struct {
	Business    string // business id
	Accounts    int    // accounts the drafts were spread over
	Asked       int    // submissions asked for (-total)
	Checkpoints []Checkpoint
	Errors      int    // preparations or submits that failed
	FirstError  string // one of them
}

// Report is the generated part of the "Load" section of docs/performance.md.
type Report struct {
	Command   string
	Date      time.Time // in Asia/Shanghai
	Machine   Machine
	Step      time.Duration // how long each rate is held
	MaxP99    time.Duration
	Targets   []Target
	Runs      [][]Scenario // per run, the scenarios in order; every run on a fresh runner
	Volume    *Volume      // nil when not run
	Notes     []string     // how the scenarios were driven
	Workers   uint64       // vegeta's worker bound
	StartupMs []float64    // the runner's start (to a healthy answer) per run
}

// Markdown renders the report.
func (r Report) Markdown() string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "Measured %s (Asia/Shanghai) with `%s`: %d run(s), each on a freshly started `hrss-local` (bolt store in a new\n",
		r.Date.Format("2006-01-02 15:04"), r.Command, len(r.Runs))
	fmt.Fprintf(&b, "temporary data directory, demo data seeded), driven over loopback by vegeta (as a library, at most %d workers).\n", r.Workers)
	fmt.Fprintf(&b, "Each scenario steps up its rate, %s a step, until a step's p99 reaches %s or a request fails.\n\n", r.Step, r.MaxP99)
	fmt.Fprintf(&b, "- Machine: %d CPUs (nproc), %s, %s RAM, Linux %s; 1-minute load average %s before, %s after\n",
		m.CPUs, m.CPUModel, m.Memory, m.Kernel, m.LoadStart, m.LoadEnd)
	fmt.Fprintf(&b, "- Go: %s; the load generator and the runner share the machine's CPUs\n", m.GoVersion)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString("\n")
	r.writeSummary(&b)
	r.writeSteps(&b)
	r.writeVolume(&b)
	return b.String()
}

// writeSummary is the best rate of each scenario against its target.
func (r Report) writeSummary(b *strings.Builder) {
	b.WriteString("Best rate per scenario: the highest throughput (successful answers a second) of a step with p99 < ")
	fmt.Fprintf(b, "%s and no error; min / median / max over the runs.\n\n", r.MaxP99)
	b.WriteString("| scenario | best req/s | its p99 ms | target | met |\n|---|--:|--:|--:|---|\n")
	for _, name := range r.scenarioNames() {
		var rates, p99s []float64
		missed := 0
		for _, run := range r.Runs {
			for _, sc := range run {
				if sc.Name != name {
					continue
				}
				st, ok := sc.Best(r.MaxP99)
				if !ok {
					missed++
					rates = append(rates, 0)
					continue
				}
				rates = append(rates, st.Throughput)
				p99s = append(p99s, ms(st.P99))
			}
		}
		target, verdict := "–", "–"
		for _, t := range r.Targets {
			if t.Scenario == name {
				target = fmt.Sprintf("%.0f", t.Rate)
				verdict = "yes"
				if SpreadOf(rates).Median < t.Rate {
					verdict = "**no**"
				}
			}
		}
		best := spread(SpreadOf(rates), "%.0f")
		if missed == len(rates) {
			best = "none"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", name, best, spread(SpreadOf(p99s), "%.1f"), target, verdict)
	}
	b.WriteString("\n")
}

// writeSteps is one table per scenario, every step of every run.
func (r Report) writeSteps(b *strings.Builder) {
	for _, name := range r.scenarioNames() {
		first := true
		for i, run := range r.Runs {
			for _, sc := range run {
				if sc.Name != name {
					continue
				}
				if first {
					fmt.Fprintf(b, "### %s\n\n%s\n\n", sc.Name, sc.What)
					b.WriteString("| run | rate/s | s | sent | ok/s | p50 ms | p95 ms | p99 ms | max ms | errors | of which 429 | status codes |\n")
					b.WriteString("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
					first = false
				}
				for _, st := range sc.Steps {
					fmt.Fprintf(b, "| %d | %d | %.1f | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %d | %s |\n",
						i+1, st.Rate, st.Duration.Seconds(), st.Requests, st.Throughput, ms(st.P50), ms(st.P95), ms(st.P99), ms(st.Max),
						st.Errors, st.Limited, codes(st.Codes))
				}
			}
		}
		if first {
			continue
		}
		b.WriteString("\n")
		for i, run := range r.Runs {
			for _, sc := range run {
				if sc.Name != name {
					continue
				}
				if sc.Note != "" {
					fmt.Fprintf(b, "- run %d: %s\n", i+1, sc.Note)
				}
				for _, st := range sc.Steps {
					if st.FirstError != "" {
						fmt.Fprintf(b, "- run %d, %d/s: first error: `%s`\n", i+1, st.Rate, oneLine(st.FirstError))
						break
					}
				}
			}
		}
		b.WriteString("\n")
	}
}

// writeVolume is the memory and store table of the volume run.
func (r Report) writeVolume(b *strings.Builder) {
	v := r.Volume
	if v == nil {
		return
	}
	done := 0
	if n := len(v.Checkpoints); n > 0 {
		done = v.Checkpoints[n-1].Submitted
	}
	fmt.Fprintf(b, "### Memory and store after many submissions\n\n%d submissions of `%s` asked, %d made, spread over %d accounts, prepared in\n", v.Asked, v.Business, done, v.Accounts)
	b.WriteString("batches within each person's upload quota and submitted after each batch. Each checkpoint is read twice: at once,\n")
	b.WriteString("and again when no workflow execution is in memory or waiting for a task slot (the receipts made; *settled*). RSS is the\n")
	b.WriteString("runner's VmRSS, split into anonymous memory (RssAnon: heap and stacks) and mapped file pages (RssFile: mostly the\n")
	b.WriteString("bolt file, which bbolt maps and the kernel may drop), peak is VmHWM (`/proc/<pid>/status`); *in memory* and *parked*\n")
	b.WriteString("are workflow executions, *heap* the Go heap the last collection kept (`GET /_local/stats`); the store is the data\n")
	b.WriteString("directory's allocated size on disk (bolt file and blobs).\n\n")
	b.WriteString("| submitted | read | elapsed s | in memory | parked | heap MiB | RSS MiB | anonymous MiB | file MiB | peak RSS MiB | store MiB | store bytes per submission |\n")
	b.WriteString("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	base := int64(0)
	for i, c := range v.Checkpoints {
		if i == 0 {
			base = c.DataBytes
		}
		per := "–"
		if c.Submitted > 0 {
			per = fmt.Sprintf("%.0f", float64(c.DataBytes-base)/float64(c.Submitted))
		}
		read := "at once"
		if c.Settled {
			read = fmt.Sprintf("settled, %.0f s later", c.SettledIn.Seconds())
		}
		fmt.Fprintf(b, "| %d | %s | %.0f | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s |\n", c.Submitted, read, c.Elapsed.Seconds(),
			c.Runners, c.Parked, float64(c.HeapLive)/(1<<20), float64(c.RSSKiB)/1024, float64(c.AnonKiB)/1024, float64(c.FileKiB)/1024,
			float64(c.HWMKiB)/1024, float64(c.DataBytes)/(1<<20), per)
	}
	if v.Errors > 0 {
		fmt.Fprintf(b, "\n%d preparations or submits failed; the first: `%s`\n", v.Errors, oneLine(v.FirstError))
	}
	b.WriteString("\n")
}

// scenarioNames lists the scenarios in the order of their first run.
func (r Report) scenarioNames() []string {
	var out []string
	for _, run := range r.Runs {
		for _, sc := range run {
			if !slices.Contains(out, sc.Name) {
				out = append(out, sc.Name)
			}
		}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func spread(s Spread, format string) string {
	if s == (Spread{}) {
		return "–"
	}
	if s.Min == s.Max {
		return fmt.Sprintf(format, s.Median)
	}
	return fmt.Sprintf(format+" / "+format+" / "+format, s.Min, s.Median, s.Max)
}

func codes(c map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(c)) {
		label := k
		if k == "0" {
			label = "none"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", label, c[k]))
	}
	return strings.Join(parts, " ")
}

// oneLine keeps an error message on one table-safe line of at most 200 bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "`", "'")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// The generated part of the "Load" section lies between these two lines,
// so that notes written around it survive the next run.
const (
	BeginMarker = "<!-- bench-load: written by make bench-load; what is between these markers is replaced on each run -->"
	EndMarker   = "<!-- /bench-load -->"
)

// UpdateDoc puts block into doc's "## Load" section between BeginMarker
// and EndMarker: in place of the previous block, else in place of the
// section's "Not yet measured.", else at the section's start. A doc
// without the section gets it at its end.
func UpdateDoc(doc []byte, block string) []byte {
	s := string(doc)
	wrapped := BeginMarker + "\n\n" + strings.TrimSpace(block) + "\n\n" + EndMarker
	if i := strings.Index(s, BeginMarker); i >= 0 {
		if j := strings.Index(s[i:], EndMarker); j >= 0 {
			return []byte(s[:i] + wrapped + s[i+j+len(EndMarker):])
		}
	}
	const heading = "## Load\n"
	i := strings.Index(s, heading)
	if i < 0 {
		return []byte(strings.TrimRight(s, "\n") + "\n\n" + heading + "\n" + wrapped + "\n")
	}
	rest := strings.TrimPrefix(s[i+len(heading):], "\nNot yet measured.\n")
	return []byte(s[:i] + heading + "\n" + wrapped + "\n" + rest)
}
