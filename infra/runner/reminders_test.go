package runner_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/samtemplate"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/reminder"
	"github.com/hljhrss/hrss/shared/table"
)

// TestReminderSchedulesMatchTheTemplate: every job of reminder.Jobs has
// its schedule in template.yaml with the same expression, Asia/Shanghai,
// and the function named as its target; each function that owns jobs has
// the continue schedule.
func TestReminderSchedulesMatchTheTemplate(t *testing.T) {
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	owners := map[string]bool{}
	for _, j := range reminder.Jobs {
		sc, ok := tpl.Schedules[j.Schedule]
		if !ok {
			t.Errorf("%s: no schedule %s in the template", j.Name, j.Schedule)
			continue
		}
		if sc.Expression != j.Expression || sc.Timezone != "Asia/Shanghai" || sc.Function != j.Function {
			t.Errorf("%s: template %s %s → %s, want %s Asia/Shanghai → %s", j.Name, sc.Expression, sc.Timezone, sc.Function, j.Expression, j.Function)
		}
		owners[j.Function] = true
	}
	for fn := range owners {
		found := false
		for _, sc := range tpl.Schedules {
			if sc.Function == fn && sc.Expression == reminder.ContinueExpression && strings.Contains(sc.Input, `"`+reminder.ContinueSchedule+`"`) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s owns reminder jobs but has no %s schedule", fn, reminder.ContinueSchedule)
		}
	}
}

// TestWindowReminders: on the demo data, the 1st at 09:00 tells the
// flexible worker with assessed dues (4.25) and the three units with
// unpaid rows (5.5) — in the message center and by SMS, with the amount
// and the last day; the schedule firing again tells nobody twice; the 20th
// tells them again with the days left.
func TestWindowReminders(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	clk.Set(time.Date(2022, 6, 1, 8, 59, 50, 0, clock.Shanghai))
	r.Timer.Tick(t.Context(), clk.Now())
	clk.Set(time.Date(2022, 6, 1, 9, 0, 0, 0, clock.Shanghai))
	r.Timer.Tick(t.Context(), clk.Now())

	run, ok, err := reminder.NewRunner(r.Store, clk, nil).Get(t.Context(), reminder.JobWindowOpen, "202206")
	if err != nil || !ok || run.Status != reminder.StatusDone || run.Sent != 4 || run.Skipped != 0 || run.Failed != 0 {
		t.Fatalf("the run of the 1st: %+v %v %v", run, ok, err)
	}
	flex := "+86199" + demo.PersonFlexible[len(demo.PersonFlexible)-8:]
	sms := messages(t, r, flex)
	if len(sms) != 1 || !strings.Contains(sms[0], "灵活就业人员养老保险应缴费用尚未缴纳，合计") || !strings.Contains(sms[0], "2022年06月25日前") ||
		!strings.Contains(sms[0], "灵活就业人员应缴核定") {
		t.Errorf("the flexible worker's SMS: %q", sms)
	}
	units := 0
	for _, u := range []string{demo.UnitInvestment, demo.UnitLogistics} {
		for _, m := range messages(t, r, "+86199"+u[len(u)-8:]) {
			if strings.Contains(m, "贵单位有") && strings.Contains(m, "职工欠费清欠") {
				units++
			}
		}
	}
	if units != 2 {
		t.Errorf("%d units told of their arrears by SMS, want 2 of the listed", units)
	}
	c := loggedIn(t, r, demo.PersonFlexible)
	l := decode[messageList](t, c.do("GET", "/api/v1/me/messages", ""))
	if len(l.Messages) != 1 || l.Messages[0].Kind != "reminder" || l.Messages[0].Title != "缴费提醒：本月办理时间已开始" ||
		l.Messages[0].Link != "/apply/flexible-employment-due-assessment" {
		t.Errorf("the message center: %+v", l)
	}

	// The scheduler invokes again (a retry): nothing new.
	clk.Set(time.Date(2022, 6, 1, 9, 3, 0, 0, clock.Shanghai))
	if err := r.Functions["LedgerFunction"].Schedule(t.Context(), appEvent("ReminderWindowOpen")); err != nil {
		t.Fatal(err)
	}
	if n := len(messages(t, r, flex)); n != 1 {
		t.Errorf("%d SMS after the retry, want 1", n)
	}

	// The 20th: five days left.
	clk.Set(time.Date(2022, 6, 20, 9, 0, 0, 0, clock.Shanghai))
	if err := r.Functions["LedgerFunction"].Schedule(t.Context(), appEvent("ReminderWindowClosing")); err != nil {
		t.Fatal(err)
	}
	sms = messages(t, r, flex)
	if len(sms) != 2 || !strings.Contains(strings.Join(sms, "|"), "本月办理将于2022年06月25日截止（还有5天）") {
		t.Errorf("the 20th's SMS: %q", sms)
	}
}

func appEvent(name string) app.ScheduleEvent { return app.ScheduleEvent{Schedule: name} }

// TestReminderRunsForStaff: an admin sees each job's runs with counts and
// reruns a finished one; the continue schedule runs it and tells nobody
// twice; reviewers may not.
func TestReminderRunsForStaff(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	clk.Set(time.Date(2022, 6, 1, 9, 0, 0, 0, clock.Shanghai))
	if err := r.Functions["LedgerFunction"].Schedule(t.Context(), appEvent("ReminderWindowOpen")); err != nil {
		t.Fatal(err)
	}
	admin := staffClient(t, r, demo.AdminID)
	const list = "/api/v1/review/reminders"
	wantCode(t, "the runs", admin.do("GET", list, ""), 200, `"name":"window-open"`, `"expression":"cron(0 9 1 * ? *)"`,
		`"period":"202206"`, `"status":"done"`, `"sent":4`, `"attempt":1`)
	wantCode(t, "rerun an unknown period", admin.do("POST", list+"/window-open/runs/202207/rerun", ""), 404, "没有这个提醒批次")
	wantCode(t, "rerun an unknown job", admin.do("POST", list+"/nope/runs/202206/rerun", ""), 404)
	wantCode(t, "rerun", admin.do("POST", list+"/window-open/runs/202206/rerun", ""), 202, `"status":"running"`, `"attempt":2`, "不会重复收到")
	wantCode(t, "rerun again while it runs", admin.do("POST", list+"/window-open/runs/202206/rerun", ""), 409, "正在发送中")
	flex := "+86199" + demo.PersonFlexible[len(demo.PersonFlexible)-8:]
	clk.Advance(5 * time.Minute)
	if err := r.Functions["LedgerFunction"].Schedule(t.Context(), appEvent(reminder.ContinueSchedule)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "after the rerun", admin.do("GET", list, ""), 200, `"status":"done"`, `"sent":0`, `"skipped":4`, `"attempt":2`)
	if n := len(messages(t, r, flex)); n != 1 {
		t.Errorf("%d SMS after the rerun, want 1", n)
	}
	reviewer := staffClient(t, r, demo.ReviewerID)
	wantCode(t, "a reviewer", reviewer.do("GET", list, ""), 403)
}

// TestFireAScheduleLocally: the local tool fires a schedule now (a demo of
// the reminders on the runner's 2022-05-10), and says which it does not know.
func TestFireAScheduleLocally(t *testing.T) {
	r := seededRunner(t)
	anon := &client{t: t, h: r.Handler()}
	wantCode(t, "list", anon.do("GET", "/_local/schedules", ""), 200, `"name":"ReminderWindowOpen"`, `"expression":"cron(0 9 1 * ? *)"`)
	wantCode(t, "fire", anon.do("POST", "/_local/schedules/ReminderWindowOpen/fire", ""), 200, `"fired":"ReminderWindowOpen"`)
	wantCode(t, "unknown", anon.do("POST", "/_local/schedules/Nope/fire", ""), 404, "没有这个定时任务")
	flex := "+86199" + demo.PersonFlexible[len(demo.PersonFlexible)-8:]
	if sms := messages(t, r, flex); len(sms) != 1 || !strings.Contains(sms[0], "2022年05月25日前") {
		t.Errorf("the fired reminder: %q", sms)
	}
}

// TestDraftAndSLAReminders: on the 20th a draft of a windowed business is
// told the window's end; three days before a draft expires it is told
// once (the next day's run does not tell it again); a case waiting more
// than 40 hours is told to the area's two reviewers.
func TestDraftAndSLAReminders(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	fire := func(name string) {
		t.Helper()
		if err := r.Functions["ApplicationsFunction"].Schedule(t.Context(), appEvent(name)); err != nil {
			t.Fatal(err)
		}
	}
	// A case submitted now (the 10th, 09:00) and a draft of 4.4.
	submitted(t, r, demo.PersonBaseDiff, "personal-basic-info-change")
	c := loggedIn(t, r, demo.PersonRefund)
	draft := mustPrepare(t, c, mustBusiness(t, "personal-refund"))
	draftID := draft[strings.LastIndex(draft, "/")+1:]

	// 41 hours later: the SLA reminder to both reviewers of 230999.
	clk.Set(time.Date(2022, 5, 12, 2, 0, 0, 0, clock.Shanghai))
	fire("ReminderReviewSLA")
	for _, m := range []string{"+8619900230999", "+8619900230998"} {
		sms := messages(t, r, m)
		if count(sms, "统筹区230999有1件申请已等待超过40小时，最早的一件将于2022年5月12日") != 1 {
			t.Errorf("reviewer %s: %q", m, sms)
		}
	}

	// The 20th: the 4.4 draft (a windowed business) is reminded.
	clk.Set(time.Date(2022, 5, 20, 9, 0, 0, 0, clock.Shanghai))
	fire("ReminderDraftsWindow")
	refund := "+86199" + demo.PersonRefund[len(demo.PersonRefund)-8:]
	if n := count(messages(t, r, refund), "您的“个人退费”草稿尚未提交。本月办理将于2022年05月25日截止"); n != 1 {
		t.Errorf("the 20th's draft reminder: %q", messages(t, r, refund))
	}

	// 3 days before the draft's 30 days end (it was last changed on the
	// 10th): told once, not again the next day.
	clk.Set(time.Date(2022, 6, 6, 9, 0, 0, 0, clock.Shanghai))
	fire("ReminderDraftsExpiring")
	clk.Set(time.Date(2022, 6, 7, 9, 0, 0, 0, clock.Shanghai))
	fire("ReminderDraftsExpiring")
	if n := count(messages(t, r, refund), "草稿将于2022年06月09日过期删除"); n != 1 {
		t.Errorf("the expiring draft told %d times: %q", n, messages(t, r, refund))
	}
	c = loggedIn(t, r, demo.PersonRefund)
	l := decode[messageList](t, c.do("GET", "/api/v1/me/messages", ""))
	found := false
	for _, m := range l.Messages {
		if m.Title == "草稿即将过期" && m.Link == "/apply/personal-refund?id="+draftID {
			found = true
		}
	}
	if !found {
		t.Errorf("the message center lacks the expiring draft: %+v", l.Messages)
	}
}

// TestCertificationReminders: on 1 May (the retiree's benefit began in
// May 2015) the retiree is told to certify 2022 (4.2); on 1 March (the
// survivor's began in March 2021) the unit where the deceased last worked
// is told (5.15); a certified year is not told.
func TestCertificationReminders(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	fire := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		if err := r.Functions["LedgerFunction"].Schedule(t.Context(), appEvent("ReminderCertification")); err != nil {
			t.Fatal(err)
		}
	}
	fire(time.Date(2022, 5, 1, 9, 0, 0, 0, clock.Shanghai))
	retiree := "+86199" + demo.PersonRetiree[len(demo.PersonRetiree)-8:]
	if sms := messages(t, r, retiree); count(sms, "您2022年度的离退休待遇领取资格认证尚未完成，请于2022年05月31日前") != 1 {
		t.Errorf("the retiree: %q", sms)
	}
	run, _, _ := reminder.NewRunner(r.Store, clk, nil).Get(t.Context(), reminder.JobCertification, "202205")
	if run.Sent != 1 || run.Status != reminder.StatusDone {
		t.Errorf("May's run: %+v", run)
	}
	fire(time.Date(2023, 3, 1, 9, 0, 0, 0, clock.Shanghai))
	run, _, _ = reminder.NewRunner(r.Store, clk, nil).Get(t.Context(), reminder.JobCertification, "202303")
	if run.Status != reminder.StatusDone || run.Sent+run.Skipped != 1 {
		t.Errorf("March's run (the survivor's unit): %+v", run)
	}
	all, err := r.Outbox.List(t.Context(), 500)
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for _, m := range all {
		if strings.Contains(m.Body, "的遗属供养人员（人员编号"+demo.PersonSurvivor+"）2023年度的领取待遇资格认证尚未完成") &&
			strings.Contains(m.Body, "遗属供养人员领取待遇资格认证") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the survivor's unit told %d times", told)
	}
}

// TestExpiredDraftsCleanedUp: a draft left for 30 days goes with its
// uploads' items, files and quota; a draft saved again in time is kept.
func TestExpiredDraftsCleanedUp(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	ctx := t.Context()
	c := loggedIn(t, r, demo.PersonRefund)
	left := mustPrepare(t, c, mustBusiness(t, "personal-refund"))
	kept := mustPrepare(t, c, mustBusiness(t, "personal-basic-info-change"))
	leftID := left[strings.LastIndex(left, "/")+1:]
	app, err := r.Store.Get(ctx, table.Key{PK: "APP#" + leftID, SK: "APP"})
	if err != nil {
		t.Fatal(err)
	}
	quota := table.Key{PK: "APP#QUOTA#" + app.String("Party"), SK: "QUOTA"}
	uploads := func(id string) []table.Item {
		var out []table.Item
		for _, it := range mustQuery(t, r, "APP#"+id) {
			if strings.HasPrefix(it.String(table.AttrSK), "UPLOAD#") {
				out = append(out, it)
			}
		}
		return out
	}
	files := uploads(leftID)
	q, _ := r.Store.Get(ctx, quota)
	if len(files) == 0 || q.Int("Files") < int64(len(files)) {
		t.Fatalf("premise: %d uploads, quota %d files", len(files), q.Int("Files"))
	}
	before := q.Int("Files")
	fire := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		if err := r.FireSchedule(ctx, "ApplicationsCleanup"); err != nil {
			t.Fatal(err)
		}
	}
	// Two days before the 30 days end: both are marked.
	fire(time.Date(2022, 6, 8, 3, 30, 0, 0, clock.Shanghai))
	if n := len(mustQuery(t, r, "APP#EXPIRING")); n != 2 {
		t.Fatalf("%d drafts marked, want 2", n)
	}
	// One is saved again.
	c = loggedIn(t, r, demo.PersonRefund)
	d := decode[draftJSON](t, c.do("GET", kept, ""))
	wantCode(t, "save again", c.do("PUT", kept, `{"version":`+strconv.FormatInt(d.Version, 10)+`,"fields":{"address":"七台河市桃山区学府街12号"}}`), 200)
	// After the other's 30 days.
	fire(time.Date(2022, 6, 10, 3, 30, 0, 0, clock.Shanghai))
	if n := len(uploads(leftID)); n != 0 {
		t.Errorf("%d uploads of the expired draft left", n)
	}
	for _, u := range files {
		key := "materials/" + leftID + "/" + strings.TrimPrefix(u.String(table.AttrSK), "UPLOAD#")
		if _, _, err := r.Blobs.Get(ctx, key, 1<<20); err == nil {
			t.Errorf("the expired draft's file %s is still stored", key)
		}
	}
	q, _ = r.Store.Get(ctx, quota)
	if got := q.Int("Files"); got != before-int64(len(files)) {
		t.Errorf("quota %d files after the clean-up, want %d", got, before-int64(len(files)))
	}
	keptID := kept[strings.LastIndex(kept, "/")+1:]
	if len(uploads(keptID)) == 0 {
		t.Error("the draft saved again lost its uploads")
	}
	if n := len(mustQuery(t, r, "APP#EXPIRING")); n != 0 {
		t.Errorf("%d marks left", n)
	}
}
