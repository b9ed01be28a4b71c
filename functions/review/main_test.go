package main

import (
	"testing"

	"github.com/hljhrss/hrss/functions/review/reviewapi"
	"github.com/hljhrss/hrss/infra/eventtest"
)

// TestEvents feeds every sample event of events/review to the Lambda entry
// point over the demo ledger (package eventtest).
func TestEvents(t *testing.T) {
	eventtest.Run(t, "review", reviewapi.New, map[string]eventtest.Check{
		"queue-no-session.json": eventtest.Answers(401, func(b map[string]any) bool { return b["code"] == "unauthenticated" }),
		"queue-applicant.json":  eventtest.Answers(403, nil),
		"queue.json": eventtest.Answers(200, func(b map[string]any) bool {
			items, ok := b["items"].([]any)
			return ok && len(items) == 0 && b["area"] == "230999"
		}),
		"claim-unknown.json": eventtest.Answers(404, func(b map[string]any) bool { return b["code"] == "not_found" }),
	})
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "review", reviewapi.New) }
