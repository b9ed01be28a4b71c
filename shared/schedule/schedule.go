// Package schedule speaks the schedule expression language of Amazon
// EventBridge Scheduler and runs schedules in process for the local runner.
//
// In AWS the schedules of hrss are EventBridge Scheduler schedules; locally
// there is no EventBridge, so the local runner parses the same expressions
// with [Parse] and fires them with a [Timer] driven by the injectable clock
// (shared/clock). One expression string therefore means the same instants in
// both places.
//
// The package is written from the EventBridge documentation rather than on
// top of robfig/cron or a similar library: those implement Unix or Quartz
// dialects, while EventBridge has its own — exactly six fields with a
// mandatory year, "?" required in day-of-month or day-of-week, days of the
// week numbered 1=SUN..7=SAT, and the L, W and # wildcards.
//
// # Expressions
//
//	rate(value unit)    value a positive integer; unit minute|hour|day when
//	                    value is 1, minutes|hours|days otherwise
//	cron(minutes hours day-of-month month day-of-week year)
//	at(yyyy-mm-ddThh:mm:ss)   one time, in the schedule's time zone
//
// The cron fields and the wildcards each accepts:
//
//	minutes       0-59                  , - * /
//	hours         0-23                  , - * /
//	day-of-month  1-31                  , - * ? / L W
//	month         1-12 or JAN-DEC       , - * /
//	day-of-week   1-7 or SUN-SAT        , - * ? L #
//	year          1970-2199             , - * /
//
// Exactly one of day-of-month and day-of-week is "?". "a/n" and "*/n" step
// by n from a (or the field's minimum) to the field's maximum; "a-b/n" steps
// within a range. In day-of-month, "L" is the last day of the month and "nW"
// the weekday (Monday to Friday) nearest day n, never crossing into another
// month (1W on a Saturday is Monday the 3rd; a Sunday that is the month's
// last day gives the Friday before); when the month has fewer than n days,
// nW does not fire that month. In day-of-week, "L" alone is Saturday (the
// last day of the week), "dL" the last day d of the month (6L: last Friday)
// and "d#k" the k-th day d of the month (2#1: first Monday, k 1-5); L, W and
// # each stand alone in their field. Month and day names are
// case-insensitive.
//
// Deliberately rejected, because the EventBridge documentation does not
// define them even though Quartz does: "LW", "L-n", ranges that wrap around
// (FRI-MON, 22-2: write 22-23,0-2), and "/" in day-of-week. Surrounding white
// space is trimmed; the keywords rate, cron and at are lower case.
//
// # Times
//
// Next is strictly after its argument and is computed in the schedule's time
// zone (UTC when Parse is given nil, as in EventBridge). Cron and at
// schedules fire on whole minutes (at: on the given second) of local wall
// time. For zones with daylight-saving time Next follows EventBridge
// Scheduler: a wall time that does not exist because the clocks go forward is
// skipped, and a wall time that occurs twice because they go back fires once,
// at its first occurrence. Rates are fixed durations (a day is 24 hours, not
// a calendar day) counted from the previous firing, so they drift against
// wall time across a DST change, again as in EventBridge. Asia/Shanghai has
// no DST today, so none of this matters for hrss's own schedules.
//
// EventBridge fires a rate schedule without a StartDate immediately on
// creation; a [Timer] instead fires it one interval after it is armed, so
// restarting the local runner does not fire every rate schedule at once.
// StartDate, EndDate and flexible time windows are not modelled.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a parsed schedule expression.
type Schedule interface {
	// Next returns the first firing time strictly after after, in the
	// schedule's time zone, or the zero time when the schedule never fires
	// again.
	Next(after time.Time) time.Time
	// String returns the expression the schedule was parsed from.
	String() string
}

// SyntaxError reports an invalid schedule expression. It is an operator's
// configuration error, so its message is in English; code that shows it to
// users wraps it in an apperr.Error.
type SyntaxError struct {
	Expr  string // the expression as given to Parse
	Field string // the cron field at fault ("minutes", "day-of-week", ...), or ""
	Msg   string // what is wrong and, where it helps, how to fix it
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("schedule: %q: %s: %s", e.Expr, e.Field, e.Msg)
	}
	return fmt.Sprintf("schedule: %q: %s", e.Expr, e.Msg)
}

// Parse parses an EventBridge Scheduler expression — rate(...), cron(...)
// or at(...) — whose wall times are in tz (UTC when tz is nil). Errors are
// *SyntaxError.
func Parse(expr string, tz *time.Location) (Schedule, error) {
	if tz == nil {
		tz = time.UTC
	}
	s := strings.TrimSpace(expr)
	kind, body, ok := strings.Cut(s, "(")
	if !ok || !strings.HasSuffix(body, ")") {
		return nil, &SyntaxError{Expr: expr, Msg: "want rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)"}
	}
	body = body[:len(body)-1]
	var (
		sch Schedule
		err error
	)
	switch kind {
	case "rate":
		sch, err = parseRate(s, body, tz)
	case "cron":
		sch, err = parseCron(s, body, tz)
	case "at":
		sch, err = parseAt(s, body, tz)
	default:
		return nil, &SyntaxError{Expr: expr, Msg: fmt.Sprintf("unknown schedule type %q: want rate, cron or at (lower case)", kind)}
	}
	if err != nil {
		if se, ok := err.(*SyntaxError); ok {
			se.Expr = expr
		}
		return nil, err
	}
	return sch, nil
}

// MustParse is Parse for expressions fixed in the program's source; it
// panics on an invalid expression.
func MustParse(expr string, tz *time.Location) Schedule {
	s, err := Parse(expr, tz)
	if err != nil {
		panic(err)
	}
	return s
}

// rateSchedule fires every d, counted from the previous firing.
type rateSchedule struct {
	expr string
	d    time.Duration
	loc  *time.Location
}

var rateUnits = map[string]struct {
	d      time.Duration
	plural bool
}{
	"minute":  {time.Minute, false},
	"minutes": {time.Minute, true},
	"hour":    {time.Hour, false},
	"hours":   {time.Hour, true},
	"day":     {24 * time.Hour, false},
	"days":    {24 * time.Hour, true},
}

func parseRate(expr, body string, loc *time.Location) (Schedule, error) {
	f := strings.Fields(body)
	if len(f) != 2 {
		return nil, &SyntaxError{Msg: "rate needs a value and a unit, as in rate(5 minutes)"}
	}
	if !isDigits(f[0]) {
		return nil, &SyntaxError{Msg: fmt.Sprintf("rate value %q is not a positive integer", f[0])}
	}
	unit, ok := rateUnits[f[1]]
	if !ok {
		return nil, &SyntaxError{Msg: fmt.Sprintf("rate unit %q: want minute(s), hour(s) or day(s)", f[1])}
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n > int64(1<<63-1)/int64(unit.d) {
		return nil, &SyntaxError{Msg: fmt.Sprintf("rate value %s is too large", f[0])}
	}
	switch {
	case n < 1:
		return nil, &SyntaxError{Msg: "rate value must be at least 1"}
	case n == 1 && unit.plural:
		return nil, &SyntaxError{Msg: fmt.Sprintf("with a value of 1 the unit is singular: rate(1 %s)", strings.TrimSuffix(f[1], "s"))}
	case n > 1 && !unit.plural:
		return nil, &SyntaxError{Msg: fmt.Sprintf("with a value above 1 the unit is plural: rate(%d %ss)", n, f[1])}
	}
	return &rateSchedule{expr: expr, d: time.Duration(n) * unit.d, loc: loc}, nil
}

// Next returns after plus the rate's interval.
func (r *rateSchedule) Next(after time.Time) time.Time { return after.Add(r.d).In(r.loc) }

// String returns the expression.
func (r *rateSchedule) String() string { return r.expr }

// atSchedule fires once.
type atSchedule struct {
	expr string
	at   time.Time
}

const atLayout = "2006-01-02T15:04:05"

func parseAt(expr, body string, loc *time.Location) (Schedule, error) {
	// time.Parse would also accept a fractional second; EventBridge does not.
	if len(body) != len(atLayout) {
		return nil, &SyntaxError{Msg: "at needs a local date and time yyyy-mm-ddThh:mm:ss, with no zone or fraction"}
	}
	t, err := time.Parse(atLayout, body)
	if err != nil {
		return nil, &SyntaxError{Msg: fmt.Sprintf("at needs a valid local date and time yyyy-mm-ddThh:mm:ss: %v", err)}
	}
	at, ok := resolve(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), loc)
	if !ok {
		return nil, &SyntaxError{Msg: fmt.Sprintf("%s does not exist in %s (the clocks go forward then)", body, loc)}
	}
	return &atSchedule{expr: expr, at: at}, nil
}

// Next returns the one firing time when it is after after, else zero.
func (a *atSchedule) Next(after time.Time) time.Time {
	if a.at.After(after) {
		return a.at
	}
	return time.Time{}
}

// String returns the expression.
func (a *atSchedule) String() string { return a.expr }

// resolve returns the first instant at which the wall clock of loc reads the
// given date and time, and false when it never does (a daylight-saving gap).
func resolve(y int, mo time.Month, d, h, mi, sec int, loc *time.Location) (time.Time, bool) {
	naive := time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
	var (
		best  time.Time
		found bool
		seen  [5]int
	)
	// Any offset in force within two days of the wall time is a candidate;
	// real zones do not change offset twice in two days.
	for i := range seen {
		_, off := naive.Add(time.Duration(i-2) * 24 * time.Hour).In(loc).Zone()
		seen[i] = off
		if dupOffset(seen[:i], off) {
			continue
		}
		u := naive.Add(-time.Duration(off) * time.Second).In(loc)
		uy, umo, ud := u.Date()
		if uy != y || umo != mo || ud != d || u.Hour() != h || u.Minute() != mi || u.Second() != sec {
			continue
		}
		if !found || u.Before(best) {
			best, found = u, true
		}
	}
	return best, found
}

func dupOffset(offs []int, off int) bool {
	for _, o := range offs {
		if o == off {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
