package runner_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/config"
)

// portalRunner is a runner serving the portal build in web ("" for none).
func portalRunner(t *testing.T, web string) *runner.Runner {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		if k == "HRSS_DATA_DIR" {
			return dir, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	if web == "" {
		web = filepath.Join(dir, "no-build")
	}
	r, err := runner.New(runner.Options{Root: root, Config: cfg, Clock: clock.Frozen(may10), WebDir: web,
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestPortalIsServedAtTheRoot: the build's files, index.html for the
// portal's own routes (history fallback), hashed assets cached for good,
// and never a page for an unknown API or runner path.
func TestPortalIsServedAtTheRoot(t *testing.T) {
	web := t.TempDir()
	if err := os.MkdirAll(filepath.Join(web, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"index.html": "<!doctype html><title>portal</title>", "assets/app-1a2b.js": "console.log(1)", "favicon.ico": "ico"} {
		if err := os.WriteFile(filepath.Join(web, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := portalRunner(t, web)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.Handler().ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	for _, c := range []struct {
		path, want, cache string
		code              int
	}{
		{"/", "<title>portal</title>", "no-cache", 200},
		{"/services/personal-refund", "<title>portal</title>", "no-cache", 200},
		{"/apply/4.4?x=1", "<title>portal</title>", "no-cache", 200},
		{"/assets/app-1a2b.js", "console.log(1)", "immutable", 200},
		{"/favicon.ico", "ico", "no-cache", 200},
		{"/api/v1/nothing-here", `"code":"not_found"`, "", 404},
		{"/_nothing", `"code":"not_found"`, "", 404},
		{"/api/v1/services", `"items"`, "", 200},
	} {
		w := get(c.path)
		if w.Code != c.code || !strings.Contains(w.Body.String(), c.want) || !strings.Contains(w.Header().Get("Cache-Control"), c.cache) {
			t.Errorf("GET %s: %d %q (Cache-Control %q)", c.path, w.Code, w.Body.String(), w.Header().Get("Cache-Control"))
		}
	}
	// Without a build: a page that says how to build it.
	w := httptest.NewRecorder()
	portalRunner(t, "").Handler().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 503 || !strings.Contains(w.Body.String(), "make run") {
		t.Errorf("no build: %d %s", w.Code, w.Body)
	}
}
