package runner

import (
	"github.com/hljhrss/hrss/functions/applications/applicationsapi"
	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/functions/certification/certificationapi"
	"github.com/hljhrss/hrss/functions/contributions-and-arrears/contributionsapi"
	"github.com/hljhrss/hrss/functions/employee-enrolment/enrolmentapi"
	"github.com/hljhrss/hrss/functions/enterprise-registration/enterpriseapi"
	"github.com/hljhrss/hrss/functions/flexible-employment/flexibleapi"
	"github.com/hljhrss/hrss/functions/identity/identityapi"
	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/functions/personal-info/personalinfoapi"
	"github.com/hljhrss/hrss/functions/platform/platformapi"
	"github.com/hljhrss/hrss/functions/receipts/receiptsapi"
	"github.com/hljhrss/hrss/functions/retirement-benefits/retirementapi"
	"github.com/hljhrss/hrss/functions/review/reviewapi"
	"github.com/hljhrss/hrss/functions/survivor-benefits/survivorapi"
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

	flexibleapi.Name:      flexibleapi.New,
	contributionsapi.Name: contributionsapi.New,
	retirementapi.Name:    retirementapi.New,
	survivorapi.Name:      survivorapi.New,
	certificationapi.Name: certificationapi.New,
	personalinfoapi.Name:  personalinfoapi.New,
	enterpriseapi.Name:    enterpriseapi.New,
	enrolmentapi.Name:     enrolmentapi.New,
	applicationsapi.Name:  applicationsapi.New,
	reviewapi.Name:        reviewapi.New,
	receiptsapi.Name:      receiptsapi.New,
}
