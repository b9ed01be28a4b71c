package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/httpapi"
)

var han = regexp.MustCompile(`\p{Han}`)

// FuzzDecodeJSON: the one decoder every request body goes through never
// panics, and refuses anything it cannot read with a client error (4xx)
// whose message is Chinese; what it accepts re-encodes.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"fields":{"a":"b"}}`, `[]`, `null`, `{"a":`, "{\"a\":\"\xff\"}", `{"a":1e999}`,
		`{"version":"x"}`, `"str"`, ``, `{"a":{"b":{"c":[1,2,{"d":null}]}}}`} {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(`{}`), "text/plain")
	f.Add([]byte(`{}`), "application/json; charset=\"")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		req := httptest.NewRequest("POST", "/x", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		var into struct {
			Version int64             `json:"version"`
			Fields  map[string]string `json:"fields"`
			Rows    []map[string]any  `json:"rows"`
		}
		err := httpapi.DecodeJSON(httptest.NewRecorder(), req, &into)
		if err == nil {
			if _, err := json.Marshal(into); err != nil {
				t.Fatalf("accepted %q but cannot re-encode: %v", body, err)
			}
			return
		}
		e := apperr.As(err)
		if s := apperr.Status(e.Code); s < 400 || s >= 500 || !han.MatchString(e.Message) {
			t.Fatalf("%q (%q): %d %q", body, ct, s, e.Message)
		}
	})
}
