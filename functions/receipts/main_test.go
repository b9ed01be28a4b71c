package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/hljhrss/hrss/functions/receipts/receiptsapi"
	"github.com/hljhrss/hrss/infra/eventtest"
)

// TestEvents feeds every sample event of events/receipts (HTTP API and task
// events) to the Lambda entry point over the demo ledger (package
// eventtest).
func TestEvents(t *testing.T) {
	eventtest.Run(t, "receipts", receiptsapi.New, map[string]eventtest.Check{
		"receipt-no-session.json": eventtest.Answers(401, func(b map[string]any) bool { return b["code"] == "unauthenticated" }),
		"verify-forged.json": eventtest.Answers(200, func(b map[string]any) bool {
			return b["genuine"] == false && strings.Contains(b["message"].(string), "核验未通过")
		}),
		"verify-forged-html.json": func(t *testing.T, out any, err error) {
			r, ok := out.(events.APIGatewayV2HTTPResponse)
			if err != nil || !ok || r.StatusCode != 200 || !strings.Contains(r.Body, "回执单核验未通过") ||
				!strings.HasPrefix(r.Headers["Content-Type"], "text/html") {
				t.Errorf("HTML verification → %+v, %v", out, err)
			}
		},
		"task-unknown-application.json": taskError("Hrss.Superseded"),
		"task-bad-payload.json":         taskError("Hrss.BadTaskPayload"),
	})
}

func taskError(name string) eventtest.Check {
	return func(t *testing.T, out any, err error) {
		if ie, ok := err.(messages.InvokeResponse_Error); !ok || ie.Type != name {
			t.Errorf("error %#v, want a Lambda error of type %s", err, name)
		}
	}
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "receipts", receiptsapi.New) }
