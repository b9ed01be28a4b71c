// Package checks holds the pure checksum and format validators of hrss:
// resident identity numbers (GB 11643-1999), unified social credit codes
// (GB 32100-2015), organisation codes (GB 11714), mobile and landline
// numbers, bank accounts (Luhn), administrative-division code format, and
// the display masks for personal identifiers.
//
// Every validator takes what a user typed and returns either the normalized
// form to store or a *Problem saying, in Chinese, what is wrong and how to
// fix it. Validators are pure: no I/O, no clock (the caller passes now), no
// global state. Membership checks against code tables (is this region code a
// real division?) belong to shared/codetable, not here.
//
// Invariants (checked by fuzz tests): validators never panic; when a
// validator accepts an input, its normalized output is accepted again and
// normalizes to itself; when it rejects one, the normalized output is "".
package checks

import (
	"strings"
	"unicode"
)

// Problem is a validation failure: a stable machine code (e.g.
// "id_checksum", "id_birth_date", "id_length") and a Chinese message that
// says what is wrong and how to fix it. Validators return a nil *Problem
// when the input is valid; convert with Err before storing it in an error
// variable, so that a valid input never becomes a non-nil error.
type Problem struct {
	Code    string // stable code; clients may switch on it
	Message string // Chinese message for the user
}

// Error implements error: "code: message".
func (p *Problem) Error() string { return p.Code + ": " + p.Message }

// Is reports whether target is a *Problem with the same code, so that
// errors.Is(err, &checks.Problem{Code: "id_checksum"}) matches by code.
func (p *Problem) Is(target error) bool {
	t, ok := target.(*Problem)
	return ok && p != nil && t != nil && t.Code == p.Code
}

// Err returns p as an error, or a nil error when p is nil.
func (p *Problem) Err() error {
	if p == nil {
		return nil
	}
	return p
}

func problem(code, msg string) *Problem { return &Problem{Code: code, Message: msg} }

// fold maps full-width ASCII variants (what Chinese input methods produce:
// "１３８", "－", "＋") to ASCII and the ideographic space to a space.
func fold(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// clean folds full-width characters and removes every white-space character
// and every rune in drop.
func clean(s, drop string) string {
	s = fold(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(drop, r) {
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// firstBad returns the 1-based position and the rune of the first rune of s
// that ok rejects, or 0 if there is none.
func firstBad(s string, ok func(r rune) bool) (int, rune) {
	pos := 0
	for _, r := range s {
		pos++
		if !ok(r) {
			return pos, r
		}
	}
	return 0, 0
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// runeLen counts runes, so that messages about length match what the user sees.
func runeLen(s string) int { return len([]rune(s)) }
