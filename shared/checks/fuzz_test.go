package checks_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hljhrss/hrss/shared/checks"
)

// The fuzzers check the package invariants for arbitrary input: no panic;
// a rejection has a code, a Chinese message and an empty normalized form;
// an acceptance normalizes to a form that is accepted again, unchanged, and
// whose check character is right. Seed corpora are in testdata/fuzz.

// checkResult applies the shared invariants and reports whether in was
// accepted.
func checkResult(t *testing.T, in, norm string, p *checks.Problem, fn func(string) (string, *checks.Problem)) bool {
	t.Helper()
	if p != nil {
		if norm != "" || p.Code == "" || !hasHan(p.Message) {
			t.Fatalf("(%q): rejection %q, %+v breaks the invariants", in, norm, p)
		}
		return false
	}
	if !utf8.ValidString(norm) || norm == "" {
		t.Fatalf("(%q) accepted with normalized %q", in, norm)
	}
	again, p2 := fn(norm)
	if p2 != nil || again != norm {
		t.Fatalf("(%q) → %q, which re-validates to %q, %v", in, norm, again, p2)
	}
	return true
}

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "230102690518121", "230402198809880322", "１１０１０５ 19491231 002Ｘ", ""} {
		f.Add(s)
	}
	resid := func(s string) (string, *checks.Problem) { return checks.ResidentID(s, now) }
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.ResidentID(in, now)
		if !checkResult(t, in, norm, p, resid) {
			return
		}
		if len(norm) != 18 || checks.IDCheckChar(norm[:17]) != norm[17] {
			t.Fatalf("(%q) → %q: bad length or check character", in, norm)
		}
		b, ok := checks.IDBirthDate(norm)
		if !ok || b.After(now) {
			t.Fatalf("(%q) → %q: birth date %v, %v", in, norm, b, ok)
		}
		if g := checks.IDGender(norm); g != "1" && g != "2" {
			t.Fatalf("(%q) → %q: gender %q", in, norm, g)
		}
		if m := checks.MaskID(norm); len(m) != 18 || m[6:14] != "********" {
			t.Fatalf("MaskID(%q) = %q", norm, m)
		}
	})
}

func FuzzCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91110000802100433b", "MA1BTNNC4", "9111000080210043IB", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.CreditCode(in)
		if !checkResult(t, in, norm, p, checks.CreditCode) {
			return
		}
		if len(norm) != 18 || checks.CreditCodeCheckChar(norm[:17]) != norm[17] {
			t.Fatalf("(%q) → %q: bad length or check character", in, norm)
		}
	})
}

func FuzzOrgCode(f *testing.F) {
	for _, s := range []string{"11111111-9", "11111111-7", "d2143569x", "1111-11117", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.OrgCode(in)
		if !checkResult(t, in, norm, p, checks.OrgCode) {
			return
		}
		if len(norm) != 10 || norm[8] != '-' || checks.OrgCodeCheckChar(norm[:8]) != norm[9] {
			t.Fatalf("(%q) → %q: bad form or check character", in, norm)
		}
	})
}

func FuzzMobile(f *testing.F) {
	for _, s := range []string{"13009998888", "+86 138 0013 8000", "0086-13800138000", "8613800138000", "１９９１２３４５６７８", "12800138000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.Mobile(in)
		if !checkResult(t, in, norm, p, checks.Mobile) {
			return
		}
		if len(norm) != 11 || norm[0] != '1' || norm[1] < '3' || strings.Trim(norm, "0123456789") != "" {
			t.Fatalf("(%q) → %q", in, norm)
		}
		if ph, p := checks.Phone(norm); p != nil || ph != norm {
			t.Fatalf("Phone(%q) = %q, %v", norm, ph, p)
		}
	})
}

func FuzzLandline(f *testing.F) {
	for _, s := range []string{"0451-86123456", "(0451)86123456", "04648271234", "010 62345678", "0451-86123456转801", "+86 451 86123456", "86123456-801", "0451-86123456 ext. 8", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.Landline(in)
		if !checkResult(t, in, norm, p, checks.Landline) {
			return
		}
		parts := strings.Split(norm, "-")
		if len(parts) < 2 || len(parts) > 3 || parts[0][0] != '0' || len(parts[1]) < 7 || len(parts[1]) > 8 {
			t.Fatalf("(%q) → %q", in, norm)
		}
		if ph, p := checks.Phone(norm); p != nil || ph != norm {
			t.Fatalf("Phone(%q) = %q, %v", norm, ph, p)
		}
	})
}

func FuzzBankAccount(f *testing.F) {
	for _, s := range []string{"6222 0210 0111 6245 702", "0713000001234", "6222-0210", "12345", "************1234", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.BankAccount(in)
		if !checkResult(t, in, norm, p, checks.BankAccount) {
			return
		}
		if len(norm) < 6 || len(norm) > 32 || strings.Trim(norm, "0123456789") != "" {
			t.Fatalf("(%q) → %q", in, norm)
		}
		_ = checks.Luhn(norm)
		if m := checks.MaskAccount(norm); len(m) != len(norm) || m[len(m)-4:] != norm[len(norm)-4:] {
			t.Fatalf("MaskAccount(%q) = %q", norm, m)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"13009889988", "0451-86123456", "(0464)8271234", "12345", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		norm, p := checks.Phone(in)
		checkResult(t, in, norm, p, checks.Phone)
		_ = checks.MaskPhone(in)
	})
}
