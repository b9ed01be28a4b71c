// Package survivorapi is the SurvivorBenefitsFunction: drafts, materials and submission of
// the survivor-benefits family's businesses — 遗属待遇: survivor information, benefit suspension, resumption, termination, back-pay — on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
// Business rules the family adds at submit: the businesses about one's own
// survivor benefit (4.8 信息变更, 4.10 恢复, 4.15 暂停, 4.27 补发) need a
// survivor benefit in the ledger. 4.19 终止 may be reported by a relative
// and has no rule on the applicant's own records.
package survivorapi

import (
	"context"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Name is the function's logical id in template.yaml.
const Name = "SurvivorBenefitsFunction"

// Family is the catalog family the function serves.
const Family = "survivor-benefits"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }

var ownBenefit = map[string]bool{"survivor-info-change": true, "survivor-benefit-resume": true,
	"survivor-benefit-suspend": true, "survivor-benefit-back-pay": true}

func rules(_ context.Context, in application.RuleInput) (map[string]string, error) {
	if ownBenefit[in.Business.ID] && !in.Records.HasBenefit(ledger.BenefitSurvivor) {
		return map[string]string{"business": "未查到您的遗属待遇记录，无法办理" + in.Business.Name}, nil
	}
	return nil, nil
}
