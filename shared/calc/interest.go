package calc

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// RateTable gives the annual bookkeeping rate (记账利率) of a year as a
// fraction (0.0669 for 6.69%). A year without a published rate must return
// an error, preferably a *MissingRateError. refdata.Set implements it.
type RateTable interface {
	Rate(year int) (decimal.Decimal, error)
}

// RateMap is a RateTable held in a map (tests, benchmarks, imports).
type RateMap map[int]decimal.Decimal

var _ RateTable = RateMap(nil)

// Rate returns the rate of year or a *MissingRateError.
func (m RateMap) Rate(year int) (decimal.Decimal, error) {
	r, ok := m[year]
	if !ok {
		return decimal.Decimal{}, &MissingRateError{Year: year}
	}
	return r, nil
}

// LastRateYear is E of calculations.md §2: the last year whose rate is
// published when calculating on calcDate, i.e. calcDate's year − 1.
func LastRateYear(calcDate Date) int { return calcDate.Year - 1 }

// Accrual computes back-payment interest (补缴利息) for one calculation:
// calculations.md §2. For an amount P due in month m of year Y, with E the
// last rate year,
//
//	Y > E: interest = 0 (current-year arrears carry no interest)
//	else:  interest = round_half_up(P·(1 + r[Y]·(13−m)/12)·Π_{y=Y+1..E}(1+r[y]) − P, 0.01)
//
// computed exactly in integers (P in fen times the exact factor, divided by
// 12·10^k last) and rounded half-up once. An Accrual caches the per-year factors, so one Accrual
// should serve all rows of a calculation; it is not safe for concurrent use.
type Accrual struct {
	last  int
	rates RateTable
	used  map[int]decimal.Decimal
	// growth[Y] = Π_{y=Y+1..E}(1+r[y]); excess[Y*12+m-1] = (12 + r[Y]·(13−m))·growth[Y] − 12.
	growth map[int]decimal.Decimal
	excess map[int]excess
}

// excess is (12 + r[Y]·(13−m))·growth[Y] − 12 as the integer num·10^exp,
// with den = 12·10^−exp, so that interest in fen is round(P_fen·num/den).
type excess struct {
	num *big.Int
	den *big.Int
}

// NewAccrual returns an Accrual that charges interest through 31 December of
// lastYear (E) with rates from rates.
func NewAccrual(lastYear int, rates RateTable) *Accrual {
	return &Accrual{
		last:   lastYear,
		rates:  rates,
		used:   map[int]decimal.Decimal{},
		growth: map[int]decimal.Decimal{},
		excess: map[int]excess{},
	}
}

// LastYear returns E.
func (a *Accrual) LastYear() int { return a.last }

// Interest returns the interest on amount due in period. It is zero, and
// needs no rate, when period is after E or amount is zero. Otherwise a
// missing rate is a *MissingRateError (possibly wrapped).
func (a *Accrual) Interest(amount decimal.Decimal, period YearMonth) (decimal.Decimal, error) {
	if period.Year > a.last || amount.IsZero() {
		// No interest, and no rate needed: a zero amount never fails for a
		// missing rate.
		return zero, nil
	}
	h, err := a.excessOf(period)
	if err != nil {
		return decimal.Decimal{}, err
	}
	fen := amount.Shift(2)
	if !fen.IsInteger() || amount.IsNegative() {
		// Not whole fen, or negative: the general (slower) path, same rule.
		return amount.Mul(decimal.NewFromBigInt(h.num, 0)).DivRound(decimal.NewFromBigInt(h.den, 0), 2), nil
	}
	// round_half_up(P·num/den) in fen: q = ⌊(2·P·num + den) / (2·den)⌋.
	x := new(big.Int).Mul(fen.BigInt(), h.num)
	x.Lsh(x, 1).Add(x, h.den)
	x.Quo(x, new(big.Int).Lsh(h.den, 1))
	return decimal.NewFromBigInt(x, -2), nil
}

// RatesUsed returns a copy of the rates looked up so far, by year.
func (a *Accrual) RatesUsed() map[int]decimal.Decimal {
	out := make(map[int]decimal.Decimal, len(a.used))
	for y, r := range a.used {
		out[y] = r
	}
	return out
}

func (a *Accrual) rate(year int) (decimal.Decimal, error) {
	if r, ok := a.used[year]; ok {
		return r, nil
	}
	r, err := a.rates.Rate(year)
	if err != nil {
		var mr *MissingRateError
		if !errors.As(err, &mr) {
			err = fmt.Errorf("rate for %d: %w", year, err)
		}
		return decimal.Decimal{}, err
	}
	if r.IsNegative() || r.GreaterThan(one) {
		return decimal.Decimal{}, fmt.Errorf("calc: bookkeeping rate %s for %d out of range", r, year)
	}
	a.used[year] = r
	return r, nil
}

// growthOf returns Π_{y=Y+1..E}(1+r[y]).
func (a *Accrual) growthOf(year int) (decimal.Decimal, error) {
	if g, ok := a.growth[year]; ok {
		return g, nil
	}
	if year >= a.last {
		a.growth[year] = one
		return one, nil
	}
	next, err := a.growthOf(year + 1)
	if err != nil {
		return decimal.Decimal{}, err
	}
	r, err := a.rate(year + 1)
	if err != nil {
		return decimal.Decimal{}, err
	}
	g := next.Mul(one.Add(r))
	a.growth[year] = g
	return g, nil
}

// excessOf returns (12 + r[Y]·(13−m))·growth[Y] − 12 as num/den with
// den = 12·10^k, so that interest = P·num/den exactly.
func (a *Accrual) excessOf(p YearMonth) (excess, error) {
	k := p.index()
	if h, ok := a.excess[k]; ok {
		return h, nil
	}
	r, err := a.rate(p.Year)
	if err != nil {
		return excess{}, err
	}
	g, err := a.growthOf(p.Year)
	if err != nil {
		return excess{}, err
	}
	h := twelve.Add(r.Mul(decimal.NewFromInt(int64(13 - int(p.Month))))).Mul(g).Sub(twelve)
	e := excess{num: h.Coefficient(), den: big.NewInt(12)}
	if exp := h.Exponent(); exp >= 0 {
		e.num.Mul(e.num, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
	} else {
		e.den.Mul(e.den, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil))
	}
	a.excess[k] = e
	return e, nil
}

// Interest is the one-off form of Accrual.Interest: the interest on amount
// due in period, charged through 31 December of lastYear.
func Interest(amount decimal.Decimal, period YearMonth, lastYear int, rates RateTable) (decimal.Decimal, error) {
	return NewAccrual(lastYear, rates).Interest(amount, period)
}
