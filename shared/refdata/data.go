package refdata

import (
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
)

// Data is reference data as stored: the schema of the embedded YAML files
// and the form the ledger store persists and imports add. Every value
// carries its source. Decimals marshal as strings in YAML and JSON.
type Data struct {
	BookkeepingRates []BookkeepingRate `yaml:"bookkeeping_rates,omitempty" json:"bookkeepingRates,omitempty"`
	// ProvisionalInterest is the rule for years without a published
	// bookkeeping rate; the last one given wins (nil: no override).
	ProvisionalInterest *ProvisionalInterest `yaml:"provisional_interest,omitempty" json:"provisionalInterest,omitempty"`
	RateOrders          []RateOrder          `yaml:"rate_orders,omitempty" json:"rateOrders,omitempty"`
	InsuredTypes        []InsuredType        `yaml:"insured_types,omitempty" json:"insuredTypes,omitempty"`
	ContributionRates   []ContributionRate   `yaml:"contribution_rates,omitempty" json:"contributionRates,omitempty"`
	AverageWages        []AverageWage        `yaml:"average_wages,omitempty" json:"averageWages,omitempty"`
	RetirementRules     []RetirementRule     `yaml:"retirement_rules,omitempty" json:"retirementRules,omitempty"`
	RefundScopes        []RefundScope        `yaml:"refund_scopes,omitempty" json:"refundScopes,omitempty"`
	RefundReasons       []RefundReason       `yaml:"refund_reasons,omitempty" json:"refundReasons,omitempty"`
	WindowExceptions    []WindowException    `yaml:"window_exceptions,omitempty" json:"windowExceptions,omitempty"`
}

// BookkeepingRate is the 记账利率 of one year.
type BookkeepingRate struct {
	Year   int             `yaml:"year" json:"year"`
	Rate   decimal.Decimal `yaml:"rate" json:"rate"`     // fraction: 0.0669
	Status string          `yaml:"status" json:"status"` // national | provincial
	Source string          `yaml:"source" json:"source"`
	Flag   string          `yaml:"flag,omitempty" json:"flag,omitempty"` // an open question about the value
}

// Rules of ProvisionalInterest.
const (
	// ProvisionalLatest charges a year after the latest published one at
	// the latest published rate, and marks the interest provisional.
	ProvisionalLatest = "latest_published"
	// ProvisionalNone refuses such years, naming the missing rate.
	ProvisionalNone = "none"
)

// ProvisionalInterest says how interest is charged for the years after the
// latest published bookkeeping rate (calc.Provisional).
type ProvisionalInterest struct {
	Rule   string `yaml:"rule" json:"rule"` // ProvisionalLatest or ProvisionalNone
	Source string `yaml:"source" json:"source"`
	Flag   string `yaml:"flag,omitempty" json:"flag,omitempty"`
}

// RateOrder records two years whose rates are known only as a pair; Swapped
// exchanges them (../shared/spec/calculations.md §3, 2014/2015).
type RateOrder struct {
	Years   [2]int `yaml:"years" json:"years"`
	Swapped bool   `yaml:"swapped" json:"swapped"`
	Note    string `yaml:"note" json:"note"`
}

// InsuredType is an insured type (参保身份) of the contribution-rate table:
// its code, Chinese label and other names that select it.
type InsuredType struct {
	Code    string   `yaml:"code" json:"code"` // employee | flexible
	LabelZh string   `yaml:"label_zh" json:"labelZh"`
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
}

// ContributionRate is the rates of one insured type for the periods
// From..To (inclusive; To zero = open). A nil part is unknown.
type ContributionRate struct {
	Insured           string           `yaml:"insured" json:"insured"`
	From              calc.YearMonth   `yaml:"from" json:"from"`
	To                calc.YearMonth   `yaml:"to,omitempty" json:"to,omitempty"`
	Unit              *decimal.Decimal `yaml:"unit,omitempty" json:"unit,omitempty"`
	Personal          *decimal.Decimal `yaml:"personal,omitempty" json:"personal,omitempty"`
	UnitToAccount     *decimal.Decimal `yaml:"unit_to_account,omitempty" json:"unitToAccount,omitempty"`
	PersonalToAccount *decimal.Decimal `yaml:"personal_to_account,omitempty" json:"personalToAccount,omitempty"`
	Source            string           `yaml:"source" json:"source"`
	Flags             []string         `yaml:"flags,omitempty" json:"flags,omitempty"`
}

// Parts returns the fields of the four part rates, indexed by
// calc.PartKind: the one place that maps the stored names to parts.
func (c *ContributionRate) Parts() [calc.NumParts]**decimal.Decimal {
	return [calc.NumParts]**decimal.Decimal{
		calc.Unit: &c.Unit, calc.Personal: &c.Personal,
		calc.UnitToAccount: &c.UnitToAccount, calc.PersonalToAccount: &c.PersonalToAccount,
	}
}

// AverageWage is the monthly average wage (社平) of a contribution year, the
// base floor and ceiling as ratios of it and the flexible-employment grades.
type AverageWage struct {
	Year    int               `yaml:"year" json:"year"`
	Monthly decimal.Decimal   `yaml:"monthly" json:"monthly"`
	Floor   decimal.Decimal   `yaml:"floor" json:"floor"`     // 0.60
	Ceiling decimal.Decimal   `yaml:"ceiling" json:"ceiling"` // 3.00
	Grades  []decimal.Decimal `yaml:"grades,omitempty" json:"grades,omitempty"`
	Source  string            `yaml:"source" json:"source"`
	Flags   []string          `yaml:"flags,omitempty" json:"flags,omitempty"`
}

// RetirementRule is a retirement-age law (see calc.RetirementRule).
type RetirementRule struct {
	Name            string              `yaml:"name" json:"name"`
	EffectiveFrom   calc.Date           `yaml:"effective_from" json:"effectiveFrom"`
	Source          string              `yaml:"source" json:"source"`
	Ages            []AgeRule           `yaml:"ages" json:"ages"`
	MinContribution MinContributionRule `yaml:"min_contribution" json:"minContribution"`
}

// AgeRule is calc.AgeRule as stored.
type AgeRule struct {
	Gender             calc.Gender    `yaml:"gender" json:"gender"`
	Identity           calc.Identity  `yaml:"identity,omitempty" json:"identity,omitempty"`
	BaseAgeMonths      int            `yaml:"base_age_months" json:"baseAgeMonths"`
	DelayFrom          calc.YearMonth `yaml:"delay_from,omitempty" json:"delayFrom,omitempty"`
	BirthMonthsPerStep int            `yaml:"birth_months_per_step,omitempty" json:"birthMonthsPerStep,omitempty"`
	MaxDelayMonths     int            `yaml:"max_delay_months,omitempty" json:"maxDelayMonths,omitempty"`
}

// MinContributionRule is calc.MinContributionRule as stored.
type MinContributionRule struct {
	BaseMonths int `yaml:"base_months" json:"baseMonths"`
	FromYear   int `yaml:"from_year,omitempty" json:"fromYear,omitempty"`
	StepMonths int `yaml:"step_months,omitempty" json:"stepMonths,omitempty"`
	MaxMonths  int `yaml:"max_months,omitempty" json:"maxMonths,omitempty"`
}

// RefundScope is a 退费范围 and the parts it refunds ("unit", "personal").
type RefundScope struct {
	Code    string   `yaml:"code" json:"code"`
	LabelZh string   `yaml:"label_zh" json:"labelZh"`
	Parts   []string `yaml:"parts" json:"parts"`
	Source  string   `yaml:"source" json:"source"`
}

// RefundReason maps a 退费原因 to the code of its RefundScope.
type RefundReason struct {
	ReasonZh string `yaml:"reason_zh" json:"reasonZh"`
	Scope    string `yaml:"scope" json:"scope"`
	Source   string `yaml:"source" json:"source"`
}

// Kinds of WindowException.
const (
	// WindowClosed closes a day the monthly rule opens (a closure day).
	WindowClosed = "closed"
	// WindowOpen opens a day the monthly rule closes (an extension when
	// the 25th falls in a public holiday such as the Spring Festival).
	WindowOpen = "open"
	// WindowRegular withdraws an earlier exception of the day: the monthly
	// rule applies again (kept as a version, so the history shows it).
	WindowRegular = "regular"
)

// WindowException changes one day of a monthly submission window (the
// catalog's windows, 办理时间 每月1-25号) for every business of that
// window: closed, opened, or back to the monthly rule. Days are calendar
// days of the window's time zone (Asia/Shanghai).
type WindowException struct {
	Window string    `yaml:"window" json:"window"` // the catalog window's name: monthly-1-25
	Date   calc.Date `yaml:"date" json:"date"`
	Kind   string    `yaml:"kind" json:"kind"` // WindowClosed, WindowOpen or WindowRegular
	// Note is what applicants read (说明): 春节假期，本月办理截止日顺延至2月27日.
	Note   string `yaml:"note" json:"note"`
	Source string `yaml:"source" json:"source"`
}

// Key is the exception's natural key: its window and day.
func (e WindowException) Key() string { return e.Window + "-" + e.Date.String() }
