package calc_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hljhrss/hrss/shared/calc"
)

// Generators.

func genMoney(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(0, 10_000_000).Draw(t, label), -2) // 0.00 .. 100000.00
}

func genRate(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(0, 3000).Draw(t, label), -4) // 0 .. 0.3000
}

func genPeriod(t *rapid.T, label string, fromYear, toYear int) calc.YearMonth {
	return calc.YearMonth{Year: rapid.IntRange(fromYear, toYear).Draw(t, label+".year"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, label+".month"))}
}

// genTable is a synthetic rate table for 1980..2040 with rates 0–12%.
func genTable(t *rapid.T) calc.RateMap {
	m := calc.RateMap{}
	for y := 1980; y <= 2040; y++ {
		m[y] = decimal.New(rapid.Int64Range(0, 1200).Draw(t, "r"), -4)
	}
	return m
}

// refInterest is an independent reference of calculations.md §2 in big.Rat.
func refInterest(p decimal.Decimal, period calc.YearMonth, last int, rates calc.RateMap) decimal.Decimal {
	if period.Year > last {
		return decimal.Zero
	}
	rat := func(d decimal.Decimal) *big.Rat { return d.Rat() }
	f := new(big.Rat).Mul(rat(rates[period.Year]), big.NewRat(int64(13-int(period.Month)), 12))
	f.Add(f, big.NewRat(1, 1))
	for y := period.Year + 1; y <= last; y++ {
		f.Mul(f, new(big.Rat).Add(big.NewRat(1, 1), rat(rates[y])))
	}
	x := new(big.Rat).Mul(rat(p), f)
	x.Sub(x, rat(p))
	// Half-up to cents for x >= 0: floor(x*100 + 1/2) / 100.
	x.Mul(x, big.NewRat(100, 1))
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom())
	return decimal.NewFromBigInt(q, -2)
}

func TestPropInterestMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rates := genTable(t)
		amount := genMoney(t, "amount")
		period := genPeriod(t, "period", 1980, 2040)
		last := rapid.IntRange(1980, 2040).Draw(t, "last")
		got, err := calc.Interest(amount, period, last, rates)
		if err != nil {
			t.Fatal(err)
		}
		if want := refInterest(amount, period, last, rates); !got.Equal(want) {
			t.Fatalf("Interest(%s, %s, E=%d) = %s, reference %s", amount, period, last, got, want)
		}
	})
}

func TestPropCurrentYearNoInterest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		period := genPeriod(t, "period", 1990, 2030)
		calcMonth := time.Month(rapid.IntRange(int(period.Month), 12).Draw(t, "calcMonth"))
		calcDate := calc.Date{Year: period.Year, Month: calcMonth, Day: rapid.IntRange(1, 28).Draw(t, "day")}
		row := calc.Row{Period: period, Base: genMoney(t, "base"), Rates: calc.PartRates{Unit: genRate(t, "unit"), Personal: genRate(t, "personal")}}
		// An empty table: current-year rows need no rate at all.
		res, err := calc.BackPayment(calcDate, []calc.Row{row}, calc.RateMap{})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range calc.PartKinds {
			if in := res.Rows[0].Part(k).Interest; !in.IsZero() {
				t.Fatalf("%s interest %s in the current year", k, in)
			}
		}
		if len(res.RatesUsed) != 0 {
			t.Fatalf("rates used: %v", res.RatesUsed)
		}
	})
}

func TestPropInterestMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rates := genTable(t)
		amount := genMoney(t, "amount")
		last := rapid.IntRange(1985, 2040).Draw(t, "last")
		later := genPeriod(t, "later", 1981, 2040)
		earlier := later.AddMonths(-rapid.IntRange(0, 300).Draw(t, "back"))
		if earlier.Year < 1980 {
			earlier = calc.YearMonth{Year: 1980, Month: 1}
		}
		a, err := calc.Interest(amount, earlier, last, rates)
		if err != nil {
			t.Fatal(err)
		}
		b, err := calc.Interest(amount, later, last, rates)
		if err != nil {
			t.Fatal(err)
		}
		if a.LessThan(b) {
			t.Fatalf("interest due %s (%s) < due %s (%s), E=%d", earlier, a, later, b, last)
		}
		// The same period calculated a year later never earns less.
		if later.Year <= last && last < 2040 {
			c, err := calc.Interest(amount, later, last+1, rates)
			if err != nil {
				t.Fatal(err)
			}
			if c.LessThan(b) {
				t.Fatalf("interest through %d (%s) < through %d (%s)", last+1, c, last, b)
			}
		}
	})
}

func TestPropTotalsAreSums(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rates := genTable(t)
		n := rapid.IntRange(1, 40).Draw(t, "n")
		start := genPeriod(t, "start", 1985, 2020)
		rows := make([]calc.Row, n)
		for i := range rows {
			rows[i] = calc.Row{
				Period: start.AddMonths(i),
				Base:   genMoney(t, "base"),
				Rates: calc.PartRates{
					Unit: genRate(t, "unit"), Personal: genRate(t, "personal"),
					UnitToAccount: genRate(t, "uta"), PersonalToAccount: genRate(t, "pta"),
				},
			}
		}
		res, err := calc.BackPayment(calc.Date{Year: 2035, Month: 6, Day: 1}, rows, rates)
		if err != nil {
			t.Fatal(err)
		}
		unit, personal := decimal.Zero, decimal.Zero
		for _, r := range res.Rows {
			unit = unit.Add(r.Unit.Amount).Add(r.Unit.Interest)
			personal = personal.Add(r.Personal.Amount).Add(r.Personal.Interest)
			for _, k := range calc.PartKinds {
				p := r.Part(k)
				if !p.Amount.Equal(p.Amount.Round(2)) || !p.Interest.Equal(p.Interest.Round(2)) {
					t.Fatalf("%s %s not in cents: %s %s", r.Period, k, p.Amount, p.Interest)
				}
			}
		}
		tt := res.Totals
		if !tt.Unit.Equal(unit) || !tt.Personal.Equal(personal) || !tt.Total.Equal(unit.Add(personal)) ||
			!tt.Unit.Equal(tt.UnitAmount.Add(tt.UnitInterest)) || !tt.Personal.Equal(tt.PersonalAmount.Add(tt.PersonalInterest)) {
			t.Fatalf("totals %+v, rows give unit %s personal %s", tt, unit, personal)
		}
		// Totals of any selection are the sums of the selected rows too.
		k := rapid.IntRange(0, n).Draw(t, "k")
		if got, want := calc.Sum(res.Rows[:k]).Total.Add(calc.Sum(res.Rows[k:]).Total), tt.Total; !got.Equal(want) {
			t.Fatalf("split totals %s != %s", got, want)
		}
	})
}

func TestPropZeroBaseOrRate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rates := genTable(t)
		base, rate := genMoney(t, "base"), genRate(t, "rate")
		if rapid.Bool().Draw(t, "zeroBase") {
			base = decimal.Zero
		} else {
			rate = decimal.Zero
		}
		row := calc.Row{Period: genPeriod(t, "period", 1985, 2030), Base: base, Rates: calc.PartRates{Unit: rate, Personal: rate, UnitToAccount: rate, PersonalToAccount: rate}}
		res, err := calc.BackPayment(calc.Date{Year: 2035, Month: 1, Day: 1}, []calc.Row{row}, rates)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range calc.PartKinds {
			if p := res.Rows[0].Part(k); !p.Amount.IsZero() || !p.Interest.IsZero() {
				t.Fatalf("%s = %+v with base %s rate %s", k, p, base, rate)
			}
		}
		if !res.Totals.Total.IsZero() {
			t.Fatalf("total %s", res.Totals.Total)
		}
	})
}

func TestPropYearMonthText(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t, "p", 1900, 9999)
		for _, s := range []string{p.String(), p.Dashed()} {
			q, err := calc.ParseYearMonth(s)
			if err != nil || q != p {
				t.Fatalf("ParseYearMonth(%q) = %v, %v", s, q, err)
			}
		}
		n := rapid.IntRange(-2000, 2000).Draw(t, "n")
		if got := calc.MonthsBetween(p, p.AddMonths(n)); got != n {
			t.Fatalf("MonthsBetween(%s, +%d) = %d", p, n, got)
		}
	})
}
