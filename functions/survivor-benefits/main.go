// Command survivor-benefits is the SurvivorBenefitsFunction Lambda: the applicant's side of the
// survivor-benefits family's businesses (package survivorapi).
package main

import (
	"github.com/hljhrss/hrss/functions/survivor-benefits/survivorapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(survivorapi.New, blobswire.S3, workflowwire.StepFunctions)
}
