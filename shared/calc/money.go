package calc

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

var (
	zero    = decimal.Zero
	one     = decimal.NewFromInt(1)
	twelve  = decimal.NewFromInt(12)
	hundred = decimal.NewFromInt(100)
)

// RoundHalfUp2 rounds d to cents, half away from zero (四舍五入):
// 2.005 → 2.01, 7.4199 → 7.42, 2.0001 → 2.00, −2.005 → −2.01.
func RoundHalfUp2(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// FormatMoney formats d as yuan with exactly two decimals after rounding
// half-up to cents: "243.80", "0.00". Amounts already in whole fen (every
// figure of a record table) are formatted from their integer without
// decimal arithmetic.
func FormatMoney(d decimal.Decimal) string {
	fen, ok := wholeFen(d)
	if !ok {
		return d.StringFixed(2)
	}
	var b [24]byte
	buf := b[:0]
	if fen < 0 {
		buf, fen = append(buf, '-'), -fen
	}
	buf = strconv.AppendInt(buf, fen/100, 10)
	buf = append(buf, '.', byte('0'+fen/10%10), byte('0'+fen%10))
	return string(buf)
}

// FormatRate formats a rate without trailing zeros: "0.08", "0.0669", "0".
func FormatRate(d decimal.Decimal) string { return d.String() }

// FormatMin2 formats d exactly, with at least two decimals: "2.62",
// "3.30", "3.125", "0.60", "0.655". Rounding it (StringFixed) would show
// another rate or grade.
func FormatMin2(d decimal.Decimal) string {
	if d.Equal(d.Round(2)) {
		return d.StringFixed(2)
	}
	return d.String()
}

// ParseMoney parses an amount of yuan ("2800.00", "3519") with at most two
// decimals. It does not check the sign; validation belongs to the caller.
func ParseMoney(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil || !PlainNumber(s) {
		return decimal.Decimal{}, fmt.Errorf("calc: amount %q is not a number", s)
	}
	if d.Exponent() < -2 && !d.Equal(d.Round(2)) {
		return decimal.Decimal{}, fmt.Errorf("calc: amount %q has more than two decimals", s)
	}
	return d, nil
}

// ParseRate parses a rate given as a fraction ("0.08", "0.0669", "0") with at
// most eight decimals. It does not check the range; see Row validation.
func ParseRate(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil || !PlainNumber(s) {
		return decimal.Decimal{}, fmt.Errorf("calc: rate %q is not a number", s)
	}
	if d.Exponent() < -8 && !d.Equal(d.Round(8)) {
		return decimal.Decimal{}, fmt.Errorf("calc: rate %q has more than eight decimals", s)
	}
	return d, nil
}

// PlainNumber reports whether s is a plain decimal number as the money and
// rate parsers accept it: an optional sign, digits and at most one point;
// no exponents, spaces or thousands separators ("1e3", " 1", "1,000").
func PlainNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	digits, points := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// MonthlyAmount is the amount due for one month and one part:
// round_half_up(base × rate, 0.01) (../shared/spec/calculations.md §1). A zero rate or
// base (a part not charged) is zero without arithmetic.
func MonthlyAmount(base, rate decimal.Decimal) decimal.Decimal {
	if rate.IsZero() || base.IsZero() {
		return zero
	}
	return RoundHalfUp2(base.Mul(rate))
}

// wholeFen returns d in fen when it is a whole number of fen with at most
// 15 digits (exponent −2..0), without arithmetic on big integers.
func wholeFen(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent()
	if exp < -2 || exp > 0 || d.NumDigits() > 15 {
		return 0, false
	}
	fen := d.CoefficientInt64()
	for ; exp > -2; exp-- {
		fen *= 10
	}
	return fen, true
}

// fenSum adds amounts, in int64 fen while they are whole fen and the sum
// stays far from overflow, else in decimals.
type fenSum struct {
	fen   int64
	d     decimal.Decimal
	exact bool // d holds the sum
}

func (s *fenSum) add(x decimal.Decimal) {
	if !s.exact {
		if f, ok := wholeFen(x); ok && s.fen < 1<<60 && s.fen > -(1<<60) {
			s.fen += f
			return
		}
		s.d, s.exact = decimal.New(s.fen, -2), true
	}
	s.d = s.d.Add(x)
}

func (s fenSum) value() decimal.Decimal {
	if s.exact {
		return s.d
	}
	return decimal.New(s.fen, -2)
}
