package checks_test

import (
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/checks"
)

func TestCreditCodeGenerated(t *testing.T) {
	r := rng()
	for range 2000 {
		// Department and category, a Heilongjiang division, a 9-character
		// subject identifier.
		body := randString(r, "159Y", 1) + randString(r, "123", 1) + hljRegions[r.IntN(len(hljRegions))] + randString(r, creditAlphabet, 9)
		code := genCredit(t, body)
		got, p := checks.CreditCode(code)
		if p != nil || got != code {
			t.Fatalf("CreditCode(%q) = %q, %v", code, got, p)
		}
		if got, p := checks.CreditCode(strings.ToLower(code)); p != nil || got != code {
			t.Fatalf("CreditCode(lower %q) = %q, %v", code, got, p)
		}
		for i := 0; i < len(creditAlphabet); i++ {
			if c := creditAlphabet[i]; c != code[17] {
				if _, p := checks.CreditCode(code[:17] + string(c)); p == nil || p.Code != "credit_checksum" {
					t.Fatalf("CreditCode(%q) = %v, want credit_checksum", code[:17]+string(c), p)
				}
			}
		}
	}
}

func TestCreditCode(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, code, msgHas string
	}{
		// Hand-checked vectors (check characters worked out from the formula).
		{name: "published example", in: "91350100M000100Y43", want: "91350100M000100Y43"},
		{name: "letter check", in: "91110000802100433B", want: "91110000802100433B"},
		{name: "lowercase and spaces", in: " 91110000 802100433b ", want: "91110000802100433B"},
		{name: "full-width", in: "９１１１００００８０２１００４３３Ｂ", want: "91110000802100433B"},
		{name: "manual truncated example", in: "MA1BTNNC4", code: "credit_length", msgHas: "当前为9位"},
		{name: "checksum", in: "91110000802100433C", code: "credit_checksum", msgHas: "校验位不正确"},
		{name: "letter I", in: "9111000080210043IB", code: "credit_chars", msgHas: "第17位“I”"},
		{name: "letter O", in: "O1110000802100433B", code: "credit_chars", msgHas: "“O”"},
		{name: "Han", in: "9111000080210043中B", code: "credit_chars"},
		{name: "region with a letter", in: genCredit(t, "9123A100802100433"), code: "credit_region"},
		{name: "empty", in: "", code: "credit_empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, p := checks.CreditCode(tc.in)
			if tc.code == "" {
				if p != nil || got != tc.want {
					t.Fatalf("CreditCode(%q) = %q, %v; want %q", tc.in, got, p, tc.want)
				}
				return
			}
			wantProblem(t, tc.in, p, tc.code)
			if got != "" || !strings.Contains(p.Message, tc.msgHas) {
				t.Errorf("CreditCode(%q) = %q, %q; want empty and a message with %q", tc.in, got, p.Message, tc.msgHas)
			}
		})
	}
}

func TestOrgCodeGenerated(t *testing.T) {
	r := rng()
	sawX, saw0 := false, false
	for range 3000 {
		code := genOrg(t, randString(r, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8))
		sawX = sawX || code[9] == 'X'
		saw0 = saw0 || code[9] == '0'
		got, p := checks.OrgCode(code)
		if p != nil || got != code {
			t.Fatalf("OrgCode(%q) = %q, %v", code, got, p)
		}
		if got, p := checks.OrgCode(strings.ToLower(code[:8] + code[9:])); p != nil || got != code {
			t.Fatalf("OrgCode(without hyphen, lower %q) = %q, %v", code, got, p)
		}
		for _, c := range "0123456789X" {
			if byte(c) != code[9] {
				if _, p := checks.OrgCode(code[:9] + string(c)); p == nil || p.Code != "org_checksum" {
					t.Fatalf("OrgCode(%q) = %v, want org_checksum", code[:9]+string(c), p)
				}
			}
		}
	}
	if !sawX || !saw0 {
		t.Errorf("generator never produced check X (%v) or 0 (%v)", sawX, saw0)
	}
}

func TestOrgCode(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, code, msgHas string
	}{
		// Hand-checked: 1·(3+7+9+10+5+8+4+2) = 48; 48 mod 11 = 4; 11 − 4 = 7.
		{name: "manual body, correct check", in: "11111111-7", want: "11111111-7"},
		{name: "without hyphen", in: "111111117", want: "11111111-7"},
		// D=13: 13·3+2·7+1·9+4·10+3·5+5·8+6·4+9·2 = 199; 199 mod 11 = 1; 11 − 1 = 10 → X.
		{name: "letter body, X check", in: "d2143569-x", want: "D2143569-X"},
		{name: "manual invalid example", in: "11111111-9", code: "org_checksum", msgHas: "校验码不正确"},
		{name: "too short", in: "1111111-7", code: "org_length", msgHas: "当前为8位"},
		{name: "hyphen misplaced", in: "1111-11117", code: "org_length"},
		{name: "bad body char", in: "1111_111-7", code: "org_chars", msgHas: "第5位“_”"},
		{name: "bad check char", in: "11111111-Y", code: "org_chars", msgHas: "“Y”"},
		{name: "empty", in: "", code: "org_empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, p := checks.OrgCode(tc.in)
			if tc.code == "" {
				if p != nil || got != tc.want {
					t.Fatalf("OrgCode(%q) = %q, %v; want %q", tc.in, got, p, tc.want)
				}
				return
			}
			wantProblem(t, tc.in, p, tc.code)
			if got != "" || !strings.Contains(p.Message, tc.msgHas) {
				t.Errorf("OrgCode(%q) = %q, %q; want empty and a message with %q", tc.in, got, p.Message, tc.msgHas)
			}
		})
	}
}

func TestCheckCharHelpers(t *testing.T) {
	if got := checks.CreditCodeCheckChar("91350100M000100Y4"); got != '3' {
		t.Errorf("CreditCodeCheckChar = %q, want '3'", got)
	}
	if got := checks.CreditCodeCheckChar("91350100M000100I4"); got != 0 {
		t.Errorf("CreditCodeCheckChar with I = %q, want 0", got)
	}
	if got := checks.OrgCodeCheckChar("11111111"); got != '7' {
		t.Errorf("OrgCodeCheckChar(11111111) = %q, want '7'", got)
	}
	if got := checks.OrgCodeCheckChar("1111111a"); got != 0 {
		t.Errorf("OrgCodeCheckChar(lowercase) = %q, want 0", got)
	}
}
