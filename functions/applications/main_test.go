package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/hljhrss/hrss/functions/applications/applicationsapi"
	"github.com/hljhrss/hrss/infra/eventtest"
)

// expectations check what each sample event of events/applications gives.
var expectations = map[string]eventtest.Check{
	"list-no-session.json": eventtest.Answers(401, func(b map[string]any) bool { return b["code"] == "unauthenticated" }),
	"list.json": eventtest.Answers(200, func(b map[string]any) bool {
		_, ok := b["items"].([]any)
		return ok
	}),
	"get-unknown.json": eventtest.Answers(404, func(b map[string]any) bool { return b["code"] == "not_found" }),
	"schedule-sweep.json": func(t *testing.T, out any, err error) {
		if m, ok := out.(map[string]string); err != nil || !ok || m["status"] != "ok" {
			t.Errorf("sweep → %v, %v", out, err)
		}
	},
	"schedule-unknown.json": func(t *testing.T, out any, err error) {
		if err == nil || !strings.Contains(err.Error(), "unknown schedule") {
			t.Errorf("unknown schedule → %v, %v", out, err)
		}
	},
	"task-bad-payload.json": func(t *testing.T, out any, err error) {
		if ie, ok := err.(messages.InvokeResponse_Error); !ok || ie.Type != "Hrss.BadTaskPayload" {
			t.Errorf("error %#v, want a Lambda error of type Hrss.BadTaskPayload", err)
		}
	},
}

// TestEvents feeds every sample event of events/applications (HTTP API,
// schedule and task events) to the Lambda entry point over the demo ledger
// (package eventtest).
func TestEvents(t *testing.T) {
	eventtest.Run(t, "applications", applicationsapi.New, expectations)
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "applications", applicationsapi.New) }
