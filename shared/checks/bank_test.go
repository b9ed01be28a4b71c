package checks_test

import (
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/checks"
)

func TestLuhn(t *testing.T) {
	for in, want := range map[string]bool{
		"79927398713":         true, // the textbook example
		"79927398710":         false,
		"4111111111111111":    true,
		"6222021001116245702": true,
		"6222021001116245703": false,
		"0":                   false, // too short to carry a check digit
		"":                    false,
		"6222 0210":           false, // not normalized
		"00":                  true,
	} {
		if got := checks.Luhn(in); got != want {
			t.Errorf("Luhn(%q) = %v, want %v", in, got, want)
		}
	}
	// Generated: appending the right check digit always passes and every
	// other digit fails.
	r := rng()
	for range 1000 {
		body := randString(r, "0123456789", 5+r.IntN(20))
		good := 0
		for d := '0'; d <= '9'; d++ {
			if checks.Luhn(body + string(d)) {
				good++
			}
		}
		if good != 1 {
			t.Fatalf("Luhn: %d check digits pass for %q, want exactly 1", good, body)
		}
	}
}

func TestBankAccount(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, code string
	}{
		{name: "card with spaces", in: "6222 0210 0111 6245 702", want: "6222021001116245702"},
		{name: "passbook not Luhn", in: "0713 0000 0123 4", want: "0713000001234"},
		{name: "hyphens", in: "6222-0210-0111-6245-702", want: "6222021001116245702"},
		{name: "full-width", in: "６２２２０２１０", want: "62220210"},
		{name: "6 digits", in: "123456", want: "123456"},
		{name: "32 digits", in: strings.Repeat("1", 32), want: strings.Repeat("1", 32)},
		{name: "5 digits", in: "12345", code: "bank_length"},
		{name: "33 digits", in: strings.Repeat("1", 33), code: "bank_length"},
		{name: "letter", in: "62220210O1116245702", code: "bank_chars"},
		{name: "masked", in: "************1234", code: "bank_chars"},
		{name: "empty", in: "  ", code: "bank_empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, p := checks.BankAccount(tc.in)
			if tc.code == "" {
				if p != nil || got != tc.want {
					t.Fatalf("BankAccount(%q) = %q, %v; want %q", tc.in, got, p, tc.want)
				}
				return
			}
			if got != "" {
				t.Errorf("rejected input normalized to %q", got)
			}
			wantProblem(t, tc.in, p, tc.code)
		})
	}
}
