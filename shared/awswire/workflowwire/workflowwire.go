// Package workflowwire wires the Step Functions state machines (package
// sfnflow) into a function's app.Deps. Only the functions that read
// Deps.Workflow pass it to lambdaentry.Main, so that the others do not
// link the Step Functions client (package awswire says why).
package workflowwire

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/awswire"
	"github.com/hljhrss/hrss/shared/workflow/sfnflow"
)

// StepFunctions sets d.Workflow to the state machines HRSS_STATE_MACHINES
// names.
var StepFunctions awswire.Adapter = func(awsCfg aws.Config, d *app.Deps) error {
	d.Workflow = sfnflow.New(sfn.NewFromConfig(awsCfg), d.Config.StateMachines)
	return nil
}
