package ledger

import (
	"context"
	"errors"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/refdata"
)

// RetirementInput is what a retirement application (4.22, 4.24, 5.3) gives
// to compute its figures. Values left zero are taken from the person's
// ledger when PersonNumber is set.
type RetirementInput struct {
	PersonNumber   string
	BirthDate      calc.Date     // 档案出生日期
	Gender         calc.Gender   // 男 / 女
	Identity       calc.Identity // 个人身份: 工人 / 干部 (decides a woman's age)
	RetirementDate calc.Date     // 退休日期; zero: today
	ActualMonths   *int          // 实际缴费月数; nil: counted from the ledger
	DeemedMonths   *int          // 视同缴费月数; nil: the person's, else 0
}

// RetirementFigures are the figures of a retirement application.
type RetirementFigures struct {
	Legal          calc.LegalRetirement    // 法定退休年龄 and date under the rule in force
	RetirementDate calc.Date               // 退休日期 used
	Months         calc.ContributionMonths // 实际缴费月数, 视同缴费月数, total
	MonthsCounted  bool                    // Actual counted from the ledger (not given)
	EarlyMonths    int                     // 提前退休月数
	MinimumMonths  int                     // minimum contribution months for a monthly pension that year
	RuleSource     string
}

// MeetsMinimum reports whether the total months reach the minimum.
func (f RetirementFigures) MeetsMinimum() bool { return f.Months.Total >= f.MinimumMonths }

// Retirement computes the legal retirement date and the month counts of a
// retirement application. Paid months counted from the ledger are the
// distinct periods with a paid or exempt row up to the retirement month.
// Bad input is an *apperr.Error with field errors keyed as the form
// (archiveBirthDate, gender, personalIdentity, retirementDate,
// actualContributionMonths, deemedContributionMonths); an unknown person is
// NotFound.
func (s *Store) Retirement(ctx context.Context, in RetirementInput) (RetirementFigures, error) {
	var d *Dossier
	if in.PersonNumber != "" {
		dd, err := s.Dossier(ctx, in.PersonNumber)
		if err != nil {
			return RetirementFigures{}, err
		}
		d = &dd
		p := dd.Person
		if in.BirthDate.IsZero() {
			in.BirthDate = p.BirthDate
			if in.BirthDate.IsZero() {
				in.BirthDate = IDBirthDate(p.IDNumber)
			}
		}
		if in.Gender == "" {
			in.Gender = p.Gender
			if in.Gender == "" {
				in.Gender = IDGender(p.IDNumber)
			}
		}
		if in.Identity == "" {
			in.Identity = p.Identity
		}
		if in.DeemedMonths == nil {
			n := p.DeemedMonths
			in.DeemedMonths = &n
		}
	}
	if in.RetirementDate.IsZero() {
		in.RetirementDate = s.Today()
	}
	fields := map[string]string{}
	if !in.BirthDate.Valid() {
		fields["archiveBirthDate"] = "请填写正确的档案出生日期"
	}
	if in.Gender != calc.Male && in.Gender != calc.Female {
		fields["gender"] = "请选择性别（男或女）"
	}
	if in.Gender == calc.Female && in.Identity != calc.Worker && in.Identity != calc.Cadre {
		fields["personalIdentity"] = "请选择个人身份（工人或干部）"
	}
	if !in.RetirementDate.Valid() {
		fields["retirementDate"] = "请填写正确的退休日期"
	} else if in.BirthDate.Valid() && !in.BirthDate.Before(in.RetirementDate) {
		fields["retirementDate"] = "退休日期应晚于出生日期"
	}
	if in.ActualMonths != nil && (*in.ActualMonths < 0 || *in.ActualMonths > 1200) {
		fields["actualContributionMonths"] = "实际缴费月数应为0到1200之间的整数"
	}
	if in.ActualMonths == nil && d == nil {
		fields["actualContributionMonths"] = "请填写实际缴费月数，或提供人员编号由系统统计"
	}
	if in.DeemedMonths != nil && (*in.DeemedMonths < 0 || *in.DeemedMonths > 1200) {
		fields["deemedContributionMonths"] = "视同缴费月数应为0到1200之间的整数"
	}
	if len(fields) > 0 {
		return RetirementFigures{}, apperr.Fields("", fields)
	}

	set, err := s.RefData(ctx)
	if err != nil {
		return RetirementFigures{}, err
	}
	rule, err := set.RetirementRule(in.RetirementDate)
	if err != nil {
		var me *refdata.MissingError
		if errors.As(err, &me) {
			return RetirementFigures{}, apperr.Field("retirementDate", me.Message())
		}
		return RetirementFigures{}, err
	}
	legal, err := rule.Legal(in.BirthDate, in.Gender, in.Identity)
	if err != nil {
		return RetirementFigures{}, err
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
			if (c.Status == StatusPaid || c.Status == StatusExempt) && !c.Period.After(last) {
				paid = append(paid, c.Period)
			}
		}
		months, err = calc.CountContributionMonths(paid, deemed)
	} else {
		months = calc.ContributionMonths{Actual: *in.ActualMonths, Deemed: deemed, Total: *in.ActualMonths + deemed}
	}
	if err != nil {
		return RetirementFigures{}, err
	}
	return RetirementFigures{
		Legal:          legal,
		RetirementDate: in.RetirementDate,
		Months:         months,
		MonthsCounted:  counted,
		EarlyMonths:    calc.EarlyRetirementMonths(legal, in.RetirementDate),
		MinimumMonths:  rule.MinimumContributionMonths(in.RetirementDate.Year),
		RuleSource:     rule.Source,
	}, nil
}
