// Package retirement computes the figures of a retirement application
// (4.22 退休资格行政审核调整, 4.24 灵活就业人员退休申请, 5.3 退休申请): the
// legal retirement date under the rule in force (the gradual reform of
// 2025 included, shared/refdata), 实际缴费月数 counted from the ledger,
// 视同缴费月数 and 提前退休月数, all through shared/calc. It reads the
// person's ledger (one query) and the reference data; it writes nothing.
//
// Errors are *apperr.Error; bad input carries calc.Problems (InputBirthDate,
// InputGender, InputIdentity, InputRetirementDate, InputActualMonths,
// InputDeemedMonths), which the HTTP edge maps to the forms' field keys.
package retirement

import (
	"context"
	"errors"
	"slices"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
)

// Service computes retirement figures.
type Service struct {
	ledger *ledger.Store
	refs   *refstore.Store
}

// New returns the service over the ledger and reference data.
func New(ls *ledger.Store, refs *refstore.Store) *Service { return &Service{ledger: ls, refs: refs} }

// Input is what a retirement application (4.22, 4.24, 5.3) gives to
// compute its figures. Values left zero are taken from the person's
// ledger when PersonNumber is set.
type Input struct {
	PersonNumber   string
	BirthDate      calc.Date     // 档案出生日期
	Gender         calc.Gender   // 男 / 女
	Identity       calc.Identity // 个人身份: 工人 / 干部 (decides a woman's age)
	RetirementDate calc.Date     // 退休日期; zero: today
	ActualMonths   *int          // 实际缴费月数; nil: counted from the ledger
	DeemedMonths   *int          // 视同缴费月数; nil: the person's, else 0
	// Employer, when set, is the unit asking (5.3): the person must have
	// been employed there, else the person is not found.
	Employer string
}

// Figures are the figures of a retirement application.
type Figures struct {
	Legal          calc.LegalRetirement    // 法定退休年龄 and date under the rule in force
	RetirementDate calc.Date               // 退休日期 used
	Months         calc.ContributionMonths // 实际缴费月数, 视同缴费月数, total
	MonthsCounted  bool                    // Actual counted from the ledger (not given)
	EarlyMonths    int                     // 提前退休月数
	MinimumMonths  int                     // minimum contribution months for a monthly pension that year
	RuleSource     string
}

// MeetsMinimum reports whether the total months reach the minimum.
func (f Figures) MeetsMinimum() bool { return f.Months.Total >= f.MinimumMonths }

// Compute computes the legal retirement date and the month counts of a
// retirement application. Paid months counted from the ledger are the
// distinct periods with a paid or exempt row up to the retirement month.
// Bad input carries calc.Problems; an unknown person is NotFound.
func (s *Service) Compute(ctx context.Context, in Input) (Figures, error) {
	var d *ledger.Dossier
	if in.PersonNumber != "" {
		dd, err := s.ledger.Dossier(ctx, in.PersonNumber)
		if err != nil {
			return Figures{}, err
		}
		if in.Employer != "" && !slices.ContainsFunc(dd.Spells, func(sp ledger.Spell) bool { return sp.UnitNumber == in.Employer }) {
			return Figures{}, apperr.E(apperr.NotFound, "未找到该职工在本单位的参保记录")
		}
		d = &dd
		in = in.from(dd.Person)
	}
	if in.RetirementDate.IsZero() {
		in.RetirementDate = s.ledger.Today()
	}
	if err := validate(in, d != nil); err != nil {
		return Figures{}, err
	}

	set, err := s.refs.Load(ctx)
	if err != nil {
		return Figures{}, err
	}
	rule, err := set.RetirementRule(in.RetirementDate)
	if err != nil {
		var me *refdata.MissingError
		if errors.As(err, &me) {
			ps := calc.Problems{{Input: calc.InputRetirementDate, Message: me.Message()}}
			return Figures{}, ps.Err()
		}
		return Figures{}, err
	}
	legal, err := rule.Legal(in.BirthDate, in.Gender, in.Identity)
	if err != nil {
		return Figures{}, err
	}
	deemed := 0
	if in.DeemedMonths != nil {
		deemed = *in.DeemedMonths
	}
	var months calc.ContributionMonths
	counted := in.ActualMonths == nil
	if counted {
		var paid []calc.YearMonth
		last := in.RetirementDate.YearMonth()
		for _, c := range d.Contributions {
			if (c.Status == ledger.StatusPaid || c.Status == ledger.StatusExempt) && !c.Period.After(last) {
				paid = append(paid, c.Period)
			}
		}
		months, err = calc.CountContributionMonths(paid, deemed)
	} else {
		months = calc.ContributionMonths{Actual: *in.ActualMonths, Deemed: deemed, Total: *in.ActualMonths + deemed}
	}
	if err != nil {
		return Figures{}, err
	}
	return Figures{
		Legal:          legal,
		RetirementDate: in.RetirementDate,
		Months:         months,
		MonthsCounted:  counted,
		EarlyMonths:    calc.EarlyRetirementMonths(legal, in.RetirementDate),
		MinimumMonths:  rule.MinimumContributionMonths(in.RetirementDate.Year),
		RuleSource:     rule.Source,
	}, nil
}

// from fills what in leaves out with the person's values: birth date and
// gender (from the ID number when the ledger has none), identity and the
// deemed months.
func (in Input) from(p ledger.Person) Input {
	if in.BirthDate.IsZero() {
		in.BirthDate = p.BirthDate
		if in.BirthDate.IsZero() {
			in.BirthDate = ledger.IDBirthDate(p.IDNumber)
		}
	}
	if in.Gender == "" {
		in.Gender = p.Gender
		if in.Gender == "" {
			in.Gender = ledger.IDGender(p.IDNumber)
		}
	}
	if in.Identity == "" {
		in.Identity = p.Identity
	}
	if in.DeemedMonths == nil {
		n := p.DeemedMonths
		in.DeemedMonths = &n
	}
	return in
}

// validate checks the input once the ledger's values are filled in;
// fromLedger tells whether the person's ledger can count the months.
func validate(in Input, fromLedger bool) error {
	var ps calc.Problems
	if !in.BirthDate.Valid() {
		ps.Add(calc.InputBirthDate, "请填写正确的档案出生日期")
	}
	if in.Gender != calc.Male && in.Gender != calc.Female {
		ps.Add(calc.InputGender, "请选择性别（男或女）")
	}
	if in.Gender == calc.Female && in.Identity != calc.Worker && in.Identity != calc.Cadre {
		ps.Add(calc.InputIdentity, "请选择个人身份（工人或干部）")
	}
	if !in.RetirementDate.Valid() {
		ps.Add(calc.InputRetirementDate, "请填写正确的退休日期")
	} else if in.BirthDate.Valid() && !in.BirthDate.Before(in.RetirementDate) {
		ps.Add(calc.InputRetirementDate, "退休日期应晚于出生日期")
	}
	if in.ActualMonths != nil && (*in.ActualMonths < 0 || *in.ActualMonths > 1200) {
		ps.Add(calc.InputActualMonths, "实际缴费月数应为0到1200之间的整数")
	}
	if in.ActualMonths == nil && !fromLedger {
		ps.Add(calc.InputActualMonths, "请填写实际缴费月数，或提供人员编号由系统统计")
	}
	if in.DeemedMonths != nil && (*in.DeemedMonths < 0 || *in.DeemedMonths > 1200) {
		ps.Add(calc.InputDeemedMonths, "视同缴费月数应为0到1200之间的整数")
	}
	return ps.Err()
}
