package checks

import (
	"fmt"
	"strings"
)

// stripCountryCode removes a leading +86, 0086 or (+86) and reports whether
// it did.
func stripCountryCode(s string) (string, bool) {
	for _, p := range []string{"(+86)", "+86", "0086"} {
		if strings.HasPrefix(s, p) {
			return s[len(p):], true
		}
	}
	return s, false
}

// Mobile validates a mainland mobile number and returns its 11 digits:
// spaces and hyphens removed, full-width digits folded, a +86 / 0086 country
// code dropped. The result must match ^1[3-9]\d{9}$.
//
// Problem codes: mobile_empty, mobile_format.
func Mobile(s string) (normalized string, p *Problem) {
	s = clean(s, "-")
	if s == "" {
		return "", problem("mobile_empty", "请填写手机号码")
	}
	s, _ = stripCountryCode(s)
	if len(s) == 13 && strings.HasPrefix(s, "861") {
		s = s[2:]
	}
	if !isMobile(s) {
		return "", problem("mobile_format", "手机号码格式不正确：应为以1开头、第二位为3-9的11位数字（如13800000000），请核对后重新输入")
	}
	return s, nil
}

func isMobile(s string) bool {
	return len(s) == 11 && allDigits(s) && s[0] == '1' && s[1] >= '3'
}

// validArea reports whether a is a mainland trunk area code: 010, 020–029
// (three digits) or 0 followed by three digits starting 3–9 (e.g. 0451
// 哈尔滨, 0464 七台河).
func validArea(a string) bool {
	if !allDigits(a) || a[0] != '0' {
		return false
	}
	switch len(a) {
	case 3:
		return a[1] == '1' && a[2] == '0' || a[1] == '2'
	case 4:
		return a[1] >= '3'
	}
	return false
}

// areaLen is the length of the area code a digit string starting with 0 would
// have: three digits for 010 and 02X, four for the rest.
func areaLen(d string) int {
	if len(d) >= 2 && (d[1] == '1' || d[1] == '2') {
		return 3
	}
	return 4
}

func validLocal(n string) bool {
	return (len(n) == 7 || len(n) == 8) && allDigits(n) && n[0] >= '2'
}

var extMarkers = []string{"转", "分机", "EXT.", "EXT", "X", "#"}

// Landline validates a mainland fixed-line number with its area code and
// returns it as "AREA-NUMBER" or "AREA-NUMBER-EXT" (e.g. "0451-86123456",
// "0464-8271234-801"). The area code is 0 plus 2–3 digits (010, 02X, or a
// four-digit code such as Heilongjiang's 0451–0469); the local number has
// 7–8 digits and does not start with 0 or 1; an extension of 1–6 digits may
// follow a hyphen, 转, 分机, ext or #. Spaces, parentheses around the area
// code and a +86 / 0086 country code are accepted.
//
// Problem codes: landline_empty, landline_format, landline_area,
// landline_number, landline_ext.
func Landline(s string) (normalized string, p *Problem) {
	s = strings.ToUpper(clean(s, ""))
	if s == "" {
		return "", problem("landline_empty", "请填写固定电话号码")
	}
	if rest, ok := stripCountryCode(s); ok {
		s = strings.TrimPrefix(rest, "-")
		if s != "" && s[0] != '0' && s[0] != '(' {
			s = "0" + s
		}
	}
	if strings.HasPrefix(s, "(") {
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return "", problem("landline_format", "固定电话号码括号不完整，请写作“0451-86123456”的形式")
		}
		s = s[1:end] + "-" + strings.TrimPrefix(s[end+1:], "-")
	}
	ext := ""
	for _, m := range extMarkers {
		if i := strings.Index(s, m); i >= 0 {
			s, ext = s[:i], s[i+len(m):]
			if ext == "" || !allDigits(ext) || len(ext) > 6 {
				return "", problem("landline_ext", "分机号应为1-6位数字，请核对后重新输入")
			}
			break
		}
	}
	var area, local string
	parts := strings.Split(s, "-")
	switch {
	case len(parts) == 1:
		d := parts[0]
		if !allDigits(d) {
			return "", landlineChars()
		}
		if d[0] != '0' {
			if validLocal(d) {
				return "", problem("landline_area", "固定电话号码缺少区号，请在号码前填写区号（如0451-86123456）")
			}
			return "", problem("landline_format", "固定电话号码格式不正确，请写作“区号-号码”的形式（如0451-86123456）")
		}
		n := areaLen(d)
		if len(d) <= n {
			return "", problem("landline_number", "固定电话号码缺少号码部分，请写作“区号-号码”的形式（如0451-86123456）")
		}
		area, local = d[:n], d[n:]
	case len(parts) == 2 || len(parts) == 3 && ext == "":
		area, local = parts[0], parts[1]
		if len(parts) == 3 {
			ext = parts[2]
			if !allDigits(ext) || len(ext) > 6 {
				return "", problem("landline_ext", "分机号应为1-6位数字，请核对后重新输入")
			}
		}
	default:
		return "", problem("landline_format", "固定电话号码格式不正确，请写作“区号-号码”的形式（如0451-86123456）")
	}
	if area == "" || !allDigits(area) || !allDigits(local) {
		return "", landlineChars()
	}
	if area[0] != '0' && validLocal(area) && local != "" {
		// "86123456-801": a local number with an extension, no area code.
		return "", problem("landline_area", "固定电话号码缺少区号，请在号码前填写区号（如0451-86123456）")
	}
	if !validArea(area) {
		return "", problem("landline_area", fmt.Sprintf("区号“%s”无效：区号以0开头，为3-4位（如010、0451），请核对后重新输入", area))
	}
	if !validLocal(local) {
		return "", problem("landline_number", "固定电话号码（区号后）应为7-8位数字且不以0或1开头，请核对后重新输入")
	}
	normalized = area + "-" + local
	if ext != "" {
		normalized += "-" + ext
	}
	return normalized, nil
}

func landlineChars() *Problem {
	return problem("landline_format", "固定电话号码只能包含数字、区号后的“-”和分机号，请写作“0451-86123456”的形式")
}

// Phone validates a 联系电话, which may be a mobile or a landline number,
// and returns Mobile's or Landline's normalized form.
//
// Problem code: phone_empty, phone_format.
func Phone(s string) (normalized string, p *Problem) {
	if clean(s, "-") == "" {
		return "", problem("phone_empty", "请填写联系电话")
	}
	if m, p := Mobile(s); p == nil {
		return m, nil
	}
	if l, p := Landline(s); p == nil {
		return l, nil
	}
	return "", problem("phone_format", "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如0451-86123456），请核对后重新输入")
}
