package catalogapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/catalog/catalogapi"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func newHandler(t *testing.T) http.Handler {
	t.Helper()
	fn := catalogapi.New(app.Deps{Clock: clock.Frozen(may10)})
	if fn.Name != "CatalogFunction" {
		t.Errorf("Name = %q", fn.Name)
	}
	return httpapi.Middleware(fn.HTTP, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil)
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func do(t *testing.T, h http.Handler, method, target, body string, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := response{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &r.body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %v: %s", method, target, err, rec.Body)
		}
	}
	return r
}

func ids(t *testing.T, r response) []string {
	t.Helper()
	items, _ := r.body["items"].([]any)
	var out []string
	for _, it := range items {
		out = append(out, it.(map[string]any)["section"].(string))
	}
	if total := int(r.body["total"].(float64)); total != len(out) {
		t.Errorf("total %d, %d items", total, len(out))
	}
	return out
}

func TestList(t *testing.T) {
	h := newHandler(t)
	r := do(t, h, "GET", "/api/v1/services", "")
	if r.status != 200 || len(ids(t, r)) != 42 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	first := r.body["items"].([]any)[0].(map[string]any)
	want := map[string]any{
		"id": "flexible-employment-suspend", "section": "4.1", "name": "灵活就业人员暂停缴费", "nameEn": "Suspend contributions (flexible employee)",
		"userType": "individual", "family": "flexible-employment", "categories": []any{"社会保险"}, "purposes": []any{"费用征缴"},
		"window": map[string]any{"name": "monthly-1-25", "label": "每月1-25号", "fromDay": 1.0, "toDay": 25.0, "timeZone": "Asia/Shanghai",
			"open": true, "opensAt": "2022-05-01T00:00:00+08:00", "closesAt": "2022-05-26T00:00:00+08:00"},
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first item (-want +got)\n%s", diff)
	}
	if r.header.Get("Cache-Control") != "public, max-age=300" || !strings.HasPrefix(r.header.Get("ETag"), `"`) {
		t.Errorf("caching headers %v", r.header)
	}

	tests := []struct {
		query string
		want  []string
	}{
		{"userType=enterprise&purpose=%E8%B5%84%E6%A0%BC%E8%AE%A4%E5%AE%9A", []string{"5.3", "5.15"}}, // 资格认定
		{"category=" + "人脸认证", []string{"4.2"}},
		{"q=LHJY&userType=individual", []string{"4.1", "4.16", "4.17", "4.18", "4.24", "4.25", "4.26"}},
		{"q=退费", []string{"4.4"}},
		{"family=certification", []string{"4.2", "5.15"}},
		{"category=全部&purpose=全部&family=survivor-benefits&userType=individual", []string{"4.8", "4.10", "4.15", "4.19", "4.27"}},
		{"q=没有这个业务", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := do(t, h, "GET", "/api/v1/services?"+tt.query, "")
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.raw)
			}
			if diff := cmp.Diff(tt.want, ids(t, r)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestListRejectsUnknownFilterValues(t *testing.T) {
	h := newHandler(t)
	for query, field := range map[string]string{
		"userType=admin":                   "userType",
		"category=社保":                      "category",
		"userType=enterprise&category=社保卡": "category",
		"purpose=办证":                       "purpose",
		"family=pensions":                  "family",
	} {
		t.Run(query, func(t *testing.T) {
			r := do(t, h, "GET", "/api/v1/services?"+query, "")
			fe, _ := r.body["fieldErrors"].(map[string]any)
			if r.status != 422 || r.body["code"] != "invalid" || fe[field] == nil || len(fe) != 1 {
				t.Errorf("status %d body %s", r.status, r.raw)
			}
			if r.header.Get("ETag") != "" || strings.Contains(r.header.Get("Cache-Control"), "public") {
				t.Errorf("an error is cacheable: %v", r.header)
			}
		})
	}
}

func TestDetail(t *testing.T) {
	h := newHandler(t)
	r := do(t, h, "GET", "/api/v1/services/personal-refund", "")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	b := r.body
	if b["id"] != "personal-refund" || b["userType"] != "individual" || b["familyLabel"] != "缴费/补缴/清欠/退费" || b["catalogVersion"] == "" {
		t.Errorf("header fields: %v", b)
	}
	guide := b["guide"].(map[string]any)
	rows := guide["rows"].([]any)
	if guide["drafted"] != true || len(rows) != 12 || rows[0].(map[string]any)["value"] != "个人退费" {
		t.Errorf("guide %v", guide)
	}
	if gm := guide["materials"].([]any); len(gm) != 5 || gm[3].(map[string]any)["requirement"] != "任选其一" {
		t.Errorf("guide materials %v", gm)
	}
	mats := b["materials"].([]any)
	m0 := mats[0].(map[string]any)
	if m0["name"] != "解除劳动合同证明书" || m0["required"] != false || m0["maxBytes"] != float64(5<<20) || m0["maxFiles"] != 5.0 {
		t.Errorf("material %v", m0)
	}
	var refundReason map[string]any
	for _, f := range b["fields"].([]any) {
		if f := f.(map[string]any); f["key"] == "refundReason" {
			refundReason = f
		}
	}
	if refundReason["enum"] != "refundReason" || refundReason["label"] != "退费原因" || refundReason["required"] != true {
		t.Errorf("refundReason %v", refundReason)
	}
	ledger := b["ledger"].(map[string]any)
	if ledger["title"] != "退费记录一览表" || len(ledger["flatColumns"].([]any)) != 11 || len(ledger["totals"].([]any)) != 1 {
		t.Errorf("ledger %v", ledger)
	}
	if _, leaked := b["Guide"]; leaked {
		t.Error("internal guide struct serialized")
	}

	r = do(t, h, "GET", "/api/v1/services/flexible-employment-suspend", "")
	if g := r.body["guide"].(map[string]any); g["drafted"] != false {
		t.Errorf("4.1 guide drafted: %v", g["drafted"])
	}
	if _, ok := r.body["ledger"]; ok {
		t.Error("4.1 has no ledger")
	}
}

func TestDetailNotFound(t *testing.T) {
	h := newHandler(t)
	r := do(t, h, "GET", "/api/v1/services/no-such-business", "")
	if r.status != 404 || r.body["code"] != "not_found" || !strings.Contains(r.body["message"].(string), "未找到业务“no-such-business”") {
		t.Errorf("status %d body %s", r.status, r.raw)
	}
	r = do(t, h, "POST", "/api/v1/services/no-such-business/validate", `{"fields":{}}`)
	if r.status != 404 {
		t.Errorf("validate of an unknown business: %d", r.status)
	}
	r = do(t, h, "DELETE", "/api/v1/services", "")
	if r.status != 405 || r.header.Get("Allow") == "" {
		t.Errorf("DELETE: %d %v", r.status, r.header)
	}
}

func TestNotModified(t *testing.T) {
	h := newHandler(t)
	for _, target := range []string{"/api/v1/services", "/api/v1/services/employee-enrol", "/api/v1/code-tables", "/api/v1/code-tables/gender"} {
		t.Run(target, func(t *testing.T) {
			first := do(t, h, "GET", target, "")
			etag := first.header.Get("ETag")
			if first.status != 200 || etag == "" {
				t.Fatalf("status %d etag %q", first.status, etag)
			}
			for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
				r := do(t, h, "GET", target, "", "If-None-Match", inm)
				if r.status != 304 || r.raw != "" || r.header.Get("ETag") != etag || r.header.Get("Cache-Control") != "public, max-age=300" {
					t.Errorf("If-None-Match %s: status %d headers %v body %q", inm, r.status, r.header, r.raw)
				}
			}
			if r := do(t, h, "GET", target, "", "If-None-Match", `"stale"`); r.status != 200 {
				t.Errorf("stale tag: %d", r.status)
			}
		})
	}
}

// enrolForm is a valid 5.11 (在职职工参保) submission.
func enrolForm() map[string]any {
	id := "23090219780111001"
	id += string(checks.IDCheckChar(id))
	return map[string]any{
		"unitNumber": "23099923090111101656", "socialSecurityNumber": id, "unitName": "七台河市建河投资建设管理有限公司",
		"name": "刘一", "gender": "男", "ethnicity": "汉族", "birthDate": "1978-01-11", "idType": "居民身份证（户口簿）",
		"idNumber": id, "countryCode": "中国", "workStartDate": "2001-09-03", "hukouType": "非农业户口（城镇）",
		"hukouAddress": "七台河", "education": "大学本科", "personalIdentity": "工人", "maritalStatus": "已婚",
		"politicalStatus": "中共党员", "migrantWorkerFlag": "非农民工", "insuredDate": "2017-01-02",
		"firstInsuredYearMonth": "2016-02", "hukouRegionCode": "230903", "mobile": "13009998888",
		"wage": json.Number("6000"), "employmentForm": "订立固定期限劳动合同", "insuredIdentity": "企业职工",
		"contactName": "刘一", "phone": "13009998833", "address": "哈尔滨", "postcode": "150001",
		"insuranceType": "企业职工基本养老保险",
	}
}

func body(t *testing.T, fields map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"fields": fields})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestValidate(t *testing.T) {
	h := newHandler(t)
	const path = "/api/v1/services/employee-enrol/validate"

	r := do(t, h, "POST", path, body(t, enrolForm()))
	if r.status != 200 || r.body["valid"] != true || len(r.body["warnings"].(map[string]any)) != 0 {
		t.Fatalf("valid form: %d %s", r.status, r.raw)
	}
	if !strings.Contains(r.raw, `"warnings":{}`) {
		t.Errorf("warnings not an empty object: %s", r.raw)
	}
	values := r.body["values"].(map[string]any)
	if values["wage"] != "6000.00" || values["gender"] != "1" || values["idType"] != "01" {
		t.Errorf("normalized values %v", values)
	}
	id := enrolForm()["idNumber"].(string)
	for _, k := range []string{"idNumber", "socialSecurityNumber"} {
		if v, _ := values[k].(string); v != id[:6]+"********"+id[14:] {
			t.Errorf("%s echoed as %q, want it masked", k, v)
		}
	}
	if values["mobile"] == "13009998888" || strings.Contains(r.raw, id) {
		t.Errorf("identifiers echoed unmasked: %s", r.raw)
	}

	form := enrolForm()
	form["hukouRegionCode"] = "110105"
	r = do(t, h, "POST", path, body(t, form))
	if r.status != 200 || r.body["warnings"].(map[string]any)["hukouRegionCode"] == nil {
		t.Errorf("warning: %d %s", r.status, r.raw)
	}

	tests := []struct {
		name   string
		edit   func(map[string]any)
		status int
		fields map[string]string // key → substring
	}{
		{"missing required", func(m map[string]any) { delete(m, "name") }, 422, map[string]string{"name": "请填写姓名"}},
		{"null is empty", func(m map[string]any) { m["name"] = nil }, 422, map[string]string{"name": "请填写姓名"}},
		{"birth date and ID", func(m map[string]any) { m["birthDate"] = "19780112" }, 422, map[string]string{"birthDate": "不一致"}},
		{"unknown key", func(m map[string]any) { m["favouriteColour"] = "red" }, 422, map[string]string{"favouriteColour": "没有"}},
		{"boolean value", func(m map[string]any) { m["wage"] = true }, 422, map[string]string{"wage": "值应为文本或数字"}},
		{"object value of an unknown key", func(m map[string]any) { m["extra"] = map[string]any{} }, 422, map[string]string{"extra": "没有"}},
		{"number with decimals", func(m map[string]any) { m["wage"] = json.Number("6000.555") }, 422, map[string]string{"wage": "最多保留2位小数"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := enrolForm()
			tt.edit(m)
			r := do(t, h, "POST", path, body(t, m))
			if r.status != tt.status || r.body["code"] != "invalid" || r.body["message"] == "" {
				t.Fatalf("status %d body %s", r.status, r.raw)
			}
			fe := r.body["fieldErrors"].(map[string]any)
			if len(fe) != len(tt.fields) {
				t.Errorf("fieldErrors %v", fe)
			}
			for k, sub := range tt.fields {
				if msg, _ := fe[k].(string); !strings.Contains(msg, sub) {
					t.Errorf("fieldErrors[%s] = %q, want %q", k, msg, sub)
				}
			}
		})
	}

	for name, tc := range map[string]struct {
		body   string
		status int
		code   string
	}{
		"bad JSON":         {`{"fields":`, 400, "bad_request"},
		"no fields":        {`{}`, 400, "bad_request"},
		"fields not a map": {`{"fields":"x"}`, 422, "invalid"},
		"empty body":       {``, 400, "bad_request"},
	} {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequest("POST", path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var b map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &b)
			if rec.Code != tc.status || b["code"] != tc.code {
				t.Errorf("status %d body %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestCodeTables(t *testing.T) {
	h := newHandler(t)
	r := do(t, h, "GET", "/api/v1/code-tables", "")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	items := r.body["items"].([]any)
	var gender map[string]any
	for _, it := range items {
		if it := it.(map[string]any); it["name"] == "gender" {
			gender = it
		}
	}
	if gender["label"] != "性别" || gender["count"] != 4.0 || gender["version"] == "" || int(r.body["total"].(float64)) != len(items) {
		t.Errorf("gender summary %v", gender)
	}
	r = do(t, h, "GET", "/api/v1/code-tables/gender", "")
	entries := r.body["entries"].([]any)
	if r.status != 200 || r.body["name"] != "gender" || len(entries) != 4 {
		t.Fatalf("status %d body %s", r.status, r.raw)
	}
	if diff := cmp.Diff(map[string]any{"code": "1", "label": "男", "aliases": []any{"男性"}}, entries[0]); diff != "" {
		t.Errorf("first entry (-want +got)\n%s", diff)
	}
	r = do(t, h, "GET", "/api/v1/code-tables/region", "")
	if r.status != 200 || !strings.Contains(r.raw, `"code":"230903","label":"桃山区","parent":"230900"`) {
		t.Errorf("region table: %d", r.status)
	}
	r = do(t, h, "GET", "/api/v1/code-tables/nope", "")
	if r.status != 404 || !strings.Contains(r.body["message"].(string), "未找到代码表“nope”") {
		t.Errorf("unknown table: %d %s", r.status, r.raw)
	}
}

// TestWindowState: the list and the detail say whether each business's
// window is open now, with the exceptions admins stored; the ETag and the
// caching time follow the state.
func TestWindowState(t *testing.T) {
	storetest.Each(t, clock.Frozen(may10), func(t *testing.T, st table.Store) {
		clk := clock.Frozen(may10)
		h := httpapi.Middleware(catalogapi.New(app.Deps{Clock: clk, Store: st}).HTTP, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil)
		window := func(r response) map[string]any { return r.body["window"].(map[string]any) }
		before := do(t, h, "GET", "/api/v1/services/flexible-employment-suspend", "")
		if w := window(before); w["open"] != true {
			t.Fatalf("before the exception: %v", w)
		}
		ex := refdata.WindowException{Window: "monthly-1-25", Date: calc.MustDate("2022-05-10"), Kind: refdata.WindowClosed,
			Note: "系统升级，暂停办理", Source: "测试通知"}
		if _, err := refstore.New(st, clk).Put(t.Context(), refdata.Data{WindowExceptions: []refdata.WindowException{ex}}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Minute) // past the store's one-minute cache
		r := do(t, h, "GET", "/api/v1/services/flexible-employment-suspend", "", "If-None-Match", before.header.Get("ETag"))
		if r.status != 200 {
			t.Fatalf("a changed window still answers %d to the old ETag", r.status)
		}
		w := window(r)
		if w["open"] != false || w["opensAt"] != "2022-05-11T00:00:00+08:00" || w["closesAt"] != "2022-05-26T00:00:00+08:00" || w["note"] != "系统升级，暂停办理" {
			t.Errorf("closed by the exception: %v", w)
		}
		list := do(t, h, "GET", "/api/v1/services?userType=individual", "")
		for _, it := range list.body["items"].([]any) {
			it := it.(map[string]any)
			if wv, ok := it["window"].(map[string]any); ok && wv["open"] != false {
				t.Errorf("%s: list says open", it["id"])
			}
		}
		if h := do(t, h, "GET", "/api/v1/services/personal-basic-info-change", ""); h.body["window"] != nil {
			t.Errorf("a business without a window: %v", h.body["window"])
		}
		// Two minutes before midnight of the 25th the answer is cached
		// until the window closes, not for five minutes.
		clk.Set(time.Date(2022, 5, 25, 23, 58, 0, 0, clock.Shanghai))
		r = do(t, h, "GET", "/api/v1/services", "")
		if cc := r.header.Get("Cache-Control"); cc != "public, max-age=121" {
			t.Errorf("Cache-Control %q before the window closes", cc)
		}
	})
}
