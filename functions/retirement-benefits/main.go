// Command retirement-benefits is the RetirementBenefitsFunction Lambda: the applicant's side of the
// retirement-benefits family's businesses (package retirementapi).
package main

import (
	"github.com/hljhrss/hrss/functions/retirement-benefits/retirementapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(retirementapi.New, blobswire.S3, workflowwire.StepFunctions)
}
