package clock_test

import (
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2022-05-10", "2022-05-10T00:00:00+08:00"},
		{"2022-05-10T09:30:00", "2022-05-10T09:30:00+08:00"},
		{"2022-05-10T01:30:00Z", "2022-05-10T09:30:00+08:00"},
	}
	for _, tt := range tests {
		got, err := clock.Parse(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if s := got.Format(time.RFC3339); s != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
	if _, err := clock.Parse("10/05/2022"); err == nil {
		t.Error("want an error for 10/05/2022")
	}
}

func TestFixed(t *testing.T) {
	start := time.Date(2022, 5, 10, 0, 0, 0, 0, clock.Shanghai)
	f := clock.Frozen(start)
	if !f.Now().Equal(start) {
		t.Fatal("frozen clock moved")
	}
	f.Advance(time.Hour)
	if got := f.Now(); !got.Equal(start.Add(time.Hour)) || got.Location() != clock.Shanghai {
		t.Errorf("Advance: %v", got)
	}
	o := clock.Offset(start)
	if d := o.Now().Sub(start); d < 0 || d > time.Minute {
		t.Errorf("offset clock off by %v", d)
	}
	if (clock.Real{}).Now().Location() != clock.Shanghai {
		t.Error("real clock not in Asia/Shanghai")
	}
}
