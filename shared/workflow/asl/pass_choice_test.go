package asl_test

import (
	"fmt"
	"testing"

	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// runOne runs a machine to its end and returns the description.
func runOne(t *testing.T, def []byte, input string, handlers map[string]workflow.TaskHandler) asl.Description {
	t.Helper()
	h := newHarness(t, map[string][]byte{"M": def}, handlers)
	h.start("M", "x", input)
	d, _ := h.drive("M", "x")
	return d
}

func TestPassPaths(t *testing.T) {
	tests := []struct {
		name, state, input, want string
	}{
		{"no fields: output is input", `{"Type":"Pass","End":true}`, `{"a":1}`, `{"a":1}`},
		{"Result replaces", `{"Type":"Pass","Result":{"r":true},"End":true}`, `{"a":1}`, `{"r":true}`},
		{"Result at ResultPath", `{"Type":"Pass","Result":"v","ResultPath":"$.b.c","End":true}`, `{"a":1}`, `{"a":1,"b":{"c":"v"}}`},
		{"ResultPath null keeps input", `{"Type":"Pass","Result":"v","ResultPath":null,"End":true}`, `{"a":1}`, `{"a":1}`},
		{"ResultPath $ replaces", `{"Type":"Pass","Result":[1,2],"ResultPath":"$","End":true}`, `{"a":1}`, `[1,2]`},
		{"ResultPath into array element", `{"Type":"Pass","Result":"x","ResultPath":"$.l[1]","End":true}`, `{"l":[0,1]}`, `{"l":[0,"x"]}`},
		{"InputPath selects", `{"Type":"Pass","InputPath":"$.a.b","End":true}`, `{"a":{"b":{"c":2}}}`, `{"c":2}`},
		{"InputPath null is {}", `{"Type":"Pass","InputPath":null,"End":true}`, `{"a":1}`, `{}`},
		{"OutputPath selects", `{"Type":"Pass","OutputPath":"$.a[1]","End":true}`, `{"a":[10,20]}`, `20`},
		{"OutputPath null is {}", `{"Type":"Pass","OutputPath":null,"End":true}`, `{"a":1}`, `{}`},
		{"bracket notation", `{"Type":"Pass","InputPath":"$['odd key']","End":true}`, `{"odd key":{"v":1}}`, `{"v":1}`},
		{"Parameters with paths and literals", `{"Type":"Pass","Parameters":{"lit":"x","n":1.50,"sel.$":"$.a","deep":{"e.$":"$.l[0]"},"arr":[{"k.$":"$.a"}]},"End":true}`,
			`{"a":"A","l":[7]}`, `{"lit":"x","n":1.50,"sel":"A","deep":{"e":7},"arr":[{"k":"A"}]}`},
		{"Parameters from the context object", `{"Type":"Pass","Parameters":{"name.$":"$$.Execution.Name","state.$":"$$.State.Name","in.$":"$$.Execution.Input.a","sm.$":"$$.StateMachine.Name","entered.$":"$$.State.EnteredTime","retries.$":"$$.State.RetryCount"},"End":true}`,
			`{"a":5}`, `{"name":"x","state":"S","in":5,"sm":"M","entered":"2024-03-01T01:00:00.000Z","retries":0}`},
		{"Parameters then ResultPath", `{"Type":"Pass","Parameters":{"v.$":"$.a"},"ResultPath":"$.copy","End":true}`, `{"a":1}`, `{"a":1,"copy":{"v":1}}`},
		{"ResultPath aliasing is safe", `{"Type":"Pass","ResultPath":"$.self","End":true}`, `{"a":1}`, `{"a":1,"self":{"a":1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runOne(t, oneState(tt.state), tt.input, nil)
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
			}
			if diff := jsonDiff(t, tt.want, d.Output); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNumbersStayExact(t *testing.T) {
	in := `{"fen":12345678901234567890,"rate":0.1000000000000000055511151231257827}`
	d := runOne(t, oneState(`{"Type":"Pass","Parameters":{"v.$":"$"},"OutputPath":"$.v","End":true}`), in, nil)
	if string(d.Output) != in {
		t.Errorf("output %s, want %s byte for byte", d.Output, in)
	}
}

func TestPathFailures(t *testing.T) {
	tests := []struct {
		name, state, input, wantErr string
	}{
		{"InputPath missing", `{"Type":"Pass","InputPath":"$.nope","End":true}`, `{}`, asl.ErrNameRuntime},
		{"OutputPath missing", `{"Type":"Pass","OutputPath":"$.nope","End":true}`, `{}`, asl.ErrNameRuntime},
		{"Parameters path missing", `{"Type":"Pass","Parameters":{"x.$":"$.nope"},"End":true}`, `{}`, asl.ErrNameParameterPathFailure},
		{"ResultPath through a string", `{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}`, `{"a":"s"}`, asl.ErrNameResultPathMatchFailure},
		{"Succeed OutputPath missing", `{"Type":"Succeed","OutputPath":"$.nope"}`, `{}`, asl.ErrNameRuntime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runOne(t, oneState(tt.state), tt.input, nil)
			if d.Status != asl.StatusFailed || d.Error != tt.wantErr {
				t.Errorf("got %s %q (%s), want FAILED %s", d.Status, d.Error, d.Cause, tt.wantErr)
			}
		})
	}
}

func TestSucceedAndFail(t *testing.T) {
	d := runOne(t, oneState(`{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}`), `{"a":{"b":3}}`, nil)
	if d.Status != asl.StatusSucceeded || string(d.Output) != "3" {
		t.Errorf("Succeed: %s %s, want SUCCEEDED 3", d.Status, d.Output)
	}
	d = runOne(t, oneState(`{"Type":"Fail","Error":"Hrss.Nope","Cause":"because"}`), `{}`, nil)
	if d.Status != asl.StatusFailed || d.Error != "Hrss.Nope" || d.Cause != "because" {
		t.Errorf("Fail: %s %q %q", d.Status, d.Error, d.Cause)
	}
}

// choiceMachine branches to Yes (Succeed, output "yes") when rule matches,
// else to No.
func choiceMachine(rule string) []byte {
	return fmt.Appendf(nil, `{"StartAt":"C","States":{
		"C":{"Type":"Choice","Choices":[%s],"Default":"No"},
		"Yes":{"Type":"Pass","Result":"yes","End":true},
		"No":{"Type":"Pass","Result":"no","End":true}}}`, withNext(rule))
}

func withNext(rule string) string { return rule[:len(rule)-1] + `,"Next":"Yes"}` }

func TestChoiceRules(t *testing.T) {
	tests := []struct {
		name, rule, input, want string
	}{
		{"StringEquals", `{"Variable":"$.s","StringEquals":"a"}`, `{"s":"a"}`, "yes"},
		{"StringEquals other", `{"Variable":"$.s","StringEquals":"a"}`, `{"s":"b"}`, "no"},
		{"StringEquals on a number is false", `{"Variable":"$.s","StringEquals":"1"}`, `{"s":1}`, "no"},
		{"StringEqualsPath", `{"Variable":"$.s","StringEqualsPath":"$.t"}`, `{"s":"a","t":"a"}`, "yes"},
		{"StringLessThan", `{"Variable":"$.s","StringLessThan":"b"}`, `{"s":"a"}`, "yes"},
		{"StringGreaterThanEquals", `{"Variable":"$.s","StringGreaterThanEquals":"b"}`, `{"s":"b"}`, "yes"},
		{"NumericEquals exact", `{"Variable":"$.n","NumericEquals":0.3}`, `{"n":0.30}`, "yes"},
		{"NumericEquals int/float", `{"Variable":"$.n","NumericEquals":200}`, `{"n":200.0}`, "yes"},
		{"NumericLessThan", `{"Variable":"$.n","NumericLessThan":300}`, `{"n":299}`, "yes"},
		{"NumericLessThan equal", `{"Variable":"$.n","NumericLessThan":300}`, `{"n":300}`, "no"},
		{"NumericLessThanEquals", `{"Variable":"$.n","NumericLessThanEquals":300}`, `{"n":300}`, "yes"},
		{"NumericGreaterThan", `{"Variable":"$.n","NumericGreaterThan":1}`, `{"n":1.0001}`, "yes"},
		{"NumericGreaterThanEquals", `{"Variable":"$.n","NumericGreaterThanEquals":2}`, `{"n":1}`, "no"},
		{"NumericGreaterThanPath", `{"Variable":"$.n","NumericGreaterThanPath":"$.m"}`, `{"n":3,"m":2}`, "yes"},
		{"Numeric on a string is false", `{"Variable":"$.n","NumericEquals":1}`, `{"n":"1"}`, "no"},
		{"BooleanEquals", `{"Variable":"$.b","BooleanEquals":false}`, `{"b":false}`, "yes"},
		{"BooleanEqualsPath", `{"Variable":"$.b","BooleanEqualsPath":"$.c"}`, `{"b":true,"c":false}`, "no"},
		{"TimestampLessThan", `{"Variable":"$.t","TimestampLessThan":"2024-03-01T00:00:00Z"}`, `{"t":"2024-02-29T23:59:59+08:00"}`, "yes"},
		{"TimestampEquals other zone", `{"Variable":"$.t","TimestampEquals":"2024-03-01T00:00:00Z"}`, `{"t":"2024-03-01T08:00:00+08:00"}`, "yes"},
		{"IsPresent true", `{"Variable":"$.a.b","IsPresent":true}`, `{"a":{"b":null}}`, "yes"},
		{"IsPresent false", `{"Variable":"$.a.b","IsPresent":false}`, `{"a":{}}`, "yes"},
		{"IsNull", `{"Variable":"$.a","IsNull":true}`, `{"a":null}`, "yes"},
		{"IsNull on a value", `{"Variable":"$.a","IsNull":true}`, `{"a":0}`, "no"},
		{"IsString", `{"Variable":"$.a","IsString":true}`, `{"a":"s"}`, "yes"},
		{"IsNumeric", `{"Variable":"$.a","IsNumeric":false}`, `{"a":"1"}`, "yes"},
		{"IsBoolean", `{"Variable":"$.a","IsBoolean":true}`, `{"a":true}`, "yes"},
		{"IsTimestamp", `{"Variable":"$.a","IsTimestamp":true}`, `{"a":"2024-03-01T00:00:00Z"}`, "yes"},
		{"And", `{"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":"x"}]}`, `{"a":1,"b":"x"}`, "yes"},
		{"And one false", `{"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":"x"}]}`, `{"a":1,"b":"y"}`, "no"},
		{"And guards a missing variable", `{"And":[{"Variable":"$.a","IsPresent":true},{"Variable":"$.a","BooleanEquals":true}]}`, `{}`, "no"},
		{"Or", `{"Or":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.a","NumericEquals":2}]}`, `{"a":2}`, "yes"},
		{"Not", `{"Not":{"Variable":"$.a","StringEquals":"x"}}`, `{"a":"y"}`, "yes"},
		{"nested", `{"Not":{"Or":[{"Variable":"$.a","IsNull":true},{"And":[{"Variable":"$.a","IsNumeric":true},{"Variable":"$.a","NumericLessThan":0}]}]}}`, `{"a":5}`, "yes"},
		{"context object variable", `{"Variable":"$$.Execution.Name","StringEquals":"x"}`, `{}`, "yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runOne(t, choiceMachine(tt.rule), tt.input, nil)
			if d.Status != asl.StatusSucceeded {
				t.Fatalf("status %s (%s: %s)", d.Status, d.Error, d.Cause)
			}
			if got := string(d.Output); got != `"`+tt.want+`"` {
				t.Errorf("went to %s, want %s", got, tt.want)
			}
		})
	}
}

func TestChoiceErrors(t *testing.T) {
	t.Run("missing variable is States.Runtime", func(t *testing.T) {
		d := runOne(t, choiceMachine(`{"Variable":"$.nope","StringEquals":"a"}`), `{}`, nil)
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameRuntime {
			t.Errorf("got %s %q, want FAILED States.Runtime", d.Status, d.Error)
		}
	})
	t.Run("missing operand path is States.Runtime", func(t *testing.T) {
		d := runOne(t, choiceMachine(`{"Variable":"$.a","StringEqualsPath":"$.nope"}`), `{"a":"x"}`, nil)
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameRuntime {
			t.Errorf("got %s %q, want FAILED States.Runtime", d.Status, d.Error)
		}
	})
	t.Run("no match and no Default", func(t *testing.T) {
		def := []byte(`{"StartAt":"C","States":{
			"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"Y"}]},
			"Y":{"Type":"Succeed"}}}`)
		d := runOne(t, def, `{"a":2}`, nil)
		if d.Status != asl.StatusFailed || d.Error != asl.ErrNameNoChoiceMatched {
			t.Errorf("got %s %q, want FAILED States.NoChoiceMatched", d.Status, d.Error)
		}
	})
	t.Run("InputPath and OutputPath", func(t *testing.T) {
		def := []byte(`{"StartAt":"C","States":{
			"C":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.v","Choices":[{"Variable":"$.k","StringEquals":"go","Next":"Y"}]},
			"Y":{"Type":"Succeed"}}}`)
		d := runOne(t, def, `{"in":{"k":"go","v":[1]}}`, nil)
		if d.Status != asl.StatusSucceeded || string(d.Output) != "[1]" {
			t.Errorf("got %s %s, want SUCCEEDED [1]", d.Status, d.Output)
		}
	})
}
