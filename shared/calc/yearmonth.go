package calc

import (
	"fmt"
	"strconv"
	"time"
)

// YearMonth is a contribution period (费款所属期), for example 2020-09.
// The zero value is "no period". Its text form is "202009"; ParseYearMonth
// also accepts "2020-09".
type YearMonth struct {
	Year  int
	Month time.Month
}

// NewYearMonth returns the period y-m, or an error when m is not 1–12 or y
// is outside 1900–9999.
func NewYearMonth(y int, m time.Month) (YearMonth, error) {
	ym := YearMonth{Year: y, Month: m}
	if !ym.Valid() {
		return YearMonth{}, fmt.Errorf("calc: invalid period %04d-%02d", y, int(m))
	}
	return ym, nil
}

// ParseYearMonth parses "202009" or "2020-09". The month must be 01–12.
func ParseYearMonth(s string) (YearMonth, error) {
	var ys, ms string
	switch {
	case len(s) == 6:
		ys, ms = s[:4], s[4:]
	case len(s) == 7 && s[4] == '-':
		ys, ms = s[:4], s[5:]
	default:
		return YearMonth{}, fmt.Errorf("calc: period %q: want YYYYMM or YYYY-MM", s)
	}
	y, err1 := atoiDigits(ys)
	m, err2 := atoiDigits(ms)
	if err1 != nil || err2 != nil {
		return YearMonth{}, fmt.Errorf("calc: period %q: want YYYYMM or YYYY-MM", s)
	}
	ym := YearMonth{Year: y, Month: time.Month(m)}
	if !ym.Valid() {
		return YearMonth{}, fmt.Errorf("calc: period %q: month must be 01-12", s)
	}
	return ym, nil
}

// MustYearMonth is ParseYearMonth for constants in tests and data; it panics
// on a bad value.
func MustYearMonth(s string) YearMonth {
	ym, err := ParseYearMonth(s)
	if err != nil {
		panic(err)
	}
	return ym
}

// Valid reports whether the month is 1–12 and the year 1900–9999.
func (ym YearMonth) Valid() bool {
	return ym.Year >= 1900 && ym.Year <= 9999 && ym.Month >= time.January && ym.Month <= time.December
}

// IsZero reports whether ym is the zero value.
func (ym YearMonth) IsZero() bool { return ym == YearMonth{} }

// String returns "YYYYMM", or "" for the zero value.
func (ym YearMonth) String() string {
	if ym.IsZero() {
		return ""
	}
	if ym.Year < 0 || ym.Year > 9999 || ym.Month < 1 || ym.Month > 12 {
		return fmt.Sprintf("%04d%02d", ym.Year, int(ym.Month))
	}
	y, m := ym.Year, int(ym.Month)
	return string([]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), byte('0' + m/10), byte('0' + m%10)})
}

// Dashed returns "YYYY-MM", the form of the portal's month pickers.
func (ym YearMonth) Dashed() string {
	if ym.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", ym.Year, int(ym.Month))
}

// Chinese returns "YYYY年MM月", as results and messages write a month
// ("" for the zero value).
func (ym YearMonth) Chinese() string {
	if ym.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d年%02d月", ym.Year, int(ym.Month))
}

// index is the number of months since year 0, January.
func (ym YearMonth) index() int { return ym.Year*12 + int(ym.Month) - 1 }

func fromIndex(i int) YearMonth {
	return YearMonth{Year: i / 12, Month: time.Month(i%12 + 1)}
}

// AddMonths returns the period n months later (earlier when n < 0).
func (ym YearMonth) AddMonths(n int) YearMonth { return fromIndex(ym.index() + n) }

// Compare returns −1, 0 or +1 as ym is before, equal to or after o.
func (ym YearMonth) Compare(o YearMonth) int {
	switch a, b := ym.index(), o.index(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether ym is earlier than o.
func (ym YearMonth) Before(o YearMonth) bool { return ym.index() < o.index() }

// After reports whether ym is later than o.
func (ym YearMonth) After(o YearMonth) bool { return ym.index() > o.index() }

// MonthsBetween returns to − from in months: 0 for the same month, 1 for the
// next, negative when to is earlier.
func MonthsBetween(from, to YearMonth) int { return to.index() - from.index() }

// MarshalText implements encoding.TextMarshaler ("202009").
func (ym YearMonth) MarshalText() ([]byte, error) { return []byte(ym.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts "202009",
// "2020-09" and "" (the zero value).
func (ym *YearMonth) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*ym = YearMonth{}
		return nil
	}
	v, err := ParseYearMonth(string(b))
	if err != nil {
		return err
	}
	*ym = v
	return nil
}

// Date is a calendar date without time or zone (calculation dates, birth
// dates, retirement dates). The zero value is "no date". Its text form is
// "2006-01-02"; ParseDate also accepts "20060102".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses "2022-05-10" or "20220510" and checks that the date exists.
func ParseDate(s string) (Date, error) {
	layout := "2006-01-02"
	if len(s) == 8 {
		layout = "20060102"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calc: date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// MustDate is ParseDate for constants; it panics on a bad value.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of t in t's location. Callers pass times
// in Asia/Shanghai.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is the zero value.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date in 1900–9999.
func (d Date) Valid() bool {
	if d.Year < 1900 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

// String returns "YYYY-MM-DD", or "" for the zero value.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Chinese returns "YYYY年MM月DD日" ("" for the zero value).
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d年%02d月%02d日", d.Year, int(d.Month), d.Day)
}

// YearMonth returns the period d falls in.
func (d Date) YearMonth() YearMonth { return YearMonth{Year: d.Year, Month: d.Month} }

// Compare returns −1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	if c := d.YearMonth().Compare(o.YearMonth()); c != 0 {
		return c
	}
	switch {
	case d.Day < o.Day:
		return -1
	case d.Day > o.Day:
		return 1
	}
	return 0
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// AddMonths returns the date n months later, with the day clamped to the end
// of the target month (2024-01-31 + 1 month = 2024-02-29).
func (d Date) AddMonths(n int) Date {
	ym := d.YearMonth().AddMonths(n)
	day := min(d.Day, daysIn(ym.Year, ym.Month))
	return Date{Year: ym.Year, Month: ym.Month, Day: day}
}

// MarshalText implements encoding.TextMarshaler ("2006-01-02").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" is the zero value.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func atoiDigits(s string) (int, error) {
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(s)
}
