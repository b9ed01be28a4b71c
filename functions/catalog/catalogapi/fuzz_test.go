package catalogapi_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzValidate: whatever body and business id a client sends to the
// validation route, the answer is a 2xx or a 4xx JSON error, never a 5xx.
func FuzzValidate(f *testing.F) {
	for _, seed := range []struct{ id, body string }{
		{"flexible-employment-suspend", `{"fields":{}}`},
		{"employee-enrol", `{"fields":{"idNumber":"230402198809880322","birthDate":"1988-09-88"}}`},
		{"unit-enrol", `{"fields":{"orgCode":"11111111-9","regionCode":"14000"}}`},
		{"personal-refund", `{"fields":{"bankAccount":123,"receiverRelation":["本人"]}}`},
		{"retirement-application", `{"fields":{"retirementDate":"2022-13-01","name":null}}`},
		{"nope", `{"fields":{"x":"y"}}`},
		{"unit-wage-declaration", `{"fields":"x"}`},
		{"employee-base-change", `[`},
	} {
		f.Add(seed.id, seed.body)
	}
	h := newHandler(&testing.T{})
	f.Fuzz(func(t *testing.T, id, body string) {
		if id == "" {
			return
		}
		req := httptest.NewRequest("POST", "/api/v1/services/"+url.PathEscape(id)+"/validate", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 300 && rec.Code < 400 {
			return // the router's redirect to a cleaned path ("." or ".." segments)
		}
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q → %d %s", id, body, rec.Code, rec.Body)
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("POST %s %q → %q, not JSON", id, body, rec.Header().Get("Content-Type"))
		}
	})
}

// FuzzValidateField: any value in any field of any business gets a 2xx or
// a 4xx, never a 5xx — the engine's checks, not the JSON decoder, are fuzzed.
func FuzzValidateField(f *testing.F) {
	ids := []string{"flexible-employment-suspend", "employee-enrol", "unit-enrol", "personal-refund",
		"retirement-application", "survivor-info-change", "employee-base-change", "unit-key-info-maintenance"}
	keys := []string{"idNumber", "socialSecurityNumber", "birthDate", "orgCode", "creditCode", "regionCode",
		"mobile", "phone", "bankAccount", "startYearMonth", "endYearMonth", "receiverRelation", "name", "gender"}
	for i, v := range []string{"230402198809880322", "11111111-9", "14000", "1988-09-88", "202013", "本人", "", "0", "99999999999999999999", "１３８ ００１３ ８０００"} {
		f.Add(uint8(i), uint8(i), v, v)
	}
	h := newHandler(&testing.T{})
	f.Fuzz(func(t *testing.T, idx, kx uint8, v1, v2 string) {
		id := ids[int(idx)%len(ids)]
		fields := map[string]string{keys[int(kx)%len(keys)]: v1, keys[int(kx/3)%len(keys)]: v2}
		body, err := json.Marshal(map[string]any{"fields": fields})
		if err != nil {
			return
		}
		req := httptest.NewRequest("POST", "/api/v1/services/"+id+"/validate", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST %s %s → %d %s", id, body, rec.Code, rec.Body)
		}
	})
}
