package runner_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// effectAttempts is one try of ApplyDecision: the first try and
// MaxAttempts 4 retries of review.asl.json's ApplyDecision.
const effectAttempts = 5

// effectRecords counts a case's effect records (one per applied round).
func effectRecords(t *testing.T, r *runner.Runner, id string) int {
	t.Helper()
	p, err := r.Store.Query(t.Context(), table.Query{PK: "APP#" + id, SK: table.SKCond{Op: table.SKBeginsWith, Value: "EFFECT#"}})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items)
}

// TestEffectFailingNTimes: ApplyDecision fails N times (injected) before
// it works. Below the retry limit the workflow's retries apply it; at or
// above it the case waits in NeedsAttention, and each staff retry through
// the API runs the step again with fresh retries. Either way the effect is
// applied exactly once: one effect record, completed, one completion
// message, one 已办结 event, after exactly N+1 attempts.
func TestEffectFailingNTimes(t *testing.T) {
	for _, n := range []int{0, 1, effectAttempts - 1, effectAttempts, effectAttempts + 2, 2*effectAttempts + 1} {
		t.Run(fmt.Sprintf("fails %d times", n), func(t *testing.T) {
			var fail, calls atomic.Int32
			r := faultyRunner(t, &fail, &calls)
			rv := reviewerClient(t, r)
			_, id := submitted(t, r, demo.PersonRefund, "personal-basic-info-change")
			fail.Store(int32(n))
			wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
			wantCode(t, "approve", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
			retries := 0
			for {
				d := settleReview(t, r, id, 1)
				if d.Status == asl.StatusSucceeded {
					break
				}
				if d.Waiting != asl.WaitingTaskToken || retries > n/effectAttempts {
					t.Fatalf("after %d calls and %d staff retries: %s %s", calls.Load(), retries, d.Status, d.Waiting)
				}
				if got := effectRecords(t, r, id); got != 0 {
					t.Fatalf("waiting for staff with %d effect records", got)
				}
				wantCode(t, "in the attention list", rv.do("GET", "/api/v1/review/attention", ""), 200, `"id":"`+id+`"`, "injected")
				wantCode(t, "staff retry", rv.do("POST", "/api/v1/review/applications/"+id+"/retry", ""), 200)
				retries++
			}
			if want := n / effectAttempts; retries != want {
				t.Errorf("%d staff retries, want %d", retries, want)
			}
			if got := calls.Load(); got != int32(n+1) {
				t.Errorf("%d applyDecision attempts, want %d", got, n+1)
			}
			cs, err := application.Read(t.Context(), r.Store, id)
			if err != nil {
				t.Fatal(err)
			}
			if cs.App.Status != application.StatusCompleted || cs.App.Attention != nil {
				t.Errorf("status %s, attention %v", cs.App.Status, cs.App.Attention)
			}
			if got := effectRecords(t, r, id); got != 1 {
				t.Errorf("%d effect records, want 1", got)
			}
			done := 0
			for _, e := range cs.App.Timeline {
				if e.Status == application.StatusCompleted {
					done++
				}
			}
			if done != 1 {
				t.Errorf("%d 已办结 events in the timeline, want 1", done)
			}
			mobile := "+86199" + demo.PersonRefund[len(demo.PersonRefund)-8:]
			if got := count(messages(t, r, mobile), "已办结"); got != 1 {
				t.Errorf("%d completion messages, want 1", got)
			}
			wantCode(t, "attention list empty", rv.do("GET", "/api/v1/review/attention", ""), 200, `"items":[]`)
			if strings.Contains(cs.App.Result, "injected") {
				t.Errorf("the result shows the injected fault: %q", cs.App.Result)
			}
		})
	}
}
