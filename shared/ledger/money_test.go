package ledger_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/ledger"
)

func TestParseFen(t *testing.T) {
	for in, want := range map[string]ledger.Fen{
		"2800.00": 280000, "2": 200, "703.8": 70380, "0.0": 0, "-1.05": -105, "+3": 300, "66.67": 6667,
	} {
		got, err := ledger.ParseFen(in)
		if err != nil || got != want {
			t.Errorf("ParseFen(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.005", "abc", "1e3", "1,000.00", " 1", "1.2.3", "99999999999999999999"} {
		if _, err := ledger.ParseFen(bad); err == nil {
			t.Errorf("ParseFen(%q) succeeded", bad)
		}
	}
}

func TestFenString(t *testing.T) {
	for f, want := range map[ledger.Fen]string{0: "0.00", 2: "0.02", 70380: "703.80", -105: "-1.05", 280000: "2800.00"} {
		if got := f.String(); got != want {
			t.Errorf("Fen(%d).String() = %q, want %q", int64(f), got, want)
		}
		if !f.Decimal().Equal(decimal.RequireFromString(want)) {
			t.Errorf("Fen(%d).Decimal() = %s", int64(f), f.Decimal())
		}
	}
}

func TestRates(t *testing.T) {
	for in, want := range map[string]string{"0.08": "0.08", "0": "0", "0.0669": "0.0669", "1": "1", "": "unknown"} {
		r, err := ledger.ParseRate(in)
		if err != nil {
			t.Fatalf("ParseRate(%q): %v", in, err)
		}
		got := "unknown"
		if r.Valid {
			got = r.Decimal.String()
		}
		if got != want {
			t.Errorf("ParseRate(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"1.01", "-0.08", "8%", "x"} {
		if _, err := ledger.ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) succeeded", bad)
		}
	}
}
