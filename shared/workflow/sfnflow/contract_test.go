package sfnflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/workflow"
	"github.com/hljhrss/hrss/shared/workflow/sfnflow"
	"github.com/hljhrss/hrss/shared/workflow/workflowtest"
)

const contractMachineARN = "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:hrss-Contract"

// newServiceEngine returns an engine on the real SDK client talking to a
// fresh sfnService that knows workflowtest.Definition as contractMachineARN.
func newServiceEngine(t *testing.T) (*sfnflow.Engine, *sfnService, *clock.Fixed) {
	t.Helper()
	clk := clock.Frozen(t0)
	svc := newSFNService(t, clk)
	svc.createStateMachine(contractMachineARN, workflowtest.Definition())
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	client := sfn.New(sfn.Options{
		Region:       "cn-north-1",
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		}),
		RetryMaxAttempts: 1,
	})
	e := sfnflow.New(client, map[string]string{workflowtest.StateMachine: contractMachineARN}, sfnflow.WithClock(clk))
	return e, svc, clk
}

// TestContract runs the workflow contract with the real SDK client against
// sfnService, a stateful wire-level double of Step Functions (see its doc
// for why a double and what it implements). Start's idempotent answer to an
// immediate same-input repeat is covered by the contract's
// start/same_name_immediate_repeat case, which accepts nil there as the
// package doc describes.
func TestContract(t *testing.T) {
	workflowtest.Run(t, func(t *testing.T) workflowtest.Harness {
		e, svc, clk := newServiceEngine(t)
		return workflowtest.Harness{
			Engine:  e,
			Token:   func(t *testing.T, name string) string { return svc.token(t, contractMachineARN, name) },
			Advance: clk.Advance,
		}
	}, workflowtest.Options{})
}

// TestEmptyTokenIsNotSent checks that an empty token is ErrTaskNotFound, as
// in the embedded adapter, without a call that Step Functions would answer
// with ValidationException.
func TestEmptyTokenIsNotSent(t *testing.T) {
	e, fake := newEngine(t)
	fake.answer(200, map[string]any{})
	ctx := t.Context()
	for name, send := range map[string]func() error{
		"success":   func() error { return e.SendTaskSuccess(ctx, "", json.RawMessage(`{}`)) },
		"failure":   func() error { return e.SendTaskFailure(ctx, "", "Hrss.Rejected", "") },
		"heartbeat": func() error { return e.SendTaskHeartbeat(ctx, "") },
	} {
		if err := send(); !errors.Is(err, workflow.ErrTaskNotFound) {
			t.Errorf("%s with an empty token: %v, want ErrTaskNotFound", name, err)
		}
	}
	if calls := fake.lastCalls(); len(calls) != 0 {
		t.Errorf("calls %+v, want none", calls)
	}
}
