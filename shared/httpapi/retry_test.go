package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
)

// TestRetryAfter: a refusal that knows the wait says it in the header and
// the body, rounded up to whole seconds; others say nothing.
func TestRetryAfter(t *testing.T) {
	w := httptest.NewRecorder()
	httpapi.WriteError(w, httptest.NewRequest("POST", "/api/v1/auth/sms-codes", nil), apperr.Later("验证码发送过于频繁，请2秒后再试", 1500*time.Millisecond))
	var body struct {
		Code       string `json:"code"`
		RetryAfter int    `json:"retryAfter"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if w.Code != 429 || w.Header().Get("Retry-After") != "2" || body.RetryAfter != 2 || body.Code != "rate_limited" {
		t.Errorf("%d %q %+v", w.Code, w.Header().Get("Retry-After"), body)
	}
	w = httptest.NewRecorder()
	httpapi.WriteError(w, httptest.NewRequest("GET", "/", nil), apperr.E(apperr.RateLimited, "稍后再试"))
	if w.Header().Get("Retry-After") != "" {
		t.Errorf("a wait nobody knows: %q", w.Header().Get("Retry-After"))
	}
}
