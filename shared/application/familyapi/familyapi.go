// Package familyapi is the HTTP edge of a business family's function: the
// applicant's routes of the shared lifecycle (package application) under
// /api/v1/<family>/, each serving that family's businesses only. A family
// function is New with its plugin; 用户中心 (functions/applications) reuses
// the case view.
//
// Routes (for a family id F):
//
//	POST   /api/v1/F/applications                               {"business"} → 201 the draft
//	GET    /api/v1/F/applications/{id}                          the case
//	PUT    /api/v1/F/applications/{id}                          {"version","fields","selection","rows"} saves
//	POST   /api/v1/F/applications/{id}/uploads                  {"material","fileName","contentType","size"} → 201 a presigned POST
//	POST   /api/v1/F/applications/{id}/uploads/{uploadId}/complete   → 200 {"status":"accepted"} or 422 with the reason
//	DELETE /api/v1/F/applications/{id}/uploads/{uploadId}       → 204
//	GET    /api/v1/F/applications/{id}/uploads/{uploadId}       the file's status (checkedRows while a file check runs,
//	                                                            the reason and report when refused) and, once accepted, a
//	                                                            short-lived download URL
//	POST   /api/v1/F/applications/{id}/submit                   Idempotency-Key → 201 the receipt
//
// A draft's answer carries its record table ("ledger") when it is created
// and when GET or PUT asks with ?ledger=true (the table costs the ledger's
// reads; the portal's 开始年月/结束年月 查询 uses GET /api/v1/ledgers/{business}).
// Identifiers prefilled from the records are masked in every answer (a save
// sending the masked value back keeps the stored one). Errors are apperr
// errors: field errors are keyed "fields.<key>", "materials.<name>",
// "selection", "rows"; another person's application is 404, the same as
// one that does not exist.
package familyapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/appdeps"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Applicants are the roles that fill in applications.
var Applicants = appdeps.Applicants

// Route is a family's own route beside the shared ones (5.2's
// declaration template): its pattern, policy and handler on the service.
type Route struct {
	Pattern string
	Policy  access.Policy
	Handler func(svc *application.Service) httpapi.HandlerFunc
}

// Policies are the access policies of family F's routes and its own.
func Policies(family string, extra ...Route) access.Policies {
	p := "/api/v1/" + family + "/applications"
	out := access.Policies{
		"POST " + p:                   Applicants,
		"GET " + p + "/{id}":          Applicants,
		"PUT " + p + "/{id}":          Applicants,
		"POST " + p + "/{id}/uploads": Applicants,
		"POST " + p + "/{id}/uploads/{uploadId}/complete": Applicants,
		"DELETE " + p + "/{id}/uploads/{uploadId}":        Applicants,
		"GET " + p + "/{id}/uploads/{uploadId}":           Applicants,
		"POST " + p + "/{id}/submit":                      Applicants,
	}
	for _, r := range extra {
		out[r.Pattern] = r.Policy
	}
	return out
}

// NewService builds the lifecycle from a function's Deps, with its
// workflow engine (appdeps.Service): the local scanner (EICAR and the
// configured digests) on the local runner, the GuardDuty result tag in
// AWS. It sends nothing: every message about an application goes out in
// the review workflow's notify, escalate and needsAttention tasks, which
// the state machine gives to ApplicationsFunction alone
// (review.asl.json), and that function builds its lifecycle with its
// notifications. So the family functions and ReviewFunction do not link
// the SNS and SES clients (docs/performance.md, "Cold start").
func NewService(d app.Deps, plugins ...application.Plugin) *application.Service {
	return appdeps.Service(d, d.Workflow, nil, plugins...)
}

// New builds the function named name serving family with its plugin and
// its own routes.
func New(name string, plug application.Plugin, extra ...Route) func(app.Deps) app.Function {
	return func(d app.Deps) app.Function {
		return NewWith(name, d, NewService(d, plug), plug.Family, extra...)
	}
}

// NewWith builds the function on a given service (tests inject hooks).
func NewWith(name string, d app.Deps, svc *application.Service, family string, extra ...Route) app.Function {
	s := &server{svc: svc, family: family, clock: d.Clock.Now}
	rt, _ := access.NewRouter(d, Policies(family, extra...))
	for _, r := range extra {
		rt.HandleFunc(r.Pattern, r.Handler(svc))
	}
	p := "/api/v1/" + family + "/applications"
	rt.HandleFunc("POST "+p, s.create)
	rt.HandleFunc("GET "+p+"/{id}", s.get)
	rt.HandleFunc("PUT "+p+"/{id}", s.save)
	rt.HandleFunc("POST "+p+"/{id}/uploads", s.presign)
	rt.HandleFunc("POST "+p+"/{id}/uploads/{uploadId}/complete", s.complete)
	rt.HandleFunc("DELETE "+p+"/{id}/uploads/{uploadId}", s.deleteUpload)
	rt.HandleFunc("GET "+p+"/{id}/uploads/{uploadId}", s.download)
	rt.HandleFunc("POST "+p+"/{id}/submit", s.submit)
	return app.Function{Name: name, HTTP: rt, Task: DecisionTask(svc)}
}

// DecisionTask is a family function's task handler: Task restricted to
// applyDecision, the one task the state machine gives a family function.
// Any other is refused (Hrss.BadTaskPayload) rather than run by a
// lifecycle built without notifications, which would tell the applicant
// in the message center and silently send no SMS or e-mail.
func DecisionTask(svc *application.Service) workflow.TaskHandler {
	run := Task(svc)
	return func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
		var in struct {
			Task string `json:"task"`
		}
		if err := json.Unmarshal(payload, &in); err != nil || in.Task != "applyDecision" {
			return nil, &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: fmt.Sprintf("a family function runs applyDecision only, not %q: the other tasks are ApplicationsFunction's", in.Task)}
		}
		return run(ctx, payload)
	}
}

type server struct {
	svc    *application.Service
	family string
	clock  func() time.Time
}

// Caller is the session's caller of a guarded route.
func Caller(r *http.Request) (identity.Caller, error) { return appdeps.Caller(r) }

// WriteCase answers with what c sees of cs (res: a save's field errors).
// The record table comes with a new draft (201) and with ?ledger=true.
func WriteCase(w http.ResponseWriter, r *http.Request, svc *application.Service, c identity.Caller, cs *application.Case, res *catalog.Result, status int) error {
	v, err := svc.View(r.Context(), c, cs, res, status == http.StatusCreated || r.URL.Query().Get("ledger") == "true")
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, status, v)
	return nil
}

func (s *server) create(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	var in struct {
		Business string `json:"business"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Business == "" {
		return apperr.Field("business", "请选择要办理的业务")
	}
	cs, err := s.svc.Create(r.Context(), c, s.family, in.Business)
	if err != nil {
		return err
	}
	return WriteCase(w, r, s.svc, c, cs, nil, http.StatusCreated)
}

func (s *server) get(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	cs, err := s.svc.Get(r.Context(), c, s.family, r.PathValue("id"))
	if err != nil {
		return err
	}
	return WriteCase(w, r, s.svc, c, cs, nil, http.StatusOK)
}

func (s *server) save(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	var in struct {
		Version   *int64              `json:"version"`
		Fields    map[string]string   `json:"fields"`
		Selection []string            `json:"selection"`
		Rows      []map[string]string `json:"rows"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return apperr.Field("version", "缺少版本号，请刷新页面后重试")
	}
	cs, res, err := s.svc.Save(r.Context(), c, s.family, r.PathValue("id"),
		application.Draft{Version: *in.Version, Fields: in.Fields, Selection: in.Selection, Rows: in.Rows})
	if err != nil {
		return err
	}
	return WriteCase(w, r, s.svc, c, cs, &res, http.StatusOK)
}

func (s *server) presign(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	var in struct {
		Material    string `json:"material"`
		FileName    string `json:"fileName"`
		ContentType string `json:"contentType"`
		Size        int64  `json:"size"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, post, err := s.svc.PresignUpload(r.Context(), c, s.family, r.PathValue("id"),
		application.UploadRequest{Material: in.Material, FileName: in.FileName, ContentType: in.ContentType, Size: in.Size})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, map[string]any{"uploadId": u.ID, "url": post.URL, "fields": post.Fields,
		"expiresAt": post.ExpiresAt.UTC().Format(time.RFC3339)})
	return nil
}

func (s *server) complete(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	u, err := s.svc.CompleteUpload(r.Context(), c, s.family, r.PathValue("id"), r.PathValue("uploadId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"status": u.Status, "uploadId": u.ID, "sha256": u.Digest})
	return nil
}

func (s *server) deleteUpload(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteUpload(r.Context(), c, s.family, r.PathValue("id"), r.PathValue("uploadId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) download(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	u, url, err := s.svc.DownloadURL(r.Context(), c, s.family, r.PathValue("id"), r.PathValue("uploadId"))
	if err != nil {
		return err
	}
	out := map[string]any{"uploadId": u.ID, "status": u.Status, "fileName": u.FileName, "contentType": u.ContentType, "size": u.Size}
	if url != "" {
		out["url"], out["expiresAt"] = url, s.clock().Add(application.DownloadExpiry).UTC().Format(time.RFC3339)
	}
	if u.Checked > 0 {
		out["checkedRows"] = u.Checked
	}
	if u.Reason != "" {
		out["reason"] = u.Reason
	}
	if u.Report != nil {
		out["report"] = u.Report
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) submit(w http.ResponseWriter, r *http.Request) error {
	c, err := Caller(r)
	if err != nil {
		return err
	}
	rc, err := s.svc.Submit(r.Context(), c, s.family, r.PathValue("id"), strings.TrimSpace(r.Header.Get("Idempotency-Key")),
		application.Meta{Address: httpapi.ClientAddr(r), RequestID: httpapi.RequestID(r.Context())})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, rc)
	return nil
}

// Task is the handler of the review workflow's tasks on applications
// (infra/statemachine/review.asl.json), by the payload's "task":
//
//	awaitReview    {applicationId, round, token}: record the decision's task token
//	notify         {applicationId, round, event: submitted|result}: tell the applicant, once
//	escalate       {applicationId, round, at}: flag the overdue round, tell the area's reviewers
//	markReturned   {applicationId, round}: the returned round goes back to the first step
//	needsAttention {applicationId, round, step, error: {Error, Cause}, token}: wait for staff
//	applyDecision  {applicationId, round}: the business's effect (family functions)
func Task(svc *application.Service) workflow.TaskHandler {
	return func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
		var in struct {
			Task  string `json:"task"`
			App   string `json:"applicationId"`
			Round int    `json:"round"`
			Token string `json:"token"`
			Event string `json:"event"`
			At    string `json:"at"`
			Step  string `json:"step"`
			Error struct {
				Error string `json:"Error"`
				Cause string `json:"Cause"`
			} `json:"error"`
		}
		if err := json.Unmarshal(payload, &in); err != nil || in.App == "" || in.Round < 1 {
			return nil, &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: "want {task, applicationId, round, ...}"}
		}
		var err error
		switch in.Task {
		case "awaitReview":
			if in.Token == "" {
				return nil, &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: "awaitReview needs a token"}
			}
			err = svc.AwaitReview(ctx, in.App, in.Round, in.Token)
		case "notify":
			err = svc.Notify(ctx, in.App, in.Round, in.Event)
		case "escalate":
			err = svc.Escalate(ctx, in.App, in.Round, in.At)
		case "markReturned":
			err = svc.MarkReturned(ctx, in.App, in.Round)
		case "needsAttention":
			if in.Token == "" {
				return nil, &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: "needsAttention needs a token"}
			}
			err = svc.NeedsAttention(ctx, in.App, in.Round, in.Step, in.Error.Error, lambdaMessage(in.Error.Cause), in.Token)
		case "applyDecision":
			var result string
			if result, err = svc.ApplyDecision(ctx, in.App, in.Round); err == nil {
				return json.Marshal(map[string]string{"result": result})
			}
		default:
			return nil, &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: "unknown task " + in.Task}
		}
		if err != nil {
			return nil, err
		}
		return json.RawMessage(`{"ok":true}`), nil
	}
}

// lambdaMessage is the errorMessage of a Cause shaped like Lambda's
// function error ({"errorMessage","errorType"}), else the cause itself.
func lambdaMessage(cause string) string {
	var e struct {
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal([]byte(cause), &e) == nil && e.Message != "" {
		return e.Message
	}
	return cause
}

// ListParams reads the list filters every list route shares: business (a
// catalog id) and limit (1-100, def when absent); problems go into bad.
func ListParams(q url.Values, def int, bad map[string]string) (business string, limit int) {
	business, limit = q.Get("business"), def
	if business != "" {
		if _, ok := catalog.Default().Business(business); !ok {
			bad["business"] = "没有这项业务"
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			bad["limit"] = "每页条数应为1-100"
		}
		limit = n
	}
	return business, limit
}
