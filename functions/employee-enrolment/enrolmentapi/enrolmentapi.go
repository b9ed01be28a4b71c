// Package enrolmentapi is the EmployeeEnrolmentFunction: drafts, materials and submission of
// the employee-enrolment family's businesses — 职工参保: employee enrolment, contribution suspension and resumption — on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
// The family adds no prefill or business rule of its own yet: the
// catalog's form, materials and window, and the record tables' rows, are
// checked for every family by the lifecycle.
package enrolmentapi

import (
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
)

// Name is the function's logical id in template.yaml.
const Name = "EmployeeEnrolmentFunction"

// Family is the catalog family the function serves.
const Family = "employee-enrolment"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }
