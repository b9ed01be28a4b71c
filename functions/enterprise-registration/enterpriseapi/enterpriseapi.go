// Package enterpriseapi is the EnterpriseRegistrationFunction: drafts,
// materials and submission of the enterprise-registration family's
// businesses (单位登记: 5.4 单位参保信息变更, 5.7 单位一般信息维护, 5.8 单位关键信息
// 维护, 5.9 单位参保登记, 5.10 单位注销) on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
//
// Business rules the family adds at submit:
//
//   - 5.9 registers a unit not in the ledger yet: the agent's unit is not
//     registered, and no registered unit has the credit code entered;
//   - every other business needs the unit registered;
//   - 5.10 needs no employee on the unit's payroll any more (职工停保 first).
package enterpriseapi

import (
	"context"
	"fmt"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
)

// Name is the function's logical id in template.yaml.
const Name = "EnterpriseRegistrationFunction"

// Family is the catalog family the function serves.
const Family = "enterprise-registration"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }

func rules(ctx context.Context, in application.RuleInput) (map[string]string, error) {
	if in.Business.ID == "unit-enrol" {
		if u := in.Records.Unit; u != nil {
			return map[string]string{"business": "本单位已在参保系统中登记（单位编号" + u.Number + "），无需重复办理单位参保登记"}, nil
		}
		if code := in.Values["uscc"]; code != "" {
			u, err := in.Store.UnitByCreditCode(ctx, code)
			switch {
			case err == nil:
				return map[string]string{"fields.uscc": "该统一社会信用代码的单位已参保登记（单位编号" + u.Number + "），请核对"}, nil
			case apperr.CodeOf(err) != apperr.NotFound:
				return nil, err
			}
		}
		return nil, nil
	}
	if p := in.UnitRegistered(); p != nil {
		return p, nil
	}
	if in.Business.ID == "unit-deregister" {
		staff, err := in.Store.UnitStaff(ctx, in.Records.Unit.Number)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return nil, err
		}
		n := 0
		for _, sp := range staff {
			if sp.To.IsZero() {
				n++
			}
		}
		if n > 0 {
			return map[string]string{"business": fmt.Sprintf("本单位仍有%d名在职参保职工，请先为其办理职工停保（5.13）后再申请注销", n)}, nil
		}
	}
	return nil, nil
}
