package runner_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// writeCounter is a table that counts the writes that succeeded.
type writeCounter struct {
	table.Store
	n atomic.Int64
}

func (s *writeCounter) count(err error) error {
	if err == nil {
		s.n.Add(1)
	}
	return err
}

func (s *writeCounter) Put(ctx context.Context, it table.Item, c table.Cond) error {
	return s.count(s.Store.Put(ctx, it, c))
}

func (s *writeCounter) Delete(ctx context.Context, k table.Key, c table.Cond) error {
	return s.count(s.Store.Delete(ctx, k, c))
}

func (s *writeCounter) TransactWrite(ctx context.Context, ops []table.Op) error {
	return s.count(s.Store.TransactWrite(ctx, ops))
}

// countingRunner is a seeded runner on a bbolt table that counts writes.
func countingRunner(t *testing.T) (*runner.Runner, *writeCounter) {
	t.Helper()
	dir := t.TempDir()
	clk := clock.Frozen(may10)
	bolt, err := boltstore.Open(filepath.Join(dir, "hrss.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	wc := &writeCounter{Store: bolt}
	cfg, err := config.FromLookup(func(k string) (string, bool) { return dir, k == "HRSS_DATA_DIR" })
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clk, Store: wc, StoreKind: "bbolt",
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	seedRunner(t, r)
	return r, wc
}

// caseState is what a callback could change: the case, its effect
// records, every outbox message and the execution's history.
type caseState struct {
	Version  int64
	Status   application.Status
	Timeline int
	Effects  int
	Messages int
	Exec     string
	History  int
}

func stateOf(t *testing.T, r *runner.Runner, id string, round int) caseState {
	t.Helper()
	cs, err := application.Read(t.Context(), r.Store, id)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := r.Outbox.List(t.Context(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.Engine.Describe(t.Context(), application.ReviewMachine, application.ExecutionName(id, round))
	if err != nil {
		t.Fatal(err)
	}
	return caseState{cs.App.Version, cs.App.Status, len(cs.App.Timeline), effectRecords(t, r, id), len(msgs),
		d.Status + "/" + d.Waiting, len(d.History)}
}

// TestDuplicateAndLateCallbacks: task-token callbacks that are forged,
// repeated, or late (for a round that has moved on or an execution that
// has ended) are refused with workflow.ErrTaskNotFound and write nothing:
// no table write at all, the case, its effect, the messages and the
// execution's history as they were. At the API, a second decision is a
// 409 with a Chinese message; see docs/reliability.md.
func TestDuplicateAndLateCallbacks(t *testing.T) {
	r, wc := countingRunner(t)
	ctx := t.Context()
	rv := reviewerClient(t, r)
	applicant, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	path := "/api/v1/personal-info/applications/" + id
	refused := func(what string, round int, calls ...func() error) {
		t.Helper()
		before, writes := stateOf(t, r, id, round), wc.n.Load()
		for i, call := range calls {
			if err := call(); !errors.Is(err, workflow.ErrTaskNotFound) {
				t.Errorf("%s #%d: %v, want ErrTaskNotFound", what, i, err)
			}
		}
		if err := r.Engine.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if after := stateOf(t, r, id, round); after != before || wc.n.Load() != writes {
			t.Errorf("%s changed something: %+v → %+v, %d writes", what, before, after, wc.n.Load()-writes)
		}
	}
	success := func(tok, out string) func() error {
		return func() error { return r.Engine.SendTaskSuccess(ctx, tok, json.RawMessage(out)) }
	}
	failure := func(tok string) func() error {
		return func() error { return r.Engine.SendTaskFailure(ctx, tok, "Hrss.Withdrawn", "late") }
	}
	cs, err := application.Read(ctx, r.Store, id)
	if err != nil {
		t.Fatal(err)
	}
	tok1 := cs.App.ReviewToken
	if tok1 == "" {
		t.Fatal("no review token while the round waits")
	}
	approve := `{"decision":"approve","reviewer":"` + demo.ReviewerID + `","round":1}`
	refused("forged tokens", 1, success("", approve), success("forged-token", approve), success(tok1+"x", approve),
		success(strings.ToUpper(tok1), approve), failure("forged-token"))

	// Round 1 returned: the execution ends; its token again is late.
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "return", rv.do("POST", "/api/v1/review/applications/"+id+"/decision",
		`{"decision":"return","reasons":{"fields.address":"请填写详细的居住地址"}}`), 200)
	if d := settleReview(t, r, id, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("round 1 after the return: %s", d.Status)
	}
	returned := `{"decision":"return","reviewer":"` + demo.ReviewerID + `","round":1}`
	refused("round 1's callback again, after its execution ended", 1, success(tok1, returned), success(tok1, approve), failure(tok1))
	wantCode(t, "a second decision", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 409, "请先受理")

	// Round 2 waits: round 1's token is for an execution that has moved on.
	fixAddress(t, applicant, path)
	wantCode(t, "resubmit", applicant.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k2-"+id), 201)
	if d := settleReview(t, r, id, 2); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("round 2: %s", d.Status)
	}
	refused("round 1's token while round 2 waits", 2, success(tok1, approve), failure(tok1))

	// Round 2 approved and applied; the same callback again changes nothing.
	cs, _ = application.Read(ctx, r.Store, id)
	tok2 := cs.App.ReviewToken
	wantCode(t, "claim 2", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "approve 2", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
	if d := settleReview(t, r, id, 2); d.Status != asl.StatusSucceeded {
		t.Fatalf("round 2 after approval: %s", d.Status)
	}
	approve2 := `{"decision":"approve","reviewer":"` + demo.ReviewerID + `","round":2}`
	refused("the approval's callback again", 2, success(tok2, approve2), success(tok2, approve2), failure(tok2), success(tok1, approve))
	if s := stateOf(t, r, id, 2); s.Status != application.StatusCompleted || s.Effects != 1 {
		t.Errorf("after the duplicates: %+v", s)
	}
	wantCode(t, "decide the completed case", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"reject","comment":"x"}`), 409)
	wantCode(t, "retry with nothing to retry", rv.do("POST", "/api/v1/review/applications/"+id+"/retry", ""), 409, "没有需要重新办理的异常")
}

// TestConcurrentRetryCallbacks: the staff retry's callback delivered 8
// times at once is accepted once; the effect is applied once, and the
// retry through the API afterwards is an idempotent success.
func TestConcurrentRetryCallbacks(t *testing.T) {
	var fail, calls atomic.Int32
	r := faultyRunner(t, &fail, &calls)
	rv := reviewerClient(t, r)
	_, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
	fail.Store(effectAttempts)
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "approve", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
	if d := settleReview(t, r, id, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("not waiting for staff: %s", d.Status)
	}
	cs, err := application.Read(t.Context(), r.Store, id)
	if err != nil || cs.App.Attention == nil {
		t.Fatalf("no attention: %v", err)
	}
	var wg sync.WaitGroup
	var accepted, notFound atomic.Int32
	for range 8 {
		wg.Go(func() {
			err := r.Engine.SendTaskSuccess(t.Context(), cs.App.Attention.Token, json.RawMessage(`{"retry":"ApplyDecision","by":"test"}`))
			switch {
			case err == nil:
				accepted.Add(1)
			case errors.Is(err, workflow.ErrTaskNotFound):
				notFound.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if accepted.Load() != 1 || notFound.Load() != 7 {
		t.Errorf("%d accepted, %d not found; want 1 and 7", accepted.Load(), notFound.Load())
	}
	if d := settleReview(t, r, id, 1); d.Status != asl.StatusSucceeded {
		t.Fatalf("after the retry: %s %s", d.Status, d.Waiting)
	}
	wantCode(t, "staff retry after the callback", rv.do("POST", "/api/v1/review/applications/"+id+"/retry", ""), 200)
	if n := effectRecords(t, r, id); n != 1 || calls.Load() != effectAttempts+1 {
		t.Errorf("%d effect records after %d attempts", n, calls.Load())
	}
	mobile := "+86199" + demo.PersonRefund[len(demo.PersonRefund)-8:]
	if n := count(messages(t, r, mobile), "已办结"); n != 1 {
		t.Errorf("%d completion messages, want 1", n)
	}
}
