// Package applicationsapi is the ApplicationsFunction: 用户中心, where an
// applicant follows every application of theirs across the families, and
// the review workflow's task that records a round's task token.
//
// Routes:
//
//	GET  /api/v1/applications                 mine (an agent: its unit's), newest first; drafts=true lists
//	                                          the drafts apart; status, business, cursor, limit filter and page
//	GET  /api/v1/applications/{id}            the case: fields (identifiers masked), materials, amounts,
//	                                          every submitted round, the timeline and the 48-hour due time
//	POST /api/v1/applications/{id}/withdraw   take back a submitted application before a reviewer claims it
//	POST /api/v1/applications/{id}/rating     好差评, once, after it is completed or rejected:
//	                                          {"grade":"5".."1" or 非常满意..非常不满意,"comment"} (a comment for 不满意 and 非常不满意)
//
// Schedule ApplicationsSweep (every 5 minutes) starts the review executions
// of submits whose start was lost between their write and the start.
//
// {id} may also be a reference number (HL20261202-…). Another person's
// application is 404, the same as one that does not exist.
package applicationsapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/appdeps"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/reminder"
)

// Name is the function's logical id in template.yaml.
const Name = "ApplicationsFunction"

// Policies are the routes' access policies: applicants only.
var Policies = access.Policies{
	"GET /api/v1/applications":                familyapi.Applicants,
	"GET /api/v1/applications/{id}":           familyapi.Applicants,
	"POST /api/v1/applications/{id}/withdraw": familyapi.Applicants,
	"POST /api/v1/applications/{id}/rating":   familyapi.Applicants,
}

// New builds the function.
func New(d app.Deps) app.Function {
	// The one function that sends applicants' and reviewers' messages
	// (the notify, escalate and needsAttention tasks, the reminders).
	svc := appdeps.Service(d, d.Workflow, d.Notify)
	s := &server{svc: svc}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rt, _ := access.NewRouter(d, Policies)
	rt.HandleFunc("GET /api/v1/applications", s.list)
	rt.HandleFunc("GET /api/v1/applications/{id}", s.get)
	rt.HandleFunc("POST /api/v1/applications/{id}/withdraw", s.withdraw)
	rt.HandleFunc("POST /api/v1/applications/{id}/rating", s.rate)
	contacts := identity.NewContacts(d.Store)
	n := &inbox.Notifier{Inbox: inbox.New(d.Store, d.Clock), Send: d.Notify, Mobiles: contacts}
	rem := &reminder.Scheduler{Runner: reminder.NewRunner(d.Store, d.Clock, n), Jobs: svc.ReminderJobs(contacts), Log: log}
	rem.Runner.Log = log.Warn
	return app.Function{Name: Name, HTTP: rt, Task: familyapi.Task(svc), Schedule: func(ctx context.Context, ev app.ScheduleEvent) error {
		if handled, err := rem.Handle(ctx, ev.Schedule, ev.Time); handled {
			return err
		}
		if ev.Schedule == application.CleanupSchedule {
			res, err := svc.CleanExpiredDrafts(ctx)
			log.InfoContext(ctx, "expired drafts cleaned", "marked", res.Marked, "cleaned", res.Cleaned, "files", res.Files, "kept", res.Kept)
			return err
		}
		if ev.Schedule != SweepSchedule {
			return fmt.Errorf("applications: unknown schedule %q", ev.Schedule)
		}
		n, err := svc.Sweep(ctx, SweepGrace)
		if n > 0 {
			log.InfoContext(ctx, "review executions started by the sweep", "count", n)
		}
		return err
	}}
}

// SweepSchedule is the schedule (template.yaml) that starts the review
// executions of submits whose start was lost; SweepGrace leaves the
// submits still in flight alone.
const (
	SweepSchedule = "ApplicationsSweep"
	SweepGrace    = time.Minute
)

type server struct{ svc *application.Service }

var statuses = []application.Status{application.StatusDraft, application.StatusSubmitted, application.StatusInReview,
	application.StatusApproved, application.StatusReturned, application.StatusRejected, application.StatusCompleted,
	application.StatusWithdrawn}

func (s *server) list(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	bad := map[string]string{}
	status := application.Status(q.Get("status"))
	if status != "" && !slices.Contains(statuses, status) {
		bad["status"] = "状态无效"
	}
	business, limit := familyapi.ListParams(q, 20, bad)
	drafts := q.Get("drafts") == "true"
	if v := q.Get("drafts"); v != "" && v != "true" && v != "false" {
		bad["drafts"] = "drafts 应为 true 或 false"
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	apps, next, err := s.svc.List(r.Context(), c, drafts || status == application.StatusDraft, status, business, q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	cat := catalog.Default()
	items := make([]application.SummaryView, 0, len(apps))
	for _, a := range apps {
		items = append(items, application.Summarize(cat, a))
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "cursor": next})
	return nil
}

func (s *server) load(r *http.Request, c identity.Caller) (*application.Case, error) {
	id := r.PathValue("id")
	if strings.HasPrefix(strings.ToUpper(id), "HL") {
		return s.svc.ByReference(r.Context(), c, id)
	}
	return s.svc.Get(r.Context(), c, "", id)
}

func (s *server) get(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	cs, err := s.load(r, c)
	if err != nil {
		return err
	}
	return familyapi.WriteCase(w, r, s.svc, c, cs, nil, http.StatusOK)
}

func (s *server) withdraw(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	cs, err := s.svc.Withdraw(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return familyapi.WriteCase(w, r, s.svc, c, cs, nil, http.StatusOK)
}

func (s *server) rate(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	var in struct {
		Grade   string `json:"grade"`
		Comment string `json:"comment"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rt, err := s.svc.Rate(r.Context(), c, r.PathValue("id"), in.Grade, in.Comment)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, rt)
	return nil
}
