// Command platform is the PlatformFunction Lambda: the health route, the
// self-test state machine's tasks and the heartbeat schedule
// (package platformapi).
package main

import (
	"github.com/hljhrss/hrss/functions/platform/platformapi"
	"github.com/hljhrss/hrss/shared/awswire/workflowwire"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

func main() { lambdaentry.Main(platformapi.New, workflowwire.StepFunctions) }
