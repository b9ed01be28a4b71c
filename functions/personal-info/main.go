// Command personal-info is the PersonalInfoFunction Lambda: the applicant's side of the
// personal-info family's businesses (package personalinfoapi).
package main

import (
	"github.com/hljhrss/hrss/functions/personal-info/personalinfoapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(personalinfoapi.New, blobswire.S3, workflowwire.StepFunctions)
}
