// Command enterprise-registration is the EnterpriseRegistrationFunction Lambda: the applicant's side of the
// enterprise-registration family's businesses (package enterpriseapi).
package main

import (
	"github.com/hljhrss/hrss/functions/enterprise-registration/enterpriseapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(enterpriseapi.New, blobswire.S3, workflowwire.StepFunctions)
}
