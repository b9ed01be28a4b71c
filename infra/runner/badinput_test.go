package runner_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/openapi"
	"github.com/hljhrss/hrss/infra/samtemplate"
)

// hanChar finds a Chinese character: every refusal explains itself in
// Chinese.
var hanChar = regexp.MustCompile(`\p{Han}`)

// badRequest is one malformed request of the bad-input test.
type badRequest struct {
	what   string
	method string
	path   string
	body   []byte
	header http.Header
}

// TestBadInputNeverFails sends malformed requests to every route of
// template.yaml, as the role that may call it (so that they reach the
// handler): wrong JSON types for every property of the request body the
// OpenAPI document declares, bodies that are empty, not JSON, not an
// object, invalid UTF-8, nested 100,000 deep or 12 MB large, wrong content
// types, bad cursors and limits, path parameters with traversal, NUL,
// separators and 300 characters, and header values with line breaks. No
// answer may be a 5xx; every 4xx is a JSON error with a stable code and a
// Chinese message.
func TestBadInputNeverFails(t *testing.T) {
	r := seededRunner(t)
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	props := requestProperties(t)

	person := loggedIn(t, r, demo.PersonRefund)
	agent := loggedIn(t, r, demo.UnitLogistics)
	reviewer := staffClient(t, r, demo.ReviewerID)
	admin := staffClient(t, r, demo.AdminID)
	// A real draft, so that {id} of the person's family routes exists.
	draft := mustPrepare(t, person, mustBusiness(t, "personal-basic-info-change"))
	draftID := draft[strings.LastIndex(draft, "/")+1:]
	clientFor := func(path string) *client {
		switch {
		case strings.HasPrefix(path, "/api/v1/review/refdata"), strings.HasPrefix(path, "/api/v1/review/reminders"):
			return admin
		case strings.HasPrefix(path, "/api/v1/review/"):
			return reviewer
		case strings.HasPrefix(path, "/api/v1/enterprise-registration/"), strings.HasPrefix(path, "/api/v1/employee-enrolment/"):
			return agent
		}
		return person
	}

	deep := bytes.Repeat([]byte("["), 100_000)
	huge := append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), 12<<20)...)
	huge = append(huge, `"}`...)
	bodies := []struct {
		what string
		body []byte
		ct   string
	}{
		{"empty body", nil, "application/json"},
		{"null", []byte("null"), "application/json"},
		{"array", []byte("[]"), "application/json"},
		{"number", []byte("123"), "application/json"},
		{"truncated", []byte(`{"a":`), "application/json"},
		{"invalid UTF-8", []byte("{\"name\":\"\xff\xfe\xfd\"}"), "application/json"},
		{"nested 100000 deep", deep, "application/json"},
		{"12 MB", huge, "application/json"},
		{"text/plain", []byte(`{}`), "text/plain"},
		{"xml", []byte(`<a/>`), "application/xml"},
		{"form", []byte(`a=1`), "application/x-www-form-urlencoded"},
		{"gbk charset", []byte(`{}`), "application/json; charset=gbk"},
	}
	pathTricks := []string{"..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%23b", "a%24b", strings.Repeat("9", 300), "%00", "%E4%B8%AD%E6%96%87", "'%20OR%201=1--", "%FF%FE"}
	wrongValues := []string{`{}`, `[]`, `12345`, `true`, `null`, `"字符串"`, `-1e309`}

	var reqs []badRequest
	param := regexp.MustCompile(`\{[^}]+\}`)
	for pattern := range tpl.Routes() {
		method, path, _ := strings.Cut(pattern, " ")
		real := param.ReplaceAllStringFunc(path, func(p string) string {
			switch p {
			case "{id}":
				return draftID
			case "{business}":
				return "personal-refund"
			case "{job}":
				return "window-open"
			case "{period}":
				return "202206"
			}
			return "x"
		})
		// Path parameters.
		if strings.Contains(path, "{") {
			for _, trick := range pathTricks {
				reqs = append(reqs, badRequest{what: "path " + trick, method: method, path: param.ReplaceAllString(path, trick)})
			}
		}
		// Queries.
		for _, q := range []string{"cursor=garbage", "cursor=%FF%FE%00", "limit=-1", "limit=abc", "limit=99999999999999999999", "business=%00", "q=" + strings.Repeat("搜", 5000)} {
			reqs = append(reqs, badRequest{what: "query " + q[:min(len(q), 24)], method: method, path: real + "?" + q})
		}
		// Headers.
		reqs = append(reqs,
			badRequest{what: "header CRLF", method: method, path: real, header: http.Header{"Idempotency-Key": {"k\r\nX-Evil: 1"}, "Content-Type": {"application/json"}}, body: []byte("{}")},
			badRequest{what: "header 10 KB", method: method, path: real, header: http.Header{"Idempotency-Key": {strings.Repeat("k", 10_000)}, "Content-Type": {"application/json"}}, body: []byte("{}")},
			badRequest{what: "If-None-Match junk", method: method, path: real, header: http.Header{"If-None-Match": {"\x00\xff"}}},
		)
		if method != http.MethodPost && method != http.MethodPut {
			continue
		}
		for _, b := range bodies {
			reqs = append(reqs, badRequest{what: "body " + b.what, method: method, path: real, body: b.body, header: http.Header{"Content-Type": {b.ct}}})
		}
		// Every declared property of the body, with each wrong type.
		for _, prop := range props[method+" "+path] {
			for _, v := range wrongValues {
				reqs = append(reqs, badRequest{what: "property " + prop + "=" + v, method: method, path: real,
					body: []byte(`{"` + prop + `":` + v + `}`), header: http.Header{"Content-Type": {"application/json"}}})
			}
		}
	}
	// A garbage session: a 401, not a crash.
	reqs = append(reqs, badRequest{what: "garbage session", method: "GET", path: "/api/v1/auth/me", header: http.Header{"Cookie": {"hrss_session=%%%\x00"}}})

	// Logging out ends the person's session: those go last, so that every
	// other request reaches its handler.
	slices.SortStableFunc(reqs, func(a, b badRequest) int {
		la, lb := strings.HasPrefix(a.path, "/api/v1/auth/logout"), strings.HasPrefix(b.path, "/api/v1/auth/logout")
		switch {
		case la == lb:
			return 0
		case la:
			return 1
		}
		return -1
	})
	byRoute := map[string]map[int]int{}
	failures := 0
	for _, br := range reqs {
		cl := clientFor(br.path)
		req := httptest.NewRequest(br.method, "/", bytes.NewReader(br.body))
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", ""
		if u, q, ok := strings.Cut(br.path, "?"); ok {
			req.URL.RawQuery = q
			br.path = u
		}
		req.URL.RawPath = br.path
		req.URL.Path = unescapePath(br.path)
		req.RequestURI = ""
		for k, vs := range br.header {
			req.Header[k] = vs
		}
		if cl.cookie != nil && req.Header.Get("Cookie") == "" {
			req.AddCookie(cl.cookie)
		}
		w := httptest.NewRecorder()
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s %s (%s): panic %v", br.method, br.path, br.what, p)
					failures++
				}
			}()
			r.Handler().ServeHTTP(w, req)
		}()
		pattern, _ := r.Route(req)
		if pattern == "" {
			pattern = "(no route)"
		}
		if byRoute[pattern] == nil {
			byRoute[pattern] = map[int]int{}
		}
		byRoute[pattern][w.Code]++
		if w.Code >= 500 {
			failures++
			if failures <= 30 {
				t.Errorf("%s %s (%s): %d %s", br.method, br.path[:min(len(br.path), 120)], br.what, w.Code, w.Body.String()[:min(w.Body.Len(), 300)])
			}
			continue
		}
		if w.Code >= 400 {
			var e struct{ Code, Message string }
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" || !hanChar.MatchString(e.Message) {
				failures++
				if failures <= 30 {
					t.Errorf("%s %s (%s): %d without a Chinese JSON error: %s", br.method, br.path[:min(len(br.path), 120)], br.what, w.Code,
						w.Body.String()[:min(w.Body.Len(), 200)])
				}
			}
		}
	}
	if len(reqs) < 500 {
		t.Errorf("only %d malformed requests", len(reqs))
	}
	routes := make([]string, 0, len(byRoute))
	for p := range byRoute {
		routes = append(routes, p)
	}
	slices.Sort(routes)
	var lines []string
	for _, p := range routes {
		n, codes := 0, []string{}
		for code, c := range byRoute[p] {
			n += c
			codes = append(codes, fmt.Sprintf("%d×%d", code, c))
		}
		slices.Sort(codes)
		lines = append(lines, fmt.Sprintf("%-70s %4d  %s", p, n, strings.Join(codes, " ")))
	}
	t.Logf("%d malformed requests over %d routes, %d failures:\n%s", len(reqs), len(routes), failures, strings.Join(lines, "\n"))
}

// unescapePath decodes a path as the server does; a path it cannot decode
// is kept as sent.
func unescapePath(p string) string {
	u, err := http.NewRequest("GET", "http://x"+p, nil)
	if err != nil {
		return p
	}
	return u.URL.Path
}

// requestProperties lists, per "METHOD /path" of the document, the
// top-level properties of its JSON request body.
func requestProperties(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := libopenapi.NewDocument(openapi.Spec())
	if err != nil {
		t.Fatal(err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for path, item := range m.Model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			if op.RequestBody == nil || op.RequestBody.Content == nil {
				continue
			}
			mt, ok := op.RequestBody.Content.Get("application/json")
			if !ok || mt.Schema == nil {
				continue
			}
			s := mt.Schema.Schema()
			if s == nil || s.Properties == nil {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			for name := range s.Properties.KeysFromOldest() {
				out[key] = append(out[key], name)
			}
		}
	}
	return out
}
