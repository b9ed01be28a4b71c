package schedule_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/schedule"
)

// mustTime parses an RFC 3339 time.
func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// sh returns a wall time in Asia/Shanghai.
func sh(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.Shanghai)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// nexts returns the first n times s fires after after.
func nexts(s schedule.Schedule, after time.Time, n int) []time.Time {
	var out []time.Time
	for range n {
		after = s.Next(after)
		if after.IsZero() {
			break
		}
		out = append(out, after)
	}
	return out
}

func TestNextShanghai(t *testing.T) {
	for _, tc := range []struct {
		name  string
		expr  string
		after string   // Shanghai wall time
		want  []string // Shanghai wall times; fewer than 3 means it stops
	}{
		{"1st 09:00", "cron(0 9 1 * ? *)", "2025-01-15 10:00:00",
			[]string{"2025-02-01 09:00:00", "2025-03-01 09:00:00", "2025-04-01 09:00:00"}},
		{"1st 09:00 from just before", "cron(0 9 1 * ? *)", "2025-02-01 08:59:59",
			[]string{"2025-02-01 09:00:00", "2025-03-01 09:00:00", "2025-04-01 09:00:00"}},
		{"1st 09:00 from exactly then", "cron(0 9 1 * ? *)", "2025-02-01 09:00:00",
			[]string{"2025-03-01 09:00:00", "2025-04-01 09:00:00", "2025-05-01 09:00:00"}},
		{"1st 09:00 from a second after", "cron(0 9 1 * ? *)", "2025-02-01 09:00:01",
			[]string{"2025-03-01 09:00:00", "2025-04-01 09:00:00", "2025-05-01 09:00:00"}},
		{"20th 09:00", "cron(0 9 20 * ? *)", "2025-01-20 09:00:00",
			[]string{"2025-02-20 09:00:00", "2025-03-20 09:00:00", "2025-04-20 09:00:00"}},
		{"25th 09:00 over the year end", "cron(0 9 25 * ? *)", "2025-12-26 00:00:00",
			[]string{"2026-01-25 09:00:00", "2026-02-25 09:00:00", "2026-03-25 09:00:00"}},
		{"hourly over midnight", "cron(0 * * * ? *)", "2025-01-01 23:30:00",
			[]string{"2025-01-02 00:00:00", "2025-01-02 01:00:00", "2025-01-02 02:00:00"}},
		{"rate 1 hour", "rate(1 hour)", "2025-01-01 10:17:03",
			[]string{"2025-01-01 11:17:03", "2025-01-01 12:17:03", "2025-01-01 13:17:03"}},
		{"daily 03:00", "cron(0 3 * * ? *)", "2025-01-31 03:00:00",
			[]string{"2025-02-01 03:00:00", "2025-02-02 03:00:00", "2025-02-03 03:00:00"}},
		{"last Friday 10:00", "cron(0 10 ? * 6L *)", "2025-01-01 00:00:00",
			[]string{"2025-01-31 10:00:00", "2025-02-28 10:00:00", "2025-03-28 10:00:00"}},
		{"weekdays 08:00 over a weekend", "cron(0 8 ? * MON-FRI *)", "2025-01-03 08:00:00",
			[]string{"2025-01-06 08:00:00", "2025-01-07 08:00:00", "2025-01-08 08:00:00"}},
		{"weekdays 08:00 same day", "cron(0 8 ? * MON-FRI *)", "2025-01-01 07:00:00",
			[]string{"2025-01-01 08:00:00", "2025-01-02 08:00:00", "2025-01-03 08:00:00"}},
		{"last day 10:15", "cron(15 10 L * ? *)", "2025-01-31 10:15:00",
			[]string{"2025-02-28 10:15:00", "2025-03-31 10:15:00", "2025-04-30 10:15:00"}},
		{"last day 10:15 leap year", "cron(15 10 L * ? *)", "2024-02-01 00:00:00",
			[]string{"2024-02-29 10:15:00", "2024-03-31 10:15:00", "2024-04-30 10:15:00"}},
		// 2025-01-01 is a Wednesday, 2025-02-01 and 2025-03-01 Saturdays.
		{"weekday nearest the 1st", "cron(0 9 1W * ? *)", "2025-01-01 00:00:00",
			[]string{"2025-01-01 09:00:00", "2025-02-03 09:00:00", "2025-03-03 09:00:00"}},
		// 2025-06-01 is a Sunday.
		{"weekday nearest the 1st on a Sunday", "cron(0 9 1W * ? *)", "2025-05-15 00:00:00",
			[]string{"2025-06-02 09:00:00", "2025-07-01 09:00:00", "2025-08-01 09:00:00"}},
		// 2025-06-15 is a Sunday; 2025-11-15 a Saturday.
		{"weekday nearest the 15th", "cron(0 9 15W * ? *)", "2025-06-01 00:00:00",
			[]string{"2025-06-16 09:00:00", "2025-07-15 09:00:00", "2025-08-15 09:00:00"}},
		{"weekday nearest the 15th on a Saturday", "cron(0 9 15W 11 ? *)", "2025-01-01 00:00:00",
			[]string{"2025-11-14 09:00:00", "2026-11-16 09:00:00", "2027-11-15 09:00:00"}},
		// 2025-08-31 is a Sunday and the month's last day.
		{"weekday nearest the 31st", "cron(0 9 31W * ? *)", "2025-08-01 00:00:00",
			[]string{"2025-08-29 09:00:00", "2025-10-31 09:00:00", "2025-12-31 09:00:00"}},
		{"first Monday 12:00", "cron(0 12 ? * 2#1 *)", "2025-01-01 00:00:00",
			[]string{"2025-01-06 12:00:00", "2025-02-03 12:00:00", "2025-03-03 12:00:00"}},
		// 2025-03-30 is the first fifth Sunday of 2025.
		{"fifth Sunday", "cron(0 0 ? * SUN#5 *)", "2025-01-01 00:00:00",
			[]string{"2025-03-30 00:00:00", "2025-06-29 00:00:00", "2025-08-31 00:00:00"}},
		{"Saturday as L", "cron(0 9 ? * L *)", "2025-01-01 00:00:00",
			[]string{"2025-01-04 09:00:00", "2025-01-11 09:00:00", "2025-01-18 09:00:00"}},
		{"every 15 minutes", "cron(0/15 * * * ? *)", "2025-01-01 10:07:00",
			[]string{"2025-01-01 10:15:00", "2025-01-01 10:30:00", "2025-01-01 10:45:00"}},
		{"1/10 minutes", "cron(1/10 * * * ? *)", "2025-01-01 10:45:00",
			[]string{"2025-01-01 10:51:00", "2025-01-01 11:01:00", "2025-01-01 11:11:00"}},
		{"every 20 minutes in office hours", "cron(*/20 9-10 * * ? *)", "2025-01-01 10:40:00",
			[]string{"2025-01-02 09:00:00", "2025-01-02 09:20:00", "2025-01-02 09:40:00"}},
		{"quarter months by name", "cron(0 0 1 JAN,APR,JUL,OCT ? *)", "2025-04-01 00:00:00",
			[]string{"2025-07-01 00:00:00", "2025-10-01 00:00:00", "2026-01-01 00:00:00"}},
		{"29 February", "cron(0 0 29 2 ? *)", "2025-01-01 00:00:00",
			[]string{"2028-02-29 00:00:00", "2032-02-29 00:00:00", "2036-02-29 00:00:00"}},
		{"one year", "cron(0 0 1 1 ? 2030)", "2025-06-01 00:00:00",
			[]string{"2030-01-01 00:00:00"}},
		{"year step", "cron(0 0 1 1 ? 2025/5)", "2025-06-01 00:00:00",
			[]string{"2030-01-01 00:00:00", "2035-01-01 00:00:00", "2040-01-01 00:00:00"}},
		{"last possible minute", "cron(59 23 31 12 ? 2199)", "2199-12-31 23:58:00",
			[]string{"2199-12-31 23:59:00"}},
		{"past year", "cron(0 0 1 1 ? 2020)", "2025-01-01 00:00:00", nil},
		{"31 February never", "cron(0 0 31 2 ? *)", "2025-01-01 00:00:00", nil},
		{"before 1970", "cron(0 0 1 1 ? *)", "1960-06-01 00:00:00",
			[]string{"1970-01-01 00:00:00", "1971-01-01 00:00:00", "1972-01-01 00:00:00"}},
		{"every minute", "cron(* * * * ? *)", "2025-01-01 23:59:30",
			[]string{"2025-01-02 00:00:00", "2025-01-02 00:01:00", "2025-01-02 00:02:00"}},
		{"rate 5 minutes", "rate(5 minutes)", "2025-01-01 10:00:00",
			[]string{"2025-01-01 10:05:00", "2025-01-01 10:10:00", "2025-01-01 10:15:00"}},
		{"rate 2 days", "rate(2 days)", "2025-02-27 09:00:00",
			[]string{"2025-03-01 09:00:00", "2025-03-03 09:00:00", "2025-03-05 09:00:00"}},
		{"at", "at(2025-03-01T09:00:00)", "2025-01-01 00:00:00",
			[]string{"2025-03-01 09:00:00"}},
		{"at passed", "at(2025-03-01T09:00:00)", "2025-03-01 09:00:00", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := schedule.Parse(tc.expr, clock.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			var want []time.Time
			for _, w := range tc.want {
				want = append(want, sh(t, w))
			}
			got := nexts(s, sh(t, tc.after), 3)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Next from %s (-want +got):\n%s", tc.after, diff)
			}
			for _, g := range got {
				if g.Location() != clock.Shanghai {
					t.Errorf("Next returned %v in %v, want Asia/Shanghai", g, g.Location())
				}
			}
		})
	}
}

// TestNextZone checks that wall times are taken in the schedule's zone, not
// the zone of the argument.
func TestNextZone(t *testing.T) {
	s := schedule.MustParse("cron(0 9 1 * ? *)", clock.Shanghai)
	got := s.Next(mustTime(t, "2025-01-31T20:00:00Z")) // 2025-02-01 04:00 in Shanghai
	if want := mustTime(t, "2025-02-01T01:00:00Z"); !got.Equal(want) {
		t.Errorf("Next = %v, want %v", got, want)
	}
	utc := schedule.MustParse("cron(0 9 1 * ? *)", time.UTC)
	got = utc.Next(mustTime(t, "2025-01-31T20:00:00Z"))
	if want := mustTime(t, "2025-02-01T09:00:00Z"); !got.Equal(want) {
		t.Errorf("UTC Next = %v, want %v", got, want)
	}
}

// TestNextDaylightSaving follows EventBridge Scheduler: a wall time the
// clocks skip does not fire, a wall time they repeat fires once, and rates
// are fixed durations. In New York in 2025 the clocks went from 02:00 EST to
// 03:00 EDT on 9 March and from 02:00 EDT back to 01:00 EST on 2 November.
func TestNextDaylightSaving(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	for _, tc := range []struct {
		name  string
		expr  string
		after string   // RFC 3339
		want  []string // RFC 3339
	}{
		{"skipped wall time does not fire", "cron(30 2 * * ? *)", "2025-03-08T12:00:00-05:00",
			[]string{"2025-03-10T02:30:00-04:00", "2025-03-11T02:30:00-04:00"}},
		{"hourly across spring forward", "cron(0 * * * ? *)", "2025-03-09T01:30:00-05:00",
			[]string{"2025-03-09T03:00:00-04:00", "2025-03-09T04:00:00-04:00"}},
		{"repeated wall time fires once", "cron(30 1 * * ? *)", "2025-11-01T12:00:00-04:00",
			[]string{"2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00"}},
		{"hourly across fall back", "cron(0 * * * ? *)", "2025-11-02T00:30:00-04:00",
			[]string{"2025-11-02T01:00:00-04:00", "2025-11-02T02:00:00-05:00", "2025-11-02T03:00:00-05:00"}},
		{"from inside the repeated hour", "cron(*/20 * * * ? *)", "2025-11-02T01:10:00-05:00",
			[]string{"2025-11-02T02:00:00-05:00", "2025-11-02T02:20:00-05:00"}},
		{"daily 09:00 keeps wall time", "cron(0 9 * * ? *)", "2025-03-08T10:00:00-05:00",
			[]string{"2025-03-09T09:00:00-04:00", "2025-03-10T09:00:00-04:00"}},
		{"rate of a day is 24 hours", "rate(1 day)", "2025-03-08T12:00:00-05:00",
			[]string{"2025-03-09T13:00:00-04:00", "2025-03-10T13:00:00-04:00"}},
		{"at in the repeated hour is its first occurrence", "at(2025-11-02T01:30:00)", "2025-11-01T00:00:00-04:00",
			[]string{"2025-11-02T01:30:00-04:00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := schedule.Parse(tc.expr, ny)
			if err != nil {
				t.Fatal(err)
			}
			var want []time.Time
			for _, w := range tc.want {
				want = append(want, mustTime(t, w))
			}
			got := nexts(s, mustTime(t, tc.after), len(want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Next from %s (-want +got):\n%s", tc.after, diff)
			}
		})
	}
}

// TestNextMatchesBruteForce compares Next with a minute-by-minute scan for
// schedules whose meaning is easy to state as a predicate.
func TestNextMatchesBruteForce(t *testing.T) {
	for _, tc := range []struct {
		expr  string
		match func(t time.Time) bool
	}{
		{"cron(0 8 ? * MON-FRI *)", func(t time.Time) bool {
			return t.Minute() == 0 && t.Hour() == 8 && t.Weekday() >= time.Monday && t.Weekday() <= time.Friday
		}},
		{"cron(15 10 L * ? *)", func(t time.Time) bool {
			return t.Minute() == 15 && t.Hour() == 10 && t.AddDate(0, 0, 1).Day() == 1
		}},
		{"cron(0 10 ? * 6L *)", func(t time.Time) bool {
			return t.Minute() == 0 && t.Hour() == 10 && t.Weekday() == time.Friday && t.AddDate(0, 0, 7).Month() != t.Month()
		}},
		{"cron(0 12 ? * 2#1 *)", func(t time.Time) bool {
			return t.Minute() == 0 && t.Hour() == 12 && t.Weekday() == time.Monday && t.Day() <= 7
		}},
		{"cron(0 9 1W * ? *)", func(t time.Time) bool {
			if t.Minute() != 0 || t.Hour() != 9 {
				return false
			}
			switch t.Day() {
			case 1:
				return t.Weekday() >= time.Monday && t.Weekday() <= time.Friday
			case 2:
				return t.Weekday() == time.Monday // the 1st was a Sunday
			case 3:
				return t.Weekday() == time.Monday // the 1st was a Saturday
			}
			return false
		}},
		{"cron(5-40/7 */5 * JAN-MAR,SEP ? *)", func(t time.Time) bool {
			m := t.Month()
			return t.Minute() >= 5 && t.Minute() <= 40 && (t.Minute()-5)%7 == 0 && t.Hour()%5 == 0 &&
				(m <= time.March || m == time.September)
		}},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			s := schedule.MustParse(tc.expr, clock.Shanghai)
			from := sh(t, "2024-01-01 00:00:00")
			var want []time.Time
			for m := from.Add(time.Minute); len(want) < 12 && m.Year() < 2026; m = m.Add(time.Minute) {
				if tc.match(m) {
					want = append(want, m)
				}
			}
			if diff := cmp.Diff(want, nexts(s, from, len(want))); diff != "" {
				t.Errorf("(-brute force +Next):\n%s", diff)
			}
		})
	}
}
