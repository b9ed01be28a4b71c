// Command review is the ReviewFunction Lambda: the staff console's API
// (package reviewapi).
package main

import (
	"github.com/hljhrss/hrss/functions/review/reviewapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(reviewapi.New, blobswire.S3, workflowwire.StepFunctions)
}
