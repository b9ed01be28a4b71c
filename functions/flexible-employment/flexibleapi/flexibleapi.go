// Package flexibleapi is the FlexibleEmploymentFunction: drafts, materials
// and submission of the flexible-employment family's businesses (灵活就业:
// 4.1 暂停, 4.16 缴费档次设置, 4.17 续保, 4.18 参保登记, 4.25 应缴核定, 4.26
// 应缴核定撤销) on the shared lifecycle (shared/application,
// routes in shared/application/familyapi).
//
// Business rules the family adds at submit (the lifecycle already checks
// the form, materials, window and that ticked rows are rows the record
// table offers — for 4.26 that is assessed months only):
//
//   - 4.1 suspend and 4.16 grade: an active flexible-employment enrolment
//     (参保身份 灵活就业人员, 个人缴费状态 参保缴费);
//   - 4.17 continue: a flexible-employment enrolment that is suspended;
//   - 4.18 enrol: not already enrolled as a flexible worker and paying.
package flexibleapi

import (
	"context"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Name is the function's logical id in template.yaml.
const Name = "FlexibleEmploymentFunction"

// Family is the catalog family the function serves.
const Family = "flexible-employment"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }

func rules(_ context.Context, in application.RuleInput) (map[string]string, error) {
	var insured, status string
	if d := in.Records.Dossier; d != nil {
		insured, status = d.Person.InsuredType, d.Person.Status
	}
	flexible := insured == ledger.InsuredFlexible
	switch in.Business.ID {
	case "flexible-employment-suspend", "flexible-employment-contribution-setting":
		if !flexible || status != ledger.PersonPaying {
			return map[string]string{"business": "您当前没有正常缴费的灵活就业参保登记，无法办理" + in.Business.Name + "；请先办理灵活就业人员参保登记"}, nil
		}
	case "flexible-employment-continue-insurance":
		if !flexible || status != ledger.PersonSuspended {
			return map[string]string{"business": "只有灵活就业参保处于暂停缴费状态时才能办理续保"}, nil
		}
	case "flexible-employment-enrol":
		if flexible && status == ledger.PersonPaying {
			return map[string]string{"business": "您已是正常缴费的灵活就业人员，无需重复参保登记"}, nil
		}
		if d := in.Records.Dossier; d != nil {
			if !d.Person.Retired.IsZero() || in.Records.HasBenefit(ledger.BenefitRetiree) {
				return map[string]string{"business": "您已办理退休，不能以灵活就业人员身份参保"}, nil
			}
			for _, sp := range d.Spells {
				if sp.To.IsZero() && !isFlexibleUnit(sp.UnitNumber) {
					return map[string]string{"business": "您在单位的参保关系尚未中断，须由单位办理暂停缴费后，才能以灵活就业人员身份参保"}, nil
				}
			}
		}
	}
	return nil, nil
}
