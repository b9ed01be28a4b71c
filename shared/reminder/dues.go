package reminder

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/calendar"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
)

// The jobs of the monthly window (template.yaml schedules
// ReminderWindowOpen and ReminderWindowClosing, run by the ledger
// function, which owns the data they read).
const (
	JobWindowOpen    = "window-open"    // the 1st at 09:00: the window is open
	JobWindowClosing = "window-closing" // the 20th at 09:00: five days left
)

// Businesses the window reminders point to.
const (
	BusinessFlexibleDues = "flexible-employment-due-assessment" // 4.25 灵活就业人员应缴核定
	BusinessUnitArrears  = "employee-arrears-clearance"         // 5.5 职工欠费清欠
)

// MonthPeriod names the month of t in Asia/Shanghai: 202206.
func MonthPeriod(t time.Time) string { return t.In(clock.Shanghai).Format("200601") }

// Dues lists those who owe, for the window jobs: flexible workers with
// assessed, unpaid dues (ledger.OwingFlexible) or units with unpaid rows
// (ledger.OwingUnit), each with the amount and months due and the window's
// dates, pointed at the business that shows them.
type Dues struct {
	Ledger   *ledger.Store
	Dir      *identity.Directory
	Kind     ledger.OwingKind
	Business *catalog.Business
	// Window is the business's window at the run's time (calendar, with
	// the exceptions in force).
	Window  func(ctx context.Context) (calendar.State, error)
	Clock   clock.Clock
	Closing bool // the 20th's wording: days left
	// PageSize is how many parties a page holds (100 when 0).
	PageSize int
}

// Page lists the next parties that owe, with their accounts.
func (d Dues) Page(ctx context.Context, period, after string) ([]Recipient, string, error) {
	size := d.PageSize
	if size <= 0 {
		size = 100
	}
	owes, next, err := d.Ledger.Owing(ctx, d.Kind, after, size)
	if err != nil {
		return nil, "", err
	}
	st, err := d.Window(ctx)
	if err != nil {
		return nil, "", err
	}
	out := make([]Recipient, 0, len(owes))
	for _, o := range owes {
		rc := Recipient{Key: string(d.Kind[0]) + o.Party}
		switch d.Kind {
		case ledger.OwingFlexible:
			p, err := d.Ledger.Person(ctx, o.Party)
			if err != nil {
				return nil, "", err
			}
			if rc.Account, err = d.Dir.PersonAccount(ctx, p.IDNumber); err != nil {
				return nil, "", err
			}
		case ledger.OwingUnit:
			u, err := d.Ledger.Unit(ctx, o.Party)
			if err != nil {
				return nil, "", err
			}
			if rc.Account, err = d.Dir.UnitAccount(ctx, u.CreditCode); err != nil {
				return nil, "", err
			}
		}
		rc.Message = d.message(o, st)
		out = append(out, rc)
	}
	return out, next, nil
}

// message words a party's dues: how many months (and for a unit how many
// employees), from when to when, the amount, and the window's end.
func (d Dues) message(o ledger.Owes, st calendar.State) inbox.Message {
	first, last := o.Rows[0].Period, o.Rows[0].Period
	people := map[string]bool{}
	months := map[calc.YearMonth]bool{}
	for _, c := range o.Rows {
		if c.Period.Before(first) {
			first = c.Period
		}
		if last.Before(c.Period) {
			last = c.Period
		}
		people[c.PersonNumber], months[c.Period] = true, true
	}
	span := first.Chinese()
	if last != first {
		span += "至" + last.Chinese()
	}
	var b strings.Builder
	switch d.Kind {
	case ledger.OwingFlexible:
		fmt.Fprintf(&b, "您有%d个月（%s）的灵活就业人员养老保险应缴费用尚未缴纳，合计%s元。", len(months), span, o.Due())
	default:
		fmt.Fprintf(&b, "贵单位有%d名职工共%d条应缴未缴记录（%s），本金合计%s元，利息按缴费当日计算。", len(people), len(o.Rows), span, o.Due())
	}
	lastDay := st.LastDay()
	title := "缴费提醒：本月办理时间已开始"
	switch {
	case d.Closing && st.Open && lastDay != "":
		// Whole days after today up to the last day: on the 20th, 5.
		now := d.Clock.Now().In(clock.Shanghai)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Shanghai)
		left := int(math.Round(st.ClosesAt.In(clock.Shanghai).AddDate(0, 0, -1).Sub(today).Hours() / 24))
		title = "缴费提醒：本月办理即将截止"
		fmt.Fprintf(&b, "本月办理将于%s截止（还有%d天），请尽快通过“%s”办理。", lastDay, left, d.Business.Name)
	case st.Open && lastDay != "":
		fmt.Fprintf(&b, "本月办理时间已开始，请于%s前通过“%s”办理。", lastDay, d.Business.Name)
	default:
		title = "缴费提醒"
		fmt.Fprintf(&b, "请在办理时间（%s）内通过“%s”办理，%s。", d.Business.Window.Label, d.Business.Name, st.Closed())
	}
	if st.Note != "" {
		fmt.Fprintf(&b, "（%s）", st.Note)
	}
	return inbox.Message{Title: title, Body: b.String(), Business: d.Business.ID, Link: "/apply/" + d.Business.ID}
}

// WindowJobs are the two jobs of the monthly window on the ledger: each
// tells flexible workers with assessed dues (4.25), then units with
// arrears (5.5). refs is the reference data in force (the window's
// exceptions).
func WindowJobs(ls *ledger.Store, dir *identity.Directory, refs func(ctx context.Context) (*refdata.Set, error),
	clk clock.Clock) (open, closing Job, err error) {
	cat := catalog.Default()
	flex, ok1 := cat.Business(BusinessFlexibleDues)
	unit, ok2 := cat.Business(BusinessUnitArrears)
	if !ok1 || !ok2 || flex.Window == nil || unit.Window == nil {
		return Job{}, Job{}, fmt.Errorf("reminder: the catalog lacks %s or %s with a window", BusinessFlexibleDues, BusinessUnitArrears)
	}
	state := func(b *catalog.Business) func(ctx context.Context) (calendar.State, error) {
		return func(ctx context.Context) (calendar.State, error) {
			set, err := refs(ctx)
			if err != nil {
				return calendar.State{}, err
			}
			return calendar.Of(b.Window, set, clk.Now()), nil
		}
	}
	sources := func(closing bool) []Source {
		return []Source{
			Dues{Ledger: ls, Dir: dir, Kind: ledger.OwingFlexible, Business: flex, Window: state(flex), Clock: clk, Closing: closing},
			Dues{Ledger: ls, Dir: dir, Kind: ledger.OwingUnit, Business: unit, Window: state(unit), Clock: clk, Closing: closing},
		}
	}
	oi, _ := InfoOf(JobWindowOpen)
	ci, _ := InfoOf(JobWindowClosing)
	open = Job{Name: oi.Name, Label: oi.Label, Sources: sources(false), Period: MonthPeriod}
	closing = Job{Name: ci.Name, Label: ci.Label, Sources: sources(true), Period: MonthPeriod}
	return open, closing, nil
}
