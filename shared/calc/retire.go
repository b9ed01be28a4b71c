package calc

import (
	"fmt"
	"sort"
)

// Gender as the portal records it.
type Gender string

// Genders.
const (
	Male   Gender = "男"
	Female Gender = "女"
)

// Identity is the personal identity (个人身份) that decides a woman's
// original retirement age.
type Identity string

// Identities.
const (
	Worker Identity = "工人"
	Cadre  Identity = "干部"
)

// AgeRule is the legal retirement age of one group under a RetirementRule.
// Without a delay (DelayFrom zero) the age is BaseAgeMonths. With one, a
// person born in DelayFrom or later retires at BaseAgeMonths + min(k /
// BirthMonthsPerStep + 1, MaxDelayMonths), k being the months from DelayFrom
// to the birth month.
type AgeRule struct {
	Gender             Gender
	Identity           Identity // empty: any identity
	BaseAgeMonths      int      // 720 = 60 years
	DelayFrom          YearMonth
	BirthMonthsPerStep int
	MaxDelayMonths     int
}

// MinContributionRule is the minimum contribution period for a monthly
// pension by year of retirement: BaseMonths, raised by StepMonths a year
// from FromYear up to MaxMonths (the 2024 decision: 15 years, +6 months a
// year from 2030, to 20 years).
type MinContributionRule struct {
	BaseMonths int
	FromYear   int
	StepMonths int
	MaxMonths  int
}

// RetirementRule is the retirement-age law in force from EffectiveFrom.
// The rules themselves are reference data (refdata), with their source.
type RetirementRule struct {
	Name            string
	Source          string
	EffectiveFrom   Date
	Ages            []AgeRule
	MinContribution MinContributionRule
}

// LegalRetirement is a person's legal retirement age and time (法定退休年龄/时间).
type LegalRetirement struct {
	AgeMonths   int       // legal retirement age in months (721 = 60岁1个月)
	DelayMonths int       // months added by the reform (0 before it)
	Month       YearMonth // birth month + AgeMonths: the 退休时间 of the official table
	Date        Date      // birth date + AgeMonths, day clamped to the month's end
	Rule        string    // RetirementRule.Name
}

// AgeText formats the age as the official table does: "60岁", "60岁1个月".
func (l LegalRetirement) AgeText() string {
	y, m := l.AgeMonths/12, l.AgeMonths%12
	if m == 0 {
		return fmt.Sprintf("%d岁", y)
	}
	return fmt.Sprintf("%d岁%d个月", y, m)
}

// Legal returns the legal retirement of a person born on birth. Men share one
// age whatever their identity; a woman's depends on Identity (工人 or 干部).
// No matching AgeRule is a Problem on InputGender or InputIdentity.
func (r RetirementRule) Legal(birth Date, g Gender, id Identity) (LegalRetirement, error) {
	var ps Problems
	if !birth.Valid() {
		ps.Add(InputBirthDate, "请填写正确的出生日期")
	}
	if g != Male && g != Female {
		ps.Add(InputGender, "请选择性别")
	}
	if err := ps.Err(); err != nil {
		return LegalRetirement{}, err
	}
	for _, a := range r.Ages {
		if a.Gender != g || (a.Identity != "" && a.Identity != id) {
			continue
		}
		delay := 0
		if !a.DelayFrom.IsZero() && !birth.YearMonth().Before(a.DelayFrom) && a.BirthMonthsPerStep > 0 {
			k := MonthsBetween(a.DelayFrom, birth.YearMonth())
			delay = min(k/a.BirthMonthsPerStep+1, a.MaxDelayMonths)
		}
		age := a.BaseAgeMonths + delay
		return LegalRetirement{
			AgeMonths:   age,
			DelayMonths: delay,
			Month:       birth.YearMonth().AddMonths(age),
			Date:        birth.AddMonths(age),
			Rule:        r.Name,
		}, nil
	}
	ps.Add(InputIdentity, fmt.Sprintf("个人身份“%s”无法确定法定退休年龄，请选择工人或干部", id))
	return LegalRetirement{}, ps.Err()
}

// MinimumContributionMonths returns the minimum contribution months for a
// person retiring in year.
func (r RetirementRule) MinimumContributionMonths(year int) int {
	m := r.MinContribution
	if m.FromYear == 0 || year < m.FromYear {
		return m.BaseMonths
	}
	return min(m.BaseMonths+(year-m.FromYear+1)*m.StepMonths, m.MaxMonths)
}

// RuleAt returns the rule in force on asOf: the one with the latest
// EffectiveFrom not after asOf. Calculations of the manual (2022) use the
// pre-2025 rule; those on or after 2025-01-01 the gradual-reform rule.
func RuleAt(rules []RetirementRule, asOf Date) (RetirementRule, error) {
	sorted := append([]RetirementRule(nil), rules...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].EffectiveFrom.Before(sorted[j].EffectiveFrom) })
	for i := len(sorted) - 1; i >= 0; i-- {
		if !asOf.Before(sorted[i].EffectiveFrom) {
			return sorted[i], nil
		}
	}
	return RetirementRule{}, fmt.Errorf("calc: no retirement rule in force on %s", asOf)
}

// EarlyRetirementMonths is 提前退休月数: the months from the actual
// retirement month to the legal one when retiring earlier, else 0.
// Born 1969-05, legal 2029-05 (age 60), retiring 2022-02-15 → 87.
func EarlyRetirementMonths(legal LegalRetirement, actual Date) int {
	return max(0, MonthsBetween(actual.YearMonth(), legal.Month))
}

// ContributionMonths are the months counted at retirement.
type ContributionMonths struct {
	Actual int // 实际缴费月数: distinct paid months
	Deemed int // 视同缴费月数: before the personal account, an input
	Total  int // Actual + Deemed
}

// CountContributionMonths counts the distinct valid periods of paid as
// 实际缴费月数 and adds the deemed months (视同缴费月数). A negative deemed
// count is a Problem on InputDeemedMonths.
func CountContributionMonths(paid []YearMonth, deemed int) (ContributionMonths, error) {
	if deemed < 0 {
		ps := Problems{{Input: InputDeemedMonths, Message: "视同缴费月数不能为负数"}}
		return ContributionMonths{}, ps.Err()
	}
	seen := make(map[YearMonth]bool, len(paid))
	for _, p := range paid {
		if p.Valid() {
			seen[p] = true
		}
	}
	return ContributionMonths{Actual: len(seen), Deemed: deemed, Total: len(seen) + deemed}, nil
}
