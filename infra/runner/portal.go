package runner

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
)

// The portal (web/, built to web/dist by make run) is served at / on the
// same origin as the API, as CloudFront serves it in AWS: a file of the
// build when there is one, else index.html (history fallback: the portal's
// router owns every other path). /api/ and the runner's own /_ paths never
// fall back: an unknown one is a JSON 404.

// portalPath reports whether p may be a path of the portal: not the API's
// and not one of the runner's own (/_local/, /_blobs/, /_outbox, ...).
func portalPath(p string) bool { return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/_") }

// portal serves the build in dir ("" or a missing build: a page that says
// how to build it).
func portal(dir string) http.Handler {
	var root fs.FS
	if dir != "" {
		if st, err := os.Stat(path.Join(dir, "index.html")); err == nil && !st.IsDir() {
			root = os.DirFS(dir)
		}
	}
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if !portalPath(p) {
			httpapi.WriteError(w, r, apperr.E(apperr.NotFound, "没有这个接口"))
			return
		}
		if root == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>门户尚未构建</title>` +
				`<p>门户页面尚未构建：请用 <code>make run</code> 启动（会自动构建 web/），或在 web/ 下运行 <code>npm ci &amp;&amp; npm run build</code>。` +
				`<p><a href="/_local/">本地演示账号与工具</a></html>`))
			return
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if name == "" {
			name = "index.html"
		}
		if st, err := fs.Stat(root, name); err != nil || st.IsDir() {
			if !errors.Is(err, fs.ErrNotExist) && err != nil && !st.IsDir() {
				httpapi.WriteError(w, r, err)
				return
			}
			// History fallback: the portal's route.
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/"
			w.Header().Set("Cache-Control", "no-cache")
			files.ServeHTTP(w, r2)
			return
		}
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // Vite's hashed names
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}
