// Command platform is the PlatformFunction Lambda: the health route, the
// self-test state machine's tasks and the heartbeat schedule
// (package platformapi).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/hljhrss/hrss/functions/platform/platformapi"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() {
	deps, err := awswire.Deps(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "platform:", err)
		os.Exit(1)
	}
	lambda.Start(handler(deps))
}

// handler is the Lambda entry point for the given adapters.
func handler(d app.Deps) func(ctx context.Context, raw json.RawMessage) (any, error) {
	return lambdaentry.Handler(platformapi.New(d), d.Log)
}
