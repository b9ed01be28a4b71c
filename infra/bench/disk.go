package bench

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Fsync is how long fsync took on a disk, from FsyncLatency.
type Fsync struct {
	N                   int           // fsyncs timed
	P50, P99, P999, Max time.Duration // their latencies
	Over50ms            int           // how many took longer than 50 ms
	Pressure            string        // the kernel's I/O pressure after them (/proc/pressure/io "some avg300", %), "" where unknown
}

// FsyncLatency times fsync in dir for d: it rewrites one of 256 pages of
// 4 KiB in a scratch file and syncs it, every 5 ms, as the embedded
// store's commits do. The load benchmarks report it beside their
// latencies: a commit waits for its fsync, so a disk whose fsync stalls
// shows as a p99 the platform's code did not cause.
func FsyncLatency(dir string, d time.Duration) (Fsync, error) {
	f, err := os.CreateTemp(dir, "fsync-probe-*")
	if err != nil {
		return Fsync{}, err
	}
	defer func() { _ = os.Remove(f.Name()) }()
	defer func() { _ = f.Close() }()
	page := make([]byte, 4096)
	var ts []time.Duration
	for end := time.Now().Add(d); time.Now().Before(end); {
		if _, err := f.WriteAt(page, int64(len(ts)%256)*4096); err != nil {
			return Fsync{}, err
		}
		t0 := time.Now()
		if err := f.Sync(); err != nil {
			return Fsync{}, err
		}
		ts = append(ts, time.Since(t0))
		time.Sleep(5 * time.Millisecond)
	}
	if len(ts) == 0 {
		return Fsync{}, fmt.Errorf("bench: no fsync timed in %s", d)
	}
	slices.Sort(ts)
	at := func(q float64) time.Duration { return ts[min(len(ts)-1, int(q*float64(len(ts))))] }
	out := Fsync{N: len(ts), P50: at(0.50), P99: at(0.99), P999: at(0.999), Max: ts[len(ts)-1], Pressure: ioPressure()}
	for _, t := range ts {
		if t > 50*time.Millisecond {
			out.Over50ms++
		}
	}
	return out, nil
}

// String is the line the reports print.
func (f Fsync) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
	s := fmt.Sprintf("%d fsyncs: p50 %s ms, p99 %s, p99.9 %s, max %s; %d over 50 ms", f.N, ms(f.P50), ms(f.P99), ms(f.P999), ms(f.Max), f.Over50ms)
	if f.Pressure != "" {
		s += "; I/O pressure (PSI some avg300) " + f.Pressure + "%"
	}
	return s
}

// ioPressure is /proc/pressure/io's "some avg300", "" where the kernel has
// no PSI.
func ioPressure() string {
	b, err := os.ReadFile("/proc/pressure/io")
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	for f := range strings.FieldsSeq(line) {
		if v, ok := strings.CutPrefix(f, "avg300="); ok {
			return v
		}
	}
	return ""
}
