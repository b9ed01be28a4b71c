package reminder

import (
	"context"
	"fmt"
	"time"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/inbox"
	"github.com/hljhrss/hrss/shared/ledger"
)

// The yearly certification reminder (template.yaml ReminderCertification,
// run by the ledger function on the 1st of every month).
const (
	JobCertification = "certification"
	// BusinessRetireeCertification is 4.2, done by the retiree.
	BusinessRetireeCertification = "retiree-eligibility-certification"
	// BusinessSurvivorCertification is 5.15, done by the unit of the
	// deceased employee.
	BusinessSurvivorCertification = "survivor-eligibility-certification"
)

// Certification lists, in the month of the run, the benefits being paid
// whose certification month it is and whose year is not certified yet: a
// retiree is told to certify (4.2); the unit where the deceased last
// worked is told for a survivor dependant (5.15).
type Certification struct {
	Ledger            *ledger.Store
	Dir               *identity.Directory
	Clock             clock.Clock
	Retiree, Survivor *catalog.Business
}

// Page is one page of the month's benefits; the cursor is the table's.
func (c Certification) Page(ctx context.Context, period, after string) ([]Recipient, string, error) {
	ym, err := calc.ParseYearMonth(period)
	if err != nil {
		return nil, "", fmt.Errorf("reminder: certification period %q", period)
	}
	benefits, next, err := c.Ledger.CertificationDue(ctx, ym.Month, after)
	if err != nil {
		return nil, "", err
	}
	// The month's last day is the deadline the message names.
	end := calc.Date{Year: ym.Year, Month: ym.Month, Day: time.Date(ym.Year, ym.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()}.Chinese()
	var out []Recipient
	for _, b := range benefits {
		if b.Certified >= ym.Year {
			continue
		}
		rc := Recipient{Key: "c" + b.PersonNumber + "-" + string(b.Kind)[:1]}
		switch b.Kind {
		case ledger.BenefitRetiree:
			p, err := c.Ledger.Person(ctx, b.PersonNumber)
			if err != nil {
				return nil, "", err
			}
			if rc.Account, err = c.Dir.PersonAccount(ctx, p.IDNumber); err != nil {
				return nil, "", err
			}
			rc.Message = inbox.Message{Title: "资格认证提醒", Business: c.Retiree.ID, Link: "/apply/" + c.Retiree.ID,
				Body: fmt.Sprintf("您%d年度的离退休待遇领取资格认证尚未完成，请于%s前通过“%s”办理，以免影响待遇发放。", ym.Year, end, c.Retiree.Name)}
		case ledger.BenefitSurvivor:
			unit, err := c.lastUnit(ctx, b.Ref)
			if err != nil || unit == "" {
				return nil, "", err
			}
			u, err := c.Ledger.Unit(ctx, unit)
			if err != nil {
				return nil, "", err
			}
			if rc.Account, err = c.Dir.UnitAccount(ctx, u.CreditCode); err != nil {
				return nil, "", err
			}
			rc.Key += unit
			rc.Message = inbox.Message{Title: "遗属资格认证提醒", Business: c.Survivor.ID, Link: "/apply/" + c.Survivor.ID,
				Body: fmt.Sprintf("贵单位已故职工（人员编号%s）的遗属供养人员（人员编号%s）%d年度的领取待遇资格认证尚未完成，请于%s前通过“%s”办理，以免影响待遇发放。",
					b.Ref, b.PersonNumber, ym.Year, end, c.Survivor.Name)}
		default:
			continue
		}
		out = append(out, rc)
	}
	return out, next, nil
}

// lastUnit is the unit of the deceased's latest employment spell ("" when
// none).
func (c Certification) lastUnit(ctx context.Context, person string) (string, error) {
	d, err := c.Ledger.Dossier(ctx, person)
	if err != nil {
		return "", err
	}
	unit, from := "", calc.YearMonth{}
	for _, sp := range d.Spells {
		if unit == "" || from.Before(sp.From) {
			unit, from = sp.UnitNumber, sp.From
		}
	}
	return unit, nil
}

// CertificationJob is the yearly certification reminder on the ledger.
func CertificationJob(ls *ledger.Store, dir *identity.Directory, clk clock.Clock) (Job, error) {
	cat := catalog.Default()
	r, ok1 := cat.Business(BusinessRetireeCertification)
	s, ok2 := cat.Business(BusinessSurvivorCertification)
	if !ok1 || !ok2 {
		return Job{}, fmt.Errorf("reminder: the catalog lacks %s or %s", BusinessRetireeCertification, BusinessSurvivorCertification)
	}
	info, _ := InfoOf(JobCertification)
	return Job{Name: JobCertification, Label: info.Label, Period: MonthPeriod,
		Sources: []Source{Certification{Ledger: ls, Dir: dir, Clock: clk, Retiree: r, Survivor: s}}}, nil
}
