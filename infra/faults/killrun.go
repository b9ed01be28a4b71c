package faults

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/loadbench"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/catalog"
)

// KillConfig is a kill -9 run: N drafts prepared, then submitted in
// Kills phases while a reviewer decides; each phase ends with a kill -9
// at a random moment of its load and a restart on the same data.
type KillConfig struct {
	Runner   Runner
	Business string // "" = personal-basic-info-change
	N        int
	Kills    int
	Conc     int
	Seed     uint64
	Logf     func(format string, args ...any) // progress, nil = quiet
}

// KillResult is the run's outcome: the counts and how long it took.
type KillResult struct {
	Count *Count
	Kills int
	Took  time.Duration
}

// run is the state of one kill run.
type run struct {
	cfg       KillConfig
	b         *catalog.Business
	rnd       *rand.Rand
	proc      *Proc
	clients   []*loadbench.Client
	reviewers []*loadbench.Client
	paths     []string

	mu        sync.Mutex
	ledger    Ledger
	restarted time.Time // the last restart, by the runner's (real) clock
}

// RunKills runs the kill drill and counts what the data directory holds.
func RunKills(ctx context.Context, cfg KillConfig) (*KillResult, error) {
	start := time.Now()
	if cfg.N < cfg.Kills || cfg.Kills < 1 || cfg.Conc < 1 {
		return nil, errors.New("faults: need 1 ≤ kills ≤ n and conc ≥ 1")
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	b, ok := catalog.Default().Business(cmpOr(cfg.Business, "personal-basic-info-change"))
	if !ok {
		return nil, fmt.Errorf("faults: no business %q", cfg.Business)
	}
	x := &run{cfg: cfg, b: b, rnd: rand.New(rand.NewPCG(cfg.Seed, 13)), ledger: Ledger{
		Acked: map[string]application.Receipt{}, Unacked: map[string]bool{},
		Final: map[string]application.Receipt{}, Decisions: map[string]string{}}}
	if err := x.restart(); err != nil {
		return nil, err
	}
	defer func() {
		if x.proc != nil {
			x.proc.Kill()
		}
	}()
	if err := x.prepare(); err != nil {
		return nil, err
	}
	for k := range cfg.Kills {
		lo, hi := k*cfg.N/cfg.Kills, (k+1)*cfg.N/cfg.Kills
		if err := x.phase(lo, hi); err != nil {
			return nil, fmt.Errorf("phase %d: %w", k+1, err)
		}
	}
	if err := x.retryAll(); err != nil {
		return nil, err
	}
	if err := x.proc.Stop(30 * time.Second); err != nil {
		return nil, fmt.Errorf("faults: clean stop: %w", err)
	}
	x.proc = nil
	c, err := Check(ctx, cfg.Runner.Root, cfg.Runner.Data, &x.ledger)
	if err != nil {
		return nil, err
	}
	for id := range x.ledger.Unacked {
		if f, ok := x.ledger.Final[id]; ok && f.Submitted.Before(x.restarted) {
			c.UnackedPresent++
		}
	}
	return &KillResult{Count: c, Kills: cfg.Kills, Took: time.Since(start)}, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// restart (re)starts the runner on the same port and data. Sessions are
// stored in the table, so the clients' cookies stay good (logging in
// again would meet the login rate limit).
func (x *run) restart() error {
	p, err := x.cfg.Runner.Start(time.Minute)
	if err != nil {
		return err
	}
	x.proc = p
	x.restarted = time.Now()
	if x.clients != nil {
		return nil
	}
	for _, a := range demo.Accounts() {
		if a.UserType != x.b.UserType || !slices.Contains(a.Businesses, x.b.ID) {
			continue
		}
		c := loadbench.NewClient(p.URL, nil)
		if err := c.Login(a); err != nil {
			return err
		}
		x.clients = append(x.clients, c)
	}
	if len(x.clients) == 0 {
		return fmt.Errorf("faults: no demo account can complete %s", x.b.ID)
	}
	// Both reviewers of the area decide, so that four-eyes businesses
	// (退费, 补缴 …) reach their second approval and effect.
	for _, a := range demo.Accounts() {
		if a.Username == demo.ReviewerID || a.Username == demo.Reviewer2ID {
			c := loadbench.NewClient(p.URL, nil)
			if err := c.Login(a); err != nil {
				return err
			}
			x.reviewers = append(x.reviewers, c)
		}
	}
	if len(x.reviewers) != 2 {
		return errors.New("faults: the demo has not both reviewers of 七台河")
	}
	return nil
}

func (x *run) owner(i int) *loadbench.Client { return x.clients[i%len(x.clients)] }

func key(i int) string { return fmt.Sprintf("fault-%d", i) }

// prepare makes the N drafts.
func (x *run) prepare() error {
	x.paths = make([]string, x.cfg.N)
	x.ledger.IDs = make([]string, x.cfg.N)
	err := parallel(x.cfg.N, x.cfg.Conc, func(i int) (err error) {
		x.paths[i], err = x.owner(i).Prepare(x.b)
		x.ledger.IDs[i] = idOf(x.paths[i])
		return err
	})
	x.cfg.Logf("prepared %d drafts with %d demo accounts", x.cfg.N, len(x.clients))
	return err
}

func idOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// phase submits drafts lo..hi at the configured concurrency while the
// reviewer decides, kills the runner when a random number of submits has
// been acknowledged, and restarts it.
func (x *run) phase(lo, hi int) error {
	killAt := int64(1 + x.rnd.IntN(max(1, hi-lo-1)))
	var acks atomic.Int64
	kill := make(chan struct{})
	var once sync.Once
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, r := range x.reviewers {
		wg.Go(func() { x.review(r, stop) })
	}
	var submits sync.WaitGroup
	submits.Go(func() {
		_ = parallel(hi-lo, x.cfg.Conc, func(j int) error {
			i := lo + j
			var rc application.Receipt
			select {
			case <-kill:
				return nil // not sent: the runner is down
			default:
			}
			_, err := x.owner(i).Call("POST", x.paths[i]+"/submit", nil, map[string]string{"Idempotency-Key": key(i)}, &rc)
			x.mu.Lock()
			defer x.mu.Unlock()
			if err == nil {
				x.ledger.Acked[idOf(x.paths[i])] = rc
				if acks.Add(1) == killAt {
					once.Do(func() { close(kill) })
				}
				return nil
			}
			x.ledger.Unacked[idOf(x.paths[i])] = true
			return err
		})
		once.Do(func() { close(kill) })
	})
	<-kill
	x.proc.Kill()
	submits.Wait()
	close(stop)
	wg.Wait()
	x.cfg.Logf("kill -9 after %d acknowledged submits of %d", acks.Load(), hi-lo)
	return x.restart()
}

// review claims and decides reviewer's waiting cases until stop: two in
// three approved, one returned. A case it approved already (four eyes)
// refuses its claim and waits for the other reviewer.
func (x *run) review(reviewer *loadbench.Client, stop <-chan struct{}) {
	n := 0
	for {
		select {
		case <-stop:
			return
		default:
		}
		var q struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if _, err := reviewer.Call("GET", "/api/v1/review/queue", nil, nil, &q); err != nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		for _, it := range q.Items {
			path := "/api/v1/review/applications/" + it.ID
			if _, err := reviewer.Call("POST", path+"/claim", nil, nil, nil); err != nil {
				continue
			}
			decision := map[string]any{"decision": "approve"}
			if n++; n%3 == 0 {
				decision = map[string]any{"decision": "return", "reasons": x.returnReason()}
			}
			if _, err := reviewer.Call("POST", path+"/decision", decision, nil, nil); err == nil {
				x.mu.Lock()
				x.ledger.Decisions[it.ID] = decision["decision"].(string)
				x.mu.Unlock()
			}
		}
		if len(q.Items) == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// returnReason is a return's reason on an item the business has: its
// first material, or its first field.
func (x *run) returnReason() map[string]string {
	if len(x.b.Materials) > 0 {
		return map[string]string{"materials." + x.b.Materials[0].Name: "材料不清晰，请重新上传"}
	}
	return map[string]string{"fields." + x.b.Fields[0].Key: "请核对后重新填写"}
}

// retryAll submits every draft again with its key after the last
// restart, as a person whose page lost the answer would: an
// acknowledged one must answer the same receipt.
func (x *run) retryAll() error {
	var failed atomic.Int64
	_ = parallel(x.cfg.N, x.cfg.Conc, func(i int) error {
		var rc application.Receipt
		if _, err := x.owner(i).Call("POST", x.paths[i]+"/submit", nil, map[string]string{"Idempotency-Key": key(i)}, &rc); err != nil {
			failed.Add(1)
			return err
		}
		x.mu.Lock()
		x.ledger.Final[idOf(x.paths[i])] = rc
		x.mu.Unlock()
		return nil
	})
	x.cfg.Logf("retried %d submits after the last restart, %d failed", x.cfg.N, failed.Load())
	if failed.Load() > 0 {
		return fmt.Errorf("faults: %d retried submits failed", failed.Load())
	}
	return nil
}

// parallel runs f(i) for i < n on conc workers and joins the errors.
func parallel(n, conc int, f func(i int) error) error {
	return errors.Join(loadbench.Parallel(n, conc, f)...)
}
