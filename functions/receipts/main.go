// Command receipts is the ReceiptsFunction Lambda: the 回执单 of a
// submission, made by the review workflow's first step, printed by the
// applicant and verified by anyone (package receiptsapi).
package main

import (
	"github.com/hljhrss/hrss/functions/receipts/receiptsapi"
	"github.com/hljhrss/hrss/shared/awswire/blobswire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	lambdaentry.Main(receiptsapi.New, blobswire.S3)
}
