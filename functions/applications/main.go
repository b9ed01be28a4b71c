// Command applications is the ApplicationsFunction Lambda: 用户中心, the
// applicant's applications across every family (package applicationsapi).
package main

import (
	"github.com/hljhrss/hrss/functions/applications/applicationsapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/notifywire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(applicationsapi.New, blobswire.S3, workflowwire.StepFunctions, notifywire.SNSAndSES)
}
