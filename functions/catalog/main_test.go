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

	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/infra/eventtest"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/lambdaentry"
)

const eventDir = "../../events/catalog"

// TestEvents feeds every sample event of events/catalog (API Gateway v2
// requests, one or more per route) to the Lambda entry point and checks
// the response.
func TestEvents(t *testing.T) {
	clk := clock.Frozen(time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai))
	h := handler(app.Deps{Clock: clk, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	tested := map[string]bool{}
	t.Cleanup(func() {
		files, _ := filepath.Glob(filepath.Join(eventDir, "*.json"))
		if len(files) == 0 {
			t.Error("no sample events")
		}
		for _, f := range files {
			if !tested[filepath.Base(f)] {
				t.Errorf("sample event %s is not fed to the entry point by this test", f)
			}
		}
	})
	invoke := func(t *testing.T, name string) (events.APIGatewayV2HTTPResponse, map[string]any) {
		t.Helper()
		tested[name] = true
		raw, err := os.ReadFile(filepath.Join(eventDir, name))
		if err != nil {
			t.Fatal(err)
		}
		out, err := h(context.Background(), raw)
		if err != nil {
			t.Fatal(err)
		}
		resp, ok := out.(events.APIGatewayV2HTTPResponse)
		if !ok {
			t.Fatalf("response is %T", out)
		}
		var body map[string]any
		if resp.Body != "" {
			if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
				t.Fatalf("body %q: %v", resp.Body, err)
			}
		}
		return resp, body
	}
	fieldErrors := func(body map[string]any) map[string]any {
		fe, _ := body["fieldErrors"].(map[string]any)
		return fe
	}

	tests := []struct {
		event  string
		status int
		check  func(t *testing.T, resp events.APIGatewayV2HTTPResponse, body map[string]any)
	}{
		{"services-list.json", 200, func(t *testing.T, resp events.APIGatewayV2HTTPResponse, body map[string]any) {
			if body["total"] != 2.0 || resp.Headers["Cache-Control"] != "public, max-age=300" || resp.Headers["Etag"] == "" {
				t.Errorf("headers %v body %v", resp.Headers, body)
			}
		}},
		{"services-list-bad-filter.json", 422, func(t *testing.T, _ events.APIGatewayV2HTTPResponse, body map[string]any) {
			if fieldErrors(body)["purpose"] == nil {
				t.Errorf("body %v", body)
			}
		}},
		{"service-detail.json", 200, func(t *testing.T, _ events.APIGatewayV2HTTPResponse, body map[string]any) {
			if body["id"] != "employee-enrol" || len(body["fields"].([]any)) != 32 {
				t.Errorf("body %v", body["id"])
			}
		}},
		{"service-detail-not-modified.json", 304, nil},
		{"service-detail-not-found.json", 404, func(t *testing.T, _ events.APIGatewayV2HTTPResponse, body map[string]any) {
			if body["code"] != "not_found" {
				t.Errorf("body %v", body)
			}
		}},
		{"service-validate.json", 200, func(t *testing.T, _ events.APIGatewayV2HTTPResponse, body map[string]any) {
			if body["valid"] != true {
				t.Errorf("body %v", body)
			}
		}},
		{"service-validate-invalid.json", 422, func(t *testing.T, resp events.APIGatewayV2HTTPResponse, body map[string]any) {
			fe := fieldErrors(body)
			for _, k := range []string{"orgCode", "legalRepIdNumber", "registeredRegionCode", "uscc"} {
				if fe[k] == nil {
					t.Errorf("no field error for %s: %v", k, fe)
				}
			}
			if resp.Headers["X-Request-Id"] != "Kc1aXmPLvHcESHA=" {
				t.Errorf("X-Request-Id %q, want the API Gateway request id", resp.Headers["X-Request-Id"])
			}
		}},
		{"service-validate-bad-json.json", 400, nil},
		{"code-tables.json", 200, func(t *testing.T, _ events.APIGatewayV2HTTPResponse, body map[string]any) {
			if body["total"].(float64) < 50 {
				t.Errorf("total %v", body["total"])
			}
		}},
		{"code-table.json", 200, func(t *testing.T, _ events.APIGatewayV2HTTPResponse, body map[string]any) {
			if body["name"] != "gender" {
				t.Errorf("body %v", body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.event, func(t *testing.T) {
			resp, body := invoke(t, tt.event)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if tt.check != nil {
				tt.check(t, resp, body)
			}
		})
	}
}

// handler is the Lambda entry point main starts (lambdaentry.Main), built
// on the given adapters instead of AWS's.
func handler(d app.Deps) func(context.Context, json.RawMessage) (any, error) {
	return lambdaentry.Handler(catalogapi.New(d), d.Log)
}

// FuzzEvents: any event is answered without a panic or a fault (eventtest.Fuzz).
func FuzzEvents(f *testing.F) { eventtest.Fuzz(f, "catalog", catalogapi.New) }
