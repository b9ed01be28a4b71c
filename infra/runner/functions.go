package runner

import (
	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/functions/platform/platformapi"
	"github.com/hljhrss/hrss/shared/app"
)

// Constructors maps each function of template.yaml (by logical id) to the
// constructor of its handlers. A function in the template without an entry
// here, or an entry without a function, fails the template ↔ code test.
var Constructors = map[string]func(app.Deps) app.Function{
	platformapi.Name: platformapi.New,
	catalogapi.Name:  catalogapi.New,
	ledgerapi.Name:   ledgerapi.New,
	identityapi.Name: identityapi.New,
}
