// Command hello is the baseline of make bench-cold: the smallest
// aws-lambda-go function that answers an API Gateway HTTP API event, built
// with the same flags as the platform's functions. Its cold start is what
// every function's is compared with.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, json.RawMessage) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 404,
			Headers:    map[string]string{"Content-Type": "application/json"},
			Body:       `{"error":"not found"}`,
		}, nil
	})
}
