// Package contributionsapi is the ContributionsAndArrearsFunction: drafts,
// materials and submission of the contributions-and-arrears family's
// businesses (费用征缴: 4.4 个人退费, 4.6 and 4.9 补缴, 5.1 职工个人补缴, 5.5
// 职工欠费清欠, 5.14 缴费基数变更 …) on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
//
// The lifecycle already refuses ticked periods that the business's record
// table does not offer (4.4 lists refundable, paid rows only; 5.5 the
// arrears). The family adds 5.1's hint: a period can be back-paid only
// once its base is set (5.14 缴费基数变更): a ticked row without a base is
// refused.
//
// 5.2 单位职工工资申报 adds GET …/applications/{id}/declaration-template (the
// ZIP named after the unit, holding a workbook of its employees) and checks
// the uploaded 缴费申报文件 row by row (declaration.go).
package contributionsapi

import (
	"context"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
)

// Name is the function's logical id in template.yaml.
const Name = "ContributionsAndArrearsFunction"

// Family is the catalog family the function serves.
const Family = "contributions-and-arrears"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, CheckFile: checkDeclaration, Effects: effects}

// Routes are the family's own routes: 5.2's declaration template.
var Routes = []familyapi.Route{templateRoute()}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin, Routes...)(d) }

func rules(_ context.Context, in application.RuleInput) (map[string]string, error) {
	if p := in.UnitRegistered(); p != nil {
		return p, nil
	}
	if in.Business.ID != "employee-back-payment" || in.Ledger == nil {
		return nil, nil
	}
	for i, r := range in.Ledger.Rows {
		if in.Ledger.Ticked[i] && !r.Base.IsPositive() {
			return map[string]string{"selection": r.Period.String() + "尚未核定缴费基数，请先办理职工缴费基数变更（5.14）后再补缴"}, nil
		}
	}
	return nil, nil
}
