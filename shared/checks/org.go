package checks

import (
	"fmt"
	"strings"
)

// creditAlphabet is the GB 32100-2015 character set: digits and capital
// letters without I, O, S, V and Z. A character's value is its index.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar returns the GB 32100-2015 check character for the
// first 17 characters of a unified social credit code, or 0 when body is not
// 17 characters of the code's alphabet.
func CreditCodeCheckChar(body string) byte {
	if len(body) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, body[i])
		if v < 0 {
			return 0
		}
		sum += v * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31]
}

// CreditCode validates a 统一社会信用代码 (GB 32100-2015) and returns it
// normalized: spaces removed, full-width characters folded, letters
// upper-cased. It must be 18 characters from 0-9 and A-Y without I, O, S, V
// and Z; characters 3–8 are the registering authority's 6-digit division
// code; the last character is the check character
// alphabet[(31 − Σ a_i·W_i mod 31) mod 31].
//
// Problem codes: credit_empty, credit_length, credit_chars, credit_region,
// credit_checksum.
func CreditCode(s string) (normalized string, p *Problem) {
	s = strings.ToUpper(clean(s, ""))
	n := runeLen(s)
	switch {
	case n == 0:
		return "", problem("credit_empty", "请填写统一社会信用代码")
	case n != 18:
		return "", problem("credit_length", fmt.Sprintf("统一社会信用代码应为18位，当前为%d位，请对照营业执照或登记证书核对后重新输入", n))
	}
	if pos, r := firstBad(s, func(r rune) bool { return r < 0x80 && strings.IndexByte(creditAlphabet, byte(r)) >= 0 }); pos > 0 {
		return "", problem("credit_chars", fmt.Sprintf("统一社会信用代码只能由数字和大写字母（不含I、O、S、V、Z）组成，第%d位“%c”无效，请核对后重新输入", pos, r))
	}
	if !allDigits(s[2:8]) {
		return "", problem("credit_region", "统一社会信用代码第3-8位应为登记管理机关的行政区划代码（6位数字），请核对后重新输入")
	}
	if CreditCodeCheckChar(s[:17]) != s[17] {
		return "", problem("credit_checksum", "统一社会信用代码校验位不正确，请核对后重新输入")
	}
	return s, nil
}

var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// OrgCodeCheckChar returns the GB 11714 check character for the 8-character
// body of an organisation code: C = 11 − (Σ c_i·W_i mod 11), 10 → X,
// 11 → 0, with digits worth 0–9 and letters A–Z worth 10–35. It returns 0
// when body is not 8 characters of [0-9A-Z].
func OrgCodeCheckChar(body string) byte {
	if len(body) != 8 {
		return 0
	}
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return 0
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// OrgCode validates a 组织机构代码 (GB 11714) written with or without the
// hyphen ("XXXXXXXX-C" or "XXXXXXXXC") and returns it in the hyphenated form
// printed on certificates, "XXXXXXXX-C", upper-cased. The body is 8
// characters of [0-9A-Z]; the check character is a digit or X.
// The manual's example 11111111-9 is rejected (its check character is 7).
//
// Problem codes: org_empty, org_length, org_chars, org_checksum.
func OrgCode(s string) (normalized string, p *Problem) {
	s = strings.ToUpper(clean(s, ""))
	if len(s) == 10 && s[8] == '-' {
		s = s[:8] + s[9:]
	}
	n := runeLen(s)
	switch {
	case n == 0:
		return "", problem("org_empty", "请填写组织机构代码")
	case strings.Contains(s, "-"):
		if n := runeLen(strings.ReplaceAll(s, "-", "")); n != 9 {
			return "", orgLength(n)
		}
		return "", problem("org_length", "组织机构代码的连字符应在第8位之后（写作XXXXXXXX-X），请核对后重新输入")
	case n != 9:
		return "", orgLength(n)
	}
	isBody := func(r rune) bool { return isDigit(r) || (r >= 'A' && r <= 'Z') }
	if pos, r := firstBad(s[:8], isBody); pos > 0 {
		return "", problem("org_chars", fmt.Sprintf("组织机构代码前8位只能是数字或大写字母，第%d位“%c”无效，请核对后重新输入", pos, r))
	}
	if c := s[8]; !isDigit(rune(c)) && c != 'X' {
		return "", problem("org_chars", fmt.Sprintf("组织机构代码校验码只能是数字或X，“%c”无效，请核对后重新输入", []rune(s)[8]))
	}
	if OrgCodeCheckChar(s[:8]) != s[8] {
		return "", problem("org_checksum", "组织机构代码校验码不正确，请核对后重新输入")
	}
	return s[:8] + "-" + s[8:], nil
}

func orgLength(n int) *Problem {
	return problem("org_length", fmt.Sprintf("组织机构代码应为9位（8位本体代码+1位校验码，可写作XXXXXXXX-X），当前为%d位，请核对后重新输入", n))
}
