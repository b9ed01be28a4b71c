package checks_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// The generators below compute valid identifiers straight from the
// standards' formulas, independently of the package's own helpers, so that
// the tests do not check the code against itself.

// genID returns a valid 18-character resident identity number.
func genID(tb testing.TB, region string, birth time.Time, seq int) string {
	tb.Helper()
	body := fmt.Sprintf("%s%s%03d", region, birth.Format("20060102"), seq)
	if len(body) != 17 {
		tb.Fatalf("genID: body %q is not 17 digits", body)
	}
	// W_i = 2^(17-i) mod 11 (GB 11643-1999 §7.2), i = 1..17 counted from the left.
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += int(body[i]-'0') * w
	}
	// Check digit a_1 satisfies Σ + a_1 ≡ 1 (mod 11); 10 is written X.
	for a := 0; a <= 10; a++ {
		if (sum+a)%11 == 1 {
			if a == 10 {
				return body + "X"
			}
			return body + string(rune('0'+a))
		}
	}
	panic("unreachable")
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// genCredit completes a 17-character body into a valid unified social
// credit code.
func genCredit(tb testing.TB, body string) string {
	tb.Helper()
	if len(body) != 17 {
		tb.Fatalf("genCredit: body %q is not 17 characters", body)
	}
	// W_i = 3^(i-1) mod 31 (GB 32100-2015 annex B).
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, body[i])
		if v < 0 {
			tb.Fatalf("genCredit: %q not in the alphabet", body[i])
		}
		sum += v * w
		w = w * 3 % 31
	}
	for c := 0; c < 31; c++ {
		if (sum+c)%31 == 0 {
			return body + string(creditAlphabet[c])
		}
	}
	panic("unreachable")
}

// genOrg completes an 8-character body into a valid "XXXXXXXX-C"
// organisation code.
func genOrg(tb testing.TB, body string) string {
	tb.Helper()
	weights := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", body[i])) * weights[i]
	}
	// The check value C makes Σ + C ≡ 0 (mod 11); 10 is X.
	for c := 0; c <= 10; c++ {
		if (sum+c)%11 == 0 {
			if c == 10 {
				return body + "-X"
			}
			return body + "-" + string(rune('0'+c))
		}
	}
	panic("unreachable")
}

// rng is deterministic so failures reproduce.
func rng() *rand.Rand { return rand.New(rand.NewPCG(20220505, 42)) }

func randString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// Heilongjiang division codes used as ID prefixes.
var hljRegions = []string{"230102", "230113", "230182", "230902", "230903", "231002", "232701", "230827"}

func randBirth(r *rand.Rand) time.Time {
	start := time.Date(1930, 1, 1, 0, 0, 0, 0, shanghai)
	return start.AddDate(0, 0, r.IntN(365*90))
}
