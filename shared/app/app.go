// Package app describes a function of template.yaml to the code that hosts
// it: the adapters it is wired with (Deps) and what it serves (Function).
// A function's handler package builds a Function from Deps; the Lambda
// entry (package lambdaentry) and the local runner (infra/runner) host it.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Version is the build version, set with -ldflags "-X .../shared/app.Version=…".
var Version = "dev"

// Deps are the adapters a function is wired with.
type Deps struct {
	Config    config.Config
	Log       *slog.Logger
	Clock     clock.Clock
	Store     table.Store
	StoreKind string // "dynamodb" or "bbolt", reported by the health route
	// In AWS, Blobs, Workflow and Notify are each set only when the
	// function's main.go passes its adapter to lambdaentry.Main, and are
	// nil otherwise (package awswire: a function links only the AWS
	// clients it uses); the local runner sets all three.
	Blobs    blobs.Store
	Workflow workflow.Engine
	Notify   notify.Sender
	// Local is true on the local runner (and in tests that ask for it):
	// it enables stand-ins that production must never have, such as
	// reading a ledger by an explicit person number before login exists.
	// The zero value is the safe one: awswire leaves it false.
	Local bool
}

// ScheduleEvent is the input of a scheduled invocation: the template gives
// each schedule target the input {"schedule":"<name>"}.
type ScheduleEvent struct {
	Schedule string    `json:"schedule"`
	Time     time.Time `json:"time,omitzero"`
}

// Function is what one function of template.yaml serves.
type Function struct {
	// Name is the function's logical id in template.yaml.
	Name string
	// HTTP serves the function's HttpApi routes.
	HTTP *httpapi.Router
	// Task runs state machine tasks invoked with lambda:invoke (optional).
	Task workflow.TaskHandler
	// Schedule runs scheduled invocations (optional).
	Schedule func(ctx context.Context, ev ScheduleEvent) error
}
