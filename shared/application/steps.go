package application

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// The review workflow's steps on the application (review.asl.json): the
// notifications of submission, escalation and result, marking a returned
// round, and waiting for staff after a failed step. Every step is keyed by
// the application and round and may run twice (a retried task): it does
// its work once.

// ContactBook finds where to reach people (identity's account.Contacts).
type ContactBook interface {
	// Mobile is the mobile number of an account ("" when none).
	Mobile(ctx context.Context, accountID string) (string, error)
	// Reviewers are the mobile numbers of a pooling area's reviewers.
	Reviewers(ctx context.Context, area string) ([]string, error)
}

// Error names of the workflow's tasks (Retry and Catch match them).
const (
	ErrTransient  = "Hrss.Transient"  // storage or network trouble: retried with backoff
	ErrSuperseded = "Hrss.Superseded" // the round is no longer current: the execution ends
	ErrCannot     = "Hrss.CannotApply"
)

// pkAttention lists the cases whose workflow waits for staff, per area.
const pkAttention = "APP#ATTENTION#"

func attentionKey(area, id string) table.Key { return table.Key{PK: pkAttention + area, SK: id} }

// transient wraps an infrastructure error as a task error the workflow
// retries; a business refusal (*apperr.Error) or a task error passes as is.
func transient(err error) error {
	var te *workflow.TaskError
	if err == nil || errors.As(err, &te) {
		return err
	}
	if e, ok := errors.AsType[*apperr.Error](err); ok {
		return &workflow.TaskError{Name: ErrCannot, Cause: e.Message}
	}
	return &workflow.TaskError{Name: ErrTransient, Cause: err.Error()}
}

// round loads the case and checks that round is its current round.
func (s *Service) round(ctx context.Context, id string, round int) (*Case, error) {
	cs, err := load(ctx, s.t, id)
	if errors.Is(err, errNoApp) {
		return nil, &workflow.TaskError{Name: ErrSuperseded, Cause: "application gone"}
	}
	if err != nil {
		return nil, transient(err)
	}
	if cs.App.Round != round {
		return nil, &workflow.TaskError{Name: ErrSuperseded, Cause: "a later round took over"}
	}
	return cs, nil
}

// Events the applicant is told of.
const (
	EventSubmitted = "submitted"
	EventResult    = "result" // returned, rejected or completed: whichever the round is
)

// Notify tells the applicant of an event of a round by SMS (to the
// account's mobile number), once: the message id is the application,
// round and event, and the sender drops a second send of an id.
func (s *Service) Notify(ctx context.Context, id string, round int, event string) error {
	cs, err := s.round(ctx, id, round)
	if err != nil {
		return err
	}
	a := cs.App
	b, err := s.business("", a.Business)
	if err != nil {
		return transient(err)
	}
	var body, title string
	switch {
	case event == EventSubmitted:
		title = "申请已提交"
		body = fmt.Sprintf("您的“%s”申请已提交，业务编号%s。工作人员会在48小时之内处理，请耐心等待。", b.Name, a.Reference)
	case event == EventResult && a.Status == StatusReturned:
		title = "申请已退回"
		body = fmt.Sprintf("您的“%s”申请（业务编号%s）审核不通过，已退回：%s。请登录用户中心按退回原因修改后重新提交。", b.Name, a.Reference, reasonsText(a.Reasons))
	case event == EventResult && a.Status == StatusRejected:
		title = "申请不予受理"
		body = fmt.Sprintf("您的“%s”申请（业务编号%s）不予受理：%s。", b.Name, a.Reference, lastNote(a, StatusRejected))
	case event == EventResult && a.Status == StatusCompleted:
		title = "申请已办结"
		body = fmt.Sprintf("您的“%s”申请（业务编号%s）已办结：%s", b.Name, a.Reference, a.Result)
	case event == EventResult:
		return &workflow.TaskError{Name: ErrCannot, Cause: "no result to tell: the application is " + string(a.Status)}
	default:
		return &workflow.TaskError{Name: "Hrss.BadTaskPayload", Cause: "unknown event " + event}
	}
	// The message center always; SMS and e-mail as the person chose. The
	// id makes a retried step send nothing twice.
	n := inbox.Notifier{Inbox: inbox.New(s.t, s.clk), Send: s.notify}
	if s.contacts != nil {
		n.Mobiles = s.contacts
	}
	m := inbox.Message{ID: fmt.Sprintf("app-%s-r%d-%s", a.ID, a.Round, event), Kind: "application", Title: title,
		Body: body, Business: a.Business, Link: "/user-center/applications/" + a.ID}
	_, err = n.Tell(ctx, a.Owner, m)
	return transient(err)
}

func reasonsText(r map[string]string) string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = r[k]
	}
	return strings.Join(parts, "；")
}

func lastNote(a *Application, st Status) string {
	for i := len(a.Timeline) - 1; i >= 0; i-- {
		if a.Timeline[i].Status == st {
			return a.Timeline[i].Note
		}
	}
	return ""
}

// Escalate flags a round still undecided at its 48 hours as overdue and
// tells the area's reviewers (no personal data: the business and the
// reference). at is the execution's time of the escalation, which keys it:
// a retried step escalates once.
func (s *Service) Escalate(ctx context.Context, id string, round int, at string) error {
	for range 5 {
		cs, err := s.round(ctx, id, round)
		if err != nil {
			return err
		}
		a := cs.App
		if !a.Queued() {
			return nil // decided meanwhile: the workflow's next wait ends at once
		}
		if a.Escalation == at {
			break // this escalation was recorded: tell the reviewers (once each)
		}
		now := s.clk.Now()
		a.Escalated, a.Escalation, a.Updated = true, at, now
		a.Timeline = append(a.Timeline, Event{At: now, Status: a.Status, Round: a.Round, Actor: "system", Note: "已超过48小时，已提醒审核员尽快处理"})
		if err := s.putApp(ctx, a); isStale(err) {
			continue
		} else if err != nil {
			return transient(err)
		}
		break
	}
	cs, err := s.round(ctx, id, round)
	if err != nil {
		return err
	}
	b, err := s.business("", cs.App.Business)
	if err != nil {
		return transient(err)
	}
	return s.tellReviewers(ctx, cs.App.Area, "overdue-"+cs.App.ID+"-"+at,
		fmt.Sprintf("有申请已超过48小时未处理：%s，业务编号%s。请登录审核系统尽快处理。", b.Name, cs.App.Reference))
}

// tellReviewers sends body to each reviewer of area once for key.
func (s *Service) tellReviewers(ctx context.Context, area, key, body string) error {
	if s.notify == nil || s.contacts == nil {
		return nil
	}
	to, err := s.contacts.Reviewers(ctx, area)
	if err != nil {
		return transient(err)
	}
	for _, m := range to {
		h := sha256.Sum256([]byte(key + "\x00" + m))
		msg := notify.Message{ID: "staff-" + hex.EncodeToString(h[:12]), Channel: notify.SMS, To: m, Body: "【黑龙江人社】" + body}
		if err := s.notify.Send(ctx, msg); err != nil {
			return transient(err)
		}
	}
	return nil
}

// returnedNote is the timeline's note of a returned round (the manual's
// 审核不通过退回第一环节，由申请人重新提交材料).
const returnedNote = "审核不通过，退回第一环节，由申请人重新提交材料"

// MarkReturned closes a returned round's review: the application goes back
// to the first step (退回第一环节), editable by the applicant, who
// resubmits it as the next round under a new execution. The decision
// records that already; the step checks the round is returned and writes
// the record only if it is missing (a decision stored by an older version).
func (s *Service) MarkReturned(ctx context.Context, id string, round int) error {
	for range 5 {
		cs, err := s.round(ctx, id, round)
		if err != nil {
			return err
		}
		a := cs.App
		if a.Status != StatusReturned {
			return &workflow.TaskError{Name: ErrCannot, Cause: "the round is " + string(a.Status) + ", not returned"}
		}
		for _, e := range a.Timeline {
			if e.Note == returnedNote && e.Round == round {
				return nil // recorded with the decision
			}
		}
		now := s.clk.Now()
		a.Updated = now
		a.Timeline = append(a.Timeline, Event{At: now, Status: StatusReturned, Round: round, Actor: "system", Note: returnedNote})
		if err := s.putApp(ctx, a); isStale(err) {
			continue
		} else if err != nil {
			return transient(err)
		}
		return nil
	}
	return &workflow.TaskError{Name: ErrTransient, Cause: "application busy"}
}

// NeedsAttention records that a step of a round's workflow failed for
// good, with the task token staff's retry sends, lists the case for the
// area's staff and tells them once.
func (s *Service) NeedsAttention(ctx context.Context, id string, round int, step, errName, cause, token string) error {
	for range 5 {
		cs, err := s.round(ctx, id, round)
		if err != nil {
			return err
		}
		a := cs.App
		if a.Attention != nil && a.Attention.Token == token {
			return nil
		}
		now := s.clk.Now()
		a.Attention = &Attention{Step: step, Error: errName, Cause: clipCause(cause), At: now, Round: round, Token: token}
		a.Updated = now
		a.Timeline = append(a.Timeline, Event{At: now, Status: a.Status, Round: round, Actor: "system", Note: "办理过程出现异常，已转工作人员处理"})
		it, err := encodeApp(a)
		if err != nil {
			return err
		}
		mark := table.Item{table.AttrPK: pkAttention + a.Area, table.AttrSK: a.ID, "T": "attention", "At": stamp(now),
			"Business": a.Business, "Step": step, "Round": int64(round)}
		err = s.t.TransactWrite(ctx, []table.Op{table.Put(it, table.IfVersion(a.Version)), table.Put(mark, table.Cond{})})
		if errors.Is(err, table.ErrConditionFailed) {
			continue
		}
		if err != nil {
			return transient(err)
		}
		b, _ := s.business("", a.Business)
		name := a.Business
		if b != nil {
			name = b.Name
		}
		return s.tellReviewers(ctx, a.Area, "attention-"+token, fmt.Sprintf("申请办理出现异常，需要人工处理：%s，业务编号%s。", name, a.Reference))
	}
	return &workflow.TaskError{Name: ErrTransient, Cause: "application busy"}
}

// clipCause keeps a failure's cause short: it is for staff, from the
// error's text.
func clipCause(s string) string {
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}

// AttentionCase is a case of the staff's attention list.
type AttentionCase struct {
	App  *Application
	Step string
	At   time.Time
}

// AttentionList lists the reviewer's area's cases whose workflow waits for
// staff, oldest first.
func (s *Service) AttentionList(ctx context.Context, c identity.Caller, cursor string, limit int) ([]*Application, string, error) {
	if err := reviewer(c); err != nil {
		return nil, "", err
	}
	page, err := s.t.Query(ctx, table.Query{PK: pkAttention + c.PoolingArea, Limit: limit, Cursor: cursor})
	if errors.Is(err, table.ErrInvalid) {
		return nil, "", apperr.Field("cursor", "翻页参数无效，请从第一页重新查看")
	}
	if err != nil {
		return nil, "", fmt.Errorf("application: attention list: %w", err)
	}
	out := make([]*Application, 0, len(page.Items))
	for _, it := range page.Items {
		cs, err := load(ctx, s.t, it.String(table.AttrSK))
		if errors.Is(err, errNoApp) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if cs.App.Attention != nil && cs.App.Area == c.PoolingArea {
			out = append(out, cs.App)
		}
	}
	return out, page.Cursor, nil
}

// Retry is staff's retry of a failed step (重新办理): the workflow waiting
// in NeedsAttention runs the step again, and the case leaves the
// attention list (if the step fails again, it comes back with a new
// token). The workflow is told first, so that a lost write leaves the
// case listed rather than a waiting workflow unlisted.
func (s *Service) Retry(ctx context.Context, c identity.Caller, id string) (*Case, error) {
	cs, err := s.ReviewCase(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if cs.App.Attention == nil {
		return nil, apperr.E(apperr.Conflict, "该申请没有需要重新办理的异常")
	}
	token, step := cs.App.Attention.Token, cs.App.Attention.Step
	if s.wf != nil {
		out := fmt.Appendf(nil, `{"retry":%q,"by":%q}`, step, c.AccountID)
		if err := s.wf.SendTaskSuccess(ctx, token, out); errors.Is(err, workflow.ErrTaskNotFound) {
			// Retried already (by another reviewer, or this one twice).
		} else if err != nil {
			return nil, fmt.Errorf("application: retry: %w", err)
		}
	}
	for range 5 {
		cs, err := s.ReviewCase(ctx, c, id)
		if err != nil {
			return nil, err
		}
		a := cs.App
		if a.Attention == nil || a.Attention.Token != token {
			return cs, nil // cleared, or failed again with a new token
		}
		now := s.clk.Now()
		a.Attention, a.Updated = nil, now
		a.Timeline = append(a.Timeline, Event{At: now, Status: a.Status, Round: a.Round, Actor: "reviewer", Note: "工作人员已重新办理"})
		it, err := encodeApp(a)
		if err != nil {
			return nil, err
		}
		err = s.t.TransactWrite(ctx, []table.Op{table.Put(it, table.IfVersion(a.Version)), table.Delete(attentionKey(a.Area, a.ID), table.Cond{})})
		if errors.Is(err, table.ErrConditionFailed) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("application: retry: %w", err)
		}
		a.Version++
		return cs, nil
	}
	return nil, errStale
}
