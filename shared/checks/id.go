package checks

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
)

// idWeights are the GB 11643-1999 weights W_i = 2^(17-i) mod 11 for the
// first 17 characters.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps Σ a_i·W_i mod 11 to the check character.
const idCheckChars = "10X98765432"

// earliestBirthYear is the earliest birth year accepted. It is generous on
// purpose: GB 11643-1999's own example 440524188001010014 is born in 1880.
// Age rules (a retiree, a dependant) belong to the business that needs them.
const earliestBirthYear = 1800

// IDCheckChar returns the GB 11643-1999 check character for the first 17
// digits of a resident identity number. It returns 0 when body is not 17
// ASCII digits.
func IDCheckChar(body string) byte {
	if len(body) != 17 || !allDigits(body) {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// ResidentID validates a 公民身份号码 (GB 11643-1999) and returns its
// normalized 18-character form: spaces removed, full-width digits folded,
// a lowercase x upper-cased, and a 15-digit legacy number upgraded by
// inserting "19" before its birth date and appending the check character.
// The birth date (characters 7–14) must be a real date from 1800 on and not
// after now's date in Asia/Shanghai; the last character must be the check
// character.
//
// Problem codes: id_empty, id_length, id_chars, id_birth_date, id_checksum.
// The 6-digit region prefix is not checked: old division codes stay valid
// (compare it with codetable's region table and warn at most).
func ResidentID(s string, now time.Time) (normalized string, p *Problem) {
	s = strings.ToUpper(clean(s, ""))
	switch n := runeLen(s); {
	case n == 0:
		return "", problem("id_empty", "请填写公民身份号码")
	case n == 15:
		if pos, r := firstBad(s, isDigit); pos > 0 {
			return "", problem("id_chars", fmt.Sprintf("15位公民身份号码只能由数字组成，第%d位“%c”无效，请核对后重新输入", pos, r))
		}
		body := s[:6] + "19" + s[6:]
		if p := checkBirth(body[6:14], now); p != nil {
			return "", p
		}
		return body + string(IDCheckChar(body)), nil
	case n != 18:
		return "", problem("id_length", fmt.Sprintf("公民身份号码应为18位（或15位旧号码），当前为%d位，请核对后重新输入", n))
	}
	if pos, r := firstBad(s[:17], isDigit); pos > 0 {
		return "", problem("id_chars", fmt.Sprintf("公民身份号码前17位只能是数字，第%d位“%c”无效，请核对后重新输入", pos, r))
	}
	if c := s[17]; !isDigit(rune(c)) && c != 'X' {
		return "", problem("id_chars", fmt.Sprintf("公民身份号码最后一位只能是数字或X，“%c”无效，请核对后重新输入", []rune(s)[17]))
	}
	if p := checkBirth(s[6:14], now); p != nil {
		return "", p
	}
	if IDCheckChar(s[:17]) != s[17] {
		return "", problem("id_checksum", "公民身份号码校验位不正确，请核对后重新输入")
	}
	return s, nil
}

// parseBirth parses an 8-digit YYYYMMDD date; the string says what is wrong.
func parseBirth(ymd string) (time.Time, string) {
	y, _ := strconv.Atoi(ymd[:4])
	m, _ := strconv.Atoi(ymd[4:6])
	d, _ := strconv.Atoi(ymd[6:8])
	switch {
	case y < earliestBirthYear:
		return time.Time{}, fmt.Sprintf("出生日期无效：年份%04d早于%d年", y, earliestBirthYear)
	case m < 1 || m > 12:
		return time.Time{}, "出生日期无效：月应在01-12之间"
	case d < 1 || d > 31:
		return time.Time{}, "出生日期无效：日应在01-31之间"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, clock.Shanghai)
	if t.Day() != d {
		last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, clock.Shanghai).Day()
		return time.Time{}, fmt.Sprintf("出生日期无效：%d年%d月只有%d天", y, m, last)
	}
	return t, ""
}

func checkBirth(ymd string, now time.Time) *Problem {
	t, why := parseBirth(ymd)
	if why != "" {
		return problem("id_birth_date", why+"，请核对公民身份号码第7-14位（出生日期）")
	}
	n := now.In(clock.Shanghai)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, clock.Shanghai)
	if t.After(today) {
		return problem("id_birth_date", fmt.Sprintf("出生日期无效：%s晚于今天，请核对公民身份号码第7-14位（出生日期）", t.Format("2006-01-02")))
	}
	return nil
}

// wellFormed18 reports whether id is 17 ASCII digits and a correct check
// character (uppercase X).
func wellFormed18(id string) bool {
	return len(id) == 18 && IDCheckChar(id[:17]) == id[17]
}

// IDBirthDate returns the birth date encoded in a valid 18-character
// resident identity number, at midnight Asia/Shanghai. It reports false
// when id18 is not a well-formed number with a correct check character and a
// real birth date (pass ResidentID's normalized output).
func IDBirthDate(id18 string) (time.Time, bool) {
	if !wellFormed18(id18) {
		return time.Time{}, false
	}
	t, why := parseBirth(id18[6:14])
	return t, why == ""
}

// IDGender returns the 性别 code of a resident identity number: "1" (男)
// when the sequence code's last digit (the 17th character) is odd, "2" (女)
// when it is even, matching GB/T 2261.1 and the gender code table. A
// 15-digit legacy number uses its 15th digit. It returns "" for anything
// else.
func IDGender(id18 string) (code string) {
	var c byte
	switch {
	case len(id18) == 18 && allDigits(id18[:17]):
		c = id18[16]
	case len(id18) == 15 && allDigits(id18):
		c = id18[14]
	default:
		return ""
	}
	if (c-'0')%2 == 1 {
		return "1"
	}
	return "2"
}

// IDRegion returns the 6-digit administrative-division prefix of a resident
// identity number (the division where it was first issued; it may be an
// abolished code), or "" when id does not start with 6 digits.
func IDRegion(id string) string {
	if len(id) < 6 || !allDigits(id[:6]) {
		return ""
	}
	return id[:6]
}
