// Package enrolmentapi is the EmployeeEnrolmentFunction: drafts, materials
// and submission of the employee-enrolment family's businesses (职工参保:
// 5.11 职工参保登记, 5.12 职工恢复缴费, 5.13 职工暂停缴费) on the shared
// lifecycle (shared/application, routes in shared/application/familyapi).
//
// Business rules the family adds at submit, on the employee the form names
// by 社会保障号 and the unit's employment spells:
//
//   - every business needs the unit registered;
//   - 5.11: the person is not already insured through the unit;
//   - 5.12: the person was employed by the unit and is suspended (暂停缴费);
//   - 5.13: the person is employed by the unit now and paying (参保缴费).
package enrolmentapi

import (
	"context"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/ledger"
)

// Name is the function's logical id in template.yaml.
const Name = "EmployeeEnrolmentFunction"

// Family is the catalog family the function serves.
const Family = "employee-enrolment"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Rules: rules, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }

func rules(ctx context.Context, in application.RuleInput) (map[string]string, error) {
	if p := in.UnitRegistered(); p != nil {
		return p, nil
	}
	unit := in.Records.Unit.Number
	person, err := in.Store.PersonByIDNumber(ctx, in.Values["socialSecurityNumber"])
	found := err == nil
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return nil, err
	}
	var atUnit, ongoing bool
	if found {
		staff, err := in.Store.UnitStaff(ctx, unit)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return nil, err
		}
		for _, sp := range staff {
			if sp.PersonNumber == person.Number {
				atUnit, ongoing = true, ongoing || sp.To.IsZero()
			}
		}
	}
	refuse := func(msg string) (map[string]string, error) {
		return map[string]string{"fields.socialSecurityNumber": msg}, nil
	}
	switch in.Business.ID {
	case "employee-enrol":
		if ongoing {
			return refuse("该职工已在本单位参保，无需重复办理职工参保登记")
		}
	case "employee-contribution-resume":
		if !atUnit || person.Status != ledger.PersonSuspended {
			return refuse("该人员不是本单位暂停缴费的职工，无法恢复缴费")
		}
	case "employee-contribution-suspend":
		if !ongoing || person.Status != ledger.PersonPaying {
			return refuse("该人员不是本单位正常缴费的在职职工，无法暂停缴费")
		}
	}
	return nil, nil
}
