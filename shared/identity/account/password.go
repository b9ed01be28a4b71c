package account

import (
	"bufio"
	"bytes"
	_ "embed"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"github.com/hljhrss/hrss/shared/apperr"
)

// PasswordParams are the argon2id parameters of new password hashes: 19 MiB
// of memory, two passes, one lane — the OWASP Password Storage Cheat
// Sheet's first argon2id configuration. docs/identity.md gives the time per
// hash measured here and what it means on a Lambda. Stored hashes carry
// their own parameters (PHC string), so raising these later keeps old
// hashes valid; a login rehashes them.
var PasswordParams = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// hashSlots bounds the argon2id computations that run at once to twice
// the processors: each holds PasswordParams.Memory, so a burst of logins
// on the local runner (one process for everyone) waits for a slot instead
// of holding 19 MiB per request — the load benchmark's login burst peaked
// at 578 MiB without it. A Lambda serves one request at a time and never
// waits here.
var hashSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

func withHashSlot[T any](f func() T) T {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return f()
}

// HashPassword returns the argon2id hash of pw (a PHC string).
func HashPassword(pw string) (string, error) {
	type result struct {
		h   string
		err error
	}
	r := withHashSlot(func() result {
		h, err := argon2id.CreateHash(pw, &PasswordParams)
		return result{h, err}
	})
	return r.h, r.err
}

// checkPassword reports whether pw matches hash, and whether the hash
// should be redone with the current parameters. A malformed hash matches
// nothing.
func checkPassword(pw, hash string) (ok, stale bool) {
	type result struct {
		match  bool
		params *argon2id.Params
		err    error
	}
	r := withHashSlot(func() result {
		match, params, err := argon2id.CheckHash(pw, hash)
		return result{match, params, err}
	})
	match, params, err := r.match, r.params, r.err
	if err != nil || !match {
		return false, false
	}
	return true, *params != PasswordParams
}

// dummyHash is checked when a username is unknown, so that an unknown
// username takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("unknown-user-dummy-password")
	if err != nil {
		panic(err)
	}
	return h
})

//go:embed common-passwords.txt
var commonPasswordsFile []byte

var commonPasswords = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out[strings.ToLower(line)] = true
		}
	}
	return out
})

// Password length bounds.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 64
)

// CheckPassword applies the password rule (common practice under 等保 2.0):
// 8 to 64 characters; at least three of upper case, lower case, digits
// and symbols; not in the shipped list of common passwords; not containing
// the user's ID number or mobile (personal). The error is a field error on
// field, in Chinese.
func CheckPassword(field, pw string, personal ...string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return apperr.Field(field, "密码至少8位")
	case n > MaxPasswordLen:
		return apperr.Field(field, "密码不能超过64位")
	}
	var upper, lower, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsControl(r):
			return apperr.Field(field, "密码不能包含控制字符")
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			symbol = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, symbol} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return apperr.Field(field, "密码须包含大写字母、小写字母、数字、符号中的至少三类")
	}
	if commonPasswords()[strings.ToLower(pw)] {
		return apperr.Field(field, "该密码过于常见，容易被猜中，请换一个")
	}
	up := strings.ToUpper(pw)
	for _, p := range personal {
		if p = strings.ToUpper(strings.TrimSpace(p)); len(p) >= 6 && strings.Contains(up, p) {
			return apperr.Field(field, "密码不能包含您的证件号码或手机号码")
		}
	}
	return nil
}
