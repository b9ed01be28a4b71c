// Package refdata is the reference data of hrss as versioned data: the
// bookkeeping rates (记账利率) by year, contribution rates by period and
// insured type, the average wage (社平) with base floor, ceiling and
// flexible-employment grades by year, the retirement-age rules (including the
// gradual reform in force since 2025-01-01: 全国人民代表大会常务委员会关于实施
// 渐进式延迟法定退休年龄的决定, 2024-09-13) and the refund reason → scope
// table. Every value carries its source and, where it is uncertain, a flag
// (Flags). The data lives in YAML files under data/, embedded in the binary;
// the package does no other I/O.
//
// Access patterns:
//
//   - Default() is the embedded data, loaded once (tests prove it loads).
//   - A *Set is immutable and safe for concurrent use. Merge returns a new
//     Set with values of another Data overriding: the ledger store loads
//     reference data from its table and imports add years that way.
//   - Set implements calc.RateTable; lookups of absent years or periods fail
//     with a typed error naming what is missing (*calc.MissingRateError for
//     bookkeeping rates, *MissingError otherwise), never a guess.
//   - Version() identifies the content (a hash), so a stored calculation
//     can record which reference data it used.
//
// The order of the 2014 and 2015 rates is not known (only their product is
// pinned by the manual): it is configurable (rate_orders in the data, or
// SwapRates) and flagged.
package refdata

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/hljhrss/hrss/shared/calc"
)

//go:embed data/*.yaml
var files embed.FS

// Set is a validated, immutable set of reference data.
type Set struct {
	data    Data // canonical: sorted, rate orders not applied
	rates   map[int]BookkeepingRate
	insured map[string]string // code, label or alias → code
	contrib map[string][]ContributionRate
	wages   map[int]AverageWage
	rules   []calc.RetirementRule
	scopes  map[string]calc.RefundScope
	reasons map[string]string
	windows map[string]WindowException // by Key; WindowRegular left out
	version string
	// latest is the latest year with a bookkeeping rate; latestOK when the
	// provisional rule charges it for later years.
	latest   int
	latestOK bool
}

var _ calc.RateTable = (*Set)(nil)

// MissingError reports reference data that is not in the set.
type MissingError struct {
	What string // English, for logs: "average wage for 2021"
	zh   string
}

// Error is the English message for logs.
func (e *MissingError) Error() string { return "refdata: no " + e.What }

// Message is the Chinese message for users.
func (e *MissingError) Message() string { return e.zh }

func missing(what, zh string) *MissingError { return &MissingError{What: what, zh: zh} }

// Load reads and validates the embedded data files.
func Load() (*Set, error) {
	names, err := fs.Glob(files, "data/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all Data
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		d, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("refdata: %s: %w", n, err)
		}
		all = concat(all, d)
	}
	return New(all)
}

var defaultSet = sync.OnceValues(Load)

// Default returns the embedded reference data. It panics if the embedded
// files are invalid, which the package tests rule out.
func Default() *Set {
	s, err := defaultSet()
	if err != nil {
		panic(err)
	}
	return s
}

// Parse decodes one YAML document of Data, rejecting unknown keys.
func Parse(b []byte) (Data, error) {
	var d Data
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		return Data{}, fmt.Errorf("refdata: parse: %w", err)
	}
	return d, nil
}

func concat(a, b Data) Data {
	a.BookkeepingRates = append(a.BookkeepingRates, b.BookkeepingRates...)
	if b.ProvisionalInterest != nil {
		a.ProvisionalInterest = b.ProvisionalInterest
	}
	a.RateOrders = append(a.RateOrders, b.RateOrders...)
	a.InsuredTypes = append(a.InsuredTypes, b.InsuredTypes...)
	a.ContributionRates = append(a.ContributionRates, b.ContributionRates...)
	a.AverageWages = append(a.AverageWages, b.AverageWages...)
	a.RetirementRules = append(a.RetirementRules, b.RetirementRules...)
	a.RefundScopes = append(a.RefundScopes, b.RefundScopes...)
	a.RefundReasons = append(a.RefundReasons, b.RefundReasons...)
	a.WindowExceptions = append(a.WindowExceptions, b.WindowExceptions...)
	return a
}

// Data returns a copy of the set's data (rate orders recorded, not applied),
// for storing or exporting.
func (s *Set) Data() Data {
	b, _ := json.Marshal(s.data)
	var d Data
	_ = json.Unmarshal(b, &d)
	return d
}

// Version identifies the content: "sha256:" and 16 hex digits of the
// canonical JSON of Data. Equal data, equal version.
func (s *Set) Version() string { return s.version }

// Rate returns the bookkeeping rate of year (after rate orders), or a
// *calc.MissingRateError naming the year.
func (s *Set) Rate(year int) (decimal.Decimal, error) {
	r, ok := s.rates[year]
	if !ok {
		return decimal.Decimal{}, &calc.MissingRateError{Year: year}
	}
	return r.Rate, nil
}

// StandIn returns the latest year with a published bookkeeping rate, whose
// rate is charged provisionally for the years after it (calc.RateTable),
// when the data's provisional_interest rule is latest_published; ok is
// false otherwise, and such years then fail naming the missing rate.
func (s *Set) StandIn() (int, bool) {
	return s.latest, s.latestOK
}

// ProvisionalInterest returns the rule for years without a published
// bookkeeping rate, with its source.
func (s *Set) ProvisionalInterest() ProvisionalInterest {
	if p := s.data.ProvisionalInterest; p != nil {
		return *p
	}
	return ProvisionalInterest{Rule: ProvisionalNone}
}

// RateInfo returns the bookkeeping rate of year with its source and flag.
func (s *Set) RateInfo(year int) (BookkeepingRate, error) {
	r, ok := s.rates[year]
	if !ok {
		return BookkeepingRate{}, &calc.MissingRateError{Year: year}
	}
	return r, nil
}

// RateYears returns the years with a bookkeeping rate, ascending.
func (s *Set) RateYears() []int {
	ys := make([]int, 0, len(s.rates))
	for y := range s.rates {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// SwapRates returns a copy of s with the order of the rates of years a and
// b toggled (recorded as a RateOrder, so Data and Version show it).
func (s *Set) SwapRates(a, b int) (*Set, error) {
	d := s.Data()
	key := [2]int{min(a, b), max(a, b)}
	found := false
	for i, o := range d.RateOrders {
		if [2]int{min(o.Years[0], o.Years[1]), max(o.Years[0], o.Years[1])} == key {
			d.RateOrders[i].Swapped = !o.Swapped
			found = true
		}
	}
	if !found {
		d.RateOrders = append(d.RateOrders, RateOrder{Years: key, Swapped: true, Note: "swapped by SwapRates"})
	}
	return New(d)
}

// Rates are the contribution rates of one period and insured type.
type Rates struct {
	calc.PartRates
	Unknown []calc.PartKind // parts the data does not know (their rate above is 0)
	Source  string
	Flags   []string
}

// InsuredCode returns the code of an insured type given its code, Chinese
// label or alias ("employee", "企业职工", "灵活就业人员").
func (s *Set) InsuredCode(insured string) (string, error) {
	if c, ok := s.insured[strings.TrimSpace(insured)]; ok {
		return c, nil
	}
	return "", missing(fmt.Sprintf("insured type %q", insured), fmt.Sprintf("未知的参保身份“%s”", insured))
}

// ContributionRates returns the rates for period and insured type (code,
// label or alias). A period outside the table is a *MissingError; a known
// period with parts the data leaves open lists them in Rates.Unknown.
func (s *Set) ContributionRates(period calc.YearMonth, insured string) (Rates, error) {
	code, err := s.InsuredCode(insured)
	if err != nil {
		return Rates{}, err
	}
	for _, c := range s.contrib[code] {
		if period.Before(c.From) || (!c.To.IsZero() && period.After(c.To)) {
			continue
		}
		out := Rates{Source: c.Source, Flags: slices.Clone(c.Flags)}
		for k, v := range c.Parts() {
			if *v == nil {
				out.Unknown = append(out.Unknown, calc.PartKind(k))
				continue
			}
			out.PartRates[k] = **v
		}
		return out, nil
	}
	return Rates{}, missing(fmt.Sprintf("contribution rates for %s %s", code, period),
		fmt.Sprintf("缺少%s费款所属期%s的缴费比例", s.label(code), period))
}

func (s *Set) label(code string) string {
	for _, t := range s.data.InsuredTypes {
		if t.Code == code {
			return t.LabelZh
		}
	}
	return code
}

// Wage returns the average-wage entry of year.
func (s *Set) Wage(year int) (AverageWage, error) {
	w, ok := s.wages[year]
	if !ok {
		return AverageWage{}, missing(fmt.Sprintf("average wage for %d", year), fmt.Sprintf("缺少%d年度社会平均工资", year))
	}
	return w, nil
}

// AverageWage returns the monthly average wage (社平) of year.
func (s *Set) AverageWage(year int) (decimal.Decimal, error) {
	w, err := s.Wage(year)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return w.Monthly, nil
}

// BaseLimits returns the contribution-base floor and ceiling of year:
// round_half_up(社平 × floor/ceiling ratio, 0.01).
func (s *Set) BaseLimits(year int) (calc.BaseLimits, error) {
	w, err := s.Wage(year)
	if err != nil {
		return calc.BaseLimits{}, err
	}
	return calc.BaseLimits{Floor: calc.GradeBase(w.Monthly, w.Floor), Ceiling: calc.GradeBase(w.Monthly, w.Ceiling)}, nil
}

// Grade is a flexible-employment contribution grade (缴费档次) of a year.
type Grade struct {
	Ratio decimal.Decimal // 0.60
	Base  decimal.Decimal // 3519.00
	Label string          // 按照社平工资60.0%缴费，月缴费基数3519.00元
}

// Grades returns the grades offered in year, ascending.
func (s *Set) Grades(year int) ([]Grade, error) {
	w, err := s.Wage(year)
	if err != nil {
		return nil, err
	}
	out := make([]Grade, len(w.Grades))
	for i, g := range w.Grades {
		b := calc.GradeBase(w.Monthly, g)
		out[i] = Grade{Ratio: g, Base: b, Label: calc.GradeLabel(g, b)}
	}
	return out, nil
}

// Grade returns the grade of year with the given ratio; a ratio not offered
// that year is a *MissingError.
func (s *Set) Grade(year int, ratio decimal.Decimal) (Grade, error) {
	gs, err := s.Grades(year)
	if err != nil {
		return Grade{}, err
	}
	for _, g := range gs {
		if g.Ratio.Equal(ratio) {
			return g, nil
		}
	}
	return Grade{}, missing(fmt.Sprintf("grade %s in %d", ratio, year),
		fmt.Sprintf("%d年度没有社平工资%s%%的缴费档次", year, ratio.Mul(decimal.NewFromInt(100)).StringFixed(1)))
}

// RetirementRules returns the retirement-age rules, oldest first.
func (s *Set) RetirementRules() []calc.RetirementRule { return slices.Clone(s.rules) }

// RetirementRule returns the retirement-age rule in force on asOf.
func (s *Set) RetirementRule(asOf calc.Date) (calc.RetirementRule, error) {
	r, err := calc.RuleAt(s.rules, asOf)
	if err != nil {
		return calc.RetirementRule{}, missing(fmt.Sprintf("retirement rule in force on %s", asOf), fmt.Sprintf("缺少%s适用的退休年龄规定", asOf))
	}
	return r, nil
}

// RefundScope returns the refund scope (退费范围) the system derives from a
// refund reason (退费原因).
func (s *Set) RefundScope(reason string) (calc.RefundScope, error) {
	code, ok := s.reasons[strings.TrimSpace(reason)]
	if !ok {
		return calc.RefundScope{}, missing(fmt.Sprintf("refund reason %q", reason), fmt.Sprintf("未知的退费原因“%s”", reason))
	}
	return s.scopes[code], nil
}

// RefundReasons returns the known refund reasons, sorted.
func (s *Set) RefundReasons() []string {
	out := make([]string, 0, len(s.reasons))
	for r := range s.reasons {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// Flag is an open question about a value of the data.
type Flag struct {
	Key  string // "bookkeeping_rates/2014", "contribution_rates/employee/202002", "average_wages/2022"
	Note string
}

// Flags lists every flagged value, so that reports and the admin screen can
// show what is assumed.
func (s *Set) Flags() []Flag {
	var out []Flag
	if p := s.data.ProvisionalInterest; p != nil && p.Flag != "" {
		out = append(out, Flag{Key: "provisional_interest", Note: p.Flag})
	}
	for _, r := range s.data.BookkeepingRates {
		if r.Flag != "" {
			out = append(out, Flag{Key: fmt.Sprintf("bookkeeping_rates/%d", r.Year), Note: r.Flag})
		}
	}
	for _, o := range s.data.RateOrders {
		out = append(out, Flag{Key: fmt.Sprintf("rate_orders/%d-%d", o.Years[0], o.Years[1]), Note: fmt.Sprintf("swapped=%t: %s", o.Swapped, o.Note)})
	}
	for _, c := range s.data.ContributionRates {
		for _, f := range c.Flags {
			out = append(out, Flag{Key: fmt.Sprintf("contribution_rates/%s/%s", c.Insured, c.From), Note: f})
		}
	}
	for _, w := range s.data.AverageWages {
		for _, f := range w.Flags {
			out = append(out, Flag{Key: fmt.Sprintf("average_wages/%d", w.Year), Note: f})
		}
	}
	return out
}

func versionOf(d Data) string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // Data holds only marshalable values
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// WindowException returns the exception of window on day d, if one is in
// force (an exception withdrawn with WindowRegular is not).
func (s *Set) WindowException(window string, d calc.Date) (WindowException, bool) {
	e, ok := s.windows[WindowException{Window: window, Date: d}.Key()]
	return e, ok
}
