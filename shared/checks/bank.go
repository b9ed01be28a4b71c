package checks

import "fmt"

// Luhn reports whether s, a string of at least two ASCII digits, passes the
// Luhn (mod 10) check used by bank cards. Passbook (存折) accounts are not
// Luhn numbers, so callers treat false as a warning only, never as an error.
func Luhn(s string) bool {
	if len(s) < 2 || !allDigits(s) {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// Bank account length limits: passbook accounts can be short, some
// corporate accounts are long.
const (
	minAccountDigits = 6
	maxAccountDigits = 32
)

// BankAccount validates a 银行账号 (card or passbook account) and returns
// its digits: spaces and hyphens removed, full-width digits folded. It must
// be 6–32 digits. The Luhn check is separate (see Luhn) because passbook
// accounts do not carry one.
//
// Problem codes: bank_empty, bank_chars, bank_length.
func BankAccount(s string) (normalized string, p *Problem) {
	s = clean(s, "-")
	if s == "" {
		return "", problem("bank_empty", "请填写银行账号")
	}
	if pos, r := firstBad(s, isDigit); pos > 0 {
		return "", problem("bank_chars", fmt.Sprintf("银行账号只能由数字组成，第%d位“%c”无效，请核对后重新输入", pos, r))
	}
	if n := len(s); n < minAccountDigits || n > maxAccountDigits {
		return "", problem("bank_length", fmt.Sprintf("银行账号应为%d-%d位数字，当前为%d位，请对照银行卡或存折核对后重新输入", minAccountDigits, maxAccountDigits, n))
	}
	return s, nil
}
