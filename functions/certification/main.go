// Command certification is the CertificationFunction Lambda: the applicant's side of the
// certification family's businesses (package certificationapi).
package main

import (
	"github.com/hljhrss/hrss/functions/certification/certificationapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(certificationapi.New, blobswire.S3, workflowwire.StepFunctions)
}
