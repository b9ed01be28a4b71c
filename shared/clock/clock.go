// Package clock is the injectable clock of hrss. Every business date is in
// Asia/Shanghai; the zone database is embedded (time/tzdata) because Lambda's
// clock and image are UTC-only.
package clock

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Lambda images carry no zoneinfo
)

// Shanghai is the Asia/Shanghai location all business dates use.
var Shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("clock: load %s: %v", name, err))
	}
	return loc
}

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the system clock, in Asia/Shanghai.
type Real struct{}

// Now returns the current time in Asia/Shanghai.
func (Real) Now() time.Time { return time.Now().In(Shanghai) }

// Fixed is a clock that starts at a given instant and then runs with real
// time (Offset) or stands still (Frozen). Tests and the local runner's
// HRSS_CLOCK use it.
type Fixed struct {
	mu     sync.Mutex
	at     time.Time
	start  time.Time
	frozen bool
}

// Offset returns a clock that reads t now and advances with real time.
func Offset(t time.Time) *Fixed { return &Fixed{at: t, start: time.Now()} }

// Frozen returns a clock that always reads t until Set or Advance.
func Frozen(t time.Time) *Fixed { return &Fixed{at: t, frozen: true} }

// Now returns the clock's time in Asia/Shanghai.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.frozen {
		return f.at.In(Shanghai)
	}
	return f.at.Add(time.Since(f.start)).In(Shanghai)
}

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.at, f.start = t, time.Now()
}

// Advance moves the clock forward by d.
func (f *Fixed) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.at = f.at.Add(d)
}

// Parse reads a clock setting: an RFC 3339 time, or a date (2006-01-02) or
// date-time (2006-01-02T15:04:05) taken in Asia/Shanghai.
func Parse(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(Shanghai), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("clock: %q is not a date (2006-01-02) or RFC 3339 time", s)
}
