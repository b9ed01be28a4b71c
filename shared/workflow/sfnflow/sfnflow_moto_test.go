package sfnflow_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hljhrss/hrss/infra/mototest"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/workflow/sfnflow"
	"github.com/hljhrss/hrss/shared/workflow/workflowtest"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// TestContractMoto runs the workflow contract with the real Step Functions
// client against moto in server mode, which runs the definition with its
// ASL interpreter (config stepfunctions.execute_state_machine) and answers
// the task's Lambda invoke without Docker (lambda.use_docker false). The
// token is read from the execution history (TaskScheduled's parameters),
// as an operator would; executions run on moto's threads, so Settle waits
// until every running execution waits at its token task.
func TestContractMoto(t *testing.T) {
	srv := mototest.Start(t)
	motoConfig(t, srv, `{"stepfunctions": {"execute_state_machine": true}, "lambda": {"use_docker": false}}`)
	role := motoRole(t, srv)
	createFunction(t, srv, role, workflowtest.TokenFunction)
	client := sfn.NewFromConfig(srv.Config())
	workflowtest.Run(t, func(t *testing.T) workflowtest.Harness {
		out, err := client.CreateStateMachine(t.Context(), &sfn.CreateStateMachineInput{
			Name: aws.String(mototest.Name("hrss-contract")), Definition: aws.String(string(workflowtest.Definition())), RoleArn: aws.String(role),
		})
		if err != nil {
			t.Fatalf("CreateStateMachine: %v", err)
		}
		machine := aws.ToString(out.StateMachineArn)
		clk := clock.Frozen(t0)
		return workflowtest.Harness{
			Engine:  sfnflow.New(client, map[string]string{workflowtest.StateMachine: machine}, sfnflow.WithClock(clk)),
			Token:   func(t *testing.T, name string) string { return motoToken(t, client, machine, name) },
			Advance: clk.Advance,
			Settle:  func(t *testing.T) { motoSettle(t, client, machine) },
		}
	}, workflowtest.Options{Skip: motoSkips()})
}

// motoSkips are the cases moto 5.2.5 cannot pass, each for a deviation
// from Step Functions (TestContract runs them on sfnService).
func motoSkips() map[string]string {
	const usedToken = "moto 5.2.5's SendTaskFailure looks for the token in every execution, finished ones included " +
		"(stepfunctions/parser/models.py), and accepts a token whose task is done; Step Functions refuses it " +
		"(TaskTimedOut or InvalidToken, ErrTaskNotFound here)"
	return map[string]string{
		"start/same_name_running_same_input_later": "moto dates executions by its own wall clock, which the suite's Advance " +
			"cannot move, so a repeat a minute later looks immediate to the adapter (see start/same_name_immediate_repeat)",
		"send_task_success/single_use":       usedToken + " (this case sends a failure after the success)",
		"send_task_failure/single_use":       usedToken,
		"send_task/tokens_are_per_execution": usedToken + " (this case reuses each execution's used token)",
	}
}

// executionARN is the ARN Step Functions gives the execution name of machine.
func executionARN(machine, name string) string {
	return strings.Replace(machine, ":stateMachine:", ":execution:", 1) + ":" + name
}

// motoToken returns the token of the latest TaskScheduled of the execution,
// waiting for moto's interpreter to reach the task.
func motoToken(t *testing.T, client *sfn.Client, machine, name string) string {
	t.Helper()
	var tok string
	poll(t, "a task token for "+name, func() bool {
		events := history(t, client, executionARN(machine, name))
		for _, e := range events {
			if e.Type != sfntypes.HistoryEventTypeTaskScheduled || e.TaskScheduledEventDetails == nil {
				continue
			}
			var p struct{ Payload workflowtest.Payload }
			if err := json.Unmarshal([]byte(aws.ToString(e.TaskScheduledEventDetails.Parameters)), &p); err != nil {
				t.Fatalf("TaskScheduled parameters: %v", err)
			}
			tok = p.Payload.Token
		}
		return tok != ""
	})
	return tok
}

// motoSettle waits until every running execution of machine waits at its
// token task (its last event is TaskSubmitted).
func motoSettle(t *testing.T, client *sfn.Client, machine string) {
	t.Helper()
	poll(t, "executions of "+machine+" to settle", func() bool {
		out, err := client.ListExecutions(t.Context(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine), StatusFilter: sfntypes.ExecutionStatusRunning})
		if err != nil {
			t.Fatalf("ListExecutions: %v", err)
		}
		for _, x := range out.Executions {
			events := history(t, client, aws.ToString(x.ExecutionArn))
			if len(events) == 0 || events[len(events)-1].Type != sfntypes.HistoryEventTypeTaskSubmitted {
				return false
			}
		}
		return true
	})
}

func history(t *testing.T, client *sfn.Client, execution string) []sfntypes.HistoryEvent {
	t.Helper()
	out, err := client.GetExecutionHistory(t.Context(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execution), MaxResults: 1000})
	if err != nil {
		t.Fatalf("GetExecutionHistory %s: %v", execution, err)
	}
	return out.Events
}

// poll calls done until it holds; moto runs executions on its own threads.
// The deadline only bounds a hang; it asserts no duration.
func poll(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !done(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("moto: no %s within a minute", what)
		}
	}
}

func motoConfig(t *testing.T, srv *mototest.Server, body string) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/moto-api/config", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("moto config: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("moto config: %s", resp.Status)
	}
}

// motoRole creates the role the state machine and the function name
// (moto's Lambda refuses a role it does not know), with a signed IAM
// Query request.
func motoRole(t *testing.T, srv *mototest.Server) string {
	t.Helper()
	form := url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {mototest.Name("hrss-contract")},
		"AssumeRolePolicyDocument": {`{"Version":"2012-10-17","Statement":[]}`}}
	body := motoCall(t, srv, "iam", "/", "application/x-www-form-urlencoded", []byte(form.Encode()))
	var out struct {
		Arn string `xml:"CreateRoleResult>Role>Arn"`
	}
	if err := xml.Unmarshal(body, &out); err != nil || out.Arn == "" {
		t.Fatalf("CreateRole: %v %s", err, body)
	}
	return out.Arn
}

// createFunction creates the function the task invokes (Lambda's REST
// API); moto answers its invocations without running the code.
func createFunction(t *testing.T, srv *mototest.Server, role, name string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("bootstrap")
	if err == nil {
		_, err = w.Write([]byte("#!/bin/sh\n"))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(map[string]any{"FunctionName": name, "Role": role, "Runtime": "provided.al2023", "Handler": "bootstrap",
		"Code": map[string][]byte{"ZipFile": buf.Bytes()}})
	// 409: the function is there from an earlier run in this process
	// (go test -count); the server lives as long as the process.
	motoCall(t, srv, "lambda", "/2015-03-31/functions", "application/json", in, http.StatusConflict)
}

// motoCall sends a SigV4-signed POST to service on the server (moto routes
// by the signature's service) and returns the body of a 2xx answer or of
// one with a status in alsoOK.
func motoCall(t *testing.T, srv *mototest.Server, service, path, contentType string, body []byte, alsoOK ...int) []byte {
	t.Helper()
	cfg := srv.Config()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), service, cfg.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", service, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil || (resp.StatusCode/100 != 2 && !slices.Contains(alsoOK, resp.StatusCode)) {
		t.Fatalf("%s %s: %s %v %s", service, path, resp.Status, err, out)
	}
	return out
}
