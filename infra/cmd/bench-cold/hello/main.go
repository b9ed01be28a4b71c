// Command hello is the baseline of make bench-cold: the smallest
// aws-lambda-go function that answers an API Gateway HTTP API event, built
// with the same flags as the platform's functions. Its cold start is what
// every function's is compared with.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/hljhrss/hrss/infra/cmd/bench-cold/notfound"
)

func main() {
	lambda.Start(notfound.Handle)
}
