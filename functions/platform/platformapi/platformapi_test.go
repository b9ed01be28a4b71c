package platformapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/platform/platformapi"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/workflow"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

// tokens records SendTaskSuccess calls: the await task's callback.
type tokens struct{ sent map[string]string }

func (t *tokens) Start(context.Context, workflow.StartInput) (string, error) {
	return "", errors.New("not used")
}
func (t *tokens) SendTaskSuccess(_ context.Context, token string, out json.RawMessage) error {
	t.sent[token] = string(out)
	return nil
}
func (t *tokens) SendTaskFailure(context.Context, string, string, string) error { return nil }

func setup(t *testing.T) (app.Function, *boltstore.Store, *tokens) {
	t.Helper()
	clk := clock.Frozen(may10)
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "t.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wf := &tokens{sent: map[string]string{}}
	fn := platformapi.New(app.Deps{Clock: clk, Store: st, StoreKind: "bbolt", Workflow: wf, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	return fn, st, wf
}

func getHealth(t *testing.T, fn app.Function) (int, platformapi.Health) {
	t.Helper()
	rec := httptest.NewRecorder()
	httpapi.Middleware(fn.HTTP, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil).ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/health", nil))
	var h platformapi.Health
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
		t.Fatalf("health body: %v: %s", err, rec.Body)
	}
	return rec.Code, h
}

func TestHealth(t *testing.T) {
	fn, _, _ := setup(t)
	code, h := getHealth(t, fn)
	want := platformapi.Health{Status: "ok", Store: "bbolt", Version: app.Version, Time: "2022-05-10T09:00:00+08:00"}
	if code != http.StatusOK {
		t.Errorf("status %d", code)
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}

	if err := fn.Schedule(context.Background(), app.ScheduleEvent{Schedule: "PlatformHeartbeat"}); err != nil {
		t.Fatal(err)
	}
	if _, h := getHealth(t, fn); h.LastHeartbeat != "2022-05-10T09:00:00+08:00" {
		t.Errorf("lastHeartbeat = %q after the heartbeat ran", h.LastHeartbeat)
	}
	if err := fn.Schedule(context.Background(), app.ScheduleEvent{Schedule: "Nope"}); err == nil {
		t.Error("unknown schedule accepted")
	}
}

func TestHealthDegradedWhenStoreFails(t *testing.T) {
	fn, st, _ := setup(t)
	st.Close()
	code, h := getHealth(t, fn)
	if code != http.StatusServiceUnavailable || h.Status != "degraded" {
		t.Errorf("status %d %q, want 503 degraded", code, h.Status)
	}
}

func runTask(t *testing.T, fn app.Function, payload string) (map[string]any, error) {
	t.Helper()
	out, err := fn.Task(context.Background(), json.RawMessage(payload))
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("task output %s: %v", out, err)
	}
	return m, nil
}

func errName(err error) string {
	if err == nil {
		return ""
	}
	return workflow.ErrorName(err)
}

func TestTasks(t *testing.T) {
	fn, st, wf := setup(t)

	out, err := runTask(t, fn, `{"task":"ping","echo":{"a":1}}`)
	if err != nil || out["pong"] != true || cmp.Diff(map[string]any{"a": float64(1)}, out["echo"]) != "" {
		t.Errorf("ping = %v, %v", out, err)
	}

	for i, want := range []string{platformapi.ErrTransient, platformapi.ErrTransient, ""} {
		_, err := runTask(t, fn, `{"task":"flaky","key":"exec-1","failTimes":2}`)
		if got := errName(err); got != want {
			t.Errorf("flaky attempt %d: error %q, want %q", i+1, got, want)
		}
	}

	if _, err := runTask(t, fn, `{"task":"fail","error":"Hrss.Custom"}`); errName(err) != "Hrss.Custom" {
		t.Errorf("fail: %v", err)
	}

	if _, err := runTask(t, fn, `{"task":"await","key":"exec-2","token":"tok-1"}`); err != nil {
		t.Fatal(err)
	}
	it, err := st.Get(context.Background(), table.Key{PK: "SELFTEST#exec-2", SK: "TOKEN"})
	if err != nil || it.String("Token") != "tok-1" {
		t.Errorf("await did not record the token: %v %v", it, err)
	}
	if len(wf.sent) != 0 {
		t.Errorf("await without complete sent a callback")
	}
	if _, err := runTask(t, fn, `{"task":"await","key":"exec-3","token":"tok-2","complete":true}`); err != nil {
		t.Fatal(err)
	}
	if wf.sent["tok-2"] != `{"callback":true}` {
		t.Errorf("await complete: sent %v", wf.sent)
	}

	for _, bad := range []string{`[]`, `{"task":"nope"}`, `{"task":"flaky"}`, `{"task":"await","key":"k"}`} {
		if _, err := runTask(t, fn, bad); errName(err) != platformapi.ErrBadTask {
			t.Errorf("payload %s: error %v, want %s", bad, err, platformapi.ErrBadTask)
		}
	}
}
