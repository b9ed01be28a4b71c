package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/calendar"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/reminder"
	"github.com/hljhrss/hrss/shared/table"
)

// The applications' reminder jobs (shared/reminder), run by the
// applications function, which owns their data.
const (
	JobDraftsExpiring = "drafts-expiring" // daily: drafts that expire within 3 days
	JobDraftsWindow   = "drafts-window"   // the 20th: drafts of a windowed business, five days before its end
	JobReviewSLA      = "review-sla"      // daily: cases waiting more than 40 hours, to the area's reviewers
)

// SLAWarnAfter is how long a case waits before its area's reviewers are
// told (the workflow escalates at ReviewSLA).
const SLAWarnAfter = 40 * time.Hour

// dayPeriod names the day of t in Asia/Shanghai: 20220601.
func dayPeriod(t time.Time) string { return t.In(clock.Shanghai).Format("20060102") }

// draftsOn is one page of the drafts whose TTL ends on day (GSI2).
func (s *Service) draftsOn(ctx context.Context, day time.Time, cursor string) ([]*Application, string, error) {
	p, err := s.t.Query(ctx, table.Query{Index: table.GSI2, PK: gsiDraftExp + day.Format("20060102"), Limit: 100, Cursor: cursor})
	if err != nil {
		return nil, "", fmt.Errorf("application: drafts: %w", err)
	}
	out := make([]*Application, 0, len(p.Items))
	for _, it := range p.Items {
		a, err := decodeApp(it)
		if err != nil {
			return nil, "", err
		}
		if a.Status == StatusDraft {
			out = append(out, a)
		}
	}
	return out, p.Cursor, nil
}

// draftSource lists the drafts expiring on the days from..to after the
// run's day (1..3: within three days; 1..31: every draft), those of
// businesses keep accepts, with message words each.
type draftSource struct {
	svc      *Service
	from, to int
	keep     func(b *catalog.Business) bool
	message  func(ctx context.Context, b *catalog.Business, a *Application) (inbox.Message, error)
}

// Page reads day by day; the cursor is "<day offset>:<table cursor>".
func (d draftSource) Page(ctx context.Context, _ string, after string) ([]reminder.Recipient, string, error) {
	off, cursor := d.from, ""
	if after != "" {
		o, c, _ := strings.Cut(after, ":")
		n, err := strconv.Atoi(o)
		if err != nil || n < d.from || n > d.to {
			return nil, "", fmt.Errorf("application: bad reminder cursor")
		}
		off, cursor = n, c
	}
	now := d.svc.clk.Now().In(clock.Shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Shanghai)
	apps, next, err := d.svc.draftsOn(ctx, today.AddDate(0, 0, off), cursor)
	if err != nil {
		return nil, "", err
	}
	var out []reminder.Recipient
	for _, a := range apps {
		b, err := d.svc.business("", a.Business)
		if err != nil || (d.keep != nil && !d.keep(b)) {
			continue
		}
		m, err := d.message(ctx, b, a)
		if err != nil {
			return nil, "", err
		}
		out = append(out, reminder.Recipient{Key: a.ID + "-" + dayPeriod(a.Updated.Add(DraftTTL)), Account: a.Owner, Message: m})
	}
	switch {
	case next != "":
		return out, strconv.Itoa(off) + ":" + next, nil
	case off < d.to:
		return out, strconv.Itoa(off+1) + ":", nil
	}
	return out, "", nil
}

func draftLink(a *Application) string { return "/apply/" + a.Business + "?id=" + a.ID }

// ReminderJobs are the applications' reminder jobs on s.
func (s *Service) ReminderJobs(reviewers ReviewerBook) []reminder.Job {
	info := func(name string) reminder.Info { i, _ := reminder.InfoOf(name); return i }
	expiring := draftSource{svc: s, from: 1, to: 3, message: func(_ context.Context, b *catalog.Business, a *Application) (inbox.Message, error) {
		exp := calc.DateOf(a.Updated.Add(DraftTTL).In(clock.Shanghai)).Chinese()
		return inbox.Message{Title: "草稿即将过期", Business: b.ID, Link: draftLink(a),
			Body: fmt.Sprintf("您的“%s”草稿将于%s过期删除。请在此之前提交，或打开草稿保存一次以延长保留时间。", b.Name, exp)}, nil
	}}
	window := draftSource{svc: s, from: 0, to: int(DraftTTL/(24*time.Hour)) + 1,
		keep: func(b *catalog.Business) bool { return b.Window != nil },
		message: func(ctx context.Context, b *catalog.Business, a *Application) (inbox.Message, error) {
			refs, err := s.refData(ctx)
			if err != nil {
				return inbox.Message{}, err
			}
			st := calendar.Of(b.Window, refs, s.clk.Now())
			body := fmt.Sprintf("您的“%s”草稿尚未提交。", b.Name)
			if day := st.LastDay(); st.Open && day != "" {
				body += fmt.Sprintf("本月办理将于%s截止，请尽快提交。", day)
			} else {
				body += fmt.Sprintf("该业务的办理时间为%s，%s。", b.Window.Label, st.Closed())
			}
			if st.Note != "" {
				body += "（" + st.Note + "）"
			}
			return inbox.Message{Title: "草稿尚未提交：本月办理即将截止", Business: b.ID, Link: draftLink(a), Body: body}, nil
		}}
	return []reminder.Job{
		{Name: JobDraftsExpiring, Label: info(JobDraftsExpiring).Label, Sources: []reminder.Source{expiring}, Period: dayPeriod, OnceOnly: true},
		{Name: JobDraftsWindow, Label: info(JobDraftsWindow).Label, Sources: []reminder.Source{window}, Period: reminder.MonthPeriod},
		{Name: JobReviewSLA, Label: info(JobReviewSLA).Label, Sources: []reminder.Source{slaSource{svc: s, reviewers: reviewers}}, Period: dayPeriod},
	}
}

// ReviewerBook finds the reviewers of a pooling area; identity.Contacts
// is one.
type ReviewerBook interface {
	ReviewerAccounts(ctx context.Context, area string) ([]string, error)
}

// slaSource lists, area by area (the pooling-area code table), the
// reviewers of each area with cases waiting more than SLAWarnAfter.
type slaSource struct {
	svc       *Service
	reviewers ReviewerBook
}

// Page is one pooling area; the cursor is the index of the next.
func (d slaSource) Page(ctx context.Context, _ string, after string) ([]reminder.Recipient, string, error) {
	areas, err := poolingAreas(d.svc.cat())
	if err != nil {
		return nil, "", err
	}
	i := 0
	if after != "" {
		if i, err = strconv.Atoi(after); err != nil || i < 0 || i >= len(areas) {
			return nil, "", errors.New("application: bad reminder cursor")
		}
	}
	next := ""
	if i+1 < len(areas) {
		next = strconv.Itoa(i + 1)
	}
	area := areas[i]
	now := d.svc.clk.Now()
	// Waiting more than 40 hours: due (submitted + 48 h) within 8 hours.
	limit := stamp(now.Add(ReviewSLA - SLAWarnAfter))
	var waiting, overdue int
	var first time.Time
	q := table.Query{Index: table.GSI2, PK: gsiQueue + area, SK: table.SKCond{Op: table.SKLt, Value: limit}, Limit: 100}
	for {
		p, err := d.svc.t.Query(ctx, q)
		if err != nil {
			return nil, "", fmt.Errorf("application: sla: %w", err)
		}
		for _, it := range p.Items {
			a, err := decodeApp(it)
			if err != nil {
				return nil, "", err
			}
			waiting++
			if !a.DueBy.After(now) {
				overdue++
			}
			if first.IsZero() || a.DueBy.Before(first) {
				first = a.DueBy
			}
		}
		if p.Cursor == "" {
			break
		}
		q.Cursor = p.Cursor
	}
	if waiting == 0 {
		return nil, next, nil
	}
	ids, err := d.reviewers.ReviewerAccounts(ctx, area)
	if err != nil {
		return nil, "", err
	}
	body := fmt.Sprintf("统筹区%s有%d件申请已等待超过40小时", area, waiting)
	if overdue > 0 {
		body += fmt.Sprintf("，其中%d件已超过48小时", overdue)
	}
	if first.After(now) {
		body += "，最早的一件将于" + first.In(clock.Shanghai).Format("2006年1月2日 15:04") + "超时"
	}
	body += "，请尽快审核。"
	out := make([]reminder.Recipient, 0, len(ids))
	for _, id := range ids {
		_, key, _ := strings.Cut(id, ":")
		out = append(out, reminder.Recipient{Key: area + "-" + key, Account: id,
			Message: inbox.Message{Title: "审核时限提醒", Body: body, Link: "/staff"}})
	}
	return out, next, nil
}

// poolingAreas are the codes of the pooling-area code table, in order.
func poolingAreas(c *catalog.Catalog) ([]string, error) {
	t, ok := c.Tables().Table("poolingArea")
	if !ok {
		return nil, errors.New("application: no poolingArea code table")
	}
	var out []string
	for _, e := range t.Current() {
		if table.ValidKeyPart(e.Code) {
			out = append(out, e.Code)
		}
	}
	return out, nil
}
