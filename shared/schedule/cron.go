package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// field describes one cron field: its name for errors, its range and, for
// month and day-of-week, the names of its values from min upwards.
type field struct {
	name     string
	min, max int
	names    []string
}

var (
	minutesField = field{name: "minutes", min: 0, max: 59}
	hoursField   = field{name: "hours", min: 0, max: 23}
	domField     = field{name: "day-of-month", min: 1, max: 31}
	monthField   = field{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}}
	dowField     = field{name: "day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}}
	yearField    = field{name: "year", min: 1970, max: 2199}
)

// set is a set of field values; it holds values min..min+255.
type set struct {
	min  int
	bits [4]uint64
}

func (s *set) add(v int) {
	i := v - s.min
	s.bits[i>>6] |= 1 << uint(i&63)
}

func (s *set) has(v int) bool {
	i := v - s.min
	if i < 0 || i >= 256 {
		return false
	}
	return s.bits[i>>6]&(1<<uint(i&63)) != 0
}

// dayKind says how a day-of-month or day-of-week field picks days.
type dayKind uint8

const (
	dayAny     dayKind = iota // "?": the other day field decides
	daySet                    // values, ranges, steps and "*"
	dayLast                   // day-of-month "L"
	dayNearest                // day-of-month "nW"
	dayLastDow                // day-of-week "dL"
	dayNthDow                 // day-of-week "d#k"
)

type dayRule struct {
	kind dayKind
	set  set // daySet
	n    int // dayNearest: the day; dayLastDow, dayNthDow: the weekday 1=SUN..7=SAT
	k    int // dayNthDow: which occurrence, 1-5
}

// cronSchedule is a parsed cron expression.
type cronSchedule struct {
	expr                   string
	loc                    *time.Location
	minutes, hours, months set
	years                  set
	dom, dow               dayRule
}

func parseCron(expr, body string, loc *time.Location) (Schedule, error) {
	f := strings.Fields(strings.ToUpper(body))
	if len(f) != 6 {
		return nil, &SyntaxError{Msg: fmt.Sprintf("cron needs 6 fields (minutes hours day-of-month month day-of-week year), got %d", len(f))}
	}
	c := &cronSchedule{expr: expr, loc: loc}
	var err error
	if c.minutes, err = parseList(minutesField, f[0], true); err != nil {
		return nil, err
	}
	if c.hours, err = parseList(hoursField, f[1], true); err != nil {
		return nil, err
	}
	if c.dom, err = parseDom(f[2]); err != nil {
		return nil, err
	}
	if c.months, err = parseList(monthField, f[3], true); err != nil {
		return nil, err
	}
	if c.dow, err = parseDow(f[4]); err != nil {
		return nil, err
	}
	if c.years, err = parseList(yearField, f[5], true); err != nil {
		return nil, err
	}
	switch {
	case c.dom.kind == dayAny && c.dow.kind == dayAny:
		return nil, &SyntaxError{Msg: `day-of-month and day-of-week cannot both be "?"; use "*" in one of them for every day`}
	case c.dom.kind != dayAny && c.dow.kind != dayAny:
		return nil, &SyntaxError{Msg: `one of day-of-month and day-of-week must be "?" (EventBridge does not combine them)`}
	}
	return c, nil
}

// parseList parses a field made of comma-separated items, each "*", a
// value, or a range "a-b", optionally followed by a step "/n".
func parseList(f field, s string, steps bool) (set, error) {
	out := set{min: f.min}
	if strings.Contains(s, "?") {
		return out, f.errorf(`"?" is only allowed, alone, in day-of-month or day-of-week`)
	}
	for item := range strings.SplitSeq(s, ",") {
		if item == "" {
			return out, f.errorf("empty item in %q", s)
		}
		span, stepText, hasStep := strings.Cut(item, "/")
		step := 1
		if hasStep {
			if !steps {
				return out, f.errorf(`"/" is not allowed in %s`, f.name)
			}
			n, err := strconv.Atoi(stepText)
			if err != nil || !isDigits(stepText) || n < 1 || n > f.max-f.min+1 {
				return out, f.errorf("step %q in %q must be a number from 1 to %d", stepText, item, f.max-f.min+1)
			}
			step = n
		}
		lo, hi := f.min, f.max
		if span != "*" {
			a, b, isRange := strings.Cut(span, "-")
			var err error
			if lo, err = f.value(a); err != nil {
				return out, err
			}
			switch {
			case isRange:
				if hi, err = f.value(b); err != nil {
					return out, err
				}
				if hi < lo {
					return out, f.errorf("range %q runs backwards; ranges do not wrap around, so split it (for example 22-23,0-2)", span)
				}
			case !hasStep:
				hi = lo
			}
		}
		for v := lo; v <= hi; v += step {
			out.add(v)
		}
	}
	return out, nil
}

// value parses one value of f: a number, or a name for month and
// day-of-week.
func (f field) value(s string) (int, error) {
	if isDigits(s) {
		n, err := strconv.Atoi(s)
		if err != nil || n < f.min || n > f.max {
			return 0, f.errorf("%s is out of range %d-%d", s, f.min, f.max)
		}
		return n, nil
	}
	for i, name := range f.names {
		if s == name {
			return f.min + i, nil
		}
	}
	switch {
	case s == "":
		return 0, f.errorf("missing value (negative numbers and empty range ends are not allowed)")
	case s == "*":
		return 0, f.errorf(`"*" cannot be part of a range`)
	case f.names != nil:
		return 0, f.errorf("%q is not a number %d-%d or one of %s", s, f.min, f.max, strings.Join(f.names, ","))
	default:
		return 0, f.errorf("%q is not a number %d-%d", s, f.min, f.max)
	}
}

func (f field) errorf(format string, args ...any) *SyntaxError {
	return &SyntaxError{Field: f.name, Msg: fmt.Sprintf(format, args...)}
}

func parseDom(s string) (dayRule, error) {
	f := domField
	switch {
	case s == "?":
		return dayRule{kind: dayAny}, nil
	case s == "L":
		return dayRule{kind: dayLast}, nil
	case s == "LW" || strings.HasPrefix(s, "L-"):
		return dayRule{}, f.errorf("%q is a Quartz extension EventBridge does not document; use L or nW", s)
	case strings.HasSuffix(s, "W"):
		n, err := f.value(strings.TrimSuffix(s, "W"))
		if err != nil {
			return dayRule{}, f.errorf("W follows a single day, as in 15W (nearest weekday to the 15th): %s", err.(*SyntaxError).Msg)
		}
		return dayRule{kind: dayNearest, n: n}, nil
	case strings.ContainsAny(s, "LW"):
		return dayRule{}, f.errorf(`L and W stand alone: "L" for the last day, "15W" for the weekday nearest the 15th`)
	}
	set, err := parseList(f, s, true)
	return dayRule{kind: daySet, set: set}, err
}

func parseDow(s string) (dayRule, error) {
	f := dowField
	switch {
	case s == "?":
		return dayRule{kind: dayAny}, nil
	case s == "L":
		var sat set
		sat.min = f.min
		sat.add(7)
		return dayRule{kind: daySet, set: sat}, nil
	case strings.ContainsAny(s, "L#") && strings.ContainsAny(s, ",-*/"):
		return dayRule{}, f.errorf(`L and # allow only one expression in day-of-week, as in 6L or 2#1 (so "3#1,6#3" is invalid)`)
	case strings.HasSuffix(s, "L"):
		d, err := f.value(strings.TrimSuffix(s, "L"))
		if err != nil {
			return dayRule{}, f.errorf("L follows a single day, as in 6L (last Friday): %s", err.(*SyntaxError).Msg)
		}
		return dayRule{kind: dayLastDow, n: d}, nil
	case strings.Contains(s, "L"):
		return dayRule{}, f.errorf(`L ends the field, as in 6L (last Friday), or stands alone for Saturday`)
	case strings.Contains(s, "#"):
		ds, ks, _ := strings.Cut(s, "#")
		d, err := f.value(ds)
		if err != nil {
			return dayRule{}, err
		}
		k, err := strconv.Atoi(ks)
		if err != nil || !isDigits(ks) || k < 1 || k > 5 {
			return dayRule{}, f.errorf("in %q the occurrence after # must be 1-5", s)
		}
		return dayRule{kind: dayNthDow, n: d, k: k}, nil
	}
	set, err := parseList(f, s, false)
	return dayRule{kind: daySet, set: set}, err
}

// Next returns the first minute strictly after after whose wall time in the
// schedule's zone matches every field; see the package documentation for
// daylight-saving time.
func (c *cronSchedule) Next(after time.Time) time.Time {
	a := after.In(c.loc)
	y0, mo0, d0 := a.Date()
	h0, mi0 := a.Hour(), a.Minute()
	if y0 < yearField.min {
		y0, mo0, d0, h0, mi0 = yearField.min, time.January, 1, 0, 0
	}
	// Walk wall times forward from after's minute. The first instant of a
	// wall time never goes backwards as the wall time goes forwards, so the
	// first match that is after after is the answer.
	for y := y0; y <= yearField.max; y++ {
		if !c.years.has(y) {
			continue
		}
		firstY := y == y0
		mo := time.January
		if firstY {
			mo = mo0
		}
		for ; mo <= time.December; mo++ {
			if !c.months.has(int(mo)) {
				continue
			}
			firstM := firstY && mo == mo0
			days := daysIn(y, mo)
			d := 1
			if firstM {
				d = d0
			}
			for ; d <= days; d++ {
				if !c.matchDay(y, mo, d, days) {
					continue
				}
				firstD := firstM && d == d0
				h := 0
				if firstD {
					h = h0
				}
				for ; h < 24; h++ {
					if !c.hours.has(h) {
						continue
					}
					mi := 0
					if firstD && h == h0 {
						mi = mi0
					}
					for ; mi < 60; mi++ {
						if !c.minutes.has(mi) {
							continue
						}
						if t, ok := resolve(y, mo, d, h, mi, 0, c.loc); ok && t.After(after) {
							return t
						}
					}
				}
			}
		}
	}
	return time.Time{}
}

// matchDay reports whether day d of month mo of year y (which has days days)
// matches the day-of-month or day-of-week field.
func (c *cronSchedule) matchDay(y int, mo time.Month, d, days int) bool {
	switch c.dom.kind {
	case daySet:
		return c.dom.set.has(d)
	case dayLast:
		return d == days
	case dayNearest:
		return c.dom.n <= days && d == nearestWeekday(y, mo, c.dom.n, days)
	}
	wd := int(weekday(y, mo, d)) + 1 // 1=SUN..7=SAT
	switch c.dow.kind {
	case daySet:
		return c.dow.set.has(wd)
	case dayLastDow:
		return wd == c.dow.n && d+7 > days
	case dayNthDow:
		return wd == c.dow.n && (d-1)/7+1 == c.dow.k
	}
	return false
}

// String returns the expression.
func (c *cronSchedule) String() string { return c.expr }

// nearestWeekday returns the Monday-to-Friday day of the month nearest day
// n, staying within the month.
func nearestWeekday(y int, mo time.Month, n, days int) int {
	switch weekday(y, mo, n) {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == days {
			return n - 2
		}
		return n + 1
	}
	return n
}

func weekday(y int, mo time.Month, d int) time.Weekday {
	return time.Date(y, mo, d, 12, 0, 0, 0, time.UTC).Weekday()
}

func daysIn(y int, mo time.Month) int {
	return time.Date(y, mo+1, 0, 12, 0, 0, 0, time.UTC).Day()
}
