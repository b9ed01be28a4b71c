package checks

import "strings"

// MaskID masks an identity number for display: the first 6 and last 4
// characters stay, every character between becomes '*', so an 18-character
// number shows as 230827********1218 and a 15-digit one as
// 230827*****1218. Shorter strings keep less: 7–10 characters keep the first
// and last 2, anything shorter is all stars. Lengths count runes.
func MaskID(s string) string {
	r := []rune(s)
	switch n := len(r); {
	case n >= 11:
		return keep(r, 6, 4)
	case n >= 7:
		return keep(r, 2, 2)
	default:
		return strings.Repeat("*", n)
	}
}

// MaskAccount masks a bank account for display: only the last 4 characters
// stay (************1234). Spaces are removed first; an account of 4
// characters or fewer is all stars.
func MaskAccount(s string) string {
	r := []rune(clean(s, ""))
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return keep(r, 0, 4)
}

// MaskPhone masks a phone number for display. A mobile number shows its
// first 3 and last 4 digits (138****1234); a landline keeps its area code
// and the last 4 digits of the local number (0451-****3456, extension
// dropped). Anything else keeps its first 3 and last 4 characters when it
// has at least 8, else it is all stars.
func MaskPhone(s string) string {
	if m, p := Mobile(s); p == nil {
		return m[:3] + "****" + m[7:]
	}
	if l, p := Landline(s); p == nil {
		parts := strings.SplitN(l, "-", 3)
		return parts[0] + "-" + strings.Repeat("*", len(parts[1])-4) + parts[1][len(parts[1])-4:]
	}
	r := []rune(clean(s, ""))
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return keep(r, 3, 4)
}

// keep returns r with all but the first head and last tail runes starred.
func keep(r []rune, head, tail int) string {
	var b strings.Builder
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", len(r)-head-tail))
	b.WriteString(string(r[len(r)-tail:]))
	return b.String()
}
