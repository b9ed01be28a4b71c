package application_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/blobstest"
	"github.com/hljhrss/hrss/shared/blobs/diskblobs"
	"github.com/hljhrss/hrss/shared/blobs/s3blobs/s3fake"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

// counting counts the table calls made through it, by kind.
type counting struct {
	table.Store
	gets, puts, deletes, queries, txs atomic.Int32
}

func (c *counting) Get(ctx context.Context, k table.Key) (table.Item, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, k)
}
func (c *counting) Put(ctx context.Context, it table.Item, cond table.Cond) error {
	c.puts.Add(1)
	return c.Store.Put(ctx, it, cond)
}
func (c *counting) Delete(ctx context.Context, k table.Key, cond table.Cond) error {
	c.deletes.Add(1)
	return c.Store.Delete(ctx, k, cond)
}
func (c *counting) Query(ctx context.Context, q table.Query) (table.Page, error) {
	c.queries.Add(1)
	return c.Store.Query(ctx, q)
}
func (c *counting) TransactWrite(ctx context.Context, ops []table.Op) error {
	c.txs.Add(1)
	return c.Store.TransactWrite(ctx, ops)
}
func (c *counting) reset() {
	for _, n := range []*atomic.Int32{&c.gets, &c.puts, &c.deletes, &c.queries, &c.txs} {
		n.Store(0)
	}
}

// engine is the workflow engine the service starts executions with: the
// in-process ASL interpreter running review.asl.json, counting starts and
// failing them while fail is set.
type engine struct {
	*asl.Engine
	starts  atomic.Int32 // calls
	started atomic.Int32 // executions the calls created
	fail    atomic.Bool
	lose    atomic.Bool // SendTaskSuccess calls are lost (report success, do nothing)
	refuse  atomic.Bool // SendTaskSuccess calls fail (the service is down)
}

func (e *engine) SendTaskSuccess(ctx context.Context, token string, out json.RawMessage) error {
	if e.lose.Load() {
		return nil
	}
	if e.refuse.Load() {
		return errors.New("states: service unavailable (injected)")
	}
	return e.Engine.SendTaskSuccess(ctx, token, out)
}

func (e *engine) Start(ctx context.Context, in workflow.StartInput) (string, error) {
	e.starts.Add(1)
	if e.fail.Load() {
		return "", errors.New("states: service unavailable (injected)")
	}
	arn, err := e.Engine.Start(ctx, in)
	if err == nil {
		e.started.Add(1)
	}
	return arn, err
}

type env struct {
	svc   *application.Service
	store *counting
	blobs blobs.Store
	s3    *s3fake.Server // when the env runs on the S3 adapter
	wf    *engine
	clk   *clock.Fixed
	h     *httptest.Server // where presigned uploads go
}

// options of an env: the diskblobs adapter and the local scanner unless
// s3 (the S3 adapter on s3fake) or guardDuty (the GuardDuty tag scanner).
type options struct {
	hooks     application.Hooks
	quota     application.Quota
	s3        bool
	guardDuty bool
	plugins   []application.Plugin // nil: recordingPlugins
}

func newEnv(t *testing.T, s table.Store, hooks application.Hooks) *env {
	return newEnvWith(t, s, options{hooks: hooks})
}

func newEnvWith(t *testing.T, s table.Store, o options) *env {
	t.Helper()
	clk := clock.Frozen(may10)
	if _, err := demo.SeedIfEmpty(t.Context(), s, clk); err != nil {
		t.Fatal(err)
	}
	e := &env{store: &counting{Store: s}, clk: clk, wf: &engine{}}
	if o.s3 {
		// The fake S3 keeps real time: the env's clock starts there too, so
		// that presigned forms' expiry agrees on both sides.
		st, fake, srv := s3fake.NewStore(t)
		e.blobs, e.s3, e.h = st, fake, srv
		clk.Set(fake.Now())
	} else {
		mux := httptest.NewServer(nil)
		t.Cleanup(mux.Close)
		bs, err := diskblobs.New(t.TempDir(), mux.URL, []byte("0123456789abcdef0123456789abcdef"), clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { bs.Close() })
		mux.Config.Handler = bs.Handler()
		e.blobs, e.h = bs, mux
	}
	var sc scan.Scanner = scan.Local{Blobs: e.blobs}
	if o.guardDuty {
		sc = scan.GuardDuty{Blobs: e.blobs}
	}
	ls := ledger.NewStore(e.store, clk)
	plugins := o.plugins
	if plugins == nil {
		plugins = recordingPlugins()
	}
	e.svc = application.New(application.Deps{Table: e.store, Clock: clk, Catalog: catalog.Default, Ledger: ls,
		Tables: recordtable.New(ls, refstore.New(e.store, clk), catalog.Default), Blobs: e.blobs,
		Scanner: sc, Workflow: e.wf, Audit: identity.NewAudit(e.store, clk, identity.NewKeys(ledger.DefaultIDHashKey)),
		Hooks: o.hooks, Quota: o.quota}, plugins...)
	def, err := os.ReadFile("../../infra/statemachine/review.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	task := familyapi.Task(e.svc)
	// Every function's tasks run on this service; the receipt (made by the
	// receipts function, tested in infra/runner) is left out here, but
	// its first step, StartReceipt, is the receipts function's own.
	handler := func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
		if strings.Contains(string(p), `"generateReceipt"`) {
			var in struct {
				App   string `json:"applicationId"`
				Round int    `json:"round"`
			}
			if err := json.Unmarshal(p, &in); err != nil {
				return nil, err
			}
			if _, err := e.svc.StartReceipt(ctx, in.App, in.Round); err != nil {
				return nil, err
			}
			return json.RawMessage(`{"receipt":"not made in this package's tests"}`), nil
		}
		return task(ctx, p)
	}
	e.wf.Engine, err = asl.New(s, clk, map[string][]byte{application.ReviewMachine: def}, func(name string) (workflow.TaskHandler, bool) {
		return handler, true
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.wf.Engine.Close() })
	return e
}

// recordingPlugins give every family an effect that changes no record and
// says so: this package tests the lifecycle around the effects; the
// families' real effects are tested through the runner
// (infra/runner.TestDecisionEffects).
func recordingPlugins() []application.Plugin {
	var out []application.Plugin
	byFamily := map[string]map[string]application.EffectFunc{}
	for _, b := range catalog.Default().Businesses() {
		if byFamily[b.Family] == nil {
			byFamily[b.Family] = map[string]application.EffectFunc{}
		}
		byFamily[b.Family][b.ID] = func(_ context.Context, in application.EffectInput) (application.Effect, error) {
			return application.Effect{Summary: "已办结（" + in.Business.Name + "）"}, nil
		}
	}
	for f, effects := range byFamily {
		out = append(out, application.Plugin{Family: f, Effects: effects})
	}
	return out
}

// advance moves the env's clock and the fake S3's together.
func (e *env) advance(d time.Duration) {
	e.clk.Advance(d)
	if e.s3 != nil {
		e.s3.Advance(d)
	}
}

// staff is a reviewer of the demo pooling area 230999.
func staff(id string) identity.Caller {
	return identity.Caller{AccountID: "staff:" + id, Kind: identity.Staff, Roles: []identity.Role{identity.RoleReviewer},
		Name: "审核员" + id, PoolingArea: "230999"}
}

func caller(person string) identity.Caller {
	for _, p := range demo.Persons() {
		if p.Number == person {
			return identity.Caller{AccountID: "individual:" + p.Number, Kind: identity.Individual,
				Roles: []identity.Role{identity.RoleIndividual}, Name: p.Name, PersonNumber: p.Number}
		}
	}
	panic("no demo person " + person)
}

// ready opens a draft of business for c and makes it ready to submit: the
// fields filled, the rows ticked, the materials uploaded and accepted.
func (e *env) ready(t *testing.T, c identity.Caller, business string) *application.Case {
	t.Helper()
	ctx := t.Context()
	b, _ := catalog.Default().Business(business)
	cs, err := e.svc.Create(ctx, c, b.Family, business)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.View(ctx, c, cs, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	fill := apptest.NewFiller(b, cs.App.Fields)
	var sel []string
	if v.Ledger != nil {
		for _, r := range v.Ledger.Rows {
			sel = append(sel, r.Period)
		}
	}
	for range 8 {
		var res catalog.Result
		cs, res, err = e.svc.Save(ctx, c, b.Family, cs.App.ID, application.Draft{Version: cs.App.Version, Fields: fill.Fields,
			Selection: sel, Rows: apptest.Rows(b)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) == 0 {
			break
		}
		fill.Retry(res.Errors)
	}
	for _, m := range apptest.Needed(b) {
		data, ct := apptest.File(m)
		u, post, err := e.svc.PresignUpload(ctx, c, b.Family, cs.App.ID, application.UploadRequest{Material: m.Name,
			FileName: "f", ContentType: ct, Size: int64(len(data))})
		if err != nil {
			t.Fatal(err)
		}
		if code, body, err := blobstest.Upload(ctx, e.h.Client(), post, data); err != nil || code/100 != 2 {
			t.Fatalf("upload: %d %s %v", code, body, err)
		}
		if _, err := e.svc.CompleteUpload(ctx, c, b.Family, cs.App.ID, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	cs, err = e.svc.Get(ctx, c, b.Family, cs.App.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestSubmit runs on both table adapters: a submit is one transaction and
// one workflow start; the same key answers the same receipt without
// writing; the snapshot holds the ticked rows' amounts; the review
// execution waits with its token recorded on the application.
func TestSubmit(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnv(t, s, application.Hooks{})
		c := caller(demo.PersonRefund)
		cs := e.ready(t, c, "personal-refund")
		e.store.reset()
		got, err := e.svc.Get(t.Context(), c, "contributions-and-arrears", cs.App.ID)
		if err == nil {
			_, err = e.svc.View(t.Context(), c, got, nil, false)
		}
		if err != nil || e.store.queries.Load() != 1 || e.store.gets.Load() != 0 {
			t.Errorf("reading a draft: %d queries, %d gets (%v), want one query", e.store.queries.Load(), e.store.gets.Load(), err)
		}
		e.store.reset()
		rc, err := e.svc.Submit(t.Context(), c, "contributions-and-arrears", cs.App.ID, "key-1", application.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("submit: %d query, %d get, %d put, %d delete, %d transaction; %d workflow start",
			e.store.queries.Load(), e.store.gets.Load(), e.store.puts.Load(), e.store.deletes.Load(), e.store.txs.Load(), e.wf.starts.Load())
		// (The counts include the execution's first task, which runs
		// meanwhile; TestRoundTrips in infra/runner counts the request's
		// own calls, and finds no delete.)
		if e.store.txs.Load() != 1 || e.wf.starts.Load() != 1 {
			t.Errorf("transactions %d, starts %d: want 1 and 1", e.store.txs.Load(), e.wf.starts.Load())
		}
		if err := e.wf.Settle(t.Context()); err != nil { // the execution records its token
			t.Fatal(err)
		}
		// The execution's first task removed the unstarted marker.
		if page, err := s.Query(t.Context(), table.Query{PK: "APP#UNSTARTED"}); err != nil || len(page.Items) != 0 {
			t.Errorf("unstarted markers after the execution ran: %v %v", page.Items, err)
		}
		e.store.reset()
		again, err := e.svc.Submit(t.Context(), c, "contributions-and-arrears", cs.App.ID, "key-1", application.Meta{})
		if err != nil || again != rc {
			t.Errorf("same key: %+v %v, want %+v", again, err, rc)
		}
		if e.store.txs.Load()+e.store.puts.Load() != 0 || e.wf.starts.Load() != 1 {
			t.Errorf("same key wrote %d transactions, %d puts, started %d", e.store.txs.Load(), e.store.puts.Load(), e.wf.starts.Load()-1)
		}
		got, err = e.svc.Get(t.Context(), c, "", cs.App.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.App.ReviewToken == "" || got.App.Status != application.StatusSubmitted || got.App.Reference != rc.Reference {
			t.Errorf("after submit: token %t, status %s, reference %s", got.App.ReviewToken != "", got.App.Status, got.App.Reference)
		}
		if !rc.DueBy.Equal(may10.Add(application.ReviewSLA)) {
			t.Errorf("due by %s", rc.DueBy)
		}
		if len(got.Snapshots) != 1 || got.Snapshots[0].Ledger == nil || len(got.Snapshots[0].Ledger.Rows) != 9 {
			t.Fatalf("snapshot: %+v", got.Snapshots)
		}
		sn := got.Snapshots[0]
		// 合计金额 over the nine refundable rows of 个人实缴 (amount and
		// recorded interest): 2.00 + 5 × 7.42 + 3 × 232.08 = 735.34.
		if sn.Ledger.Totals[0].Value != "735.34" || sn.CatalogVersion == "" || sn.Fields["personNumber"] != demo.PersonRefund {
			t.Errorf("snapshot: totals %+v, catalog %q, fields %v", sn.Ledger.Totals, sn.CatalogVersion, sn.Fields)
		}
		b, _ := json.Marshal(sn)
		if len(b) > 20000 {
			t.Errorf("snapshot of %d bytes", len(b))
		}
		// Another person's: not found, with nothing written.
		if _, err := e.svc.Submit(t.Context(), caller(demo.PersonBaseDiff), "contributions-and-arrears", cs.App.ID, "key-2", application.Meta{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another person's submit: %v", err)
		}
	})
}

// TestSubmitCrashBeforeStart: a submit that stops after its write and
// before the review execution starts (fault injected) loses nothing: the
// sweep starts it once, and a retried submit with the same key does too.
func TestSubmitCrashBeforeStart(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		crash := errors.New("crash (injected) between the write and the start")
		var armed atomic.Bool
		armed.Store(true)
		e := newEnv(t, s, application.Hooks{AfterWrite: func(*application.Application) error {
			if armed.Load() {
				return crash
			}
			return nil
		}})
		c := caller(demo.PersonRefund)
		first := e.ready(t, c, "personal-refund")
		second := e.ready(t, c, "personal-basic-info-change")
		if _, err := e.svc.Submit(t.Context(), c, "contributions-and-arrears", first.App.ID, "k", application.Meta{}); !errors.Is(err, crash) {
			t.Fatalf("first: %v", err)
		}
		if _, err := e.svc.Submit(t.Context(), c, "personal-info", second.App.ID, "k", application.Meta{}); !errors.Is(err, crash) {
			t.Fatalf("second: %v", err)
		}
		armed.Store(false)
		if e.wf.starts.Load() != 0 {
			t.Fatalf("started %d before the sweep", e.wf.starts.Load())
		}
		// A retried submit with the same key answers and starts its own.
		if _, err := e.svc.Submit(t.Context(), c, "personal-info", second.App.ID, "k", application.Meta{}); err != nil {
			t.Fatal(err)
		}
		// The sweep leaves fresh markers alone, then starts what is left.
		if n, err := e.svc.Sweep(t.Context(), time.Minute); err != nil || n != 0 {
			t.Errorf("sweep within the grace: %d %v", n, err)
		}
		e.clk.Advance(2 * time.Minute)
		if n, err := e.svc.Sweep(t.Context(), time.Minute); err != nil || n != 1 {
			t.Errorf("sweep: started %d (%v), want 1", n, err)
		}
		if n, err := e.svc.Sweep(t.Context(), time.Minute); err != nil || n != 0 {
			t.Errorf("second sweep: started %d (%v), want 0", n, err)
		}
		for _, id := range []string{first.App.ID, second.App.ID} {
			if _, err := e.wf.Describe(t.Context(), application.ReviewMachine, application.ExecutionName(id, 1)); err != nil {
				t.Errorf("%s: no review execution: %v", id, err)
			}
		}
		if got := e.wf.started.Load(); got != 2 {
			t.Errorf("executions started %d, want 2", got)
		}
	})
}

// TestStartFailureIsSwept: the workflow service failing at the start does
// not fail the submit the applicant was told of; the sweep starts it.
func TestStartFailureIsSwept(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnv(t, s, application.Hooks{})
		c := caller(demo.PersonRefund)
		cs := e.ready(t, c, "personal-basic-info-change")
		e.wf.fail.Store(true)
		if _, err := e.svc.Submit(t.Context(), c, "personal-info", cs.App.ID, "k", application.Meta{}); err != nil {
			t.Fatalf("submit while the workflow service fails: %v", err)
		}
		e.wf.fail.Store(false)
		e.clk.Advance(2 * time.Minute)
		if n, err := e.svc.Sweep(t.Context(), time.Minute); err != nil || n != 1 {
			t.Errorf("sweep: %d %v", n, err)
		}
	})
}

// TestConcurrentSubmitsOneKey: twenty goroutines submit one draft with
// one key on each adapter: one submission, one start, one receipt.
func TestConcurrentSubmitsOneKey(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnv(t, s, application.Hooks{})
		c := caller(demo.PersonRefund)
		cs := e.ready(t, c, "personal-basic-info-change")
		e.store.reset()
		var wg sync.WaitGroup
		out := make([]application.Receipt, 20)
		errs := make([]error, 20)
		for i := range out {
			wg.Go(func() {
				out[i], errs[i] = e.svc.Submit(context.Background(), c, "personal-info", cs.App.ID, "one", application.Meta{})
			})
		}
		wg.Wait()
		for i := range out {
			if errs[i] != nil || out[i] != out[0] {
				t.Errorf("submit %d: %+v %v, want %+v", i, out[i], errs[i], out[0])
			}
		}
		if got := e.wf.started.Load(); got != 1 {
			t.Errorf("review executions started: %d (in %d calls)", got, e.wf.starts.Load())
		}
		t.Logf("%d start calls made one execution (losers of the race start by name, which exists)", e.wf.starts.Load())
		got, err := e.svc.Get(t.Context(), c, "", cs.App.ID)
		if err != nil || got.App.Round != 1 || len(got.Snapshots) != 1 {
			t.Errorf("round %d, snapshots %d, %v", got.App.Round, len(got.Snapshots), err)
		}
	})
}

// TestQuotaBoundsDrafts: files held by drafts count against the party's
// quota, concurrent uploads included; a submit releases its files.
func TestQuotaBoundsDrafts(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnvWith(t, s, options{quota: application.Quota{Files: 3, Bytes: 1 << 20}})
		c := caller(demo.PersonRefund)
		cs := e.ready(t, c, "personal-refund") // one file
		other, err := e.svc.Create(t.Context(), c, "personal-info", "personal-basic-info-change")
		if err != nil {
			t.Fatal(err)
		}
		req := application.UploadRequest{Material: "银行卡", FileName: "a.png", ContentType: "image/png", Size: 72}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				_, _, errs[i] = e.svc.PresignUpload(context.Background(), c, "contributions-and-arrears", cs.App.ID, req)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if ae := apperr.As(err); ae == nil || !strings.Contains(ae.Message, "已达上限") {
				t.Errorf("presign over the quota: %v, want the quota's message", err)
			}
		}
		if ok != 2 {
			t.Errorf("%d concurrent presigns granted with 2 files of quota left", ok)
		}
		b, _ := catalog.Default().Business("personal-basic-info-change")
		m := apptest.Needed(b)
		if len(m) == 0 {
			t.Fatal("4.7 needs a material for this test")
		}
		data, ct := apptest.File(m[0])
		oreq := application.UploadRequest{Material: m[0].Name, FileName: "f", ContentType: ct, Size: int64(len(data))}
		if _, _, err := e.svc.PresignUpload(t.Context(), c, "personal-info", other.App.ID, oreq); apperr.As(err) == nil || !strings.Contains(apperr.As(err).Message, "已达上限") {
			t.Fatalf("over the quota: %v", err)
		}
		// Drop the two pending files, submit the first draft: its file
		// leaves the quota and the other draft can upload again.
		got, _ := e.svc.Get(t.Context(), c, "", cs.App.ID)
		for _, u := range got.Uploads {
			if u.Status == application.UploadPending {
				if err := e.svc.DeleteUpload(t.Context(), c, "contributions-and-arrears", cs.App.ID, u.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := e.svc.Submit(t.Context(), c, "contributions-and-arrears", cs.App.ID, "k", application.Meta{}); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, _, err := e.svc.PresignUpload(t.Context(), c, "personal-info", other.App.ID, oreq); err != nil {
				t.Fatalf("upload %d after the submit: %v", i+1, err)
			}
		}
	})
}

// TestUploadChecksOnBothAdapters: on the disk adapter and on the S3
// adapter, a completed upload is refused when its bytes are not the
// declared type, when it is the EICAR test file, when fewer bytes arrived
// than declared, and when its form expired before the file came; a good
// file is accepted and leaves the pending prefix.
func TestUploadChecksOnBothAdapters(t *testing.T) {
	for _, adapter := range []string{"disk", "s3"} {
		t.Run(adapter, func(t *testing.T) {
			e := newEnvWith(t, storetest.Bolt(t, clock.Frozen(may10)), options{s3: adapter == "s3"})
			c := caller(demo.PersonRefund)
			ctx := t.Context()
			cs, err := e.svc.Create(ctx, c, "contributions-and-arrears", "personal-refund")
			if err != nil {
				t.Fatal(err)
			}
			try := func(data []byte, declared int, before func()) (application.Upload, error) {
				t.Helper()
				u, post, err := e.svc.PresignUpload(ctx, c, "contributions-and-arrears", cs.App.ID, application.UploadRequest{
					Material: "银行卡", FileName: "卡.png", ContentType: "image/png", Size: int64(declared)})
				if err != nil {
					t.Fatal(err)
				}
				if before != nil {
					before()
				}
				_, _, _ = blobstest.Upload(ctx, e.h.Client(), post, data)
				return e.svc.CompleteUpload(ctx, c, "contributions-and-arrears", cs.App.ID, u.ID)
			}
			u, err := try(apptest.PNG, len(apptest.PNG), nil)
			if err != nil || u.Status != application.UploadAccepted || len(u.Digest) != 64 {
				t.Fatalf("good file: %+v %v", u, err)
			}
			if _, err := e.blobs.Head(ctx, u.BlobKey()); err != nil || !strings.HasPrefix(u.BlobKey(), "materials/") {
				t.Errorf("accepted file at %s: %v", u.BlobKey(), err)
			}
			if _, err := e.blobs.Head(ctx, "pending/"+cs.App.ID+"/"+u.ID); !errors.Is(err, blobs.ErrNotFound) {
				t.Errorf("the pending copy remains: %v", err)
			}
			gif := append([]byte("GIF89a"), make([]byte, 66)...)
			// In order: the expired form moves the clocks (S3 signs with
			// real time, so it comes last).
			for _, tc := range []struct {
				name     string
				data     []byte
				declared int
				before   func()
				says     string
			}{
				{"GIF bytes declared PNG", gif, len(gif), nil, "文件内容与其格式不符"},
				{"EICAR", []byte(scan.EICAR), len(scan.EICAR), nil, "未通过安全检查"},
				{"fewer bytes", apptest.PNG[:40], len(apptest.PNG), nil, "尚未上传完成"},
				{"expired form", apptest.PNG, len(apptest.PNG), func() { e.advance(application.UploadExpiry + time.Minute) }, "上传已过期"},
			} {
				_, err := try(tc.data, tc.declared, tc.before)
				if ae := apperr.As(err); ae == nil || ae.Code != apperr.Invalid || !strings.Contains(ae.Message, tc.says) {
					t.Errorf("%s: %v, want %q", tc.name, err, tc.says)
				}
			}
		})
	}
}

// TestGuardDutyVerdicts: with the GuardDuty scanner (on the S3 adapter) a
// file is not accepted before its scan result tag is written, and is
// refused when GuardDuty found a threat.
func TestGuardDutyVerdicts(t *testing.T) {
	e := newEnvWith(t, storetest.Bolt(t, clock.Frozen(may10)), options{s3: true, guardDuty: true})
	c := caller(demo.PersonRefund)
	ctx := t.Context()
	cs, err := e.svc.Create(ctx, c, "contributions-and-arrears", "personal-refund")
	if err != nil {
		t.Fatal(err)
	}
	upload := func() application.Upload {
		u, post, err := e.svc.PresignUpload(ctx, c, "contributions-and-arrears", cs.App.ID, application.UploadRequest{
			Material: "银行卡", FileName: "卡.png", ContentType: "image/png", Size: int64(len(apptest.PNG))})
		if err != nil {
			t.Fatal(err)
		}
		if code, body, err := blobstest.Upload(ctx, e.h.Client(), post, apptest.PNG); err != nil || code/100 != 2 {
			t.Fatalf("upload: %d %s %v", code, body, err)
		}
		return u
	}
	complete := func(u application.Upload) (application.Upload, error) {
		return e.svc.CompleteUpload(ctx, c, "contributions-and-arrears", cs.App.ID, u.ID)
	}
	clean := upload()
	if _, err := complete(clean); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("before the scan: %v, want a conflict (正在进行安全检查)", err)
	}
	if err := e.s3.SetTags(clean.BlobKey(), map[string]string{scan.GuardDutyTag: scan.GuardDutyNoThreatsFound}); err != nil {
		t.Fatal(err)
	}
	if u, err := complete(clean); err != nil || u.Status != application.UploadAccepted {
		t.Errorf("clean: %+v %v", u, err)
	}
	bad := upload()
	if err := e.s3.SetTags(bad.BlobKey(), map[string]string{scan.GuardDutyTag: "THREATS_FOUND"}); err != nil {
		t.Fatal(err)
	}
	if _, err := complete(bad); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("threat found: %v", err)
	}
}

// TestReturnedThenResubmitted: a reviewer returns a claimed application
// with a reason; it is edited and
// submitted again as round 2 under the same reference; round 1's snapshot
// stays as it was, a file removed from round 2 stays with round 1, and the
// kept files count for round 2's materials.
func TestReturnedThenResubmitted(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnv(t, s, application.Hooks{})
		ctx := t.Context()
		c := caller(demo.PersonRefund)
		const fam = "contributions-and-arrears"
		cs := e.ready(t, c, "personal-refund")
		first, err := e.svc.Submit(ctx, c, fam, cs.App.ID, "k1", application.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Save(ctx, c, fam, cs.App.ID, application.Draft{Version: 99}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("saving a submitted application: %v", err)
		}
		rv := staff("R1")
		if _, err := e.svc.Claim(ctx, rv, cs.App.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Decide(ctx, rv, cs.App.ID, application.Decision{Decision: application.Return}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a return without reasons: %v", err)
		}
		reasons := map[string]string{"materials.银行卡": "银行卡照片不清晰，请重新上传"}
		if _, err := e.svc.Decide(ctx, rv, cs.App.ID, application.Decision{Decision: application.Return, Reasons: reasons, Comment: "材料不清晰"}); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Get(ctx, c, fam, cs.App.ID)
		if err != nil || got.App.Status != application.StatusReturned || got.App.Reasons["materials.银行卡"] == "" {
			t.Fatalf("returned: %+v %v", got.App, err)
		}
		var old application.Upload
		for _, u := range got.Uploads {
			if u.Material == "银行卡" {
				old = u
			}
		}
		// Without the card the refund account group is incomplete.
		if err := e.svc.DeleteUpload(ctx, c, fam, cs.App.ID, old.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Submit(ctx, c, fam, cs.App.ID, "k2", application.Meta{}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("resubmit without the card: %v", err)
		}
		u, post, err := e.svc.PresignUpload(ctx, c, fam, cs.App.ID, application.UploadRequest{Material: "银行卡", FileName: "新卡.png",
			ContentType: "image/png", Size: int64(len(apptest.PNG))})
		if err != nil {
			t.Fatal(err)
		}
		if code, _, err := blobstest.Upload(ctx, e.h.Client(), post, apptest.PNG); err != nil || code/100 != 2 {
			t.Fatalf("upload: %d %v", code, err)
		}
		if _, err := e.svc.CompleteUpload(ctx, c, fam, cs.App.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		second, err := e.svc.Submit(ctx, c, fam, cs.App.ID, "k2", application.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if second.Round != 2 || second.Reference != first.Reference {
			t.Errorf("resubmitted: %+v after %+v", second, first)
		}
		got, err = e.svc.Get(ctx, c, fam, cs.App.ID)
		if err != nil || len(got.Snapshots) != 2 {
			t.Fatalf("rounds: %v %v", len(got.Snapshots), err)
		}
		files := func(sn application.Snapshot) []string {
			var out []string
			for _, m := range sn.Materials {
				out = append(out, m.FileName)
			}
			return out
		}
		if f := files(got.Snapshots[0]); len(f) != 1 || f[0] != old.FileName {
			t.Errorf("round 1 files: %v", f)
		}
		if f := files(got.Snapshots[1]); len(f) != 1 || f[0] != "新卡.png" {
			t.Errorf("round 2 files: %v", f)
		}
		if _, err := e.blobs.Head(ctx, "materials/"+cs.App.ID+"/"+old.ID); err != nil {
			t.Errorf("round 1's file is gone: %v", err)
		}
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.wf.Describe(ctx, application.ReviewMachine, application.ExecutionName(cs.App.ID, 2)); err != nil {
			t.Errorf("round 2's review execution: %v", err)
		}
	})
}

// TestReview runs on both table adapters: the area's queue lists the
// waiting cases due first first and nothing of another area; one of many
// concurrent claims wins; an approval completes the review execution; a
// four-eyes case needs a second, different reviewer; a rejection needs a
// reason.
func TestReview(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnv(t, s, application.Hooks{})
		ctx := t.Context()
		refund := e.ready(t, caller(demo.PersonRefund), "personal-refund")
		if _, err := e.svc.Submit(ctx, caller(demo.PersonRefund), "contributions-and-arrears", refund.App.ID, "k", application.Meta{}); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Minute)
		info := e.ready(t, caller(demo.PersonBaseDiff), "personal-basic-info-change")
		if _, err := e.svc.Submit(ctx, caller(demo.PersonBaseDiff), "personal-info", info.App.ID, "k", application.Meta{}); err != nil {
			t.Fatal(err)
		}
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		q, _, err := e.svc.Queue(ctx, staff("R1"), application.QueueQuery{})
		if err != nil || len(q) != 2 || q[0].ID != refund.App.ID || q[1].ID != info.App.ID {
			t.Fatalf("queue: %v %v", q, err)
		}
		other := staff("R9")
		other.PoolingArea = "230199"
		if q, _, err := e.svc.Queue(ctx, other, application.QueueQuery{}); err != nil || len(q) != 0 {
			t.Errorf("another area's queue: %v %v", q, err)
		}
		if _, err := e.svc.ReviewCase(ctx, other, info.App.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another area's reviewer reads the case: %v", err)
		}
		if _, _, err := e.svc.Queue(ctx, caller(demo.PersonRefund), application.QueueQuery{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a person reads the queue: %v", err)
		}
		// Ten reviewers claim the same case at once: one wins.
		var wg sync.WaitGroup
		wins := atomic.Int32{}
		for i := range 10 {
			wg.Go(func() {
				if _, err := e.svc.Claim(context.Background(), staff(fmt.Sprint("R", i)), info.App.ID); err == nil {
					wins.Add(1)
				} else if apperr.CodeOf(err) != apperr.Conflict {
					t.Errorf("claim: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d claims won", wins.Load())
		}
		got, _ := e.svc.ReviewCase(ctx, staff("R1"), info.App.ID)
		winner := staff(strings.TrimPrefix(got.App.ClaimedBy, "staff:"))
		if _, err := e.svc.Withdraw(ctx, caller(demo.PersonBaseDiff), info.App.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("withdraw after the claim: %v", err)
		}
		if _, err := e.svc.Decide(ctx, winner, info.App.ID, application.Decision{Decision: application.Reject}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("reject without a reason: %v", err)
		}
		if _, err := e.svc.Decide(ctx, winner, info.App.ID, application.Decision{Decision: application.Approve, Comment: "材料齐全"}); err != nil {
			t.Fatal(err)
		}
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if d, err := e.wf.Describe(ctx, application.ReviewMachine, application.ExecutionName(info.App.ID, 1)); err != nil || d.Status != asl.StatusSucceeded {
			t.Errorf("the review execution after the approval: %+v %v", d.Status, err)
		}
		// Four eyes: R1 approves first, cannot approve again; R2 completes.
		for _, step := range []struct {
			who     string
			claimOK bool
			status  application.Status
		}{{"R1", true, application.StatusInReview}, {"R1", false, ""}, {"R2", true, application.StatusApproved}} {
			_, err := e.svc.Claim(ctx, staff(step.who), refund.App.ID)
			if (err == nil) != step.claimOK {
				t.Fatalf("%s claims: %v", step.who, err)
			}
			if !step.claimOK {
				continue
			}
			cs, err := e.svc.Decide(ctx, staff(step.who), refund.App.ID, application.Decision{Decision: application.Approve})
			if err != nil || cs.App.Status != step.status {
				t.Fatalf("%s approves: %v %v", step.who, cs, err)
			}
		}
		if q, _, _ := e.svc.Queue(ctx, staff("R1"), application.QueueQuery{}); len(q) != 0 {
			t.Errorf("decided cases still queued: %d", len(q))
		}
	})
}

// TestRatings runs on both table adapters: an applicant rates a rejected
// application once; a negative grade needs a comment and is due an answer
// within 15 working days; the area's reviewers list it unanswered, answer
// it, and the applicant sees the answer; nobody else rates it.
func TestRatings(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		e := newEnv(t, s, application.Hooks{})
		ctx := t.Context()
		c := caller(demo.PersonBaseDiff)
		cs := e.ready(t, c, "personal-basic-info-change")
		if _, err := e.svc.Rate(ctx, c, cs.App.ID, "5", ""); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("rating a draft: %v", err)
		}
		if _, err := e.svc.Submit(ctx, c, "personal-info", cs.App.ID, "k", application.Meta{}); err != nil {
			t.Fatal(err)
		}
		rv := staff("R1")
		if _, err := e.svc.Claim(ctx, rv, cs.App.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Decide(ctx, rv, cs.App.ID, application.Decision{Decision: application.Reject, Comment: "不符合受理条件"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Rate(ctx, caller(demo.PersonRefund), cs.App.ID, "1", "x"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another person rates it: %v", err)
		}
		if _, err := e.svc.Rate(ctx, c, cs.App.ID, "不满意", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a negative rating without a comment: %v", err)
		}
		if _, err := e.svc.Rate(ctx, c, cs.App.ID, "6", "x"); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("an unknown grade: %v", err)
		}
		r, err := e.svc.Rate(ctx, c, cs.App.ID, "不满意", "等了两天才处理")
		if err != nil || !r.Negative || r.Grade != "2" || r.Label != "不满意" {
			t.Fatalf("rating: %+v %v", r, err)
		}
		// 2022-05-10 is a Tuesday: 15 working days later is Tuesday 31 May.
		if want := time.Date(2022, 5, 31, 9, 0, 0, 0, clock.Shanghai); !r.AnswerBy.Equal(want) {
			t.Errorf("answer by %s, want %s", r.AnswerBy, want)
		}
		if _, err := e.svc.Rate(ctx, c, cs.App.ID, "5", ""); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("rating twice: %v", err)
		}
		list, _, err := e.svc.Ratings(ctx, rv, application.RatingQuery{Unanswered: true})
		if err != nil || len(list) != 1 || list[0].App != cs.App.ID {
			t.Fatalf("unanswered ratings: %v %v", list, err)
		}
		other := staff("R9")
		other.PoolingArea = "230199"
		if _, err := e.svc.AnswerRating(ctx, other, cs.App.ID, "答复"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another area answers: %v", err)
		}
		if _, err := e.svc.AnswerRating(ctx, rv, cs.App.ID, "已核实，已改进受理流程"); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := e.svc.Ratings(ctx, rv, application.RatingQuery{Unanswered: true}); len(list) != 0 {
			t.Errorf("still unanswered: %v", list)
		}
		got, err := e.svc.Get(ctx, c, "", cs.App.ID)
		if err != nil || got.Rating == nil || got.Rating.Answer != "已核实，已改进受理流程" {
			t.Errorf("the applicant's view of the rating: %+v %v", got.Rating, err)
		}
	})
}

func TestAddWorkingDays(t *testing.T) {
	fri := time.Date(2022, 5, 13, 10, 0, 0, 0, clock.Shanghai)
	for n, want := range map[int]string{1: "2022-05-16", 5: "2022-05-20", 6: "2022-05-23", 15: "2022-06-03"} {
		if got := application.AddWorkingDays(fri, n).Format("2006-01-02"); got != want {
			t.Errorf("Friday + %d working days = %s, want %s", n, got, want)
		}
	}
}

// TestDecisionEffect runs on both table adapters: an approved decision's
// effect is written with the completion in one transaction, once; a record
// that changes while the effect is computed makes it compute again; an
// effect that cannot be applied leaves the case with staff, who retry it
// once the records are right.
func TestDecisionEffect(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		ctx := t.Context()
		var calls atomic.Int32
		var e *env
		refuse := atomic.Bool{}
		// 4.7's stand-in effect: record the new address on the person.
		effect := func(ctx context.Context, in application.EffectInput) (application.Effect, error) {
			n := calls.Add(1)
			if refuse.Load() {
				return application.Effect{}, application.CannotApply("人员信息已变更，请核对")
			}
			p := in.Records.Dossier.Person
			if n == 1 {
				// Someone else writes the person meanwhile (once).
				q := p
				q.Info = map[string]string{"note": "concurrent"}
				if err := in.Store.Write(ctx, ledger.Changes{Put: []ledger.Record{q}}); err != nil {
					t.Error(err)
				}
			}
			old := p.Info["address"]
			p.Info = maps.Clone(p.Info)
			if p.Info == nil {
				p.Info = map[string]string{}
			}
			p.Info["address"] = in.Snapshot.Fields["address"]
			return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{p}}, Summary: "居住地址已修改",
				History: []application.Change{{Record: "个人信息", Field: "address", Old: old, New: p.Info["address"]}}}, nil
		}
		plugins := append(recordingPlugins(), application.Plugin{Family: "personal-info",
			Effects: map[string]application.EffectFunc{"personal-basic-info-change": effect}})
		e = newEnvWith(t, s, options{plugins: plugins})
		approveOne := func(person string) string {
			cs := e.ready(t, caller(person), "personal-basic-info-change")
			if _, err := e.svc.Submit(ctx, caller(person), "personal-info", cs.App.ID, "k", application.Meta{}); err != nil {
				t.Fatal(err)
			}
			if err := e.wf.Settle(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Claim(ctx, staff("R1"), cs.App.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Decide(ctx, staff("R1"), cs.App.ID, application.Decision{Decision: application.Approve}); err != nil {
				t.Fatal(err)
			}
			if err := e.wf.Settle(ctx); err != nil {
				t.Fatal(err)
			}
			return cs.App.ID
		}
		id := approveOne(demo.PersonRefund)
		got, err := application.Read(ctx, s, id)
		if err != nil || got.App.Status != application.StatusCompleted || got.App.Result != "居住地址已修改" {
			t.Fatalf("after approval: %+v %v", got.App, err)
		}
		if calls.Load() != 2 {
			t.Errorf("effect computed %d times, want 2 (once more after the concurrent write)", calls.Load())
		}
		p, _ := ledger.NewStore(s, e.clk).Person(ctx, demo.PersonRefund)
		if p.Info["address"] == "" || p.Info["note"] != "concurrent" {
			t.Errorf("person after the effect: %v", p.Info)
		}
		rec, ok, err := e.svc.EffectOf(ctx, id, 1)
		if err != nil || !ok || len(rec.History) != 1 || rec.History[0].New != p.Info["address"] {
			t.Errorf("effect record: %+v %v %v", rec, ok, err)
		}
		// Applied again (a retried task): the same result, nothing computed.
		if res, err := e.svc.ApplyDecision(ctx, id, 1); err != nil || res != "居住地址已修改" || calls.Load() != 2 {
			t.Errorf("applied again: %q %v, %d calls", res, err, calls.Load())
		}

		// Refused: the case waits for staff with the reason.
		refuse.Store(true)
		id2 := approveOne(demo.PersonBaseDiff)
		list, _, err := e.svc.AttentionList(ctx, staff("R2"), "", 10)
		if err != nil || len(list) != 1 || list[0].ID != id2 || list[0].Attention.Step != "ApplyDecision" ||
			list[0].Attention.Cause != "人员信息已变更，请核对" {
			t.Fatalf("attention list: %v %v", list, err)
		}
		other := staff("R9")
		other.PoolingArea = "230199"
		if l, _, _ := e.svc.AttentionList(ctx, other, "", 10); len(l) != 0 {
			t.Errorf("another area sees the case: %v", l)
		}
		if _, err := e.svc.Retry(ctx, other, id2); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another area retries: %v", err)
		}
		refuse.Store(false)
		if _, err := e.svc.Retry(ctx, staff("R2"), id2); err != nil {
			t.Fatal(err)
		}
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		got, _ = application.Read(ctx, s, id2)
		if got.App.Status != application.StatusCompleted || got.App.Attention != nil {
			t.Errorf("after the retry: %s %+v", got.App.Status, got.App.Attention)
		}
		if l, _, _ := e.svc.AttentionList(ctx, staff("R2"), "", 10); len(l) != 0 {
			t.Errorf("attention list after the retry: %v", l)
		}
	})
}

// TestLostDecisionMessage: the decision's message to the review execution
// is lost; at the 48-hour timeout the execution escalates, finds the round
// decided and goes on with that decision: nothing stays stuck.
func TestLostDecisionMessage(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, s table.Store) {
		ctx := t.Context()
		e := newEnv(t, s, application.Hooks{})
		cs := e.ready(t, caller(demo.PersonRefund), "personal-basic-info-change")
		if _, err := e.svc.Submit(ctx, caller(demo.PersonRefund), "personal-info", cs.App.ID, "k", application.Meta{}); err != nil {
			t.Fatal(err)
		}
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Claim(ctx, staff("R1"), cs.App.ID); err != nil {
			t.Fatal(err)
		}
		e.wf.lose.Store(true) // the decision's SendTaskSuccess does not arrive
		if _, err := e.svc.Decide(ctx, staff("R1"), cs.App.ID, application.Decision{Decision: application.Approve}); err != nil {
			t.Fatal(err)
		}
		e.wf.lose.Store(false)
		name := application.ExecutionName(cs.App.ID, 1)
		if err := e.wf.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if d, _ := e.wf.Describe(ctx, application.ReviewMachine, name); d.Status != asl.StatusRunning {
			t.Fatalf("before the timeout: %s", d.Status)
		}
		e.advance(application.ReviewSLA + time.Second)
		for range 20 {
			if err := e.wf.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if err := e.wf.Settle(ctx); err != nil {
				t.Fatal(err)
			}
			e.advance(time.Second)
		}
		if d, _ := e.wf.Describe(ctx, application.ReviewMachine, name); d.Status != asl.StatusSucceeded {
			t.Fatalf("after the timeout: %s %s", d.Status, d.Waiting)
		}
		got, _ := application.Read(ctx, s, cs.App.ID)
		if got.App.Status != application.StatusCompleted {
			t.Errorf("status %s", got.App.Status)
		}
	})
}
