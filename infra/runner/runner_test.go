package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/infra/samtemplate"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
	"github.com/hljhrss/hrss/shared/notify"
)

const root = "../.."

var may10 = time.Date(2022, 5, 10, 8, 59, 0, 0, clock.Shanghai)

func newRunner(t *testing.T, dataDir string, clk clock.Clock) *runner.Runner {
	t.Helper()
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		if k == "HRSS_DATA_DIR" {
			return dataDir, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clk, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var param = regexp.MustCompile(`\{[^}]+\}`)

// TestTemplateRoutesServedByRunner: every HttpApi route of template.yaml is
// served by the runner with the same function's handler, and the runner
// serves no API route the template lacks.
func TestTemplateRoutesServedByRunner(t *testing.T) {
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, t.TempDir(), clock.Frozen(may10))
	defer r.Close()

	want := tpl.Routes()
	for pattern, fname := range want {
		method, path, _ := strings.Cut(pattern, " ")
		req := httptest.NewRequest(method, param.ReplaceAllString(path, "x"), nil)
		gotPattern, gotFn := r.Route(req)
		if gotPattern != pattern || gotFn != fname {
			t.Errorf("%s: runner serves it as %q by %q, want %q by %q", pattern, gotPattern, gotFn, pattern, fname)
		}
	}
	for pattern, fname := range r.APIRoutes() {
		if want[pattern] != fname {
			t.Errorf("runner serves %s by %s; template.yaml routes it to %q", pattern, fname, want[pattern])
		}
	}
	for name, fn := range r.Functions {
		for _, p := range fn.HTTP.Routes() {
			if want[p] != name {
				t.Errorf("function %s serves %s, which template.yaml does not route to it", name, p)
			}
		}
	}
	for name := range runner.Constructors {
		if _, ok := tpl.Functions[name]; !ok {
			t.Errorf("runner.Constructors has %s, which template.yaml lacks", name)
		}
	}
}

// TestRunnerRefusesMismatchedTemplate: a template route the function does
// not serve stops the runner at start.
func TestRunnerRefusesMismatchedTemplate(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	extra := strings.Replace(string(b), "      Events:\n        Health:\n", "      Events:\n        Bogus:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref HttpApi\n            Path: /api/v1/bogus\n            Method: GET\n        Health:\n", 1)
	if extra == string(b) {
		t.Fatal("could not add a route to the template copy")
	}
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(extra), 0o600); err != nil {
		t.Fatal(err)
	}
	asl, _ := filepath.Glob(filepath.Join(root, "infra/statemachine/*.asl.json"))
	if err := os.MkdirAll(filepath.Join(dir, "infra/statemachine"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range asl {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "infra/statemachine", filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _ := config.FromLookup(func(k string) (string, bool) {
		if k == "HRSS_DATA_DIR" {
			return filepath.Join(dir, "data"), true
		}
		return "", false
	})
	r, err := runner.New(runner.Options{Root: dir, Config: cfg, Clock: clock.Frozen(may10), Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err == nil {
		r.Close()
		t.Fatal("runner started with a template route no function serves")
	}
	if !strings.Contains(err.Error(), "/api/v1/bogus") {
		t.Errorf("error does not name the route: %v", err)
	}
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

// TestPlatformEndToEnd drives the whole platform through the runner's
// handler: health, a schedule firing, a presigned upload through the blob
// endpoint, the outbox page, the local index, then a restart that keeps
// the data.
func TestPlatformEndToEnd(t *testing.T) {
	data := t.TempDir()
	clk := clock.Frozen(may10)
	r := newRunner(t, data, clk)
	srv := httptest.NewServer(r.Handler())
	ctx := context.Background()

	var h map[string]any
	if code := getJSON(t, srv.URL+"/api/v1/health", &h); code != 200 || h["status"] != "ok" || h["store"] != "bbolt" {
		t.Fatalf("health %d %v", code, h)
	}
	if _, ok := h["lastHeartbeat"]; ok {
		t.Fatalf("heartbeat before any schedule fired: %v", h)
	}

	// The template's hourly heartbeat fires at 09:00 Asia/Shanghai, with
	// the daily reminders (drafts expiring, the review SLA).
	clk.Set(time.Date(2022, 5, 10, 9, 0, 30, 0, clock.Shanghai))
	if n := r.Timer.Tick(ctx, clk.Now()); n != 3 {
		t.Fatalf("Tick fired %d schedules, want 3 (the heartbeat and the daily reminders)", n)
	}
	getJSON(t, srv.URL+"/api/v1/health", &h)
	if h["lastHeartbeat"] != "2022-05-10T09:00:30+08:00" {
		t.Errorf("lastHeartbeat = %v", h["lastHeartbeat"])
	}

	// A presigned upload through the runner's blob endpoint, with the URL
	// pointing at this test server.
	post, err := r.Blobs.PresignUpload(ctx, blobs.UploadPolicy{Key: "pending/a.pdf", ContentType: "application/pdf", MinSize: 1, MaxSize: 1024, Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range post.Fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "a.pdf")
	fw.Write([]byte("%PDF-1.4 test"))
	mw.Close()
	uploadURL := srv.URL + strings.TrimPrefix(post.URL, "http://127.0.0.1:8080")
	resp, err := http.Post(uploadURL, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("upload: status %d", resp.StatusCode)
	}
	if info, err := r.Blobs.Head(ctx, "pending/a.pdf"); err != nil || info.Size != 13 || info.ContentType != "application/pdf" {
		t.Errorf("head after upload: %+v %v", info, err)
	}

	// Notifications land in the outbox page.
	if err := r.Outbox.Send(ctx, notify.Message{ID: "m1", Channel: notify.SMS, To: "+8613800000000", Body: "验证码 123456"}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/_outbox", "/_local/"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if path == "/_outbox" && !strings.Contains(string(page), "验证码 123456") {
			t.Errorf("outbox page lacks the message")
		}
		if path == "/_local/" && !strings.Contains(string(page), "/api/v1/health") {
			t.Errorf("index page lacks the routes")
		}
	}

	var e map[string]any
	if code := getJSON(t, srv.URL+"/api/v1/nope", &e); code != 404 || e["code"] != "not_found" {
		t.Errorf("unknown route: %d %v", code, e)
	}

	srv.Close()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart on the same data directory: the data is still there.
	r2 := newRunner(t, data, clk)
	defer r2.Close()
	srv2 := httptest.NewServer(r2.Handler())
	defer srv2.Close()
	getJSON(t, srv2.URL+"/api/v1/health", &h)
	if h["lastHeartbeat"] != "2022-05-10T09:00:30+08:00" {
		t.Errorf("after restart lastHeartbeat = %v", h["lastHeartbeat"])
	}
	if _, err := r2.Blobs.Head(ctx, "pending/a.pdf"); err != nil {
		t.Errorf("upload lost on restart: %v", err)
	}
	if msgs, err := r2.Outbox.List(ctx, 10); err != nil || len(msgs) != 1 {
		t.Errorf("outbox after restart: %v %v", msgs, err)
	}
}
