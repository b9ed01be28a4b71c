// Command ledger is the LedgerFunction Lambda: back-payment and retirement
// calculations and the record tables of the ledger (package ledgerapi).
package main

import (
	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/shared/awswire/notifywire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() { lambdaentry.Main(ledgerapi.New, notifywire.SNSAndSES) }
