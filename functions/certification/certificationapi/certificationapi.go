// Package certificationapi is the CertificationFunction: drafts, materials and submission of
// the certification family's businesses — 资格认证: retiree and survivor eligibility certification — on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
// Business rules the family adds at submit: 4.2 离退休人员领取资格认证
// needs a retiree benefit in the ledger. 5.15 is the unit's, for its
// survivors, and has no rule on the agent's records.
package certificationapi

import (
	"context"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Name is the function's logical id in template.yaml.
const Name = "CertificationFunction"

// Family is the catalog family the function serves.
const Family = "certification"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }

func rules(_ context.Context, in application.RuleInput) (map[string]string, error) {
	if p := in.UnitRegistered(); p != nil {
		return p, nil
	}
	if in.Business.ID == "retiree-eligibility-certification" && !in.Records.HasBenefit(ledger.BenefitRetiree) {
		return map[string]string{"business": "未查到您的离退休待遇记录，无需办理领取资格认证"}, nil
	}
	return nil, nil
}
