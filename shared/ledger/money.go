package ledger

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
)

// Fen is an amount of money in fen (分, 0.01 yuan). The ledger stores money
// only as Fen; calculations convert to decimals and back exactly.
type Fen int64

var hundred = decimal.NewFromInt(100)

// FenOf converts yuan to fen. An amount with more than two decimals, or one
// that does not fit in int64 fen, is an error: money is never rounded
// silently on the way into the ledger.
func FenOf(yuan decimal.Decimal) (Fen, error) {
	f := yuan.Mul(hundred)
	if !f.Equal(f.Truncate(0)) {
		return 0, fmt.Errorf("ledger: amount %s has more than two decimals", yuan)
	}
	if !f.BigInt().IsInt64() {
		return 0, fmt.Errorf("ledger: amount %s is too large", yuan)
	}
	return Fen(f.IntPart()), nil
}

// ParseFen parses yuan text ("2800.00", "2", "703.8", "-1.05") into fen:
// calc.ParseMoney (a plain number, at most two decimals), then FenOf.
func ParseFen(s string) (Fen, error) {
	d, err := calc.ParseMoney(s)
	if err != nil {
		return 0, err
	}
	return FenOf(d)
}

// MustFen is ParseFen for constants; it panics on bad input.
func MustFen(s string) Fen {
	f, err := ParseFen(s)
	if err != nil {
		panic(err)
	}
	return f
}

// Decimal returns the amount in yuan. Zero, the most frequent amount, is
// decimal.Zero and allocates nothing.
func (f Fen) Decimal() decimal.Decimal {
	if f == 0 {
		return decimal.Zero
	}
	return decimal.New(int64(f), -2)
}

// String formats the amount in yuan with two decimals (calc.FormatMoney):
// "224.00", "-1.05".
func (f Fen) String() string { return calc.FormatMoney(f.Decimal()) }

// ParseRate parses a rate given as a fraction ("0.08", "0.0669", "0") in
// 0..1. The empty string is an unknown rate (Valid false).
func ParseRate(s string) (decimal.NullDecimal, error) {
	if s == "" {
		return decimal.NullDecimal{}, nil
	}
	// calc.PlainNumber, not calc.ParseRate: the ledger keeps a recorded
	// rate with all its decimals, where calc refuses more than eight.
	if !calc.PlainNumber(s) {
		return decimal.NullDecimal{}, fmt.Errorf("ledger: rate %q is not a number", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.NullDecimal{}, fmt.Errorf("ledger: rate %q is not a number", s)
	}
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(1)) {
		return decimal.NullDecimal{}, fmt.Errorf("ledger: rate %q is outside 0..1", s)
	}
	return decimal.NullDecimal{Decimal: d, Valid: true}, nil
}

// Rate returns a known rate.
func Rate(s string) decimal.NullDecimal {
	r, err := ParseRate(s)
	if err != nil || !r.Valid {
		panic(fmt.Sprintf("ledger: bad rate constant %q", s))
	}
	return r
}
