package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/loadbench"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/catalog"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// sourceDialer dials from a new loopback address (127.1.0.1, 127.1.0.2, …)
// for every connection: each login comes from its own client address, as
// the portal's users do, so the per-address login throttle
// (account.LoginsPerMinute) limits no single simulated user.
func sourceDialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	var n atomic.Uint32
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		i := n.Add(1)
		ip := net.IPv4(127, byte(1+(i>>16)%250), byte(i>>8), byte(i))
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}
		return d.DialContext(ctx, network, addr)
	}
}

// loginScenario logs in to the demo individual and enterprise accounts in
// turn; the captchas of a step are fetched (and answered through
// /_local/) before it, so the step times the login request alone.
func (o options) loginScenario(base string) (loadbench.Scenario, error) {
	var accts []demo.Account
	for _, a := range demo.Accounts() {
		if a.UserType != "staff" {
			accts = append(accts, a)
		}
	}
	helper := loadbench.NewClient(base, nil)
	client := &http.Client{Timeout: o.timeout, Transport: &http.Transport{DialContext: sourceDialer(), DisableKeepAlives: true}}
	sc := loadbench.Scenario{Name: "login", What: fmt.Sprintf("`POST /api/v1/auth/login` (password, captcha) to the %d demo individual "+
		"and enterprise accounts in turn, each request on a new connection from its own loopback address (127.1.x.y); the captchas are fetched "+
		"and answered before the step, so it times the login request alone", len(accts))}
	return o.ladder(sc, func(rate int) (loadbench.Step, error) {
		n := min(rate*int(o.step/time.Second), o.maxPerStep)
		targets := make([]vegeta.Target, n)
		errs := loadbench.Parallel(n, o.prepConc, func(i int) error {
			cp, err := helper.NewCaptcha()
			if err != nil {
				return err
			}
			body, _ := json.Marshal(loadbench.LoginBody(accts[i%len(accts)], cp))
			targets[i] = vegeta.Target{Method: "POST", URL: base + "/api/v1/auth/login", Body: body,
				Header: http.Header{"Content-Type": {"application/json"}}}
			return nil
		})
		if err := errors.Join(errs...); err != nil {
			return loadbench.Step{}, fmt.Errorf("login: captchas: %w", err)
		}
		return o.attack(sc.Name, once(targets), rate, stepFor(n, rate), client), nil
	})
}

// stepFor is how long n requests at rate a second take (at least 1 s).
func stepFor(n, rate int) time.Duration {
	return max(time.Second, time.Duration(n)*time.Second/time.Duration(rate))
}

// submitters are the sessions of the accounts that can complete b and how
// many drafts each may hold prepared at once: a party's open drafts hold
// at most application.DefaultQuota.Files files.
type submitters struct {
	b        *catalog.Business
	clients  []*loadbench.Client
	perParty int
}

func newSubmitters(base, business string, quotaFiles int) (*submitters, error) {
	b, ok := catalog.Default().Business(business)
	if !ok {
		return nil, fmt.Errorf("no business %q", business)
	}
	clients, _, err := loadbench.Submitters(base, nil, b)
	if err != nil {
		return nil, err
	}
	per := quotaFiles
	if files := len(apptest.Needed(b)); files > 0 {
		per /= files
	}
	return &submitters{b: b, clients: clients, perParty: per}, nil
}

// capacity is how many drafts may be prepared at once.
func (s *submitters) capacity() int { return s.perParty * len(s.clients) }

// prepare prepares n drafts spread over the accounts and returns their
// submit targets, each with its owner's session and an Idempotency-Key.
// A draft that could not be prepared leaves its target empty; the error
// counts them and holds the first.
func (s *submitters) prepare(n, conc int, tag string) ([]vegeta.Target, *prepError) {
	targets := make([]vegeta.Target, n)
	errs := loadbench.Parallel(n, conc, func(i int) error {
		c := s.clients[i%len(s.clients)]
		path, err := c.Prepare(s.b)
		if err != nil {
			return err
		}
		targets[i] = vegeta.Target{Method: "POST", URL: c.Base + path + "/submit",
			Header: http.Header{"Cookie": {c.Cookie()}, "Idempotency-Key": {fmt.Sprintf("bench-load-%s-%d", tag, i)}}}
		return nil
	})
	var pe *prepError
	for _, err := range errs {
		if err != nil {
			if pe == nil {
				pe = &prepError{first: err}
			}
			pe.failed++
		}
	}
	return targets, pe
}

// prepError is how many drafts of a batch could not be prepared, and the
// first reason.
type prepError struct {
	failed int
	first  error
}

func (e *prepError) Error() string {
	return fmt.Sprintf("%d drafts not prepared, the first: %v", e.failed, e.first)
}

// submitScenario submits drafts prepared before each step.
func (o options) submitScenario(base string) (loadbench.Scenario, error) {
	s, err := newSubmitters(base, o.business, o.quotaFiles)
	if err != nil {
		return loadbench.Scenario{}, fmt.Errorf("submit: %w", err)
	}
	sc := loadbench.Scenario{Name: "submit", What: fmt.Sprintf("`POST …/applications/{id}/submit` with an `Idempotency-Key` of drafts of `%s` (%d material(s) "+
		"each) prepared before the step as the portal does (create, save the form, upload and complete the materials through the presigned "+
		"form, tick the record table), spread over the %d demo accounts that can complete it", s.b.ID, len(apptest.Needed(s.b)), len(s.clients))}
	shortened := false
	sc, err = o.ladder(sc, func(rate int) (loadbench.Step, error) {
		n := min(rate*int(o.step/time.Second), o.maxPerStep, s.capacity())
		shortened = shortened || n < rate*int(o.step/time.Second)
		began := time.Now()
		targets, pe := s.prepare(n, o.prepConc, fmt.Sprint(rate))
		if pe != nil {
			return loadbench.Step{}, fmt.Errorf("submit: prepare: %w", pe)
		}
		fmt.Printf("  prepared %d drafts in %.1fs\n", n, time.Since(began).Seconds())
		return o.attack(sc.Name, once(targets), rate, stepFor(n, rate), nil), nil
	})
	if shortened {
		sc.Note = fmt.Sprintf("steps above %d drafts were shortened to that many (the accounts' upload quotas, or -max-per-step)", min(o.maxPerStep, s.capacity()))
	}
	return sc, err
}

// volume submits o.total drafts in batches of at most the quota's
// capacity, on conc workers, and reads memory and store size at the
// checkpoints.
func (o options) volume(p *platform) (*loadbench.Volume, error) {
	s, err := newSubmitters(p.base, o.business, o.quotaFiles)
	if err != nil {
		return nil, fmt.Errorf("volume: %w", err)
	}
	v := &loadbench.Volume{Business: s.b.ID, Accounts: len(s.clients), Asked: o.total}
	began := time.Now()
	check := func(done int, settle bool) {
		c := loadbench.Checkpoint{Submitted: done, Elapsed: time.Since(began)}
		if settle {
			c.Settled = true
			var err error
			if c.SettledIn, err = p.settle(30 * time.Minute); err != nil {
				fmt.Printf("  volume: %v\n", err)
			}
		}
		c.Memory, c.DataBytes = p.memory(), diskUsage(p.dataDir)
		if st, err := p.stats(); err == nil {
			c.Runners, c.Parked, c.HeapLive = st.Workflows.Runners, st.Workflows.Parked, st.HeapLiveBytes
		}
		v.Checkpoints = append(v.Checkpoints, c)
		fmt.Printf("  volume: %d submitted in %.0fs (settled: %v), RSS %.1f MiB (peak %.1f; anonymous %.1f, file %.1f), heap %.1f MiB, executions in memory %d, parked %d, store %.1f MiB\n",
			done, c.Elapsed.Seconds(), c.Settled, float64(c.RSSKiB)/1024, float64(c.HWMKiB)/1024, float64(c.AnonKiB)/1024, float64(c.FileKiB)/1024,
			float64(c.HeapLive)/(1<<20), c.Runners, c.Parked, float64(c.DataBytes)/(1<<20))
	}
	check(0, false)
	fail := func(n int, err error) {
		if err != nil {
			v.Errors += n
			if v.FirstError == "" {
				v.FirstError = err.Error()
			}
		}
	}
	done := 0
	for _, mark := range checkpoints(o.total) {
		for done < mark {
			n := min(s.capacity(), mark-done)
			targets, pe := s.prepare(n, o.prepConc, fmt.Sprintf("v%d", done))
			if pe != nil {
				fail(pe.failed, pe.first)
			}
			if v.Errors > o.total/100+10 {
				return v, fmt.Errorf("volume: too many failures, first: %s", v.FirstError)
			}
			for _, e := range loadbench.Parallel(n, o.prepConc, func(i int) error { return submit(targets[i]) }) {
				fail(1, e)
			}
			done += n
		}
		check(done, false)
		check(done, true)
	}
	return v, nil
}

// checkpoints are where the volume run reads memory: 10k, 50k, 100k and
// the total (those under it).
func checkpoints(total int) []int {
	var out []int
	for _, c := range []int{10_000, 50_000, 100_000} {
		if c < total {
			out = append(out, c)
		}
	}
	return append(out, total)
}

// submit sends one prepared submit (an empty target is a draft that could
// not be prepared: skipped, its failure counted already).
func submit(t vegeta.Target) error {
	if t.URL == "" {
		return nil
	}
	req, err := t.Request()
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("submit: %d", resp.StatusCode)
	}
	return nil
}
