// Package personalinfoapi is the PersonalInfoFunction: drafts, materials and submission of
// the personal-info family's businesses — 个人信息: changes of personal basic and key information — on the shared lifecycle
// (shared/application, routes in shared/application/familyapi).
// The family adds no prefill or business rule of its own yet: the
// catalog's form, materials and window, and the record tables' rows, are
// checked for every family by the lifecycle.
package personalinfoapi

import (
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/familyapi"
)

// Name is the function's logical id in template.yaml.
const Name = "PersonalInfoFunction"

// Family is the catalog family the function serves.
const Family = "personal-info"

// Plugin is what the family adds to the lifecycle.
var Plugin = application.Plugin{Family: Family, Effects: effects}

// New builds the function.
func New(d app.Deps) app.Function { return familyapi.New(Name, Plugin)(d) }
