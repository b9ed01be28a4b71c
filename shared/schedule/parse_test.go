package schedule_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/schedule"
)

func TestParseValid(t *testing.T) {
	for _, expr := range []string{
		// The schedules of hrss.
		"cron(0 9 1 * ? *)",
		"cron(0 9 20 * ? *)",
		"cron(0 9 25 * ? *)",
		"cron(0 * * * ? *)",
		"rate(1 hour)",
		"cron(0 3 * * ? *)",
		"cron(0 10 ? * 6L *)",
		"cron(0 8 ? * MON-FRI *)",
		"cron(15 10 L * ? *)",
		"cron(0 9 1W * ? *)",
		"cron(0 12 ? * 2#1 *)",
		// Examples from the EventBridge documentation.
		"cron(0 10 * * ? *)",
		"cron(15 12 * * ? *)",
		"cron(0 18 ? * MON-FRI *)",
		"cron(0 8 1 * ? *)",
		"cron(0/15 * * * ? *)",
		"cron(0/10 * ? * MON-FRI *)",
		"cron(0/5 8-17 ? * MON-FRI *)",
		"cron(0 9 ? * 2#1 *)",
		"cron(0/30 * * * ? *)",
		"cron(1/10 * * * ? *)",
		"cron(0 0 1 JAN,FEB,MAR ? *)",
		"cron(0 0 1-15 * ? *)",
		// Rates.
		"rate(1 minute)",
		"rate(5 minutes)",
		"rate(2 hours)",
		"rate(1 day)",
		"rate(7 days)",
		"rate(  10   minutes )",
		// One-time.
		"at(2025-03-01T09:00:00)",
		"at(2199-12-31T23:59:59)",
		// Other accepted forms.
		"cron(*/5 * * * ? *)",
		"cron(5-40/5 0,12 * * ? *)",
		"cron(0 0 ? * SUN,SAT *)",
		"cron(0 0 ? * sun-sat *)",
		"cron(0 0 ? * mon *)",
		"cron(0 0 ? * L *)",
		"cron(0 0 ? * FRIL *)",
		"cron(0 0 ? * 7L *)",
		"cron(0 0 ? * MON#5 *)",
		"cron(0 0 31W * ? *)",
		"cron(0 0 1 jan-dec ? 1970-2199)",
		"cron(0 0 1 * ? 2025/2)",
		"cron(0 0 1 * ? 2025,2030-2032)",
		"cron(59 23 31 12 ? 2199)",
		"cron(09 09 09 09 ? 2025)",
		"cron(0 0 */2 * ? *)",
		"cron(0 0 1/7 * ? *)",
		"  cron(0 9 1 * ? *)\n",
		"cron(0\t9  1 * ? *)",
	} {
		t.Run(expr, func(t *testing.T) {
			s, err := schedule.Parse(expr, clock.Shanghai)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := s.String(); got != strings.TrimSpace(expr) {
				t.Errorf("String() = %q, want %q", got, strings.TrimSpace(expr))
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, expr string
		field      string // SyntaxError.Field
		msg        string // part of the message
	}{
		{"empty", "", "", "want rate"},
		{"not an expression", "every day at nine", "", "want rate"},
		{"unknown kind", "daily(9)", "", "unknown schedule type"},
		{"upper-case keyword", "CRON(0 9 1 * ? *)", "", "unknown schedule type"},
		{"missing paren", "cron(0 9 1 * ? *", "", "want rate"},
		{"trailing text", "cron(0 9 1 * ? *) x", "", "want rate"},

		{"cron five fields", "cron(0 9 1 * ?)", "", "6 fields"},
		{"cron seven fields", "cron(0 0 9 1 * ? *)", "", "6 fields"},
		{"cron empty", "cron()", "", "got 0"},
		{"both days set", "cron(0 9 1 * 2 *)", "", `must be "?"`},
		{"both days star", "cron(0 9 * * * *)", "", `must be "?"`},
		{"both days question", "cron(0 9 ? * ? *)", "", "cannot both be"},
		{"minute 60", "cron(60 * * * ? *)", "minutes", "out of range 0-59"},
		{"hour 24", "cron(0 24 * * ? *)", "hours", "out of range 0-23"},
		{"day 0", "cron(0 0 0 * ? *)", "day-of-month", "out of range 1-31"},
		{"day 32", "cron(0 0 32 * ? *)", "day-of-month", "out of range 1-31"},
		{"month 13", "cron(0 0 1 13 ? *)", "month", "out of range 1-12"},
		{"month name", "cron(0 0 1 JANUARY ? *)", "month", "JAN,FEB"},
		{"weekday 0", "cron(0 0 ? * 0 *)", "day-of-week", "out of range 1-7"},
		{"weekday 8", "cron(0 0 ? * 8 *)", "day-of-week", "out of range 1-7"},
		{"weekday name", "cron(0 0 ? * MONDAY *)", "day-of-week", "SUN,MON"},
		{"year 1969", "cron(0 0 1 * ? 1969)", "year", "out of range 1970-2199"},
		{"year 2200", "cron(0 0 1 * ? 2200)", "year", "out of range 1970-2199"},
		{"huge number", "cron(99999999999999999999 * * * ? *)", "minutes", "out of range"},
		{"negative", "cron(-1 * * * ? *)", "minutes", "missing value"},
		{"backwards range", "cron(0 22-2 * * ? *)", "hours", "runs backwards"},
		{"wrapping weekdays", "cron(0 0 ? * FRI-MON *)", "day-of-week", "runs backwards"},
		{"empty list item", "cron(1,,2 * * * ? *)", "minutes", "empty item"},
		{"trailing comma", "cron(1, * * * ? *)", "minutes", "empty item"},
		{"step zero", "cron(0/0 * * * ? *)", "minutes", "step"},
		{"step too big", "cron(0/61 * * * ? *)", "minutes", "step"},
		{"step not a number", "cron(0/x * * * ? *)", "minutes", "step"},
		{"double step", "cron(0/5/5 * * * ? *)", "minutes", "step"},
		{"star in range", "cron(*-5 * * * ? *)", "minutes", "range"},
		{"question in minutes", "cron(? * * * ? *)", "minutes", `"?" is only allowed`},
		{"question in list", "cron(0 0 ?,1 * ? *)", "day-of-month", `"?" is only allowed`},
		{"step in weekday", "cron(0 0 ? * */2 *)", "day-of-week", `"/" is not allowed`},
		{"L in minutes", "cron(L * * * ? *)", "minutes", "not a number"},
		{"LW", "cron(0 0 LW * ? *)", "day-of-month", "Quartz extension"},
		{"L offset", "cron(0 0 L-3 * ? *)", "day-of-month", "Quartz extension"},
		{"W alone", "cron(0 0 W * ? *)", "day-of-month", "W follows a single day"},
		{"W on a range", "cron(0 0 1-5W * ? *)", "day-of-month", "W follows a single day"},
		{"W day 32", "cron(0 0 32W * ? *)", "day-of-month", "out of range"},
		{"L in a list", "cron(0 0 1,L * ? *)", "day-of-month", "stand alone"},
		{"W in weekday", "cron(0 0 ? * 2W *)", "day-of-week", "not a number"},
		{"hash twice", "cron(0 0 ? * 3#1,6#3 *)", "day-of-week", "only one expression"},
		{"hash sixth", "cron(0 0 ? * 2#6 *)", "day-of-week", "must be 1-5"},
		{"hash zero", "cron(0 0 ? * 2#0 *)", "day-of-week", "must be 1-5"},
		{"hash day 8", "cron(0 0 ? * 8#1 *)", "day-of-week", "out of range"},
		{"hash missing", "cron(0 0 ? * 2# *)", "day-of-week", "must be 1-5"},
		{"last weekday range", "cron(0 0 ? * 2-6L *)", "day-of-week", "only one expression"},
		{"last weekday 8", "cron(0 0 ? * 8L *)", "day-of-week", "out of range"},
		{"L inside weekday", "cron(0 0 ? * 6L2 *)", "day-of-week", "L ends the field"},
		{"hash in day of month", "cron(0 0 2#1 * ? *)", "day-of-month", "not a number"},

		{"rate zero", "rate(0 minutes)", "", "at least 1"},
		{"rate one plural", "rate(1 minutes)", "", "rate(1 minute)"},
		{"rate one hours", "rate(1 hours)", "", "rate(1 hour)"},
		{"rate plural singular", "rate(5 minute)", "", "rate(5 minutes)"},
		{"rate weeks", "rate(2 weeks)", "", "rate unit"},
		{"rate seconds", "rate(30 seconds)", "", "rate unit"},
		{"rate upper unit", "rate(5 MINUTES)", "", "rate unit"},
		{"rate negative", "rate(-5 minutes)", "", "not a positive integer"},
		{"rate plus", "rate(+5 minutes)", "", "not a positive integer"},
		{"rate decimal", "rate(1.5 hours)", "", "not a positive integer"},
		{"rate no unit", "rate(5)", "", "value and a unit"},
		{"rate empty", "rate()", "", "value and a unit"},
		{"rate overflow", "rate(99999999999999999999 minutes)", "", "too large"},
		{"rate duration overflow", "rate(200000 days)", "", "too large"},

		{"at no T", "at(2025-01-01 09:00:00)", "", "yyyy-mm-ddThh:mm:ss"},
		{"at date only", "at(2025-01-01)", "", "yyyy-mm-ddThh:mm:ss"},
		{"at with zone", "at(2025-01-01T09:00:00Z)", "", "no zone"},
		{"at fraction", "at(2025-01-01T09:00:0.5)", "", "yyyy-mm-ddThh:mm:ss"},
		{"at bad day", "at(2025-02-30T09:00:00)", "", "day out of range"},
		{"at bad hour", "at(2025-02-01T24:00:00)", "", "hour out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := schedule.Parse(tc.expr, clock.Shanghai)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tc.expr, s)
			}
			var se *schedule.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T %v, want *SyntaxError", tc.expr, err, err)
			}
			if se.Expr != tc.expr {
				t.Errorf("Expr = %q, want %q", se.Expr, tc.expr)
			}
			if se.Field != tc.field {
				t.Errorf("Field = %q, want %q (%v)", se.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestParseAtInDaylightSavingGap(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	_, err := schedule.Parse("at(2025-03-09T02:30:00)", ny)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Parse = %v, want an error for a time in the spring-forward gap", err)
	}
}

func TestParseNilZoneIsUTC(t *testing.T) {
	s, err := schedule.Parse("cron(0 9 1 * ? *)", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Next(mustTime(t, "2025-01-15T00:00:00Z"))
	if want := mustTime(t, "2025-02-01T09:00:00Z"); !got.Equal(want) {
		t.Errorf("Next = %v, want %v", got, want)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse of an invalid expression did not panic")
		}
	}()
	schedule.MustParse("cron(0 9 * * * *)", clock.Shanghai)
}
