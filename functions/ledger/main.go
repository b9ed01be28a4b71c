// Command ledger is the LedgerFunction Lambda: back-payment and retirement
// calculations and the record tables of the ledger (package ledgerapi).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/hljhrss/hrss/functions/ledger/ledgerapi"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	deps, err := awswire.Deps(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(1)
	}
	lambda.Start(handler(deps))
}

// handler is the Lambda entry point for the given adapters.
func handler(d app.Deps) func(ctx context.Context, raw json.RawMessage) (any, error) {
	return lambdaentry.Handler(ledgerapi.New(d), d.Log)
}
