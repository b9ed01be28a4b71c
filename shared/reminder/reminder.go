// Package reminder runs the scheduled reminders (the monthly window's
// opening and closing, expiring drafts, certification): for one job and
// one period, every recipient its sources list is told once, through the
// message center (shared/inbox) and the channels the person chose.
//
// # Exactly once
//
// A recipient's reminder is the inbox message "r-<job>-<period>-<key>":
// the message center records it (a marker written on the condition that it
// is absent) before any SMS or e-mail goes out, and the SMS and e-mail are
// idempotent by the same id. A rerun, a retried invocation or an
// overlapping run therefore sends nothing twice: the second delivery finds
// the marker and counts the recipient as skipped.
//
// # Runs, pages and resuming
//
// A run of (job, period) is one item that holds where it is: the source it
// reads and the source's cursor, the counts sent / skipped / failed, and a
// lease. A run works page by page and saves its place after every page, so
// an invocation that stops — its time is up (a Lambda has 15 minutes), or
// it crashed — is resumed from the last saved page by the next invocation
// (the schedule's own retry, the continue sweep, or staff's rerun); the
// page it was in is read again and its recipients already told are
// skipped. Two invocations at once: the second finds the lease held and
// leaves the run to the first.
//
// # Keys
//
//	item      PK                     SK
//	run       REMIND#RUN#<job>       <period>          newest first by a backward query (the staff view)
//	active    REMIND#ACTIVE          <job>#<period>    while a run is unfinished (the continue sweep)
package reminder

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/table"
)

const (
	pkRun     = "REMIND#RUN#"
	pkActive  = "REMIND#ACTIVE"
	typeRun   = "remind_run"
	typeAct   = "remind_active"
	timeFmt   = time.RFC3339Nano
	leaseTime = 2 * time.Minute
)

// ErrBusy is an invocation that found the run leased by another one.
var ErrBusy = errors.New("reminder: the run is in progress in another invocation")

// Recipient is one person or unit a job tells something.
type Recipient struct {
	// Key identifies the recipient within the job and period (a 人员编号 or
	// 单位编号): it is part of the message id.
	Key string
	// Account is the account to tell; "" when the person or unit has not
	// registered (the recipient is skipped).
	Account string
	// Message is what to tell; its ID is set by the run.
	Message inbox.Message
}

// Source lists recipients page by page: after "" is the first page; next
// is "" after the last.
type Source interface {
	Page(ctx context.Context, period string, after string) (rs []Recipient, next string, err error)
}

// Job is a reminder: its name (part of every key and message id), its
// label for staff, its sources in order and how an instant names its
// period.
type Job struct {
	Name    string // window-open
	Label   string // 每月1日：办理时间开始，告知应缴未缴
	Sources []Source
	Period  func(t time.Time) string
	// OnceOnly leaves the period out of the message id: a recipient key is
	// told once whichever run lists it (a draft's expiry, listed by three
	// daily runs, is told once).
	OnceOnly bool
}

// messageID is the id of the reminder of job and period to key.
func (j Job) messageID(period, key string) string {
	if j.OnceOnly {
		return "r-" + j.Name + "-" + key
	}
	return "r-" + j.Name + "-" + period + "-" + key
}

// Run is where a run of a job and period is.
type Run struct {
	Job, Period string
	Status      string // running | done
	Source      int    // the source being read
	After       string // its cursor
	Sent        int64  // told (a new message)
	Skipped     int64  // told before, or without an account
	Failed      int64  // could not be told (see the log)
	Attempt     int64  // 1, and one more per staff rerun
	Started     time.Time
	Updated     time.Time
	Finished    time.Time
	Version     int64
	owner       string
	lease       time.Time
}

// Statuses of a run.
const (
	StatusRunning = "running"
	StatusDone    = "done"
)

func runKey(job, period string) table.Key { return table.Key{PK: pkRun + job, SK: period} }

func activeKey(job, period string) table.Key {
	return table.Key{PK: pkActive, SK: job + "#" + period}
}

func (r Run) item() table.Item {
	k := runKey(r.Job, r.Period)
	it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": typeRun, "Job": r.Job, "Period": r.Period,
		"Status": r.Status, "Source": int64(r.Source), "Sent": r.Sent, "Skipped": r.Skipped, "Failed": r.Failed,
		"Attempt": r.Attempt, "Started": r.Started.UTC().Format(timeFmt), "Updated": r.Updated.UTC().Format(timeFmt),
		table.AttrVersion: r.Version}
	if r.After != "" {
		it["After"] = r.After
	}
	if !r.Finished.IsZero() {
		it["Finished"] = r.Finished.UTC().Format(timeFmt)
	}
	if r.owner != "" {
		it["Owner"], it["Lease"] = r.owner, r.lease.UTC().Format(timeFmt)
	}
	return it
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFmt, s)
	if t.IsZero() {
		return t
	}
	return t.In(clock.Shanghai)
}

func decodeRun(it table.Item) Run {
	return Run{Job: it.String("Job"), Period: it.String("Period"), Status: it.String("Status"), Source: int(it.Int("Source")),
		After: it.String("After"), Sent: it.Int("Sent"), Skipped: it.Int("Skipped"), Failed: it.Int("Failed"),
		Attempt: it.Int("Attempt"), Started: parseTime(it.String("Started")), Updated: parseTime(it.String("Updated")),
		Finished: parseTime(it.String("Finished")), Version: it.Int(table.AttrVersion), owner: it.String("Owner"),
		lease: parseTime(it.String("Lease"))}
}

// Teller tells one account one message; *inbox.Notifier is one. created
// is false when the account had the message already.
type Teller interface {
	Tell(ctx context.Context, account string, m inbox.Message) (created bool, err error)
}

// Runner runs jobs on a table.
type Runner struct {
	t    table.Store
	clk  clock.Clock
	tell Teller
	// Log receives one line per recipient that could not be told (no
	// personal data: the job, period and the error).
	Log func(msg string, args ...any)
}

// NewRunner returns a runner that tells through tell.
func NewRunner(t table.Store, clk clock.Clock, tell Teller) *Runner {
	return &Runner{t: t, clk: clk, tell: tell, Log: func(string, ...any) {}}
}

// Options of one invocation.
type Options struct {
	// Deadline: stop after the page that ends past it (zero: none). A
	// Lambda passes its own deadline less a margin.
	Deadline time.Time
	// Rerun starts a finished run again from its first recipient (staff's
	// rerun): everyone told already is skipped, so only those missed are
	// told.
	Rerun bool
	// AfterPage is called after every saved page (tests inject a crash).
	AfterPage func(r Run) error
	// Parallel is how many recipients of a page are told at once (8 when
	// 0): each telling waits on the table and the SMS gateway.
	Parallel int
}

func (o Options) parallel() int {
	if o.Parallel <= 0 {
		return 8
	}
	return o.Parallel
}

// Get returns the run of job and period; ok is false when there is none.
func (r *Runner) Get(ctx context.Context, job, period string) (Run, bool, error) {
	it, err := r.t.Get(ctx, runKey(job, period))
	if errors.Is(err, table.ErrNotFound) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, fmt.Errorf("reminder: %w", err)
	}
	return decodeRun(it), true, nil
}

// Recent returns the last n runs of job, newest period first.
func (r *Runner) Recent(ctx context.Context, job string, n int) ([]Run, error) {
	p, err := r.t.Query(ctx, table.Query{PK: pkRun + job, Backward: true, Limit: n})
	if err != nil {
		return nil, fmt.Errorf("reminder: %w", err)
	}
	out := make([]Run, 0, len(p.Items))
	for _, it := range p.Items {
		out = append(out, decodeRun(it))
	}
	return out, nil
}

// Unfinished lists the runs not done (job#period), for the continue sweep.
func (r *Runner) Unfinished(ctx context.Context) ([][2]string, error) {
	var out [][2]string
	q := table.Query{PK: pkActive, Limit: 100}
	for {
		p, err := r.t.Query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("reminder: %w", err)
		}
		for _, it := range p.Items {
			out = append(out, [2]string{it.String("Job"), it.String("Period")})
		}
		if p.Cursor == "" {
			return out, nil
		}
		q.Cursor = p.Cursor
	}
}

// claim starts or resumes the run of job and period under this runner's
// lease; done is true when the run is finished (and no rerun is asked).
// Each invocation is its own owner: two at once in one process exclude
// each other as two Lambdas do.
func (r *Runner) claim(ctx context.Context, job Job, period string, rerun bool) (run Run, done bool, err error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	owner := hex.EncodeToString(b)
	now := r.clk.Now()
	cur, ok, err := r.Get(ctx, job.Name, period)
	if err != nil {
		return Run{}, false, err
	}
	var ops []table.Op
	switch {
	case !ok:
		cur = Run{Job: job.Name, Period: period, Status: StatusRunning, Attempt: 1, Started: now}
		ops = append(ops, table.Put(table.Item{table.AttrPK: pkActive, table.AttrSK: job.Name + "#" + period, "T": typeAct,
			"Job": job.Name, "Period": period}, table.IfAbsent()))
	case cur.Status == StatusDone && !rerun:
		return cur, true, nil
	case cur.Status == StatusDone:
		cur = Run{Job: job.Name, Period: period, Status: StatusRunning, Attempt: cur.Attempt + 1, Started: now, Version: cur.Version}
		ops = append(ops, table.Put(table.Item{table.AttrPK: pkActive, table.AttrSK: job.Name + "#" + period, "T": typeAct,
			"Job": job.Name, "Period": period}, table.Cond{}))
	case cur.owner != "" && now.Before(cur.lease):
		return cur, false, ErrBusy
	}
	prev := cur.Version
	cur.owner, cur.lease, cur.Updated, cur.Version = owner, now.Add(leaseTime), now, prev+1
	ops = append(ops, table.Put(cur.item(), table.IfVersion(prev)))
	if err := r.t.TransactWrite(ctx, ops); errors.Is(err, table.ErrConditionFailed) {
		return cur, false, ErrBusy // another invocation claimed it first
	} else if err != nil {
		return Run{}, false, fmt.Errorf("reminder: %w", err)
	}
	return cur, false, nil
}

// save writes the run's place under its version; the run is finished when
// done (and its active marker removed in the same transaction).
func (r *Runner) save(ctx context.Context, run *Run, done bool) error {
	prev := run.Version
	now := r.clk.Now()
	run.Updated, run.Version, run.lease = now, prev+1, now.Add(leaseTime)
	ops := []table.Op{}
	if done {
		run.Status, run.Finished, run.owner = StatusDone, now, ""
		ops = append(ops, table.Delete(activeKey(run.Job, run.Period), table.Cond{}))
	}
	ops = append(ops, table.Put(run.item(), table.IfVersion(prev)))
	if err := r.t.TransactWrite(ctx, ops); errors.Is(err, table.ErrConditionFailed) {
		return ErrBusy // the lease passed to another invocation
	} else if err != nil {
		return fmt.Errorf("reminder: %w", err)
	}
	return nil
}

// release ends this invocation's lease on run, so that the next one can
// resume at once.
func (r *Runner) release(ctx context.Context, run *Run) error {
	prev := run.Version
	run.owner, run.lease, run.Version = "", time.Time{}, prev+1
	if err := r.t.Put(ctx, run.item(), table.IfVersion(prev)); err != nil && !errors.Is(err, table.ErrConditionFailed) {
		return fmt.Errorf("reminder: %w", err)
	}
	return nil
}

// Do runs job for period (resuming it, or starting it again with
// opt.Rerun) until it is done or opt.Deadline passes, and returns where
// the run is. ErrBusy: another invocation holds it.
func (r *Runner) Do(ctx context.Context, job Job, period string, opt Options) (Run, error) {
	run, done, err := r.claim(ctx, job, period, opt.Rerun)
	if err != nil || done {
		return run, err
	}
	for run.Source < len(job.Sources) {
		if !opt.Deadline.IsZero() && !r.clk.Now().Before(opt.Deadline) {
			return run, r.release(ctx, &run) // resumed by the next invocation
		}
		rs, next, err := job.Sources[run.Source].Page(ctx, period, run.After)
		if err != nil {
			return run, fmt.Errorf("reminder: %s %s: source %d: %w", job.Name, period, run.Source, err)
		}
		ok := r.tellPage(ctx, job, period, rs, &run, opt.parallel())
		failing := 0
		for _, good := range ok {
			if good {
				failing = 0
				continue
			}
			if failing++; failing >= maxFailing {
				// Not one recipient but the table or the channels: stop
				// without saving the page, which the resuming invocation
				// reads again.
				err := fmt.Errorf("reminder: %s %s: %d recipients in a row could not be told", job.Name, period, failing)
				if cur, ok, gerr := r.Get(ctx, job.Name, period); gerr == nil && ok && cur.Version == run.Version {
					_ = r.release(ctx, &cur) // the page's counts are not kept: it is read again
				}
				return run, err
			}
		}
		run.After = next
		if next == "" {
			run.Source, run.After = run.Source+1, ""
		}
		if err := r.save(ctx, &run, run.Source >= len(job.Sources)); err != nil {
			return run, err
		}
		if opt.AfterPage != nil {
			if err := opt.AfterPage(run); err != nil {
				return run, err
			}
		}
	}
	return run, nil
}

// maxFailing is how many recipients in a row may fail before a run stops.
const maxFailing = 5

// tellPage tells the recipients of a page, n at a time, counts them in
// run, and says for each whether it was told (or skipped).
func (r *Runner) tellPage(ctx context.Context, job Job, period string, rs []Recipient, run *Run, n int) []bool {
	type result struct{ created, failed bool }
	res := make([]result, len(rs))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, rc := range rs {
		if rc.Account == "" {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			m := rc.Message
			m.ID = job.messageID(period, rc.Key)
			if m.Kind == "" {
				m.Kind = "reminder"
			}
			created, err := r.tell.Tell(ctx, rc.Account, m)
			if err != nil {
				r.Log("reminder not delivered", "job", job.Name, "period", period, "err", err.Error())
			}
			res[i] = result{created: created && err == nil, failed: err != nil}
		})
	}
	wg.Wait()
	ok := make([]bool, len(rs))
	for i, x := range res {
		switch {
		case x.failed:
			run.Failed++
		case x.created:
			run.Sent++
			ok[i] = true
		default: // told before, or no account
			run.Skipped++
			ok[i] = true
		}
	}
	return ok
}
