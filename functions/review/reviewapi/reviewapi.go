// Package reviewapi is the ReviewFunction: the staff console's API for
// reviewers (审核员) of a pooling area (统筹区). It is the first slice of
// the review issue: the queue, claiming, reading a case and deciding it;
// the decision completes the round's review execution. Decision effects
// on the ledger, receipts, notifications and ratings come next.
//
// Routes (reviewers only; a case of another pooling area is 404):
//
//	GET  /api/v1/review/queue                          the area's waiting cases, due first first (GSI2);
//	                                                   business, status (submitted|in_review), sla (onTime|dueSoon|overdue), cursor, limit
//	POST /api/v1/review/applications/{id}/claim        受理: exactly one reviewer wins
//	GET  /api/v1/review/applications/{id}              the case with every round's snapshot and download links;
//	                                                   audited as a read of the applicant's data
//	POST /api/v1/review/applications/{id}/decision     {"decision":"approve"|"return"|"reject","reasons":{…},"comment"}
//	GET  /api/v1/review/ratings                        the area's 好差评, newest first; business, negative=true, unanswered=true
//	POST /api/v1/review/applications/{id}/rating/answer {"answer"}: the agency's answer to a 差评, which the applicant sees
//	GET  /api/v1/review/ratings/stats                  the area's ratings per business: from, to (YYYY-MM-DD; default this year)
//	GET  /api/v1/review/attention                      the area's cases whose workflow failed a step and waits for staff
//	POST /api/v1/review/applications/{id}/retry        重新办理: run the failed step again
//
// Reference data (admins only; refdata.go): 记账利率, 缴费比例 and 社平工资
// with its 缴费档次, each with its 文件依据 and effective period.
//
//	GET  /api/v1/review/refdata                        the entries in force per kind: built-in default or stored (version, by, at, reason); kind
//	GET  /api/v1/review/refdata/history                kind, name: the built-in default and every stored version, oldest first
//	POST /api/v1/review/refdata                        {"kind","entry":{…},"source":"文件依据","reason":"修改原因 (a correction)"}: add or correct
//	                                                   one entry; audited (refdata.put) in the write's transaction
//
// Scheduled reminders (admins only; reminders.go):
//
//	GET  /api/v1/review/reminders                      every job with its schedule and last runs (sent, skipped, failed)
//	POST /api/v1/review/reminders/{job}/runs/{period}/rerun   run a finished run again; audited (reminder.rerun)
//
// Four-eyes businesses (the catalog's fourEyes: refunds, back-payments,
// arrears, benefit back-pay) need a second, different reviewer's approval.
package reviewapi

import (
	"net/http"
	"time"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
)

// Name is the function's logical id in template.yaml.
const Name = "ReviewFunction"

// Reviewers may call every route but reference data (admins).
var reviewers = access.Allow(identity.RoleReviewer)

// Policies are the routes' access policies.
var Policies = access.Policies{
	"GET /api/v1/review/queue":                                reviewers,
	"POST /api/v1/review/applications/{id}/claim":             reviewers,
	"GET /api/v1/review/applications/{id}":                    reviewers,
	"POST /api/v1/review/applications/{id}/decision":          reviewers,
	"GET /api/v1/review/ratings":                              reviewers,
	"POST /api/v1/review/applications/{id}/rating/answer":     reviewers,
	"GET /api/v1/review/attention":                            reviewers,
	"GET /api/v1/review/ratings/stats":                        reviewers,
	"POST /api/v1/review/applications/{id}/retry":             reviewers,
	"GET /api/v1/review/refdata":                              admins,
	"GET /api/v1/review/refdata/history":                      admins,
	"POST /api/v1/review/refdata":                             admins,
	"GET /api/v1/review/reminders":                            admins,
	"POST /api/v1/review/reminders/{job}/runs/{period}/rerun": admins,
}

// New builds the function.
func New(d app.Deps) app.Function {
	s := &server{svc: familyapi.NewService(d)}
	rt, _ := access.NewRouter(d, Policies)
	rt.HandleFunc("GET /api/v1/review/queue", s.queue)
	rt.HandleFunc("POST /api/v1/review/applications/{id}/claim", s.claim)
	rt.HandleFunc("GET /api/v1/review/applications/{id}", s.get)
	rt.HandleFunc("POST /api/v1/review/applications/{id}/decision", s.decide)
	rt.HandleFunc("GET /api/v1/review/ratings", s.ratings)
	rt.HandleFunc("POST /api/v1/review/applications/{id}/rating/answer", s.answer)
	rt.HandleFunc("GET /api/v1/review/attention", s.attention)
	rt.HandleFunc("GET /api/v1/review/ratings/stats", s.ratingStats)
	rt.HandleFunc("POST /api/v1/review/applications/{id}/retry", s.retry)
	refdataRoutes(d, rt)
	reminderRoutes(d, rt)
	return app.Function{Name: Name, HTTP: rt}
}

type server struct{ svc *application.Service }

// queueJSON is one row of the queue.
type queueJSON struct {
	application.SummaryView
	SLA       string `json:"sla"`
	ClaimedBy string `json:"claimedBy,omitempty"`
	Approvals int    `json:"approvals"`
	FourEyes  bool   `json:"fourEyes,omitempty"`
	// Applicant names whom the case is about, as the form says: the
	// person's 姓名, or for a unit's business without one the 单位名称.
	Applicant string `json:"applicant,omitempty"`
}

// applicantOf is the queue's 申请人 of a case.
func applicantOf(a *application.Application) string {
	if n := a.Fields["name"]; n != "" {
		if u := a.Fields["unitName"]; u != "" {
			return n + "（" + u + "）"
		}
		return n
	}
	return a.Fields["unitName"]
}

func (s *server) queue(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	bad := map[string]string{}
	qq := application.QueueQuery{Status: application.Status(q.Get("status")), SLA: q.Get("sla"), Cursor: q.Get("cursor")}
	qq.Business, qq.Limit = familyapi.ListParams(q, 50, bad)
	if qq.Status != "" && qq.Status != application.StatusSubmitted && qq.Status != application.StatusInReview {
		bad["status"] = "状态应为 submitted 或 in_review"
	}
	if qq.SLA != "" && qq.SLA != application.SLAOnTime && qq.SLA != application.SLADueSoon && qq.SLA != application.SLAOverdue {
		bad["sla"] = "时限状态应为 onTime、dueSoon 或 overdue"
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	apps, next, err := s.svc.Queue(r.Context(), c, qq)
	if err != nil {
		return err
	}
	now := s.svc.Clock().Now()
	cat := catalog.Default()
	items := make([]queueJSON, 0, len(apps))
	for _, a := range apps {
		b, _ := cat.Business(a.Business)
		items = append(items, queueJSON{SummaryView: application.Summarize(cat, a), SLA: a.SLA(now),
			ClaimedBy: a.ClaimedBy, Approvals: len(a.Approvals), FourEyes: b != nil && b.FourEyes, Applicant: applicantOf(a)})
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "cursor": next, "area": c.PoolingArea})
	return nil
}

func (s *server) claim(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	cs, err := s.svc.Claim(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.write(w, r, c, cs)
}

func (s *server) get(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	cs, err := s.svc.ReadCase(r.Context(), c, r.PathValue("id"),
		application.Meta{Address: httpapi.ClientAddr(r), RequestID: httpapi.RequestID(r.Context())})
	if err != nil {
		return err
	}
	return s.write(w, r, c, cs)
}

func (s *server) decide(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	var in struct {
		Decision string            `json:"decision"`
		Reasons  map[string]string `json:"reasons"`
		Comment  string            `json:"comment"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	cs, err := s.svc.Decide(r.Context(), c, r.PathValue("id"), application.Decision{Decision: in.Decision, Reasons: in.Reasons, Comment: in.Comment})
	if err != nil {
		return err
	}
	return s.write(w, r, c, cs)
}

// caseJSON is a case as the reviewer sees it: the applicant's view (its
// identifiers masked), the queue facts and download links of its files.
type caseJSON struct {
	application.View
	SLA       string            `json:"sla"`
	ClaimedBy string            `json:"claimedBy,omitempty"`
	Approvals int               `json:"approvals"`
	Links     map[string]string `json:"links"` // uploadId → short-lived download URL
	Attention *attentionJSON    `json:"attention,omitempty"`
}

// attentionJSON is a failed step waiting for staff (never its token).
type attentionJSON struct {
	Step  string    `json:"step"`
	Error string    `json:"error"`
	Cause string    `json:"cause"`
	At    time.Time `json:"at"`
}

func attentionOf(a *application.Application) *attentionJSON {
	if a.Attention == nil {
		return nil
	}
	return &attentionJSON{Step: a.Attention.Step, Error: a.Attention.Error, Cause: a.Attention.Cause, At: a.Attention.At}
}

func (s *server) attention(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	bad := map[string]string{}
	_, limit := familyapi.ListParams(r.URL.Query(), 50, bad)
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	apps, next, err := s.svc.AttentionList(r.Context(), c, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	type item struct {
		application.SummaryView
		Attention *attentionJSON `json:"attention"`
	}
	cat := catalog.Default()
	items := make([]item, 0, len(apps))
	for _, a := range apps {
		items = append(items, item{SummaryView: application.Summarize(cat, a), Attention: attentionOf(a)})
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "cursor": next, "area": c.PoolingArea})
	return nil
}

func (s *server) retry(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	cs, err := s.svc.Retry(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.write(w, r, c, cs)
}

func (s *server) write(w http.ResponseWriter, r *http.Request, c identity.Caller, cs *application.Case) error {
	v, err := s.svc.View(r.Context(), c, cs, nil, false)
	if err != nil {
		return err
	}
	links, err := s.svc.StaffLinks(r.Context(), cs)
	if err != nil {
		return err
	}
	out := caseJSON{View: v, ClaimedBy: cs.App.ClaimedBy, Approvals: len(cs.App.Approvals), Links: links, Attention: attentionOf(cs.App)}
	if !cs.App.DueBy.IsZero() {
		out.SLA = cs.App.SLA(s.svc.Clock().Now())
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) ratings(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	bad := map[string]string{}
	rq := application.RatingQuery{Negative: q.Get("negative") == "true", Unanswered: q.Get("unanswered") == "true", Cursor: q.Get("cursor")}
	rq.Business, rq.Limit = familyapi.ListParams(q, 50, bad)
	for _, k := range []string{"negative", "unanswered"} {
		if v := q.Get(k); v != "" && v != "true" && v != "false" {
			bad[k] = k + " 应为 true 或 false"
		}
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	items, next, err := s.svc.Ratings(r.Context(), c, rq)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*application.Rating{}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "cursor": next, "area": c.PoolingArea})
	return nil
}

func (s *server) answer(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	var in struct {
		Answer string `json:"answer"`
	}
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rt, err := s.svc.AnswerRating(r.Context(), c, r.PathValue("id"), in.Answer)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, rt)
	return nil
}

func (s *server) ratingStats(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	now := s.svc.Clock().Now().In(clock.Shanghai)
	from := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, clock.Shanghai)
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Shanghai)
	bad := map[string]string{}
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, clock.Shanghai)
			if err != nil {
				bad[name] = "日期格式应为YYYY-MM-DD"
				continue
			}
			*dst = t
		}
	}
	if len(bad) == 0 && to.Before(from) {
		bad["to"] = "结束日期不能早于开始日期"
	}
	if len(bad) == 0 && to.Sub(from) > 366*24*time.Hour {
		bad["from"] = "统计区间最长一年"
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	st, err := s.svc.RatingStats(r.Context(), c, from, to)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, st)
	return nil
}
