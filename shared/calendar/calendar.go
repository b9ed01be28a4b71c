// Package calendar answers "can business X be submitted at time T, and if
// not, when does it open" for the monthly submission windows of the
// catalog (办理时间 每月1-25号) with the dated exceptions an admin sets as
// reference data (refdata.WindowException: a closure day, an extension when
// the 25th falls in a public holiday). Days are calendar days of the
// window's time zone (Asia/Shanghai): a window is open from 00:00:00 of an
// open day until 00:00:00 of the next closed day.
//
// The package reads nothing itself: the caller passes the exceptions in
// force (a *refdata.Set, which refstore caches), so every function that
// asks — the catalog's list, a draft's view, the submit's refusal, the
// reminder schedules — gets the same answer for the same data.
package calendar

import (
	"time"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/refdata"
)

// Exceptions are the dated exceptions in force; *refdata.Set is one.
type Exceptions interface {
	WindowException(window string, d calc.Date) (refdata.WindowException, bool)
}

// horizon is how far State looks for the next opening or closing: more
// than a year of closure days is a data error, not a calendar.
const horizon = 400

// State is a window at an instant.
type State struct {
	Open bool
	// OpensAt is when the current open period began (Open) or when the
	// window opens next (zero if it does not open within 400 days).
	OpensAt time.Time
	// ClosesAt is when the current or next open period ends: 00:00 of the
	// first closed day after it (zero if not within 400 days).
	ClosesAt time.Time
	// Note is the note of an exception that shapes this period (the day's
	// own, or one that moves its start or end), for applicants.
	Note string
}

// day is one calendar day of a window: open or not, and the exception
// that decided it.
type day struct {
	open bool
	exc  *refdata.WindowException
}

func dayOf(w *catalog.Window, ex Exceptions, d time.Time) day {
	if ex != nil {
		if e, ok := ex.WindowException(w.Name, calc.DateOf(d)); ok {
			return day{open: e.Kind == refdata.WindowOpen, exc: &e}
		}
	}
	return day{open: w.OpenOnDay(d.Day())}
}

// Of returns the state of window w at t with the exceptions ex (nil: the
// monthly rule alone). A nil window (a business without one) is always
// open.
func Of(w *catalog.Window, ex Exceptions, t time.Time) State {
	if w == nil {
		return State{Open: true}
	}
	loc := w.Location()
	if loc == nil {
		loc = time.UTC
	}
	local := t.In(loc)
	midnight := func(i int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+i, 0, 0, 0, 0, loc)
	}
	var st State
	note := func(d day) {
		if d.exc != nil && st.Note == "" {
			st.Note = d.exc.Note
		}
	}
	today := dayOf(w, ex, midnight(0))
	start := 0 // the first day of the open period State describes
	if today.open {
		st.Open = true
		note(today)
		for i := -1; i > -horizon; i-- {
			d := dayOf(w, ex, midnight(i))
			if !d.open {
				note(d) // a closure day right before today's period
				break
			}
			note(d)
			start = i
		}
	} else {
		start = -1
		for i := 1; i < horizon; i++ {
			d := dayOf(w, ex, midnight(i))
			if d.open {
				start = i
				note(d)
				break
			}
		}
		if start < 0 {
			note(today)
			return st
		}
	}
	st.OpensAt = midnight(start)
	for i := max(start, 0) + 1; i < max(start, 0)+horizon; i++ {
		d := dayOf(w, ex, midnight(i))
		if !d.open {
			note(d)
			st.ClosesAt = midnight(i)
			break
		}
		note(d)
	}
	if !st.Open {
		note(today)
	}
	return st
}

// LastDay is the last open day of the period State describes, as
// messages write it ("2022年05月25日"); "" when it has no end in sight.
func (st State) LastDay() string {
	if st.ClosesAt.IsZero() {
		return ""
	}
	return calc.DateOf(st.ClosesAt.Add(-time.Second).In(st.ClosesAt.Location())).Chinese()
}

// Closed is how a refusal names the next opening: "下次开放时间：2022年6月1日 00:00".
func (st State) Closed() string {
	if st.OpensAt.IsZero() {
		return "暂无开放安排"
	}
	return "下次开放时间：" + st.OpensAt.Format("2006年1月2日 15:04")
}

// View is a window as the APIs show it (the services list and detail, a
// draft's view): the catalog's monthly rule and its state now.
type View struct {
	Name     string     `json:"name"`
	Label    string     `json:"label"` // 每月1-25号
	FromDay  int        `json:"fromDay"`
	ToDay    int        `json:"toDay"`
	TimeZone string     `json:"timeZone"`
	Open     bool       `json:"open"`
	OpensAt  *time.Time `json:"opensAt,omitempty"`
	ClosesAt *time.Time `json:"closesAt,omitempty"`
	Note     string     `json:"note,omitempty"`
}

// ViewOf is w's view at t; nil for a business without a window.
func ViewOf(w *catalog.Window, ex Exceptions, t time.Time) *View {
	if w == nil {
		return nil
	}
	st := Of(w, ex, t)
	v := &View{Name: w.Name, Label: w.Label, FromDay: w.FromDay, ToDay: w.ToDay, TimeZone: w.TimeZone, Open: st.Open, Note: st.Note}
	if !st.OpensAt.IsZero() {
		v.OpensAt = &st.OpensAt
	}
	if !st.ClosesAt.IsZero() {
		v.ClosesAt = &st.ClosesAt
	}
	return v
}
