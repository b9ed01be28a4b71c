package calc

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// GradeBase is the monthly contribution base of a flexible-employment grade
// (缴费档次): round_half_up(社平 × grade, 0.01). 5865.00 × 0.60 = 3519.00.
func GradeBase(averageWage, grade decimal.Decimal) decimal.Decimal {
	return RoundHalfUp2(averageWage.Mul(grade))
}

// GradeLabel is the grade as the portal shows it:
// "按照社平工资60.0%缴费，月缴费基数3519.00元".
func GradeLabel(grade, base decimal.Decimal) string {
	return fmt.Sprintf("按照社平工资%s%%缴费，月缴费基数%s元", grade.Mul(hundred).StringFixed(1), FormatMoney(base))
}

var gradeLabelRE = regexp.MustCompile(`^按照社平工资(\d+(?:\.\d+)?)%缴费，月缴费基数(\d+(?:\.\d{1,2})?)元$`)

// ParseGrade reads a grade in any of the manual's forms: the label of 4.25
// ("按照社平工资60.0%缴费，月缴费基数3519.00元", which also gives the base),
// the ratio of 4.26 ("0.60") or a percentage ("60%"). base is zero when the
// text carries none.
func ParseGrade(s string) (grade, base decimal.Decimal, err error) {
	s = strings.TrimSpace(s)
	if m := gradeLabelRE.FindStringSubmatch(s); m != nil {
		pct, _ := decimal.NewFromString(m[1])
		b, _ := decimal.NewFromString(m[2])
		return pct.Div(hundred), b, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		if pct, err := ParseRate(p); err == nil && pct.IsPositive() {
			return pct.Div(hundred), zero, nil
		}
	} else if g, err := ParseRate(s); err == nil && g.IsPositive() {
		return g, zero, nil
	}
	return zero, zero, fmt.Errorf("calc: grade %q: want 0.60, 60%% or 按照社平工资60.0%%缴费，月缴费基数3519.00元", s)
}

// FlexibleDue assesses the dues of a flexible-employment person
// (灵活就业人员应缴核定, 4.25) for periods on one base: personal amount =
// round_half_up(base × rates[Personal]) and the share credited to the
// personal account at rates[PersonalToAccount] (policy: 20% and 8%, so
// 3519.00 → 703.80 and 281.52; the 703.80 credited in 4.25's screenshot is
// the manual's inconsistency, ../shared/spec/calculations.md §7). No interest. No periods
// is an empty result (every month of the year already assessed).
//
// The revocation (应缴核定撤销, 4.26) works on the assessed rows as stored:
// InRange for the 开始年月/结束年月 query, Select for the ticked periods and
// Sum for 合计金额 (TotalPersonal; 4 × 703.80 = 2815.20).
func FlexibleDue(periods []YearMonth, base decimal.Decimal, rates PartRates) (Result, error) {
	out := Result{Rows: []LedgerRow{}, RatesUsed: map[int]decimal.Decimal{}}
	if len(periods) == 0 {
		out.Totals = Sum(nil, nil)
		return out, nil
	}
	rows := make([]Row, len(periods))
	for i, p := range periods {
		rows[i] = Row{Period: p, Base: base, Rates: PartRates{Personal: rates[Personal], PersonalToAccount: rates[PersonalToAccount]}}
	}
	var ps Problems
	validateRows(&ps, rows)
	if err := ps.Err(); err != nil {
		return Result{}, err
	}
	out.Rows = amounts(rows)
	out.Totals = Sum(out.Rows, nil)
	return out, nil
}

// BaseLimits are the floor and ceiling of the contribution base of a year
// (60% and 300% of 社平 by default; reference data).
type BaseLimits struct {
	Floor   decimal.Decimal
	Ceiling decimal.Decimal
}

// Clamp returns the contribution base for a wage: the wage, raised to the
// floor or lowered to the ceiling.
func (l BaseLimits) Clamp(wage decimal.Decimal) decimal.Decimal {
	switch {
	case wage.LessThan(l.Floor):
		return l.Floor
	case wage.GreaterThan(l.Ceiling):
		return l.Ceiling
	}
	return wage
}

// Contains reports whether base lies within the limits.
func (l BaseLimits) Contains(base decimal.Decimal) bool {
	return !base.LessThan(l.Floor) && !base.GreaterThan(l.Ceiling)
}
