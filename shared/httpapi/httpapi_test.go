package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
)

type body struct {
	Code        string            `json:"code"`
	Message     string            `json:"message"`
	FieldErrors map[string]string `json:"fieldErrors"`
	RequestID   string            `json:"requestId"`
}

func newServer(t *testing.T, logs io.Writer) http.Handler {
	t.Helper()
	rt := httpapi.NewRouter()
	rt.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name string `json:"name"`
			Age  int    `json:"age"`
		}
		if err := httpapi.DecodeJSON(w, r, &in); err != nil {
			return err
		}
		if in.Name == "" {
			return apperr.Field("name", "请填写姓名")
		}
		httpapi.WriteJSON(w, http.StatusOK, in)
		return nil
	})
	rt.HandleFunc("GET /echo", func(w http.ResponseWriter, r *http.Request) error {
		httpapi.WriteJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
		return nil
	})
	rt.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) error {
		return apperr.E(apperr.NotFound, "未找到该事项")
	})
	rt.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) error {
		panic("boom")
	})
	rt.HandleFunc("GET /internal", func(w http.ResponseWriter, r *http.Request) error {
		return io.ErrUnexpectedEOF
	})
	return httpapi.Middleware(rt, slog.New(slog.NewJSONHandler(logs, nil)), nil)
}

func TestErrorsAreJSON4xx(t *testing.T) {
	big := `{"name":"` + strings.Repeat("a", httpapi.MaxBodyBytes) + `"}`
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantStatus  int
		wantCode    string
		wantFields  map[string]string
	}{
		{"bad JSON", "POST", "/echo", "application/json", `{"name":`, 400, "bad_request", nil},
		{"not JSON at all", "POST", "/echo", "application/json", `name=x`, 400, "bad_request", nil},
		{"empty body", "POST", "/echo", "application/json", ``, 400, "bad_request", nil},
		{"two objects", "POST", "/echo", "application/json", `{"name":"a"}{"name":"b"}`, 400, "bad_request", nil},
		{"wrong type", "POST", "/echo", "application/json", `{"name":"a","age":"x"}`, 422, "invalid", map[string]string{"age": "类型不正确，应为数字"}},
		{"body over 1 MiB", "POST", "/echo", "application/json", big, 413, "too_large", nil},
		{"wrong content type", "POST", "/echo", "text/plain", `{"name":"a"}`, 415, "unsupported_media_type", nil},
		{"field error", "POST", "/echo", "application/json", `{"age":3}`, 422, "invalid", map[string]string{"name": "请填写姓名"}},
		{"unknown route", "GET", "/nope", "", "", 404, "not_found", nil},
		{"wrong method", "DELETE", "/echo", "", "", 405, "method_not_allowed", nil},
		{"wrong method on a param route", "POST", "/items/7", "", "", 405, "method_not_allowed", nil},
		{"handler not found", "GET", "/items/7", "", "", 404, "not_found", nil},
		{"panic", "GET", "/boom", "", "", 500, "internal", nil},
		{"internal error", "GET", "/internal", "", "", 500, "internal", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := newServer(t, &logs)
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			var b body
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, rec.Body)
			}
			if b.Code != tt.wantCode {
				t.Errorf("code = %q, want %q", b.Code, tt.wantCode)
			}
			if b.Message == "" || !containsHan(b.Message) {
				t.Errorf("message %q is not a Chinese message", b.Message)
			}
			if diff := cmp.Diff(tt.wantFields, b.FieldErrors); diff != "" {
				t.Errorf("fieldErrors (-want +got):\n%s", diff)
			}
			if b.RequestID == "" || b.RequestID != rec.Header().Get("X-Request-Id") {
				t.Errorf("requestId %q, header %q", b.RequestID, rec.Header().Get("X-Request-Id"))
			}
			if tt.wantStatus == 500 && strings.Contains(rec.Body.String(), "boom") {
				t.Errorf("internal cause leaked: %s", rec.Body)
			}
			if tt.wantStatus == 405 && rec.Header().Get("Allow") == "" {
				t.Errorf("405 without Allow header")
			}
		})
	}
}

func TestSuccessAndRequestID(t *testing.T) {
	var logs bytes.Buffer
	h := newServer(t, &logs)
	req := httptest.NewRequest("POST", "/echo?idNo=230827199001011218", strings.NewReader(`{"name":"张三","age":30}`))
	req.Header.Set("X-Request-Id", "abc-123")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff(`{"name":"张三","age":30}`+"\n", rec.Body.String()); diff != "" {
		t.Error(diff)
	}
	if got := rec.Header().Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id = %q", got)
	}
	if !strings.Contains(logs.String(), `"request_id":"abc-123"`) {
		t.Errorf("access log lacks request id: %s", logs.String())
	}
	if strings.Contains(logs.String(), "230827199001011218") || strings.Contains(logs.String(), "张三") {
		t.Errorf("personal data in logs: %s", logs.String())
	}
}

func TestBadRequestIDReplaced(t *testing.T) {
	h := newServer(t, io.Discard)
	req := httptest.NewRequest("GET", "/echo", nil)
	req.Header.Set("X-Request-Id", "<script>")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-Id"); got == "<script>" || got == "" {
		t.Errorf("X-Request-Id = %q, want a fresh id", got)
	}
}

func TestRoutes(t *testing.T) {
	rt := httpapi.NewRouter()
	rt.HandleFunc("GET /a", func(http.ResponseWriter, *http.Request) error { return nil })
	rt.HandleFunc("POST /a", func(http.ResponseWriter, *http.Request) error { return nil })
	if diff := cmp.Diff([]string{"GET /a", "POST /a"}, rt.Routes()); diff != "" {
		t.Error(diff)
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestPattern(t *testing.T) {
	rt := httpapi.NewRouter()
	rt.HandleFunc("GET /a/{id}", func(http.ResponseWriter, *http.Request) error { return nil })
	for _, tt := range []struct{ method, path, want string }{
		{"GET", "/a/7", "GET /a/{id}"},
		{"HEAD", "/a/7", "GET /a/{id}"},
		{"POST", "/a/7", ""},
		{"GET", "/b", ""},
	} {
		if got := rt.Pattern(httptest.NewRequest(tt.method, tt.path, nil)); got != tt.want {
			t.Errorf("%s %s → %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}
