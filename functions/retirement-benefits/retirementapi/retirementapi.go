// Package retirementapi is the RetirementBenefitsFunction: drafts, materials and submission of
// the retirement-benefits family's businesses — 离退休待遇: retirement applications, benefit suspension, resumption, termination, payment information, back-pay — on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
// Business rules the family adds at submit: the businesses about one's own
// pension (4.5 暂停, 4.13 发放信息维护, 4.14 恢复, 4.21 补发) need a retiree
// benefit in the ledger; 4.24 needs a flexible-employment enrolment. The
// businesses an heir or the unit applies for (4.11, 4.12, 4.20, 4.22,
// 5.3, 5.6) have no rule on the applicant's own records.
package retirementapi

import (
	"context"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Name is the function's logical id in template.yaml.
const Name = "RetirementBenefitsFunction"

// Family is the catalog family the function serves.
const Family = "retirement-benefits"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }

var ownPension = map[string]bool{"retiree-benefit-suspend": true, "retiree-payment-info-maintenance": true,
	"retiree-benefit-resume": true, "retiree-benefit-back-pay": true}

func rules(_ context.Context, in application.RuleInput) (map[string]string, error) {
	if p := in.UnitRegistered(); p != nil {
		return p, nil
	}
	switch {
	case ownPension[in.Business.ID] && !in.Records.HasBenefit(ledger.BenefitRetiree):
		return map[string]string{"business": "未查到您的离退休待遇记录，无法办理" + in.Business.Name}, nil
	case in.Business.ID == "flexible-employment-retirement-application" && in.Records.InsuredType() != ledger.InsuredFlexible:
		return map[string]string{"business": "本业务由灵活就业人员办理；您的参保身份不是灵活就业人员，请由单位为您办理退休申请"}, nil
	}
	return nil, nil
}
