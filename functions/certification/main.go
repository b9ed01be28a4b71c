// Command certification is the CertificationFunction Lambda: the applicant's side of the
// certification family's businesses (package certificationapi).
package main

import (
	"github.com/hljhrss/hrss/functions/certification/certificationapi"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() { lambdaentry.Main(certificationapi.New) }
