package main

import (
	"testing"

	"github.com/hljhrss/hrss/functions/personal-info/personalinfoapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/eventtest"
)

// TestEvents feeds every sample event of events/personal-info to the Lambda entry
// point over the demo ledger (package eventtest).
func TestEvents(t *testing.T) {
	eventtest.Run(t, "personal-info", personalinfoapi.New, map[string]eventtest.Check{
		// A draft of the family's own business, prefilled from the records.
		"create-draft.json": eventtest.Answers(201, func(b map[string]any) bool {
			f, _ := b["fields"].(map[string]any)
			return b["status"] == "draft" && b["business"] == "personal-key-info-change" && f["name"] == eventtest.Name(demo.PersonBackPay)
		}),
		"create-other-family.json": eventtest.Answers(404, nil),
		"create-no-session.json":   eventtest.Answers(401, func(b map[string]any) bool { return b["code"] == "unauthenticated" }),
		"create-bad-json.json":     eventtest.Answers(400, nil),
	})
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "personal-info", personalinfoapi.New) }
