package certificationapi

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/ledger"
)

// What an approved certification does to the ledger (办结): the year
// certified (年度) is recorded on the benefit (Benefit.Certified), never
// lowered. A result other than 正常 (death, disappearance, ...) is not a
// certification: the case goes to staff, who suspend or terminate the
// benefit. A terminated benefit is not certified.
//
//   - 4.2: the applicant's own retiree benefit.
//   - 5.15: the survivor benefit of the person the unit names by 社会保障号
//     and 姓名, whose deceased was insured through the unit.
var effects = map[string]application.EffectFunc{
	"retiree-eligibility-certification":  certifyRetiree,
	"survivor-eligibility-certification": certifySurvivor,
}

// resultPassed is the label of the 待遇领取资格认证结果 that certifies.
const resultPassed = "正常"

// certifyRetiree is 4.2.
func certifyRetiree(_ context.Context, in application.EffectInput) (application.Effect, error) {
	year, err := certification(in)
	if err != nil {
		return application.Effect{}, err
	}
	d := in.Records.Dossier
	if d == nil {
		return application.Effect{}, application.CannotApply("未找到申请人的参保记录")
	}
	i := slices.IndexFunc(d.Benefits, func(b ledger.Benefit) bool {
		return b.Kind == ledger.BenefitRetiree && b.PersonNumber == d.Person.Number
	})
	if i < 0 {
		return application.Effect{}, application.CannotApply("未找到申请人的离退休待遇记录")
	}
	return certify([]ledger.Benefit{d.Benefits[i]}, year)
}

// certifySurvivor is 5.15.
func certifySurvivor(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	year, err := certification(in)
	if err != nil {
		return application.Effect{}, err
	}
	if in.App.Unit == "" {
		return application.Effect{}, application.CannotApply("申请单位尚未在参保系统中登记")
	}
	id := in.Snapshot.Fields["socialSecurityNumber"]
	p, err := in.Store.PersonByIDNumber(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return application.Effect{}, application.CannotApply("未找到社会保障号为%s的人员", checks.MaskID(id))
	}
	if err != nil {
		return application.Effect{}, err
	}
	if p.Name != in.Snapshot.Fields["name"] {
		return application.Effect{}, application.CannotApply("姓名与社会保障号%s登记的姓名不一致", checks.MaskID(id))
	}
	d, err := in.Store.Dossier(ctx, p.Number)
	if err != nil {
		return application.Effect{}, err
	}
	staff, err := in.Store.UnitStaff(ctx, in.App.Unit)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return application.Effect{}, err
	}
	var mine []ledger.Benefit
	for _, b := range d.Benefits {
		formerEmployee := slices.ContainsFunc(staff, func(sp ledger.Spell) bool { return sp.PersonNumber == b.Ref })
		if b.Kind == ledger.BenefitSurvivor && b.PersonNumber == p.Number && b.Ref != "" && formerEmployee {
			mine = append(mine, b)
		}
	}
	if len(mine) == 0 {
		return application.Effect{}, application.CannotApply("该人员没有本单位已故职工的遗属供养待遇记录，不能由本单位认证")
	}
	return certify(mine, year)
}

// certification checks the submitted result and returns the year
// certified.
func certification(in application.EffectInput) (int, error) {
	f := in.Snapshot.Fields
	if label := resultLabel(f["certificationResult"]); label != resultPassed {
		return 0, application.CannotApply("认证结果为“%s”，不能记为领取资格认证通过，请按认证结果办理待遇暂停或终止", label)
	}
	year, err := strconv.Atoi(f["year"])
	if err != nil || year < 1900 {
		return 0, application.CannotApply("提交的认证年度“%s”无法识别", f["year"])
	}
	return year, nil
}

func resultLabel(code string) string {
	if t, ok := catalog.Default().Tables().Table("certificationResult"); ok {
		if e, ok := t.Lookup(code); ok {
			return e.Label
		}
	}
	return code
}

// certify records year on the benefits that are not terminated (at least
// one must be); a benefit certified for year or later already is left
// alone.
func certify(bs []ledger.Benefit, year int) (application.Effect, error) {
	var e application.Effect
	live := 0
	for _, b := range bs {
		if b.Status == ledger.BenefitTerminated {
			continue
		}
		live++
		if b.Certified >= year {
			continue
		}
		old := ""
		if b.Certified > 0 {
			old = strconv.Itoa(b.Certified)
		}
		e.History = append(e.History, application.Change{Record: "待遇", Field: "certified." + string(b.Kind), Old: old, New: strconv.Itoa(year)})
		b.Certified = year
		e.Put = append(e.Put, b)
	}
	if live == 0 {
		return application.Effect{}, application.CannotApply("%s已终止发放，无需资格认证", bs[0].Kind.Label())
	}
	e.Summary = fmt.Sprintf("已完成%d年度%s领取资格认证。", year, bs[0].Kind.Label())
	if len(e.Put) == 0 {
		e.Summary = fmt.Sprintf("%d年度%s领取资格认证此前已完成，无需重复认证。", year, bs[0].Kind.Label())
	}
	return e, nil
}
