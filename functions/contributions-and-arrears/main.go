// Command contributions-and-arrears is the ContributionsAndArrearsFunction Lambda: the applicant's side of the
// contributions-and-arrears family's businesses (package contributionsapi).
package main

import (
	"github.com/hljhrss/hrss/functions/contributions-and-arrears/contributionsapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(contributionsapi.New, blobswire.S3, workflowwire.StepFunctions)
}
