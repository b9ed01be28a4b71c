package calendar_test

import (
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/calendar"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/refdata"
)

func window(t *testing.T) *catalog.Window {
	t.Helper()
	b, ok := catalog.Default().Business("flexible-employment-suspend")
	if !ok || b.Window == nil {
		t.Fatal("4.1 has no window in the catalog")
	}
	return b.Window
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// withExceptions is the default reference data with exceptions merged over
// it, as refstore merges an admin's rows.
func withExceptions(t *testing.T, ex ...refdata.WindowException) *refdata.Set {
	t.Helper()
	for i := range ex {
		ex[i].Source = "测试"
	}
	s, err := refdata.Default().Merge(refdata.Data{WindowExceptions: ex})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEdges(t *testing.T) {
	w := window(t)
	for _, c := range []struct {
		at          string
		open        bool
		opens, ends string
	}{
		{"2022-05-25 23:59:59", true, "2022-05-01 00:00:00", "2022-05-26 00:00:00"},
		{"2022-05-26 00:00:00", false, "2022-06-01 00:00:00", "2022-06-26 00:00:00"},
		{"2022-05-31 23:59:59", false, "2022-06-01 00:00:00", "2022-06-26 00:00:00"},
		{"2022-06-01 00:00:00", true, "2022-06-01 00:00:00", "2022-06-26 00:00:00"},
		{"2022-12-28 10:00:00", false, "2023-01-01 00:00:00", "2023-01-26 00:00:00"},
	} {
		st := calendar.Of(w, refdata.Default(), at(c.at))
		if st.Open != c.open || !st.OpensAt.Equal(at(c.opens)) || !st.ClosesAt.Equal(at(c.ends)) {
			t.Errorf("%s: open %v opens %s closes %s, want %v %s %s", c.at, st.Open, st.OpensAt, st.ClosesAt, c.open, c.opens, c.ends)
		}
	}
	// 16:00 UTC on the 25th is already the 26th in Shanghai.
	utc := time.Date(2022, 5, 25, 16, 0, 0, 0, time.UTC)
	if calendar.Of(w, nil, utc).Open {
		t.Error("2022-05-25T16:00Z is the 26th in Shanghai: closed")
	}
	if !calendar.Of(nil, nil, utc).Open {
		t.Error("a business without a window is always open")
	}
}

func TestExceptions(t *testing.T) {
	w := window(t)
	// The Spring Festival of 2023: 21–27 January closed, the window
	// extended to 31 January.
	var ex []refdata.WindowException
	for d := 21; d <= 25; d++ {
		ex = append(ex, refdata.WindowException{Window: w.Name, Date: calc.Date{Year: 2023, Month: 1, Day: d}, Kind: refdata.WindowClosed, Note: "春节假期"})
	}
	for d := 28; d <= 31; d++ {
		ex = append(ex, refdata.WindowException{Window: w.Name, Date: calc.Date{Year: 2023, Month: 1, Day: d}, Kind: refdata.WindowOpen, Note: "春节假期顺延"})
	}
	set := withExceptions(t, ex...)
	for _, c := range []struct {
		at          string
		open        bool
		opens, ends string
		note        string
	}{
		{"2023-01-20 12:00:00", true, "2023-01-01 00:00:00", "2023-01-21 00:00:00", "春节假期"},
		// The extension runs into February's window: one open period
		// from the 28th to 25 February.
		{"2023-01-21 00:00:00", false, "2023-01-28 00:00:00", "2023-02-26 00:00:00", "春节假期顺延"},
		{"2023-01-26 09:00:00", false, "2023-01-28 00:00:00", "2023-02-26 00:00:00", "春节假期顺延"},
		{"2023-01-31 23:59:59", true, "2023-01-28 00:00:00", "2023-02-26 00:00:00", "春节假期顺延"},
		{"2023-02-01 00:00:00", true, "2023-01-28 00:00:00", "2023-02-26 00:00:00", "春节假期顺延"},
		{"2023-02-27 00:00:00", false, "2023-03-01 00:00:00", "2023-03-26 00:00:00", ""},
	} {
		st := calendar.Of(w, set, at(c.at))
		if st.Open != c.open || !st.OpensAt.Equal(at(c.opens)) || !st.ClosesAt.Equal(at(c.ends)) || st.Note != c.note {
			t.Errorf("%s: open %v opens %s closes %s note %q, want %v %s %s %q", c.at, st.Open, st.OpensAt, st.ClosesAt, st.Note,
				c.open, c.opens, c.ends, c.note)
		}
	}
	// One closure day inside the month splits it.
	set = withExceptions(t, refdata.WindowException{Window: w.Name, Date: calc.MustDate("2022-05-10"), Kind: refdata.WindowClosed, Note: "系统升级"})
	st := calendar.Of(w, set, at("2022-05-10 09:00:00"))
	if st.Open || !st.OpensAt.Equal(at("2022-05-11 00:00:00")) || st.Note != "系统升级" {
		t.Errorf("closure day: %+v", st)
	}
	if got := st.Closed(); got != "下次开放时间：2022年5月11日 00:00" {
		t.Errorf("Closed() = %q", got)
	}
	// Withdrawn (regular) is the monthly rule again.
	set = withExceptions(t, refdata.WindowException{Window: w.Name, Date: calc.MustDate("2022-05-10"), Kind: refdata.WindowRegular, Note: "撤销"})
	if !calendar.Of(w, set, at("2022-05-10 09:00:00")).Open {
		t.Error("a withdrawn exception still closes the day")
	}
	// Another window's exception does not apply.
	set = withExceptions(t, refdata.WindowException{Window: "other", Date: calc.MustDate("2022-05-10"), Kind: refdata.WindowClosed, Note: "x"})
	if !calendar.Of(w, set, at("2022-05-10 09:00:00")).Open {
		t.Error("another window's closure applies")
	}
}
