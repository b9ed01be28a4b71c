package asl_test

import (
	"strings"
	"testing"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

func TestValidate(t *testing.T) {
	resolve := func(name string) (workflow.TaskHandler, bool) { return echo, name == "F" }
	task := func(extra string) string {
		return `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F"}` + extra + `}`
	}
	tests := []struct {
		name, def, wantErr string
	}{
		{"not JSON", `{`, "definition"},
		{"unknown top-level field", `{"StartAt":"S","States":{"S":{"Type":"Succeed"}},"Foo":1}`, "unknown field"},
		{"JSONata", `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Succeed"}}}`, "QueryLanguage"},
		{"no states", `{"StartAt":"S","States":{}}`, "States is empty"},
		{"StartAt missing", `{"StartAt":"X","States":{"S":{"Type":"Succeed"}}}`, `StartAt "X"`},
		{"unknown state type", `{"StartAt":"S","States":{"S":{"Type":"Parallel","End":true}}}`, `"Parallel" is not supported`},
		{"missing Type", `{"StartAt":"S","States":{"S":{"End":true}}}`, "missing Type"},
		{"unknown field", `{"StartAt":"S","States":{"S":{"Type":"Pass","ResultSelctor":{},"End":true}}}`, `"ResultSelctor" is not allowed`},
		{"Retry on a Pass", `{"StartAt":"S","States":{"S":{"Type":"Pass","Retry":[],"End":true}}}`, `"Retry" is not allowed`},
		{"missing Next and End", `{"StartAt":"S","States":{"S":{"Type":"Pass"}}}`, "exactly one of Next and End"},
		{"both Next and End", `{"StartAt":"S","States":{"S":{"Type":"Pass","Next":"S","End":true}}}`, "exactly one of Next and End"},
		{"Next to a missing state", `{"StartAt":"S","States":{"S":{"Type":"Pass","Next":"Nope"}}}`, `missing state "Nope"`},
		{"Catch to a missing state", `{"StartAt":"S","States":{"S":` + task(`,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nope"}],"End":true`) + `}}`, `missing state "Nope"`},
		{"Default to a missing state", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"C"}],"Default":"Nope"}}}`, `missing state "Nope"`},
		{"unreachable state", `{"StartAt":"S","States":{"S":{"Type":"Succeed"},"T":{"Type":"Succeed"}}}`, `"T" is not reachable`},
		{"Succeed with Next", `{"StartAt":"S","States":{"S":{"Type":"Succeed","Next":"S"}}}`, `"Next" is not allowed`},
		{"Fail with End", `{"StartAt":"S","States":{"S":{"Type":"Fail","End":true}}}`, `"End" is not allowed`},
		{"unsupported resource", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"FunctionName":"F"},"End":true}}}`, "Resource"},
		{"sync integration", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws-cn:states:::lambda:invoke.sync","Parameters":{"FunctionName":"F"},"End":true}}}`, "Resource"},
		{"Lambda ARN as Resource", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:lambda:cn-north-1:1:function:F","Parameters":{"FunctionName":"F"},"End":true}}}`, "Resource"},
		{"no FunctionName", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"Payload":{}},"End":true}}}`, "FunctionName is required"},
		{"unknown function", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"${G}"},"End":true}}}`, "no task handler"},
		{"other lambda parameter", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"F","Qualifier":"x"},"End":true}}}`, "Parameters.Qualifier"},
		{"token task without token", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"F"},"End":true}}}`, "$$.Task.Token"},
		{"heartbeat not below timeout", `{"StartAt":"S","States":{"S":` + task(`,"TimeoutSeconds":10,"HeartbeatSeconds":10,"End":true`) + `}}`, "HeartbeatSeconds"},
		{"zero TimeoutSeconds", `{"StartAt":"S","States":{"S":` + task(`,"TimeoutSeconds":0,"End":true`) + `}}`, "TimeoutSeconds"},
		{"States.ALL not alone", `{"StartAt":"S","States":{"S":` + task(`,"Retry":[{"ErrorEquals":["States.ALL","E"]}],"End":true`) + `}}`, "States.ALL"},
		{"States.ALL not last", `{"StartAt":"S","States":{"S":` + task(`,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["E"]}],"End":true`) + `}}`, "States.ALL"},
		{"empty ErrorEquals", `{"StartAt":"S","States":{"S":` + task(`,"Retry":[{"ErrorEquals":[]}],"End":true`) + `}}`, "ErrorEquals"},
		{"BackoffRate below 1", `{"StartAt":"S","States":{"S":` + task(`,"Retry":[{"ErrorEquals":["E"],"BackoffRate":0.5}],"End":true`) + `}}`, "BackoffRate"},
		{"lower-case jitter", `{"StartAt":"S","States":{"S":` + task(`,"Retry":[{"ErrorEquals":["E"],"JitterStrategy":"full"}],"End":true`) + `}}`, "JitterStrategy"},
		{"Catch without Next", `{"StartAt":"S","States":{"S":` + task(`,"Catch":[{"ErrorEquals":["E"]}],"End":true`) + `}}`, "Next is required"},
		{"Choice rule without Next", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true}],"Default":"C"}}}`, "Next is required"},
		{"Choice with no rules", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[],"Default":"C"}}}`, "Choices must not be empty"},
		{"unknown comparison", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringMatches":"x*","Next":"C"}],"Default":"C"}}}`, `"StringMatches" is not supported`},
		{"two comparisons", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"IsPresent":true,"Next":"C"}],"Default":"C"}}}`, "exactly one operator"},
		{"comparison operand type", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":"1","Next":"C"}],"Default":"C"}}}`, "number operand"},
		{"Next inside And", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","IsNull":true,"Next":"C"}],"Next":"C"}],"Default":"C"}}}`, "only allowed on a top-level"},
		{"wildcard path", `{"StartAt":"S","States":{"S":{"Type":"Pass","InputPath":"$.a[*]","End":true}}}`, "unsupported index"},
		{"recursive descent", `{"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":{"x.$":"$..a"},"End":true}}}`, "unsupported step"},
		{"path without $", `{"StartAt":"S","States":{"S":{"Type":"Pass","OutputPath":"a.b","End":true}}}`, "must start with $"},
		{"context object in ResultPath", `{"StartAt":"S","States":{"S":{"Type":"Pass","ResultPath":"$$.Task","End":true}}}`, "context object"},
		{"intrinsic function", `{"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":{"x.$":"States.Format('{}', $.a)"},"End":true}}}`, "intrinsic function"},
		{".$ with a non-string", `{"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":{"x.$":1},"End":true}}}`, "path string"},
		{"Wait with two fields", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}}}`, "exactly one of Seconds"},
		{"Wait without a field", `{"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}}`, "exactly one of Seconds"},
		{"Wait bad timestamp", `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}`, "Timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := asl.Validate([]byte(tt.def), resolve)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate: %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewReportsEveryBadMachine(t *testing.T) {
	machines := map[string][]byte{
		"Good": oneState(`{"Type":"Succeed"}`),
		"Bad1": oneState(`{"Type":"Map","End":true}`),
		"Bad2": []byte(`{"StartAt":"S","States":{"S":{"Type":"Pass","Next":"T"}}}`),
	}
	resolve := func(string) (workflow.TaskHandler, bool) { return nil, false }
	_, err := asl.New(nopStore{}, clock.Frozen(t0), machines, resolve, asl.WithTickInterval(0))
	if err == nil || !strings.Contains(err.Error(), `"Bad1"`) || !strings.Contains(err.Error(), `"Bad2"`) || strings.Contains(err.Error(), `"Good"`) {
		t.Errorf("New: %v, want errors naming Bad1 and Bad2 only", err)
	}
}

// nopStore is a store New never calls.
type nopStore struct{ table.Store }
