package reviewapi

import (
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/reminder"
	"github.com/hljhrss/hrss/shared/table"
)

// Scheduled reminders (admins only; reminders.go): the last runs of each
// job with their counts, and a safe rerun.
//
//	GET  /api/v1/review/reminders                            every job: label, schedule, expression, its last 6 runs
//	POST /api/v1/review/reminders/{job}/runs/{period}/rerun  run a finished run again (only those missed are told); audited

// ActionReminderRerun is the audit action of an admin's rerun; its object
// is "<job>/<period>".
const ActionReminderRerun = "reminder.rerun"

type remindersAPI struct {
	runs  *reminder.Runner
	audit *identity.Audit
}

func reminderRoutes(d app.Deps, rt *httpapi.Router) {
	a := &remindersAPI{runs: reminder.NewRunner(d.Store, d.Clock, nil),
		audit: identity.NewAudit(d.Store, d.Clock, identity.NewKeys(ledger.IDHashKey(d.Config.IDHashKey)))}
	rt.HandleFunc("GET /api/v1/review/reminders", a.list)
	rt.HandleFunc("POST /api/v1/review/reminders/{job}/runs/{period}/rerun", a.rerun)
}

// runJSON is one run as staff see it.
type runJSON struct {
	Period   string     `json:"period"`
	Status   string     `json:"status"` // running | done
	Sent     int64      `json:"sent"`
	Skipped  int64      `json:"skipped"`
	Failed   int64      `json:"failed"`
	Attempt  int64      `json:"attempt"`
	Started  time.Time  `json:"startedAt"`
	Updated  time.Time  `json:"updatedAt"`
	Finished *time.Time `json:"finishedAt,omitempty"`
}

func runOf(r reminder.Run) runJSON {
	out := runJSON{Period: r.Period, Status: r.Status, Sent: r.Sent, Skipped: r.Skipped, Failed: r.Failed, Attempt: r.Attempt,
		Started: r.Started, Updated: r.Updated}
	if !r.Finished.IsZero() {
		t := r.Finished
		out.Finished = &t
	}
	return out
}

func (a *remindersAPI) list(w http.ResponseWriter, r *http.Request) error {
	type jobJSON struct {
		reminder.Info
		Runs []runJSON `json:"runs"`
	}
	out := struct {
		Jobs []jobJSON `json:"jobs"`
	}{Jobs: []jobJSON{}}
	for _, j := range reminder.Jobs {
		runs, err := a.runs.Recent(r.Context(), j.Name, 6)
		if err != nil {
			return err
		}
		jj := jobJSON{Info: j, Runs: []runJSON{}}
		for _, run := range runs {
			jj.Runs = append(jj.Runs, runOf(run))
		}
		out.Jobs = append(out.Jobs, jj)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// periodPattern is a run's period: a month (202206), a day (20220601) or
// a year (2022).
var periodPattern = regexp.MustCompile(`^[0-9]{4}([0-9]{2}([0-9]{2})?)?$`)

func (a *remindersAPI) rerun(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	job, period := r.PathValue("job"), r.PathValue("period")
	if _, ok := reminder.InfoOf(job); !ok || !periodPattern.MatchString(period) {
		return apperr.E(apperr.NotFound, "没有这个提醒批次")
	}
	op := a.audit.Op(identity.AuditRecord{Actor: c.AccountID, ActorRole: identity.RoleAdmin, ActorName: "系统管理员",
		Action: ActionReminderRerun, Object: job + "/" + period, Result: "ok", RequestID: httpapi.RequestID(r.Context())},
		httpapi.ClientAddr(r))
	run, err := a.runs.RequestRerun(r.Context(), job, period, op)
	switch {
	case errors.Is(err, reminder.ErrNoRun):
		return apperr.E(apperr.NotFound, "没有这个提醒批次")
	case errors.Is(err, reminder.ErrRunning):
		return apperr.E(apperr.Conflict, "该批次正在发送中，完成后才能重新发送")
	case errors.Is(err, table.ErrConditionFailed):
		return apperr.E(apperr.Conflict, "该批次刚刚有变化，请刷新后重试")
	case err != nil:
		return err
	}
	httpapi.WriteJSON(w, http.StatusAccepted, struct {
		runJSON
		Message string `json:"message"`
	}{runOf(run), "已安排重新发送，将在5分钟内开始；已收到提醒的人不会重复收到"})
	return nil
}
