// Command flexible-employment is the FlexibleEmploymentFunction Lambda: the applicant's side of the
// flexible-employment family's businesses (package flexibleapi).
package main

import (
	"github.com/hljhrss/hrss/functions/flexible-employment/flexibleapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(flexibleapi.New, blobswire.S3, workflowwire.StepFunctions)
}
