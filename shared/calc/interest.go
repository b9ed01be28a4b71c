package calc

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// RateTable gives the annual bookkeeping rate (记账利率) of a year as a
// fraction (0.0669 for 6.69%). A year without a published rate must return
// an error, preferably a *MissingRateError. refdata.Set implements it.
type RateTable interface {
	Rate(year int) (decimal.Decimal, error)
	// StandIn is the latest year with a published rate when its rate is
	// to be charged, provisionally, for the years after it that have none
	// (see Provisional); ok is false when those years are to fail like
	// any missing year.
	StandIn() (year int, ok bool)
}

// RateMap is a RateTable held in a map (tests, benchmarks).
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

// StandIn returns the largest year of the map: a RateMap charges the years
// after it provisionally.
func (m RateMap) StandIn() (int, bool) {
	latest, ok := 0, false
	for y := range m {
		if !ok || y > latest {
			latest, ok = y, true
		}
	}
	return latest, ok
}

// LastRateYear is E of ../shared/spec/calculations.md §2: the last year whose rate enters
// a calculation on calcDate, i.e. calcDate's year − 1.
func LastRateYear(calcDate Date) int { return calcDate.Year - 1 }

// Provisional says that interest was charged for years whose bookkeeping
// rate is not yet published, at the latest published rate: the agencies'
// practice of 暂按上年度记账利率计息 and settling once the rate is out
// (an inferred practice, docs/ledger.md; refdata records it as a flag).
type Provisional struct {
	Years    []int           // the unpublished years charged, ascending
	RateYear int             // the latest published year, whose rate stands in
	Rate     decimal.Decimal // its rate
}

// Note is the Chinese note shown with provisional figures:
// 2025年度记账利率尚未公布，暂按2024年度记账利率2.62%计息，公布后据实调整.
func (p Provisional) Note() string {
	years := make([]string, len(p.Years))
	for i, y := range p.Years {
		years[i] = fmt.Sprint(y)
	}
	return fmt.Sprintf("%s年度记账利率尚未公布，暂按%d年度记账利率%s%%计息，公布后据实调整",
		strings.Join(years, "、"), p.RateYear, percent(p.Rate))
}

// percent formats a rate as a percentage with at least two decimals:
// 0.0262 → "2.62", 0.033 → "3.30", 0.03125 → "3.125".
func percent(r decimal.Decimal) string { return FormatMin2(r.Shift(2)) }

// accrual computes back-payment interest (补缴利息) for one calculation:
// ../shared/spec/calculations.md §2. For an amount P due in month m of year Y, with E the
// last rate year,
//
//	Y > E: interest = 0 (current-year arrears carry no interest)
//	else:  interest = round_half_up(P·(1 + r[Y]·(13−m)/12)·Π_{y=Y+1..E}(1+r[y]) − P, 0.01)
//
// computed exactly in integers (P in fen times the exact factor, divided by
// 12·10^k last) and rounded half-up once. A year after the latest published
// one is charged at the latest published rate and the interest marked
// provisional; a missing year up to the latest published one is an error.
// An accrual caches the per-year factors, so one accrual serves all rows of
// a calculation; it is not safe for concurrent use.
type accrual struct {
	last   int
	rates  RateTable
	latest int  // the latest published year
	known  bool // latest is set
	used   map[int]decimal.Decimal
	stood  map[int]bool // unpublished years charged at latest's rate
	// growth[Y] = Π_{y=Y+1..E}(1+r[y]); excess[Y*12+m-1] = (12 + r[Y]·(13−m))·growth[Y] − 12.
	growth map[int]factor
	excess map[int]excess
}

// factor is a growth factor and whether an unpublished year entered it.
type factor struct {
	g           decimal.Decimal
	provisional bool
}

// excess is (12 + r[Y]·(13−m))·growth[Y] − 12 as the integer num·10^exp,
// with den = 12·10^−exp, so that interest in fen is round(P_fen·num/den);
// den2 is 2·den.
type excess struct {
	num, den, den2 *big.Int
	provisional    bool
}

func newAccrual(lastYear int, rates RateTable) *accrual {
	latest, known := rates.StandIn()
	return &accrual{
		last: lastYear, rates: rates, latest: latest, known: known,
		used: map[int]decimal.Decimal{}, stood: map[int]bool{},
		growth: map[int]factor{}, excess: map[int]excess{},
	}
}

// interest returns the interest on amount due in period and whether it is
// provisional. It is zero, and needs no rate, when period is after E or
// amount is zero. A missing rate is a *MissingRateError (possibly wrapped).
func (a *accrual) interest(amount decimal.Decimal, period YearMonth) (decimal.Decimal, bool, error) {
	if period.Year > a.last || amount.IsZero() {
		return zero, false, nil
	}
	h, err := a.excessOf(period)
	if err != nil {
		return decimal.Decimal{}, false, err
	}
	exp := amount.Exponent()
	if exp < -2 || exp > 16 || amount.IsNegative() {
		// Finer than fen, or negative: the general (slower) path, same rule.
		return amount.Mul(decimal.NewFromBigInt(h.num, 0)).DivRound(decimal.NewFromBigInt(h.den, 0), 2), h.provisional, nil
	}
	// round_half_up(P·num/den) with P in fen: ⌊(2·P·num + den) / (2·den)⌋.
	x := amount.Coefficient() // a copy: P in units of 10^exp
	if exp > -2 {
		x.Mul(x, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)+2), nil))
	}
	x.Mul(x, h.num)
	x.Lsh(x, 1).Add(x, h.den)
	x.Quo(x, h.den2)
	return decimal.NewFromBigInt(x, -2), h.provisional, nil
}

// ratesUsed returns the published rates looked up, by year.
func (a *accrual) ratesUsed() map[int]decimal.Decimal {
	out := make(map[int]decimal.Decimal, len(a.used))
	for y, r := range a.used {
		if !a.stood[y] {
			out[y] = r
		}
	}
	return out
}

// provisional describes the unpublished years charged, or nil.
func (a *accrual) provisional() *Provisional {
	if len(a.stood) == 0 {
		return nil
	}
	p := &Provisional{RateYear: a.latest}
	for y := range a.stood {
		p.Years = append(p.Years, y)
		p.Rate = a.used[y]
	}
	slices.Sort(p.Years)
	return p
}

// rate returns the rate charged for year and whether it stands in for an
// unpublished one.
func (a *accrual) rate(year int) (decimal.Decimal, bool, error) {
	if r, ok := a.used[year]; ok {
		return r, a.stood[year], nil
	}
	r, err := a.rates.Rate(year)
	stood := false
	var mr *MissingRateError
	if errors.As(err, &mr) && a.known && year > a.latest {
		r, err = a.rates.Rate(a.latest)
		stood = true
	}
	if err != nil {
		if !errors.As(err, &mr) {
			err = fmt.Errorf("rate for %d: %w", year, err)
		}
		return decimal.Decimal{}, false, err
	}
	if r.IsNegative() || r.GreaterThan(one) {
		return decimal.Decimal{}, false, fmt.Errorf("calc: bookkeeping rate %s for %d out of range", r, year)
	}
	a.used[year] = r
	if stood {
		a.stood[year] = true
	}
	return r, stood, nil
}

// growthOf returns Π_{y=Y+1..E}(1+r[y]).
func (a *accrual) growthOf(year int) (factor, error) {
	if g, ok := a.growth[year]; ok {
		return g, nil
	}
	if year >= a.last {
		a.growth[year] = factor{g: one}
		return a.growth[year], nil
	}
	next, err := a.growthOf(year + 1)
	if err != nil {
		return factor{}, err
	}
	r, stood, err := a.rate(year + 1)
	if err != nil {
		return factor{}, err
	}
	g := factor{g: next.g.Mul(one.Add(r)), provisional: next.provisional || stood}
	a.growth[year] = g
	return g, nil
}

// excessOf returns (12 + r[Y]·(13−m))·growth[Y] − 12 as num/den with
// den = 12·10^k, so that interest = P·num/den exactly.
func (a *accrual) excessOf(p YearMonth) (excess, error) {
	k := p.index()
	if h, ok := a.excess[k]; ok {
		return h, nil
	}
	r, stood, err := a.rate(p.Year)
	if err != nil {
		return excess{}, err
	}
	g, err := a.growthOf(p.Year)
	if err != nil {
		return excess{}, err
	}
	h := twelve.Add(r.Mul(decimal.NewFromInt(int64(13 - int(p.Month))))).Mul(g.g).Sub(twelve)
	e := excess{num: h.Coefficient(), den: big.NewInt(12), provisional: stood || g.provisional}
	if exp := h.Exponent(); exp >= 0 {
		e.num.Mul(e.num, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
	} else {
		e.den.Mul(e.den, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil))
	}
	e.den2 = new(big.Int).Lsh(e.den, 1)
	a.excess[k] = e
	return e, nil
}
