package catalogapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
)

// TestCatalogLoadedOnFirstUse: building the function and answering a
// route that does not exist do not load the catalog; concurrent first
// requests load it once and all see it.
func TestCatalogLoadedOnFirstUse(t *testing.T) {
	var loads atomic.Int32
	fn := catalogapi.NewWithLoader(app.Deps{Clock: clock.Frozen(may10)}, func() *catalog.Catalog {
		loads.Add(1)
		return catalog.Default()
	})
	h := httpapi.Middleware(fn.HTTP, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil)
	if n := loads.Load(); n != 0 {
		t.Fatalf("New loaded the catalog %d times", n)
	}
	if r := do(t, h, "GET", "/api/v1/bench-cold/not-found", ""); r.status != http.StatusNotFound {
		t.Fatalf("unknown route: status %d", r.status)
	}
	if n := loads.Load(); n != 0 {
		t.Fatalf("a 404 loaded the catalog %d times", n)
	}
	var wg sync.WaitGroup
	status := make([]int, 8)
	for i := range status {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/code-tables", nil))
			status[i] = rec.Code
		})
	}
	wg.Wait()
	for i, s := range status {
		if s != http.StatusOK {
			t.Errorf("request %d: status %d", i, s)
		}
	}
	if n := loads.Load(); n != 1 {
		t.Errorf("loaded %d times, want 1", n)
	}
}
