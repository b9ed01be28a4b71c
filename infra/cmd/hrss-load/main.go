// Command hrss-load measures submissions through a running local platform
// (make run) the way the portal makes them: it logs in every demo account
// of the business's user type, each with its own session cookie, spreads
// the drafts over them (a person's open drafts hold at most 200 files),
// prepares the drafts (loadbench.Client.Prepare: create, save the form,
// upload and complete the materials, tick the record table) and then
// submits them all at a fixed concurrency, reporting the submits per
// second and the latency percentiles. Local runs only: it reads captcha
// answers from the runner's /_local/ helpers. make bench-load
// (infra/cmd/bench-load) starts its own runner and climbs rates instead.
//
//	go run ./infra/cmd/hrss-load -n 500 -c 8
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/hljhrss/hrss/infra/loadbench"
	"github.com/hljhrss/hrss/shared/catalog"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the runner's address")
	n := flag.Int("n", 200, "drafts to prepare and submit")
	conc := flag.Int("c", 8, "concurrent requests")
	business := flag.String("business", "personal-basic-info-change", "business id")
	flag.Parse()
	if err := run(*base, *n, *conc, *business); err != nil {
		fmt.Fprintln(os.Stderr, "hrss-load:", err)
		os.Exit(1)
	}
}

// parallel runs f(i) for i < n on conc workers and returns each call's
// latency and error.
func parallel(n, conc int, f func(i int) error) ([]time.Duration, []error, time.Duration) {
	lat, errs := make([]time.Duration, n), make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for i := range next {
				t := time.Now()
				errs[i] = f(i)
				lat[i] = time.Since(t)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return lat, errs, time.Since(start)
}

func report(what string, lat []time.Duration, errs []error, took time.Duration) {
	s := slices.Clone(lat)
	slices.Sort(s)
	pct := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	failed := 0
	var first error
	for _, err := range errs {
		if err != nil {
			failed++
			if first == nil {
				first = err
			}
		}
	}
	fmt.Printf("%-8s n=%d errors=%d in %.2fs: %.1f/s  p50 %.1fms  p90 %.1fms  p99 %.1fms  max %.1fms\n", what, len(s), failed,
		took.Seconds(), float64(len(s))/took.Seconds(), ms(pct(.50)), ms(pct(.90)), ms(pct(.99)), ms(s[len(s)-1]))
	if first != nil {
		fmt.Println("  first error:", first)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func run(base string, n, conc int, businessID string) error {
	if n < 1 || conc < 1 {
		return errors.New("-n and -c must be at least 1")
	}
	b, ok := catalog.Default().Business(businessID)
	if !ok {
		return fmt.Errorf("no business %q", businessID)
	}
	clients, _, err := loadbench.Submitters(base, nil, b)
	if err != nil {
		return err
	}
	fmt.Printf("%s (%s) by %d demo accounts, %d concurrent\n", b.Name, b.ID, len(clients), conc)
	paths := make([]string, n)
	owner := func(i int) *loadbench.Client { return clients[i%len(clients)] }
	lat, errs, took := parallel(n, conc, func(i int) (err error) { paths[i], err = owner(i).Prepare(b); return err })
	report("prepare", lat, errs, took)
	if err := errors.Join(errs...); err != nil {
		return errors.New("drafts could not be prepared")
	}
	lat, errs, took = parallel(n, conc, func(i int) error {
		_, err := owner(i).Call("POST", paths[i]+"/submit", nil, map[string]string{"Idempotency-Key": fmt.Sprintf("load-%d-%s", i, paths[i])}, nil)
		return err
	})
	report("submit", lat, errs, took)
	return nil
}
