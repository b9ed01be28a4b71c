// Package notfound is the handler of make bench-cold's reference
// bootstraps (hello world and the floors): the 404 every function answers
// to the cold-start event, with nothing else linked.
package notfound

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
)

// Handle answers any event with an API Gateway HTTP API 404.
func Handle(context.Context, json.RawMessage) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 404,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       `{"error":"not found"}`,
	}, nil
}
