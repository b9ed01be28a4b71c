package schedule_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/schedule"
)

// FuzzParse checks that Parse never panics, that its errors are
// *SyntaxError, and that a schedule it accepts re-parses from its String and
// only ever moves forward. The seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	after := time.Date(2025, time.March, 8, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		for _, loc := range []*time.Location{clock.Shanghai, ny} {
			s, err := schedule.Parse(expr, loc)
			if err != nil {
				var se *schedule.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("Parse(%q) error %T, want *SyntaxError", expr, err)
				}
				continue
			}
			if _, err := schedule.Parse(s.String(), loc); err != nil {
				t.Fatalf("Parse(%q).String() = %q does not re-parse: %v", expr, s.String(), err)
			}
			prev := after
			for range 3 {
				n := s.Next(prev)
				if n.IsZero() {
					break
				}
				if !n.After(prev) {
					t.Fatalf("Parse(%q).Next(%v) = %v, not after", expr, prev, n)
				}
				prev = n
			}
		}
	})
}
