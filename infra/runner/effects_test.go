package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// effectEnv is what a business's effect check sees: the runner after the
// approved application was completed, the ledger, the applicant and the
// records as they were before the approval.
type effectEnv struct {
	Runner   *runner.Runner
	Ledger   *ledger.Store
	Account  demo.Account
	Client   *client // the applicant's session
	App      *application.Application
	Snapshot application.Snapshot // the approved round, as submitted
	// Before is the applicant's dossier (an individual) before approval;
	// BeforeUnit the agent's unit (nil when it had none).
	Before     ledger.Dossier
	BeforeUnit *ledger.Unit
}

// effectCheck asserts one business's effect.
type effectCheck func(t *testing.T, x *effectEnv)

var (
	effectMu     sync.Mutex
	effectChecks = map[string]effectCheck{}
)

// registerEffects adds checks (from each family's effects_*_test.go).
func registerEffects(m map[string]effectCheck) {
	effectMu.Lock()
	defer effectMu.Unlock()
	for k, v := range m {
		if _, dup := effectChecks[k]; dup {
			panic("two effect checks for " + k)
		}
		effectChecks[k] = v
	}
}

// effectSetup adapts the demo for a business whose effect the demo
// ledger as seeded cannot show: another demo account (its 人员编号 or
// 单位编号), or records changed before the draft is opened.
type effectSetup struct {
	Owner   string
	Prepare func(t *testing.T, ls *ledger.Store)
}

var effectSetups = map[string]effectSetup{}

// registerEffectSetups adds setups (from the families' effects_*_test.go).
func registerEffectSetups(m map[string]effectSetup) {
	effectMu.Lock()
	defer effectMu.Unlock()
	for k, v := range m {
		effectSetups[k] = v
	}
}

// settleReview runs the review execution of an application round until
// it ends or waits for a task token, moving the frozen clock past retry
// intervals.
func settleReview(t *testing.T, r *runner.Runner, id string, round int) asl.Description {
	t.Helper()
	return driveMachine(t, r, r.Clock().(*clock.Fixed), application.ReviewMachine, application.ExecutionName(id, round))
}

// staffClient logs in a demo staff account with its current TOTP code.
func staffClient(t *testing.T, r *runner.Runner, id string) *client {
	t.Helper()
	c := &client{t: t, h: r.Handler()}
	var totp struct{ Code string }
	if w := c.do("GET", "/_local/totp/"+id, ""); w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &totp) != nil {
		t.Fatalf("TOTP helper %s: %d %s", id, w.Code, w.Body)
	}
	cid, ans := c.captcha()
	body, _ := json.Marshal(map[string]string{"userType": "staff", "username": id, "password": demo.Password,
		"captchaId": cid, "captchaAnswer": ans, "totp": totp.Code})
	if w := c.do("POST", "/api/v1/auth/login", string(body)); w.Code != 200 {
		t.Fatalf("staff login %s: %d %s", id, w.Code, w.Body)
	}
	return c
}

// approve claims and approves a case by one reviewer, and by a second one
// for a four-eyes business.
func approve(t *testing.T, r *runner.Runner, b *catalog.Business, id string) {
	t.Helper()
	reviewers := []string{demo.ReviewerID}
	if b.FourEyes {
		reviewers = append(reviewers, demo.Reviewer2ID)
	}
	for _, rid := range reviewers {
		rv := staffClient(t, r, rid)
		wantCode(t, "claim by "+rid, rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
		wantCode(t, "approve by "+rid, rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200)
	}
}

// partitions are the ledger partitions an effect may touch: the applicant
// person's, the agent's unit's, and every person the snapshot names.
func partitions(x *effectEnv) []string {
	var pks []string
	add := func(pk string) {
		if !slices.Contains(pks, pk) {
			pks = append(pks, pk)
		}
	}
	if x.Account.PersonNo != "" {
		add(ledger.PersonKey(x.Account.PersonNo).PK)
	}
	if x.Account.UnitNo != "" {
		add(ledger.UnitKey(x.Account.UnitNo).PK)
	}
	if p := x.Snapshot.Fields["personNumber"]; p != "" {
		add(ledger.PersonKey(p).PK)
	}
	for _, row := range x.Snapshot.Rows {
		if p := row["personNumber"]; p != "" {
			add(ledger.PersonKey(p).PK)
		}
	}
	return pks
}

// dump reads partitions whole, for comparing before and after.
func dump(t *testing.T, st table.Store, pks []string) map[string]table.Item {
	t.Helper()
	out := map[string]table.Item{}
	for _, pk := range pks {
		cursor := ""
		for {
			page, err := st.Query(context.Background(), table.Query{PK: pk, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				out[it.Key().String()] = it
			}
			if cursor = page.Cursor; cursor == "" {
				break
			}
		}
	}
	return out
}

// TestDecisionEffects: for each of the 42 businesses, the demo account that
// can do it submits it through the HTTP API; the reviewer (two for a
// four-eyes business) claims and approves it; the review workflow applies
// the family's effect and completes the application; the business's check
// finds the effect in the ledger. Applying the decision again (a retried
// task) returns the same result and changes nothing.
func TestDecisionEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("42 runners")
	}
	owner := map[string]demo.Account{}
	for _, a := range demo.Accounts() {
		for _, id := range a.Businesses {
			o := effectSetups[id].Owner
			if _, ok := owner[id]; !ok && (o == "" || o == a.PersonNo || o == a.UnitNo) {
				owner[id] = a
			}
		}
	}
	ids := slices.Sorted(maps.Keys(owner))
	if len(ids) != 42 {
		t.Errorf("%d businesses have a demo account, want 42", len(ids))
	}
	var results []string
	for _, id := range ids {
		b := mustBusiness(t, id)
		acct := owner[id]
		ok := t.Run(id, func(t *testing.T) {
			check := effectChecks[id]
			if check == nil {
				t.Fatalf("%s %s: no effect check", b.Section, id)
			}
			r := seededRunner(t)
			ctx := t.Context()
			if p := effectSetups[id].Prepare; p != nil {
				p(t, effectLedger(r))
			}
			x := decide(t, r, acct, b)
			check(t, x)

			// A retried ApplyDecision changes nothing.
			pks := partitions(x)
			before := dump(t, r.Store, pks)
			task := r.Functions[familyFunction(b.Family)].Task
			out, err := task(ctx, []byte(fmt.Sprintf(`{"task":"applyDecision","applicationId":%q,"round":1}`, x.App.ID)))
			if err != nil || !strings.Contains(string(out), x.App.Result) {
				t.Errorf("applied again: %s, %v", out, err)
			}
			after := dump(t, r.Store, pks)
			if !maps.EqualFunc(before, after, func(a, b table.Item) bool {
				return table.SameContent(a, b) && a.Int(table.AttrVersion) == b.Int(table.AttrVersion)
			}) {
				t.Errorf("applying the decision again changed the ledger")
			}
			results = append(results, fmt.Sprintf("%s %s: %s", b.Section, b.Name, x.App.Result))
		})
		if !ok {
			results = append(results, fmt.Sprintf("%s %s: FAILED", b.Section, b.Name))
		}
	}
	for _, line := range results {
		t.Log(line)
	}
}

// effectLedger is the ledger store of a runner.
func effectLedger(r *runner.Runner) *ledger.Store {
	return ledger.NewStore(r.Store, r.Clock(), ledger.WithIDHashKey(ledger.IDHashKey("")))
}

// decide submits business b as acct through the HTTP API, has it approved
// (by two reviewers for a four-eyes business) and the review workflow run
// to the end, requires the application completed with a result, and
// returns what an effect check sees.
func decide(t *testing.T, r *runner.Runner, acct demo.Account, b *catalog.Business) *effectEnv {
	t.Helper()
	ctx := t.Context()
	ls := effectLedger(r)
	c := &client{t: t, h: r.Handler()}
	if code := c.login(acct.UserType, acct.Username, acct.Password); code != 200 {
		t.Fatalf("login %s: %d", acct.Username, code)
	}
	x := &effectEnv{Runner: r, Ledger: ls, Account: acct, Client: c}
	if acct.PersonNo != "" {
		d, err := ls.Dossier(ctx, acct.PersonNo)
		if err != nil {
			t.Fatal(err)
		}
		x.Before = d
	}
	if acct.UnitNo != "" {
		if u, err := ls.Unit(ctx, acct.UnitNo); err == nil {
			x.BeforeUnit = &u
		}
	}
	w := completeBusiness(t, c, b)
	if w.Code != 201 {
		t.Fatalf("submit %s: %d %s", b.ID, w.Code, w.Body)
	}
	appID := fmt.Sprint(decode[map[string]any](t, w)["id"])
	if d := settleReview(t, r, appID, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("%s: after submit the workflow is %s (%s %s), want waiting for the review", b.ID, d.Status, d.Error, d.Cause)
	}
	approve(t, r, b, appID)
	if d := settleReview(t, r, appID, 1); d.Status != asl.StatusSucceeded {
		cs, _ := application.Read(ctx, r.Store, appID)
		att := ""
		if cs != nil && cs.App.Attention != nil {
			att = cs.App.Attention.Step + ": " + cs.App.Attention.Error + " " + cs.App.Attention.Cause
		}
		t.Fatalf("%s: workflow %s %s, attention %q", b.ID, d.Status, d.Waiting, att)
	}
	cs, err := application.Read(ctx, r.Store, appID)
	if err != nil {
		t.Fatal(err)
	}
	if cs.App.Status != application.StatusCompleted || cs.App.Result == "" {
		t.Fatalf("%s: status %s result %q", b.ID, cs.App.Status, cs.App.Result)
	}
	x.App, x.Snapshot = cs.App, cs.Snapshots[len(cs.Snapshots)-1]
	return x
}

// familyFunction is the logical id of a family's function:
// flexible-employment → FlexibleEmploymentFunction.
func familyFunction(family string) string {
	var sb strings.Builder
	for _, w := range strings.Split(family, "-") {
		sb.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return sb.String() + "Function"
}
