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

// refInterest is an independent reference of ../shared/spec/calculations.md §2 in big.Rat.
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

// interest is the interest on amount due in period, charged through the
// end of last (calculated on 1 January of the year after), and whether it
// is provisional.
func interest(t *rapid.T, amount decimal.Decimal, period calc.YearMonth, last int, rates calc.RateTable) (decimal.Decimal, bool) {
	var row calc.LedgerRow
	row.Period = period
	row.Parts[calc.Unit].Amount = amount
	res, err := calc.Accrue(calc.Date{Year: last + 1, Month: 1, Day: 1}, []calc.LedgerRow{row}, rates)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Rows[0].Parts[calc.Unit]
	return p.Interest, p.Provisional
}

func TestPropInterestMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rates := genTable(t)
		amount := genMoney(t, "amount")
		period := genPeriod(t, "period", 1980, 2040)
		last := rapid.IntRange(1980, 2040).Draw(t, "last")
		got, prov := interest(t, amount, period, last, rates)
		if want := refInterest(amount, period, last, rates); !got.Equal(want) || prov {
			t.Fatalf("interest(%s, %s, E=%d) = %s (provisional %t), reference %s", amount, period, last, got, prov, want)
		}
	})
}

// TestPropProvisional: with the table ending at L, interest through E > L
// is the reference interest with every year after L at L's rate, flagged
// exactly when it needed such a year.
func TestPropProvisional(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		full := genTable(t)
		latest := rapid.IntRange(1990, 2035).Draw(t, "latest")
		rates, filled := calc.RateMap{}, calc.RateMap{}
		for y, r := range full {
			if y <= latest {
				rates[y] = r
			}
			filled[y] = full[min(y, latest)]
		}
		amount := genMoney(t, "amount")
		period := genPeriod(t, "period", 1980, latest+3)
		last := rapid.IntRange(1980, latest+3).Draw(t, "last")
		got, prov := interest(t, amount, period, last, rates)
		if want := refInterest(amount, period, last, filled); !got.Equal(want) {
			t.Fatalf("interest(%s, %s, E=%d, L=%d) = %s, reference %s", amount, period, last, latest, got, want)
		}
		if want := !amount.IsZero() && period.Year <= last && last > latest; prov != want {
			t.Fatalf("provisional = %t, want %t (period %s, E=%d, L=%d)", prov, want, period, last, latest)
		}
	})
}

func TestPropCurrentYearNoInterest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		period := genPeriod(t, "period", 1990, 2030)
		calcMonth := time.Month(rapid.IntRange(int(period.Month), 12).Draw(t, "calcMonth"))
		calcDate := calc.Date{Year: period.Year, Month: calcMonth, Day: rapid.IntRange(1, 28).Draw(t, "day")}
		row := calc.Row{Period: period, Base: genMoney(t, "base"), Rates: calc.PartRates{calc.Unit: genRate(t, "unit"), calc.Personal: genRate(t, "personal")}}
		// An empty table: current-year rows need no rate at all.
		res, err := calc.BackPayment(calcDate, []calc.Row{row}, calc.RateMap{})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range calc.PartKinds {
			if in := res.Rows[0].Parts[k].Interest; !in.IsZero() {
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
		a, _ := interest(t, amount, earlier, last, rates)
		b, _ := interest(t, amount, later, last, rates)
		if a.LessThan(b) {
			t.Fatalf("interest due %s (%s) < due %s (%s), E=%d", earlier, a, later, b, last)
		}
		// The same period calculated a year later never earns less.
		if later.Year <= last && last < 2040 {
			c, _ := interest(t, amount, later, last+1, rates)
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
					calc.Unit: genRate(t, "unit"), calc.Personal: genRate(t, "personal"),
					calc.UnitToAccount: genRate(t, "uta"), calc.PersonalToAccount: genRate(t, "pta"),
				},
			}
		}
		res, err := calc.BackPayment(calc.Date{Year: 2035, Month: 6, Day: 1}, rows, rates)
		if err != nil {
			t.Fatal(err)
		}
		unit, personal := decimal.Zero, decimal.Zero
		for _, r := range res.Rows {
			unit = unit.Add(r.Parts[calc.Unit].Amount).Add(r.Parts[calc.Unit].Interest)
			personal = personal.Add(r.Parts[calc.Personal].Amount).Add(r.Parts[calc.Personal].Interest)
			for _, p := range r.Parts {
				if !p.Amount.Equal(p.Amount.Round(2)) || !p.Interest.Equal(p.Interest.Round(2)) {
					t.Fatalf("%s not in cents: %s %s", r.Period, p.Amount, p.Interest)
				}
			}
		}
		tt := res.Totals
		if !tt.Of(calc.TotalUnit).Value().Equal(unit) || !tt.Of(calc.TotalPersonal).Value().Equal(personal) || !tt.Of(calc.TotalAll).Value().Equal(unit.Add(personal)) {
			t.Fatalf("totals %+v, rows give unit %s personal %s", tt, unit, personal)
		}
		// Totals of any selection are the sums of the ticked rows too.
		k := rapid.IntRange(0, n).Draw(t, "k")
		first := make([]bool, n)
		for i := range first[:k] {
			first[i] = true
		}
		rest := make([]bool, n)
		for i := k; i < n; i++ {
			rest[i] = true
		}
		if got, want := calc.Sum(res.Rows, first).Of(calc.TotalAll).Value().Add(calc.Sum(res.Rows, rest).Of(calc.TotalAll).Value()), tt.Of(calc.TotalAll).Value(); !got.Equal(want) {
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
		row := calc.Row{Period: genPeriod(t, "period", 1985, 2030), Base: base, Rates: calc.PartRates{rate, rate, rate, rate}}
		res, err := calc.BackPayment(calc.Date{Year: 2035, Month: 1, Day: 1}, []calc.Row{row}, rates)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range calc.PartKinds {
			if p := res.Rows[0].Parts[k]; !p.Amount.IsZero() || !p.Interest.IsZero() {
				t.Fatalf("%s = %+v with base %s rate %s", k, p, base, rate)
			}
		}
		if v := res.Totals.Of(calc.TotalAll).Value(); !v.IsZero() {
			t.Fatalf("total %s", v)
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

// TestPropFormatMoney: the whole-fen fast path formats as StringFixed(2).
func TestPropFormatMoney(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := decimal.New(rapid.Int64Range(-1e17, 1e17).Draw(t, "coefficient"), int32(rapid.IntRange(-5, 3).Draw(t, "exp")))
		if got, want := calc.FormatMoney(d), d.StringFixed(2); got != want {
			t.Fatalf("FormatMoney(%s) = %q, want %q", d, got, want)
		}
	})
}

// TestPropSumExact: totals are the exact decimal sums whatever the
// amounts' scales (whole fen, finer, huge).
func TestPropSumExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 30).Draw(t, "n")
		rows := make([]calc.LedgerRow, n)
		want := decimal.Zero
		for i := range rows {
			d := decimal.New(rapid.Int64Range(-1e18, 1e18).Draw(t, "c"), int32(rapid.IntRange(-4, 2).Draw(t, "exp")))
			rows[i].Parts[calc.Unit].Amount = d
			want = want.Add(d)
		}
		if got := calc.Sum(rows, nil).Of(calc.TotalUnit).Value(); !got.Equal(want) {
			t.Fatalf("sum %s, want %s", got, want)
		}
	})
}
