// Command employee-enrolment is the EmployeeEnrolmentFunction Lambda: the applicant's side of the
// employee-enrolment family's businesses (package enrolmentapi).
package main

import (
	"github.com/hljhrss/hrss/functions/employee-enrolment/enrolmentapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(enrolmentapi.New, blobswire.S3, workflowwire.StepFunctions)
}
