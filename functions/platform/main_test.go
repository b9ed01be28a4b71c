package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/hljhrss/hrss/functions/platform/platformapi"
	"github.com/hljhrss/hrss/infra/eventtest"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/lambdaentry"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

func event(t *testing.T, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/platform", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEvents feeds every sample event of events/platform to the Lambda
// entry point and checks the response.
func TestEvents(t *testing.T) {
	clk := clock.Frozen(time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai))
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "t.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := handler(app.Deps{Clock: clk, Store: st, StoreKind: "bbolt", Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	ctx := context.Background()
	tested := map[string]bool{}
	t.Cleanup(func() {
		files, _ := filepath.Glob("../../events/platform/*.json")
		for _, f := range files {
			if !tested[filepath.Base(f)] {
				t.Errorf("sample event %s is not fed to the entry point by this test", f)
			}
		}
	})

	invokeHTTP := func(t *testing.T, name string) (events.APIGatewayV2HTTPResponse, map[string]any) {
		t.Helper()
		tested[name] = true
		out, err := h(ctx, event(t, name))
		if err != nil {
			t.Fatal(err)
		}
		resp, ok := out.(events.APIGatewayV2HTTPResponse)
		if !ok {
			t.Fatalf("response is %T, want APIGatewayV2HTTPResponse", out)
		}
		var body map[string]any
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatalf("body %q: %v", resp.Body, err)
		}
		return resp, body
	}

	t.Run("health.json", func(t *testing.T) {
		resp, body := invokeHTTP(t, "health.json")
		if resp.StatusCode != 200 || body["status"] != "ok" || body["store"] != "bbolt" || body["time"] != "2022-05-10T09:00:00+08:00" {
			t.Errorf("status %d body %v", resp.StatusCode, body)
		}
		if got := resp.Headers["X-Request-Id"]; got != "JKJaXmPLvHcESHA=" {
			t.Errorf("X-Request-Id = %q, want the API Gateway request id", got)
		}
	})
	t.Run("health-wrong-method.json", func(t *testing.T) {
		resp, body := invokeHTTP(t, "health-wrong-method.json")
		if resp.StatusCode != 405 || body["code"] != "method_not_allowed" {
			t.Errorf("status %d body %v", resp.StatusCode, body)
		}
	})
	t.Run("schedule-heartbeat.json", func(t *testing.T) {
		tested["schedule-heartbeat.json"] = true
		if _, err := h(ctx, event(t, "schedule-heartbeat.json")); err != nil {
			t.Fatal(err)
		}
		_, body := invokeHTTP(t, "health.json")
		if body["lastHeartbeat"] != "2022-05-10T09:00:00+08:00" {
			t.Errorf("heartbeat not recorded: %v", body)
		}
	})
	t.Run("task-ping.json", func(t *testing.T) {
		tested["task-ping.json"] = true
		out, err := h(ctx, event(t, "task-ping.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(out.(json.RawMessage), &m); err != nil || m["pong"] != true {
			t.Errorf("ping → %s, %v", out, err)
		}
	})
	t.Run("task-fail.json", func(t *testing.T) {
		tested["task-fail.json"] = true
		_, err := h(ctx, event(t, "task-fail.json"))
		ie, ok := err.(messages.InvokeResponse_Error)
		if !ok || ie.Type != "Hrss.SelfTestFailure" {
			t.Errorf("error %#v, want a Lambda error of type Hrss.SelfTestFailure", err)
		}
	})
}

// handler is the Lambda entry point main starts (lambdaentry.Main), built
// on the given adapters instead of AWS's.
func handler(d app.Deps) func(context.Context, json.RawMessage) (any, error) {
	return lambdaentry.Handler(platformapi.New(d), d.Log)
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "platform", platformapi.New) }
