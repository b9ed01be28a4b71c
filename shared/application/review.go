package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// The reviewer's side of the lifecycle: a pooling area's queue, claiming
// a case, and the decision that completes the round's review execution.
// A reviewer sees the cases of their own pooling area only; any other is
// not found.

var (
	errNotReviewer = apperr.E(apperr.Forbidden, "只有审核员可以审核申请")
	errClaimedElse = apperr.E(apperr.Conflict, "该申请已被其他审核员受理")
)

// SLA states of a queued case.
const (
	SLAOnTime  = "onTime"  // more than 8 hours left
	SLADueSoon = "dueSoon" // due within 8 hours
	SLAOverdue = "overdue" // past its 48 hours
)

// dueSoon is how close to its due time a case counts as due soon.
const dueSoon = 8 * time.Hour

// SLA is the SLA state of a at now.
func (a *Application) SLA(now time.Time) string {
	switch {
	case now.After(a.DueBy):
		return SLAOverdue
	case a.DueBy.Sub(now) <= dueSoon:
		return SLADueSoon
	}
	return SLAOnTime
}

// QueueQuery filters a reviewer's queue.
type QueueQuery struct {
	Business string // business id
	Status   Status // submitted or in_review
	SLA      string // onTime, dueSoon, overdue
	Cursor   string
	Limit    int
}

func reviewer(c identity.Caller) error {
	if !c.Has(identity.RoleReviewer) || c.PoolingArea == "" {
		return errNotReviewer
	}
	return nil
}

// Queue lists the cases waiting in the reviewer's pooling area, the one
// due first first (GSI2), filtered.
func (s *Service) Queue(ctx context.Context, c identity.Caller, q QueueQuery) ([]*Application, string, error) {
	if err := reviewer(c); err != nil {
		return nil, "", err
	}
	now := s.clk.Now()
	cursor := q.Cursor
	var out []*Application
	for {
		page, err := s.t.Query(ctx, table.Query{Index: table.GSI2, PK: gsiQueue + c.PoolingArea, Limit: q.Limit, Cursor: cursor})
		if errors.Is(err, table.ErrInvalid) {
			return nil, "", apperr.Field("cursor", "翻页参数无效，请从第一页重新查看")
		}
		if err != nil {
			return nil, "", fmt.Errorf("application: queue: %w", err)
		}
		for _, it := range page.Items {
			a, err := decodeApp(it)
			if err != nil {
				return nil, "", err
			}
			if (q.Business == "" || a.Business == q.Business) && (q.Status == "" || a.Status == q.Status) &&
				(q.SLA == "" || a.SLA(now) == q.SLA) {
				out = append(out, a)
			}
		}
		cursor = page.Cursor
		if cursor == "" || len(out) > 0 {
			return out, cursor, nil
		}
	}
}

// ReviewCase reads a case of the reviewer's pooling area.
func (s *Service) ReviewCase(ctx context.Context, c identity.Caller, id string) (*Case, error) {
	if err := reviewer(c); err != nil {
		return nil, err
	}
	cs, err := load(ctx, s.t, id)
	if errors.Is(err, errNoApp) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if cs.App.Area != c.PoolingArea || cs.App.Round == 0 {
		return nil, ErrNotFound
	}
	return cs, nil
}

// ReadCase is ReviewCase for a reviewer opening the case: a read of the
// applicant's data (or, for a unit's case about an employee, the
// employee's), recorded in their access log. A lost record is logged; the
// read happened.
func (s *Service) ReadCase(ctx context.Context, c identity.Caller, id string, meta Meta) (*Case, error) {
	cs, err := s.ReviewCase(ctx, c, id)
	if err != nil || s.audit == nil {
		return cs, err
	}
	subject := cs.App.Person
	if n := len(cs.Snapshots); subject == "" && n > 0 {
		subject = cs.Snapshots[n-1].Fields["personNumber"]
	}
	err = s.audit.Record(ctx, identity.AuditRecord{Actor: c.AccountID, ActorRole: identity.RoleReviewer, ActorName: "经办人员",
		Action: identity.ActionRead, Object: cs.App.Business + "/" + cs.App.ID, Subject: subject, Result: "ok",
		RequestID: meta.RequestID}, meta.Address)
	if err != nil {
		s.log.ErrorContext(ctx, "audit record lost", "action", identity.ActionRead, "err", err.Error())
	}
	return cs, nil
}

// Claim takes a submitted case for review (受理): exactly one reviewer
// wins; claiming one's own claim again is fine. A four-eyes case approved
// once goes back to the queue for a second reviewer, who must be another.
func (s *Service) Claim(ctx context.Context, c identity.Caller, id string) (*Case, error) {
	for range 5 {
		cs, err := s.ReviewCase(ctx, c, id)
		if err != nil {
			return nil, err
		}
		a := cs.App
		switch {
		case a.Claimed && a.ClaimedBy == c.AccountID:
			return cs, nil
		case a.Claimed:
			return nil, errClaimedElse
		case !a.Queued():
			return nil, apperr.E(apperr.Conflict, "该申请当前状态为"+a.Status.Label()+"，不能受理")
		case slices.Contains(a.Approvals, c.AccountID):
			return nil, apperr.E(apperr.Conflict, "本业务须由两名不同的审核员审核，您已审核通过，请由其他审核员复核")
		}
		now := s.clk.Now()
		a.Status, a.Claimed, a.ClaimedBy, a.Updated = StatusInReview, true, c.AccountID, now
		note := "受理"
		if len(a.Approvals) > 0 {
			note = "复核受理"
		}
		a.Timeline = append(a.Timeline, Event{At: now, Status: StatusInReview, Round: a.Round, Actor: "reviewer", Note: note})
		if err := s.putApp(ctx, a); isStale(err) {
			continue // another reviewer, or the workflow, wrote first: look again
		} else if err != nil {
			return nil, err
		}
		return cs, nil
	}
	return nil, errStale
}

// Decisions of a review.
const (
	Approve = "approve"
	Return  = "return"
	Reject  = "reject"
)

// Decision is a reviewer's decision on a claimed case.
type Decision struct {
	Decision string            // approve, return, reject
	Reasons  map[string]string // return: per field ("fields.<key>") or material ("materials.<name>")
	Comment  string
}

// maxComment bounds a decision's comment and each reason.
const maxComment = 500

// Decide records the reviewer's decision on the case they claimed and
// completes the round's review execution with it. A four-eyes case's
// first approval sends it back to the queue for a second reviewer.
func (s *Service) Decide(ctx context.Context, c identity.Caller, id string, d Decision) (*Case, error) {
	for range 5 {
		cs, err := s.ReviewCase(ctx, c, id)
		if err != nil {
			return nil, err
		}
		a := cs.App
		if a.Status != StatusInReview || !a.Claimed || a.ClaimedBy != c.AccountID {
			return nil, apperr.E(apperr.Conflict, "请先受理该申请再作出审核决定")
		}
		b, err := s.business("", a.Business)
		if err != nil {
			return nil, err
		}
		if err := checkDecision(b, d); err != nil {
			return nil, err
		}
		now := s.clk.Now()
		event := Event{At: now, Round: a.Round, Actor: "reviewer", Note: d.Comment}
		final := true
		switch d.Decision {
		case Approve:
			a.Approvals = append(a.Approvals, c.AccountID)
			if b.FourEyes && len(a.Approvals) < 2 {
				// The first of two approvals: back to the queue.
				final = false
				a.Claimed, a.ClaimedBy = false, ""
				event.Status, event.Note = StatusInReview, strings.TrimSpace("初审通过，待其他审核员复核 "+d.Comment)
			} else {
				a.Status, event.Status = StatusApproved, StatusApproved
			}
		case Return:
			a.Status, a.Reasons, event.Status = StatusReturned, d.Reasons, StatusReturned
		case Reject:
			a.Status, event.Status = StatusRejected, StatusRejected
		}
		token := ""
		if final {
			token, a.ReviewToken, a.Claimed = a.ReviewToken, "", false
		}
		a.Updated = now
		a.Timeline = append(a.Timeline, event)
		if d.Decision == Return {
			// Back to the first step at once (the workflow's MarkReturned
			// finds it done and writes nothing, so it never races the
			// applicant's first edit).
			a.Timeline = append(a.Timeline, Event{At: now, Status: StatusReturned, Round: a.Round, Actor: "system", Note: returnedNote})
		}
		if token == "" || s.wf == nil {
			if err := s.putApp(ctx, a); isStale(err) {
				continue
			} else if err != nil {
				return nil, err
			}
			return cs, nil
		}
		// The decision and the marker of its message to the review
		// execution are written together: a crash before the message is
		// sent leaves the marker, and the sweep sends it (not the 48-hour
		// timeout). The kill -9 drill found decided cases left waiting.
		out, _ := json.Marshal(map[string]any{"decision": d.Decision, "reviewer": c.AccountID, "round": a.Round})
		mk := untoldKey(a, now)
		if err := s.putAppWith(ctx, a, table.Put(table.Item{table.AttrPK: mk.PK, table.AttrSK: mk.SK, "T": "untold",
			"App": a.ID, "Round": int64(a.Round), "Token": token, "Output": string(out)}, table.IfAbsent())); isStale(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		s.tell(ctx, mk, a.ID, token, out)
		return cs, nil
	}
	return nil, errStale
}

// tell sends a recorded decision to the review execution waiting for it
// and removes its marker. A token the engine no longer knows (the
// execution was told already, timed out, or ended) needs no message
// either. Any other failure keeps the marker for the sweep; the decision
// stands meanwhile.
func (s *Service) tell(ctx context.Context, mk table.Key, id, token string, out json.RawMessage) bool {
	err := s.wf.SendTaskSuccess(ctx, token, out)
	if err != nil && !errors.Is(err, workflow.ErrTaskNotFound) {
		s.log.WarnContext(ctx, "review execution not told of the decision; the sweep retries", "app", id, "err", err.Error())
		return false
	}
	if err := s.t.Delete(ctx, mk, table.Cond{}); err != nil {
		// Sent again by the sweep, the engine no longer knows the token.
		s.log.WarnContext(ctx, "decision marker not removed", "app", id, "err", err.Error())
	}
	return true
}

// checkDecision checks a decision's shape: a known decision, reasons for
// a return keyed by the business's fields and materials, bounded text.
func checkDecision(b *catalog.Business, d Decision) error {
	bad := map[string]string{}
	switch d.Decision {
	case Approve, Reject:
	case Return:
		if len(d.Reasons) == 0 {
			bad["reasons"] = "退回时请至少填写一条原因，申请人会在对应的项目下看到"
		}
	default:
		bad["decision"] = "审核决定应为 approve（通过）、return（退回）或 reject（不予受理）"
	}
	if d.Decision == Reject && strings.TrimSpace(d.Comment) == "" {
		bad["comment"] = "不予受理时请填写理由"
	}
	if len([]rune(d.Comment)) > maxComment {
		bad["comment"] = fmt.Sprintf("最多%d个字", maxComment)
	}
	for k, v := range d.Reasons {
		name, isField := strings.CutPrefix(k, "fields.")
		mat, isMaterial := strings.CutPrefix(k, "materials.")
		_, okF := b.Field(name)
		_, okM := b.Material(mat)
		switch {
		case !(isField && okF) && !(isMaterial && okM) && k != "selection" && k != "rows":
			bad["reasons."+clip(k)] = "原因应对应本业务的某一项（fields.<项目>）或某项材料（materials.<材料名称>）"
		case strings.TrimSpace(v) == "" || len([]rune(v)) > maxComment:
			bad["reasons."+clip(k)] = fmt.Sprintf("请填写原因，最多%d个字", maxComment)
		}
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	return nil
}
