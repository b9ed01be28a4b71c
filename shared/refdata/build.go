package refdata

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
)

var one = decimal.NewFromInt(1)

// New validates d and builds a Set. Every problem is reported (joined).
func New(d Data) (*Set, error) {
	d = canonical(d)
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("refdata: "+format, a...)) }
	s := &Set{
		data:    d,
		rates:   map[int]BookkeepingRate{},
		insured: map[string]string{},
		contrib: map[string][]ContributionRate{},
		wages:   map[int]AverageWage{},
		scopes:  map[string]calc.RefundScope{},
		reasons: map[string]string{},
		windows: map[string]WindowException{},
	}

	for _, r := range d.BookkeepingRates {
		switch {
		case r.Year < 1900 || r.Year > 9999:
			bad("bookkeeping rate: bad year %d", r.Year)
		case r.Rate.IsNegative() || r.Rate.GreaterThan(one):
			bad("bookkeeping rate %d: %s outside 0-1", r.Year, r.Rate)
		case strings.TrimSpace(r.Source) == "":
			bad("bookkeeping rate %d: no source", r.Year)
		}
		if _, dup := s.rates[r.Year]; dup {
			bad("bookkeeping rate %d: listed twice", r.Year)
		}
		s.rates[r.Year] = r
	}
	if p := d.ProvisionalInterest; p != nil {
		switch {
		case p.Rule != ProvisionalLatest && p.Rule != ProvisionalNone:
			bad("provisional_interest: rule %q, want %s or %s", p.Rule, ProvisionalLatest, ProvisionalNone)
		case strings.TrimSpace(p.Source) == "":
			bad("provisional_interest: no source")
		}
		if p.Rule == ProvisionalLatest {
			for y := range s.rates {
				if !s.latestOK || y > s.latest {
					s.latest, s.latestOK = y, true
				}
			}
		}
	}
	seenPair := map[[2]int]bool{}
	for _, o := range d.RateOrders {
		a, b := o.Years[0], o.Years[1]
		ra, oka := s.rates[a]
		rb, okb := s.rates[b]
		if !oka || !okb || a == b {
			bad("rate order %d/%d: both years need a rate", a, b)
			continue
		}
		if seenPair[o.Years] {
			bad("rate order %d/%d: listed twice", a, b)
		}
		seenPair[o.Years] = true
		if o.Swapped {
			ra.Rate, rb.Rate = rb.Rate, ra.Rate
			s.rates[a], s.rates[b] = ra, rb
		}
	}

	for _, t := range d.InsuredTypes {
		if t.Code == "" || t.LabelZh == "" {
			bad("insured type %q: code and label_zh are required", t.Code)
			continue
		}
		for _, name := range append([]string{t.Code, t.LabelZh}, t.Aliases...) {
			if c, dup := s.insured[name]; dup && c != t.Code {
				bad("insured type name %q used by %s and %s", name, c, t.Code)
			}
			s.insured[name] = t.Code
		}
	}
	for _, c := range d.ContributionRates {
		key := fmt.Sprintf("contribution rate %s %s", c.Insured, c.From)
		if _, ok := s.insured[c.Insured]; !ok || s.insured[c.Insured] != c.Insured {
			bad("%s: unknown insured type code", key)
		}
		if !c.From.Valid() || (!c.To.IsZero() && (!c.To.Valid() || c.To.Before(c.From))) {
			bad("%s: bad period %s-%s", key, c.From, c.To)
		}
		for _, v := range c.Parts() {
			if *v != nil && ((*v).IsNegative() || (*v).GreaterThan(one)) {
				bad("%s: rate %s outside 0-1", key, *v)
			}
		}
		if strings.TrimSpace(c.Source) == "" {
			bad("%s: no source", key)
		}
		for _, o := range s.contrib[c.Insured] {
			if overlaps(o, c) {
				bad("%s: overlaps %s-%s", key, o.From, o.To)
			}
		}
		s.contrib[c.Insured] = append(s.contrib[c.Insured], c)
	}

	for _, w := range d.AverageWages {
		key := fmt.Sprintf("average wage %d", w.Year)
		if _, dup := s.wages[w.Year]; dup {
			bad("%s: listed twice", key)
		}
		if !w.Monthly.IsPositive() || !w.Floor.IsPositive() || w.Ceiling.LessThan(w.Floor) {
			bad("%s: need monthly > 0 and 0 < floor <= ceiling", key)
		}
		for _, g := range w.Grades {
			if g.LessThan(w.Floor) || g.GreaterThan(w.Ceiling) {
				bad("%s: grade %s outside floor..ceiling", key, g)
			}
		}
		if strings.TrimSpace(w.Source) == "" {
			bad("%s: no source", key)
		}
		s.wages[w.Year] = w
	}

	names := map[string]bool{}
	for _, r := range d.RetirementRules {
		if names[r.Name] || r.Name == "" {
			bad("retirement rule %q: empty or listed twice", r.Name)
		}
		names[r.Name] = true
		if !r.EffectiveFrom.Valid() || len(r.Ages) == 0 || strings.TrimSpace(r.Source) == "" {
			bad("retirement rule %q: needs effective_from, ages and source", r.Name)
		}
		rule := calc.RetirementRule{
			Name: r.Name, Source: r.Source, EffectiveFrom: r.EffectiveFrom,
			MinContribution: calc.MinContributionRule(r.MinContribution),
		}
		for _, a := range r.Ages {
			if (a.Gender != calc.Male && a.Gender != calc.Female) || a.BaseAgeMonths <= 0 {
				bad("retirement rule %q: bad age rule %+v", r.Name, a)
			}
			if !a.DelayFrom.IsZero() && (a.BirthMonthsPerStep <= 0 || a.MaxDelayMonths <= 0) {
				bad("retirement rule %q: a delay needs birth_months_per_step and max_delay_months", r.Name)
			}
			rule.Ages = append(rule.Ages, calc.AgeRule(a))
		}
		s.rules = append(s.rules, rule)
	}

	for _, sc := range d.RefundScopes {
		rs := calc.RefundScope{Code: sc.Code, Label: sc.LabelZh}
		for _, p := range sc.Parts {
			switch p {
			case calc.Unit.String():
				rs.Parts = append(rs.Parts, calc.Unit)
			case calc.Personal.String():
				rs.Parts = append(rs.Parts, calc.Personal)
			default:
				bad("refund scope %q: part %q is not unit or personal", sc.Code, p)
			}
		}
		if sc.Code == "" || len(rs.Parts) == 0 {
			bad("refund scope %q: needs a code and parts", sc.Code)
		}
		if _, dup := s.scopes[sc.Code]; dup {
			bad("refund scope %q: listed twice", sc.Code)
		}
		s.scopes[sc.Code] = rs
	}
	for _, r := range d.RefundReasons {
		if _, ok := s.scopes[r.Scope]; !ok {
			bad("refund reason %q: unknown scope %q", r.ReasonZh, r.Scope)
		}
		if _, dup := s.reasons[r.ReasonZh]; dup {
			bad("refund reason %q: listed twice", r.ReasonZh)
		}
		s.reasons[r.ReasonZh] = r.Scope
	}

	seen := map[string]bool{}
	for _, e := range d.WindowExceptions {
		k := e.Key()
		switch {
		case e.Window == "" || !e.Date.Valid():
			bad("window exception %q: needs a window and a valid date", k)
		case e.Kind != WindowClosed && e.Kind != WindowOpen && e.Kind != WindowRegular:
			bad("window exception %s: kind %q is not closed, open or regular", k, e.Kind)
		case strings.TrimSpace(e.Source) == "":
			bad("window exception %s: no source", k)
		case seen[k]:
			bad("window exception %s: listed twice", k)
		}
		seen[k] = true
		if e.Kind != WindowRegular {
			s.windows[k] = e
		}
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s.version = versionOf(d)
	return s, nil
}

func overlaps(a, b ContributionRate) bool {
	aEndsBefore := !a.To.IsZero() && a.To.Before(b.From)
	bEndsBefore := !b.To.IsZero() && b.To.Before(a.From)
	return !aEndsBefore && !bEndsBefore
}

// canonical sorts every list so that equal content has one form (and one
// Version).
func canonical(d Data) Data {
	d.BookkeepingRates = slices.Clone(d.BookkeepingRates)
	slices.SortStableFunc(d.BookkeepingRates, func(a, b BookkeepingRate) int { return a.Year - b.Year })
	d.RateOrders = slices.Clone(d.RateOrders)
	for i, o := range d.RateOrders {
		d.RateOrders[i].Years = [2]int{min(o.Years[0], o.Years[1]), max(o.Years[0], o.Years[1])}
	}
	slices.SortStableFunc(d.RateOrders, func(a, b RateOrder) int { return a.Years[0] - b.Years[0] })
	d.InsuredTypes = slices.Clone(d.InsuredTypes)
	slices.SortStableFunc(d.InsuredTypes, func(a, b InsuredType) int { return strings.Compare(a.Code, b.Code) })
	d.ContributionRates = slices.Clone(d.ContributionRates)
	slices.SortStableFunc(d.ContributionRates, func(a, b ContributionRate) int {
		if c := strings.Compare(a.Insured, b.Insured); c != 0 {
			return c
		}
		return a.From.Compare(b.From)
	})
	d.AverageWages = slices.Clone(d.AverageWages)
	slices.SortStableFunc(d.AverageWages, func(a, b AverageWage) int { return a.Year - b.Year })
	d.RetirementRules = slices.Clone(d.RetirementRules)
	slices.SortStableFunc(d.RetirementRules, func(a, b RetirementRule) int { return a.EffectiveFrom.Compare(b.EffectiveFrom) })
	d.RefundScopes = slices.Clone(d.RefundScopes)
	slices.SortStableFunc(d.RefundScopes, func(a, b RefundScope) int { return strings.Compare(a.Code, b.Code) })
	d.RefundReasons = slices.Clone(d.RefundReasons)
	slices.SortStableFunc(d.RefundReasons, func(a, b RefundReason) int { return strings.Compare(a.ReasonZh, b.ReasonZh) })
	d.WindowExceptions = slices.Clone(d.WindowExceptions)
	slices.SortStableFunc(d.WindowExceptions, func(a, b WindowException) int { return strings.Compare(a.Key(), b.Key()) })
	return d
}

// Merge returns a new Set: s with the values of over added or overriding.
// Bookkeeping rates and average wages override by year, rate orders by
// year pair, insured types by code, retirement rules by name, refund scopes
// by code, reasons by reason and window exceptions by window and day. A contribution-rate entry of over replaces
// the periods it covers: entries of s for the same insured type are cut
// around it. s is unchanged.
func (s *Set) Merge(over Data) (*Set, error) {
	d := s.Data()
	d.BookkeepingRates = mergeBy(d.BookkeepingRates, over.BookkeepingRates, func(r BookkeepingRate) int { return r.Year })
	if over.ProvisionalInterest != nil {
		d.ProvisionalInterest = over.ProvisionalInterest
	}
	d.RateOrders = mergeBy(d.RateOrders, over.RateOrders, func(o RateOrder) [2]int {
		return [2]int{min(o.Years[0], o.Years[1]), max(o.Years[0], o.Years[1])}
	})
	d.InsuredTypes = mergeBy(d.InsuredTypes, over.InsuredTypes, func(t InsuredType) string { return t.Code })
	for _, c := range over.ContributionRates {
		d.ContributionRates = cut(d.ContributionRates, c)
	}
	d.AverageWages = mergeBy(d.AverageWages, over.AverageWages, func(w AverageWage) int { return w.Year })
	d.RetirementRules = mergeBy(d.RetirementRules, over.RetirementRules, func(r RetirementRule) string { return r.Name })
	d.RefundScopes = mergeBy(d.RefundScopes, over.RefundScopes, func(r RefundScope) string { return r.Code })
	d.RefundReasons = mergeBy(d.RefundReasons, over.RefundReasons, func(r RefundReason) string { return r.ReasonZh })
	d.WindowExceptions = mergeBy(d.WindowExceptions, over.WindowExceptions, WindowException.Key)
	return New(d)
}

func mergeBy[T any, K comparable](base, over []T, key func(T) K) []T {
	replaced := map[K]bool{}
	for _, o := range over {
		replaced[key(o)] = true
	}
	var out []T
	for _, b := range base {
		if !replaced[key(b)] {
			out = append(out, b)
		}
	}
	return append(out, over...)
}

// cut removes the periods of c from the entries of the same insured type
// and appends c.
func cut(entries []ContributionRate, c ContributionRate) []ContributionRate {
	var out []ContributionRate
	for _, e := range entries {
		if e.Insured != c.Insured || !overlaps(e, c) {
			out = append(out, e)
			continue
		}
		if e.From.Before(c.From) {
			left := e
			left.To = c.From.AddMonths(-1)
			out = append(out, left)
		}
		if !c.To.IsZero() && (e.To.IsZero() || e.To.After(c.To)) {
			right := e
			right.From = c.To.AddMonths(1)
			out = append(out, right)
		}
	}
	return append(out, c)
}
