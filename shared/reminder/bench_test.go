package reminder_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/notify/outbox"
	"github.com/hljhrss/hrss/shared/reminder"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

// BenchmarkRun100k is a whole run over 100,000 synthetic recipients (one
// in seven without an account) on the embedded table (bolt), pages of 500,
// each told in the message center and by SMS into the local outbox, as on
// the local runner. It reports the run's time and the peak heap:
//
//	go test ./shared/reminder -run '^$' -bench Run100k -benchtime 1x
func BenchmarkRun100k(b *testing.B) {
	for range b.N {
		clk := clock.Frozen(june1)
		st := storetest.Bolt(b, clk)
		box := inbox.New(st, clk)
		r := reminder.NewRunner(st, clk, &inbox.Notifier{Inbox: box, Send: outbox.New(st, clk), Mobiles: everyone{}})
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
		start := time.Now()
		run, err := r.Do(b.Context(), job(100_000, 500), "202206", reminder.Options{})
		elapsed := time.Since(start)
		close(stop)
		wg.Wait()
		if err != nil || run.Status != reminder.StatusDone || run.Sent+run.Skipped != 100_003 {
			b.Fatalf("run %+v %v", run, err)
		}
		b.ReportMetric(elapsed.Seconds(), "run-s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(run.Sent)/elapsed.Seconds(), "told/s")
	}
}
