package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
)

// Router maps "METHOD /path/{param}" patterns to handlers. Unlike a bare
// http.ServeMux it answers an unknown path with 404 and a known path with
// another method with 405, both as JSON errors.
type Router struct {
	// Wrap, when set, wraps every handler registered after it is set with
	// the handler of its pattern: the function's access guard
	// (shared/access), so that no route escapes it.
	Wrap    func(pattern string, h http.Handler) http.Handler
	mux     *http.ServeMux
	methods map[string][]string // path pattern → methods registered
	routes  []string
}

// NewRouter returns an empty router.
func NewRouter() *Router {
	rt := &Router{mux: http.NewServeMux(), methods: map[string][]string{}}
	rt.mux.Handle("/", HandlerFunc(func(http.ResponseWriter, *http.Request) error {
		return apperr.E(apperr.NotFound, "请求的地址不存在")
	}))
	return rt
}

// Handle registers h for pattern, which must be "METHOD /path".
func (rt *Router) Handle(pattern string, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("httpapi: route pattern must be \"METHOD /path\": " + pattern)
	}
	if rt.Wrap != nil {
		h = rt.Wrap(pattern, h)
	}
	rt.mux.Handle(pattern, h)
	rt.routes = append(rt.routes, pattern)
	if _, seen := rt.methods[path]; !seen {
		rt.mux.Handle(path, HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Allow", strings.Join(rt.methods[path], ", "))
			return apperr.E(apperr.MethodNotAllowed, "该地址不支持 "+r.Method+" 请求")
		}))
	}
	rt.methods[path] = append(rt.methods[path], method)
	if method == http.MethodGet && !slices.Contains(rt.methods[path], http.MethodHead) {
		rt.methods[path] = append(rt.methods[path], http.MethodHead)
	}
}

// HandleFunc registers an error-returning handler.
func (rt *Router) HandleFunc(pattern string, h HandlerFunc) { rt.Handle(pattern, h) }

// Routes lists the registered "METHOD /path" patterns in registration order.
func (rt *Router) Routes() []string { return slices.Clone(rt.routes) }

// ServeHTTP dispatches the request.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) { rt.mux.ServeHTTP(w, r) }

// Pattern returns the registered "METHOD /path" pattern that would serve
// r, or "" when none would (the request would get 404 or 405).
func (rt *Router) Pattern(r *http.Request) string {
	_, p := rt.mux.Handler(r)
	if !strings.Contains(p, " ") {
		return ""
	}
	return p
}
