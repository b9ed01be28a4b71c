// Package lambdaentry hosts an app.Function on AWS Lambda. One Lambda
// receives three kinds of events, told apart by shape:
//
//   - API Gateway HTTP API (payload v2) events, which carry routeKey and
//     requestContext: served by the function's router through
//     aws-lambda-go-api-proxy's httpadapter.NewV2;
//   - scheduled invocations, whose input the template sets to
//     {"schedule":"<name>"};
//   - anything else is a Step Functions task payload for the function's
//     task handler. A *workflow.TaskError becomes the Lambda error type
//     that Retry and Catch match.
package lambdaentry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Main is the whole main of a function's Lambda: it wires the AWS adapters
// (once per execution environment) — the configuration, the DynamoDB
// table and the adapters given, which are the ones the function's code
// reads from app.Deps (package awswire) — builds the function with build
// and serves it. It does not return.
func Main(build func(app.Deps) app.Function, adapters ...awswire.Adapter) {
	deps, err := awswire.Deps(context.Background(), adapters...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambda init:", err)
		os.Exit(1)
	}
	lambda.Start(Handler(build(deps), deps.Log))
}

// probe is the part of an event that tells its kind.
type probe struct {
	RouteKey       string          `json:"routeKey"`
	RequestContext json.RawMessage `json:"requestContext"`
	Schedule       string          `json:"schedule"`
}

// Handler returns the Lambda handler for fn, as Main starts it.
func Handler(fn app.Function, log *slog.Logger) func(ctx context.Context, raw json.RawMessage) (any, error) {
	var proxy *httpadapter.HandlerAdapterV2
	if fn.HTTP != nil {
		proxy = httpadapter.NewV2(httpapi.Middleware(fn.HTTP, log, apiGatewayRequestID))
	}
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var p probe
		_ = json.Unmarshal(raw, &p) // a non-object payload is a task payload
		switch {
		case p.RouteKey != "" && len(p.RequestContext) > 0:
			if proxy == nil {
				return nil, fmt.Errorf("%s: no HTTP routes", fn.Name)
			}
			var req events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(raw, &req); err != nil {
				return nil, fmt.Errorf("%s: decode HTTP API event: %w", fn.Name, err)
			}
			return proxy.ProxyWithContext(ctx, req)
		case p.Schedule != "":
			if fn.Schedule == nil {
				return nil, fmt.Errorf("%s: no schedule handler for %q", fn.Name, p.Schedule)
			}
			var ev app.ScheduleEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("%s: decode schedule event: %w", fn.Name, err)
			}
			if err := fn.Schedule(ctx, ev); err != nil {
				log.ErrorContext(ctx, "schedule failed", "function", fn.Name, "schedule", ev.Schedule, "err", err.Error())
				return nil, err
			}
			return map[string]string{"status": "ok"}, nil
		default:
			if fn.Task == nil {
				return nil, fmt.Errorf("%s: event is neither an HTTP API request nor a schedule, and the function has no task handler", fn.Name)
			}
			out, err := fn.Task(ctx, raw)
			if err != nil {
				return nil, invokeError(err)
			}
			return out, nil
		}
	}
}

// invokeError turns a task error into the error Lambda reports, so that
// the error name seen by Step Functions is workflow.ErrorName(err).
func invokeError(err error) error {
	var te *workflow.TaskError
	if errors.As(err, &te) {
		return messages.InvokeResponse_Error{Type: te.Name, Message: te.Cause}
	}
	return err
}

func apiGatewayRequestID(r *http.Request) string {
	if c, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok {
		return c.RequestID
	}
	return ""
}
