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
	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/application/familyapi"
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

// Wiring is what a function's main.go passes to lambdaentry.Main beside
// the table: the optional adapters of app.Deps (shared/awswire).
type Wiring struct{ Blobs, Workflow, Notify bool }

// submits is the wiring of a business family and of ReviewFunction:
// materials and the review workflow. Their lifecycle sends no message
// (familyapi.NewService says why).
var submits = Wiring{Blobs: true, Workflow: true}

// all is ApplicationsFunction's: materials, the review workflow and the
// notifications its tasks and reminders send.
var all = Wiring{Blobs: true, Workflow: true, Notify: true}

// Wired is each function's wiring, by logical id. The runner gives each
// function only these adapters, as AWS does, so that a function reading
// one its main.go does not pass fails here as it would in AWS
// (TestWiredAsMain holds the table to the main.go files).
var Wired = map[string]Wiring{
	platformapi.Name: {Workflow: true},
	catalogapi.Name:  {},
	ledgerapi.Name:   {Notify: true},
	identityapi.Name: {Notify: true},

	flexibleapi.Name: submits, contributionsapi.Name: submits, retirementapi.Name: submits, survivorapi.Name: submits,
	certificationapi.Name: submits, personalinfoapi.Name: submits, enterpriseapi.Name: submits, enrolmentapi.Name: submits,
	reviewapi.Name: submits, applicationsapi.Name: all,
	receiptsapi.Name: {Blobs: true},
}

// wire returns d with only the adapters w passes.
func (w Wiring) wire(d app.Deps) app.Deps {
	if !w.Blobs {
		d.Blobs = nil
	}
	if !w.Workflow {
		d.Workflow = nil
	}
	if !w.Notify {
		d.Notify = nil
	}
	return d
}

// Policies are the access policies each function of template.yaml declares
// for its routes, by logical id (the access and OpenAPI tests check routes
// and the document against them).
var Policies = map[string]access.Policies{
	platformapi.Name: platformapi.Policies, catalogapi.Name: catalogapi.Policies,
	ledgerapi.Name: ledgerapi.Policies, identityapi.Name: identityapi.Policies,
	applicationsapi.Name: applicationsapi.Policies, reviewapi.Name: reviewapi.Policies, receiptsapi.Name: receiptsapi.Policies,
	flexibleapi.Name: familyapi.Policies(flexibleapi.Family), contributionsapi.Name: familyapi.Policies(contributionsapi.Family, contributionsapi.Routes...),
	retirementapi.Name: familyapi.Policies(retirementapi.Family), survivorapi.Name: familyapi.Policies(survivorapi.Family),
	certificationapi.Name: familyapi.Policies(certificationapi.Family), personalinfoapi.Name: familyapi.Policies(personalinfoapi.Family),
	enterpriseapi.Name: familyapi.Policies(enterpriseapi.Family), enrolmentapi.Name: familyapi.Policies(enrolmentapi.Family),
}
