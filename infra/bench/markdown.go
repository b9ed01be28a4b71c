package bench

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Targets are the goals of issue 13 the report compares with. They are
// reported, never asserted: make bench-cold does not fail on them.
type Targets struct {
	MaxRatio float64 // a function's median over hello world's
	MaxBytes int64   // a bootstrap's size
}

// Machine describes where the measurements were taken.
type Machine struct {
	CPUs      int    // usable CPUs (nproc)
	CPUModel  string // /proc/cpuinfo "model name"
	Memory    string // /proc/meminfo MemTotal
	Kernel    string // /proc/sys/kernel/osrelease
	GoVersion string // the toolchain that built the bootstraps
	GOARCH    string // the architecture the bootstraps were built for and ran on
	LoadStart string // 1-minute load average when the cold starts began
	LoadEnd   string // and when they ended
}

// InitProfile is where the init goes, for hello world and for every
// function over the target ratio, and the costliest package inits of the
// slowest function.
type InitProfile struct {
	Runs       int         // traced cold starts, and phases processes, per bootstrap
	Breakdowns []Breakdown // hello world first
	Slowest    string      // the function Top is of
	Top        []InitCost  // its costliest packages, medians (MedianInitCosts)
}

// Breakdown is where one bootstrap's init goes: cold starts with
// GODEBUG=inittrace=1 give the init and its package inits, and
// infra/cmd/bench-cold/phases the steps of main before it serves.
type Breakdown struct {
	Name          string
	InitMs        float64     // median INIT REPORT of the traced cold starts
	PackageInitMs float64     // median over those of the sum of package inits
	Main          *MainPhases // medians (nil for hello world, which has none of these steps)
}

// MainPhases are the steps of a function's main before it serves, in
// milliseconds, as infra/cmd/bench-cold/phases measures them.
type MainPhases struct {
	DepsMs    float64 `json:"depsMs"`    // awswire.Deps: configuration, AWS clients, the Parameter Store read
	NewMs     float64 `json:"newMs"`     // the function's constructor
	HandlerMs float64 `json:"handlerMs"` // lambdaentry.Handler around it
}

// Report is the "Cold start" section of docs/performance.md.
type Report struct {
	Command   string
	Date      time.Time
	Machine   Machine
	Emulator  string // module@version of the RIE
	Event     string // what the first invoke asks
	Runs      int    // cold starts per bootstrap
	Targets   Targets
	Hello     Result
	Floors    []Result // reference bootstraps, not held to the targets
	Functions []Result
	Profile   *InitProfile // nil when no function is over the target
}

// Markdown renders the report: how it was measured, the table, what is
// over target, and the init profile.
func (r Report) Markdown() string {
	var b strings.Builder
	r.writeHeader(&b)
	r.writeTable(&b)
	r.writeVerdict(&b)
	r.writeProfile(&b)
	return b.String()
}

func (r Report) writeHeader(b *strings.Builder) {
	m := r.Machine
	fmt.Fprintf(b, "Measured %s (Asia/Shanghai) with `%s`: %d cold starts per bootstrap, taken round-robin after one untimed\n",
		r.Date.Format("2006-01-02 15:04"), r.Command, r.Runs)
	b.WriteString("warm-up start each; every cold start is a fresh emulator and a fresh bootstrap process.\n\n")
	fmt.Fprintf(b, "- Machine: %d CPUs (nproc), %s, %s RAM, Linux %s; 1-minute load average %s at the start, %s at the end\n",
		m.CPUs, m.CPUModel, m.Memory, m.Kernel, m.LoadStart, m.LoadEnd)
	fmt.Fprintf(b, "- Go: %s; bootstraps built for linux/%s, `CGO_ENABLED=0 -tags lambda.norpc -trimpath`, `make build`'s `-ldflags`\n", m.GoVersion, m.GOARCH)
	fmt.Fprintf(b, "- Emulator: `%s` (no Docker)\n", r.Emulator)
	fmt.Fprintf(b, "- First invoke: %s\n\n", r.Event)
	b.WriteString("Times in ms, min / median / max, as the emulator reports them. *init*: its `INIT REPORT` (from just\n")
	b.WriteString("before it executes the bootstrap until the bootstrap asks for its first event). *handler*: its `INVOKE RTDONE`\n")
	b.WriteString("(the first invoke inside the runtime). *first invoke*: the first `REPORT` Duration; this emulator starts\n")
	b.WriteString("that clock just after starting the init, so it holds the init too. *wall*: the first HTTP invoke as the\n")
	b.WriteString("caller sees it (the emulator starts the bootstrap on it: init + invoke + the emulator). × is the median\n")
	b.WriteString("over hello world's median.")
	if len(r.Floors) > 0 {
		b.WriteString(" Rows in italics are floors (`infra/cmd/bench-cold/floor-*`): hello world with only the\n")
		b.WriteString("DynamoDB client every function builds before its first event, the least any function using the AWS SDK\n")
		b.WriteString("can start with; they are reported for comparison and not held to the targets.")
	}
	b.WriteString("\n\n")
}

func (r Report) writeTable(b *strings.Builder) {
	b.WriteString("| bootstrap | init | × | handler | × | first invoke | × | wall | × | answer | AWS calls per start | MiB " + r.Machine.GOARCH + " | MiB arm64 | targets |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|---|\n")
	h := r.Hello
	for _, res := range r.all() {
		i, d, v, w := res.Init(), res.Handler(), res.Invoke(), res.Wall()
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			res.Name,
			spread(i), ratio(i.Median, h.Init().Median),
			spread(d), ratio(d.Median, h.Handler().Median),
			spread(v), ratio(v.Median, h.Invoke().Median),
			spread(w), ratio(w.Median, h.Wall().Median),
			answers(res), awsCalls(res), mib(res.HostBytes), mib(res.Arm64Bytes),
			strings.Join(r.misses(res), "; "))
	}
	b.WriteString("\n")
}

// all is hello world, the floors and the functions, in the table's order.
func (r Report) all() []Result {
	return slices.Concat([]Result{r.Hello}, r.Floors, r.Functions)
}

// misses lists the targets res is over ("" cells read "ok").
func (r Report) misses(res Result) []string {
	if len(res.Runs) == 0 {
		return []string{"no run completed"}
	}
	if slices.ContainsFunc(r.Floors, func(f Result) bool { return f.Name == res.Name }) {
		return []string{"reference"}
	}
	var out []string
	h := r.Hello
	if x := Ratio(res.Init().Median, h.Init().Median); x > r.Targets.MaxRatio {
		out = append(out, fmt.Sprintf("init %.2f× > %.1f×", x, r.Targets.MaxRatio))
	}
	if x := Ratio(res.Wall().Median, h.Wall().Median); x > r.Targets.MaxRatio {
		out = append(out, fmt.Sprintf("wall %.2f× > %.1f×", x, r.Targets.MaxRatio))
	}
	if size := res.shippedBytes(); size > r.Targets.MaxBytes {
		out = append(out, fmt.Sprintf("size %s > %s MiB", mib(size), mib(r.Targets.MaxBytes)))
	}
	if len(out) == 0 {
		out = []string{"ok"}
	}
	return out
}

func (r Report) writeVerdict(b *strings.Builder) {
	fmt.Fprintf(b, "Targets (reported, not asserted): every function's init and wall medians ≤ %.1f× hello world's; every\n", r.Targets.MaxRatio)
	fmt.Fprintf(b, "bootstrap ≤ %s MiB (the arm64 one `make build` ships; the %s column when arm64 was not built).\n\n", mib(r.Targets.MaxBytes), r.Machine.GOARCH)
	var initOver, wallOver, sizeOver, decimalOver []string
	// The same number of decimal megabytes (10⁶ bytes), should the target
	// be read that way.
	decimal := r.Targets.MaxBytes / (1 << 20) * 1_000_000
	h := r.Hello
	for _, f := range r.Functions {
		if Ratio(f.Init().Median, h.Init().Median) > r.Targets.MaxRatio {
			initOver = append(initOver, f.Name)
		}
		if Ratio(f.Wall().Median, h.Wall().Median) > r.Targets.MaxRatio {
			wallOver = append(wallOver, f.Name)
		}
		size := f.shippedBytes()
		if size > r.Targets.MaxBytes {
			sizeOver = append(sizeOver, f.Name)
		} else if size > decimal {
			decimalOver = append(decimalOver, f.Name)
		}
	}
	n := len(r.Functions)
	fmt.Fprintf(b, "- Over %.1f× on init: %d of %d functions%s\n", r.Targets.MaxRatio, len(initOver), n, names(initOver))
	fmt.Fprintf(b, "- Over %.1f× on wall: %d of %d%s\n", r.Targets.MaxRatio, len(wallOver), n, names(wallOver))
	fmt.Fprintf(b, "- Over %s MiB: %d of %d%s\n", mib(r.Targets.MaxBytes), len(sizeOver), n, names(sizeOver))
	if len(decimalOver) > 0 {
		fmt.Fprintf(b, "- Under %s MiB but over %d MB (10⁶ bytes), should the target mean decimal megabytes: %s\n",
			mib(r.Targets.MaxBytes), r.Targets.MaxBytes/(1<<20), strings.Join(decimalOver, ", "))
	}
	for _, f := range r.all() {
		if len(f.Failures) > 0 {
			fmt.Fprintf(b, "- %s: %d of its cold starts failed: %s\n", f.Name, len(f.Failures), strings.Join(uniq(f.Failures), "; "))
		}
	}
	b.WriteString("\n")
}

func (r Report) writeProfile(b *strings.Builder) {
	p := r.Profile
	if p == nil {
		fmt.Fprintf(b, "No function's init median is over %.1f× hello world's, so no init profile was taken.\n", r.Targets.MaxRatio)
		return
	}
	b.WriteString("### Where the init goes\n\n")
	fmt.Fprintf(b, "Hello world and each function over %.1f× on init: %d cold starts with `GODEBUG=inittrace=1` (the init and\n", r.Targets.MaxRatio, p.Runs)
	fmt.Fprintf(b, "the sum of its package inits: every `init` and package-level variable), and `main`'s steps before it serves\n")
	fmt.Fprintf(b, "timed by `infra/cmd/bench-cold/phases` in %d fresh processes with the same environment (that probe links\n", p.Runs)
	b.WriteString("every function, so only the steps after its package init are timed). Medians, ms. *rest* is init minus the\n")
	b.WriteString("other columns: the Go runtime's own start, the emulator, and noise (the columns come from different\n")
	b.WriteString("processes). Tracing slows init a little.\n\n")
	b.WriteString("| bootstrap | init (traced) | package inits | `awswire.Deps` | `New` | `lambdaentry.Handler` | rest |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|\n")
	for _, d := range p.Breakdowns {
		deps, news, handler, rest := "–", "–", "–", d.InitMs-d.PackageInitMs
		if m := d.Main; m != nil {
			deps, news, handler = ms(m.DepsMs), ms(m.NewMs), ms(m.HandlerMs)
			rest -= m.DepsMs + m.NewMs + m.HandlerMs
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", d.Name, ms(d.InitMs), ms(d.PackageInitMs), deps, news, handler, ms(rest))
	}
	b.WriteString("\n`awswire.Deps` is configuration, the AWS clients and the Parameter Store read (from the fake endpoint\n")
	b.WriteString("here, a network round trip in AWS); `New` is the function's constructor.\n\n")
	fmt.Fprintf(b, "### Costliest package inits of the slowest function: %s\n\n", p.Slowest)
	b.WriteString("| package | clock ms | bytes | allocs |\n|---|--:|--:|--:|\n")
	for _, c := range p.Top {
		fmt.Fprintf(b, "| `%s` | %s | %d | %d |\n", c.Package, ms(c.ClockMs), c.Bytes, c.Allocs)
	}
	b.WriteString("\n")
}

func spread(s Summary) string {
	if s == (Summary{}) {
		return "–"
	}
	return ms(s.Min) + " / " + ms(s.Median) + " / " + ms(s.Max)
}

// ms formats milliseconds: two decimals under 10, one above.
func ms(v float64) string {
	if v > -10 && v < 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func ratio(a, b float64) string {
	if x := Ratio(a, b); x != 0 {
		return fmt.Sprintf("%.2f", x)
	}
	return "–"
}

func mib(n int64) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", float64(n)/(1<<20))
}

// shippedBytes is the size the size target applies to: the arm64
// bootstrap when it was built, else the one measured.
func (r Result) shippedBytes() int64 {
	if r.Arm64Bytes != 0 {
		return r.Arm64Bytes
	}
	return r.HostBytes
}

// answers is the statuses res's runs answered, with counts when they differ.
func answers(res Result) string {
	var v []string
	for _, x := range res.Runs {
		v = append(v, fmt.Sprint(x.Status))
	}
	return counted(v)
}

// awsCalls is what res's runs asked of AWS, per start.
func awsCalls(res Result) string {
	var v []string
	for _, x := range res.Runs {
		c := slices.Clone(x.AWSCalls)
		slices.Sort(c)
		v = append(v, cmp.Or(strings.Join(c, " + "), "none"))
	}
	return counted(v)
}

// counted is v's single value, or each distinct value with its count.
func counted(v []string) string {
	u := uniq(v)
	if len(u) <= 1 {
		return strings.Join(u, "")
	}
	n := map[string]int{}
	for _, s := range v {
		n[s]++
	}
	out := make([]string, len(u))
	for i, s := range u {
		out[i] = fmt.Sprintf("%s ×%d", s, n[s])
	}
	return strings.Join(out, ", ")
}

func uniq(v []string) []string {
	var out []string
	for _, s := range v {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func names(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return ": " + strings.Join(v, ", ")
}

// The generated part of the "Cold start" section lies between these two
// lines, so that notes written around it survive the next run.
const (
	BeginMarker = "<!-- bench-cold: written by make bench-cold; what is between these markers is replaced on each run -->"
	EndMarker   = "<!-- /bench-cold -->"
)

// Skeleton is docs/performance.md before anything is measured.
const Skeleton = `# Performance

What the platform's functions cost to start and to serve, each figure with the command that
reproduces it, the machine and the date (issue 13). Absolute times are the named machine's;
compare ratios and orders of magnitude.

## Cold start

Not yet measured.

## Load

Not yet measured.

## Round trips

Not yet measured.
`

// UpdateDoc puts block (a Markdown) into doc's "## Cold start" section,
// between BeginMarker and EndMarker: in place of the previous block, or
// in place of the section's "Not yet measured." when there is none. An
// empty doc starts from Skeleton; a doc without the section gets it at
// its end.
func UpdateDoc(doc []byte, block string) []byte {
	if len(bytes.TrimSpace(doc)) == 0 {
		doc = []byte(Skeleton)
	}
	s := string(doc)
	wrapped := BeginMarker + "\n\n" + strings.TrimSpace(block) + "\n\n" + EndMarker
	if i := strings.Index(s, BeginMarker); i >= 0 {
		if j := strings.Index(s[i:], EndMarker); j >= 0 {
			return []byte(s[:i] + wrapped + s[i+j+len(EndMarker):])
		}
	}
	const heading = "## Cold start\n"
	i := strings.Index(s, heading)
	if i < 0 {
		return []byte(strings.TrimRight(s, "\n") + "\n\n" + heading + "\n" + wrapped + "\n")
	}
	rest := strings.TrimPrefix(s[i+len(heading):], "\nNot yet measured.\n")
	return []byte(s[:i] + heading + "\n" + wrapped + "\n" + rest)
}
