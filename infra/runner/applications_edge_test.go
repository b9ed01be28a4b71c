package runner_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
)

// loggedIn is a client logged in as the demo account of person or unit.
func loggedIn(t *testing.T, r *runner.Runner, number string) *client {
	t.Helper()
	for _, a := range demo.Accounts() {
		if a.PersonNo == number || a.UnitNo == number || a.Username == number {
			c := &client{t: t, h: r.Handler()}
			if code := c.login(a.UserType, a.Username, a.Password); code != 200 {
				t.Fatalf("login %s: %d", a.Username, code)
			}
			return c
		}
	}
	t.Fatalf("no demo account for %s", number)
	return nil
}

// mustPrepare is prepare, failing the test when the draft cannot be made
// ready.
func mustPrepare(t *testing.T, c *client, b *catalog.Business) string {
	t.Helper()
	path, w := prepare(t, c, b)
	if path == "" {
		t.Fatalf("prepare %s: %d %s", b.ID, w.Code, w.Body)
	}
	return path
}

func mustBusiness(t *testing.T, id string) *catalog.Business {
	t.Helper()
	b, ok := catalog.Default().Business(id)
	if !ok {
		t.Fatalf("no business %s", id)
	}
	return b
}

func wantCode(t *testing.T, what string, w *httptest.ResponseRecorder, code int, contains ...string) {
	t.Helper()
	if w.Code != code {
		t.Errorf("%s: %d %s, want %d", what, w.Code, w.Body, code)
		return
	}
	for _, s := range contains {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("%s: %s lacks %q", what, w.Body, s)
		}
	}
}

// TestNobodyElsesApplication: another person, an agent, or the owner
// through another family's route gets 404 for every read and write of a
// draft, its uploads and its submit, the same as for an id that does not
// exist.
func TestNobodyElsesApplication(t *testing.T) {
	r := seededRunner(t)
	owner := loggedIn(t, r, demo.PersonRefund)
	b := mustBusiness(t, "personal-refund")
	path := mustPrepare(t, owner, b)
	d := decode[struct {
		ID        string
		Version   int64
		Materials []struct {
			Files []struct{ UploadID string }
		}
	}](t, owner.do("GET", path, ""))
	upload := ""
	for _, m := range d.Materials {
		for _, f := range m.Files {
			upload = f.UploadID
		}
	}
	if upload == "" {
		t.Fatal("no upload on the prepared draft")
	}
	others := map[string]*client{"another person": loggedIn(t, r, demo.PersonBaseDiff),
		"an agent of the person's unit": loggedIn(t, r, demo.UnitMachinery)}
	other := "/api/v1/certification/applications/" + d.ID
	for who, c := range others {
		for _, req := range []struct{ method, path, body string }{
			{"GET", path, ""},
			{"PUT", path, fmt.Sprintf(`{"version":%d,"fields":{}}`, d.Version)},
			{"POST", path + "/uploads", `{"material":"银行卡","fileName":"a.png","contentType":"image/png","size":72}`},
			{"POST", path + "/uploads/" + upload + "/complete", ""},
			{"GET", path + "/uploads/" + upload, ""},
			{"DELETE", path + "/uploads/" + upload, ""},
			{"GET", "/api/v1/applications/" + d.ID, ""},
			{"POST", "/api/v1/applications/" + d.ID + "/withdraw", ""},
		} {
			wantCode(t, who+" "+req.method+" "+req.path, c.do(req.method, req.path, req.body), 404, "未找到")
		}
		wantCode(t, who+" submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "x"), 404)
		list := decode[struct{ Items []struct{ ID string } }](t, c.do("GET", "/api/v1/applications?drafts=true", ""))
		for _, it := range list.Items {
			if it.ID == d.ID {
				t.Errorf("%s lists the draft", who)
			}
		}
	}
	wantCode(t, "the owner through another family's route", owner.do("GET", other, ""), 404)
	wantCode(t, "an id that does not exist", owner.do("GET", "/api/v1/contributions-and-arrears/applications/Anope", ""), 404, "未找到")
	// After all that, the owner's draft is unchanged and still submits.
	wantCode(t, "owner reads", owner.do("GET", path, ""), 200, fmt.Sprintf(`"version":%d`, d.Version))
	wantCode(t, "owner submits", owner.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k1"), 201, `"status":"submitted"`)
}

// TestDraftEdits: a stale version is 409; a read-only field changed is
// refused at submit; identifiers come back masked and a masked value
// sent back keeps the stored one; a business of the other user type or of
// another family cannot be opened.
func TestDraftEdits(t *testing.T) {
	r := seededRunner(t)
	c := loggedIn(t, r, demo.PersonRefund)
	b := mustBusiness(t, "personal-refund")
	path := mustPrepare(t, c, b)
	d := decode[struct {
		Version   int64             `json:"version"`
		Fields    map[string]string `json:"fields"`
		Selection []string          `json:"selection"`
	}](t, c.do("GET", path, ""))
	if id := d.Fields["idNumber"]; !strings.Contains(id, "****") {
		t.Errorf("idNumber not masked: %q", id)
	}
	save := func(version int64, fields map[string]string) *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]any{"version": version, "fields": fields, "selection": d.Selection})
		return c.do("PUT", path, string(body))
	}
	wantCode(t, "stale version", save(d.Version-1, d.Fields), 409, "刷新")
	tampered := map[string]string{}
	for k, v := range d.Fields {
		tampered[k] = v
	}
	tampered["personNumber"] = "2309000201"
	wantCode(t, "save with a changed read-only field", save(d.Version, tampered), 200)
	wantCode(t, "submit with it", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "t1"), 422, "fields.personNumber", "不可修改")
	cur := decode[struct{ Version int64 }](t, c.do("GET", path, ""))
	wantCode(t, "save the masked values back", save(cur.Version, d.Fields), 200)
	wantCode(t, "submit after the fix", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "t2"), 201)
	snap := decode[struct {
		Rounds []struct {
			Fields map[string]string `json:"fields"`
			Ledger struct {
				Rows   []struct{ Period string }
				Totals []struct{ Label, Value string }
			} `json:"ledger"`
			Materials []struct{ Sha256 string }
		} `json:"rounds"`
	}](t, c.do("GET", "/api/v1/applications/"+strings.TrimPrefix(path, "/api/v1/contributions-and-arrears/applications/"), ""))
	if len(snap.Rounds) != 1 || len(snap.Rounds[0].Ledger.Rows) == 0 || len(snap.Rounds[0].Ledger.Totals) == 0 ||
		len(snap.Rounds[0].Materials) == 0 || len(snap.Rounds[0].Materials[0].Sha256) != 64 {
		t.Errorf("snapshot: %+v", snap)
	} else if !strings.Contains(snap.Rounds[0].Fields["idNumber"], "****") {
		t.Errorf("snapshot idNumber not masked: %q", snap.Rounds[0].Fields["idNumber"])
	}
	wantCode(t, "an enterprise business", c.do("POST", "/api/v1/enterprise-registration/applications", `{"business":"unit-enrol"}`), 403, "法人用户")
	wantCode(t, "a business of another family", c.do("POST", "/api/v1/certification/applications", `{"business":"personal-refund"}`), 404)
	wantCode(t, "no such business", c.do("POST", "/api/v1/certification/applications", `{"business":"nope"}`), 404)
	wantCode(t, "not JSON", c.do("POST", "/api/v1/certification/applications", `{`), 400)
}

// TestUploadRejections: a type or size the material does not take is
// refused before any upload; a file whose bytes are not its declared type,
// the EICAR test file, a size other than declared, an expired or tampered
// form are refused with a Chinese reason, and nothing refused is kept.
func TestUploadRejections(t *testing.T) {
	clk := clock.Frozen(may10)
	r := newRunner(t, t.TempDir(), clk)
	t.Cleanup(func() { r.Close() })
	if _, err := demo.SeedIfEmpty(t.Context(), r.Store, r.Clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
	c := loggedIn(t, r, demo.PersonRefund)
	w := c.do("POST", "/api/v1/contributions-and-arrears/applications", `{"business":"personal-refund"}`)
	wantCode(t, "create", w, 201)
	id := decode[struct{ ID string }](t, w).ID
	base := "/api/v1/contributions-and-arrears/applications/" + id
	presign := func(ct string, size int) *httptest.ResponseRecorder {
		return c.do("POST", base+"/uploads", fmt.Sprintf(`{"material":"银行卡","fileName":"卡.png","contentType":%q,"size":%d}`, ct, size))
	}
	wantCode(t, "PDF for an image slot", presign("application/pdf", 100), 422, "contentType", "只能上传")
	wantCode(t, "over the size limit", presign("image/png", 6<<20), 422, "size", "不能超过")
	wantCode(t, "zero bytes", presign("image/png", 0), 422, "size")
	wantCode(t, "unknown material", c.do("POST", base+"/uploads", `{"material":"护照","fileName":"a.png","contentType":"image/png","size":10}`), 422, "material")

	try := func(what string, data []byte, ct string, size int, mutate func(map[string]any), wantUpload int, wantComplete int, reason string) {
		t.Helper()
		w := presign(ct, size)
		if w.Code != 201 {
			t.Fatalf("%s: presign %d %s", what, w.Code, w.Body)
		}
		form := decode[map[string]any](t, w)
		if mutate != nil {
			mutate(form)
		}
		if got := c.upload(form, data); (got/100 == 2) != (wantUpload/100 == 2) {
			t.Errorf("%s: upload %d, want %d", what, got, wantUpload)
		}
		w = c.do("POST", base+"/uploads/"+fmt.Sprint(form["uploadId"])+"/complete", "")
		wantCode(t, what+": complete", w, wantComplete, reason)
	}
	gif := append([]byte("GIF89a"), make([]byte, 60)...)
	try("GIF bytes declared PNG", gif, "image/png", len(gif), nil, 204, 422, "文件内容与其格式不符")
	eicar := []byte(scan.EICAR)
	try("EICAR", eicar, "image/png", len(eicar), nil, 204, 422, "未通过安全检查")
	try("fewer bytes than declared", apptest.PNG[:40], "image/png", len(apptest.PNG), nil, 400, 422, "尚未上传完成")
	try("tampered form", apptest.PNG, "image/png", len(apptest.PNG), func(f map[string]any) {
		fields := f["fields"].(map[string]any)
		fields["key"] = fmt.Sprint(fields["key"]) + "x"
	}, 403, 422, "尚未上传完成")
	w = presign("image/png", len(apptest.PNG))
	form := decode[map[string]any](t, w)
	clk.Advance(application.UploadExpiry + time.Second)
	if got := c.upload(form, apptest.PNG); got/100 == 2 {
		t.Errorf("expired form: upload %d", got)
	}
	wantCode(t, "expired form: complete", c.do("POST", base+"/uploads/"+fmt.Sprint(form["uploadId"])+"/complete", ""), 422, "上传已过期")

	// A good file: no link before it is checked; accepted, downloadable as
	// itself, then deleted.
	w = presign("image/png", len(apptest.PNG))
	form = decode[map[string]any](t, w)
	before := c.do("GET", base+"/uploads/"+fmt.Sprint(form["uploadId"]), "")
	wantCode(t, "an unchecked file", before, 200, `"status":"pending"`)
	if strings.Contains(before.Body.String(), `"url"`) {
		t.Errorf("an unchecked file has a download link: %s", before.Body)
	}
	if got := c.upload(form, apptest.PNG); got/100 != 2 {
		t.Fatalf("good upload: %d", got)
	}
	up := fmt.Sprint(form["uploadId"])
	wantCode(t, "good file", c.do("POST", base+"/uploads/"+up+"/complete", ""), 200, `"status":"accepted"`)
	wantCode(t, "complete again", c.do("POST", base+"/uploads/"+up+"/complete", ""), 200, `"status":"accepted"`)
	dl := decode[struct{ URL string }](t, c.do("GET", base+"/uploads/"+up, ""))
	u, _ := url.Parse(dl.URL)
	get := c.do("GET", u.RequestURI(), "")
	if get.Code != 200 || get.Header().Get("Content-Type") != "image/png" || get.Header().Get("X-Content-Type-Options") != "nosniff" || get.Body.String() != string(apptest.PNG) {
		t.Errorf("download: %d %v", get.Code, get.Header())
	}
	view := c.do("GET", base, "")
	if n := strings.Count(view.Body.String(), `"status":"rejected"`); n != 3 {
		t.Errorf("refused files listed with their reasons: %d, want 3 (type, EICAR, expired): %s", n, view.Body)
	}
	wantCode(t, "delete", c.do("DELETE", base+"/uploads/"+up, ""), 204)
	wantCode(t, "download after delete", c.do("GET", base+"/uploads/"+up, ""), 404)
	if get := c.do("GET", u.RequestURI(), ""); get.Code != 404 {
		t.Errorf("the deleted file is still served: %d", get.Code)
	}
	for i := range 5 {
		w := presign("image/png", len(apptest.PNG))
		if w.Code != 201 {
			t.Fatalf("file %d of 5: %d %s", i+1, w.Code, w.Body)
		}
	}
	wantCode(t, "a sixth file for one material", presign("image/png", len(apptest.PNG)), 422, "最多上传5个文件")
}

// TestOneSubmitPerKey: twenty concurrent submits with one key make one
// submission and give every caller the same receipt; the review execution
// runs once; another key afterwards is a conflict.
func TestOneSubmitPerKey(t *testing.T) {
	r := seededRunner(t)
	c := loggedIn(t, r, demo.PersonRefund)
	path := mustPrepare(t, c, mustBusiness(t, "personal-refund"))
	var wg sync.WaitGroup
	answers := make([]*httptest.ResponseRecorder, 20)
	for i := range answers {
		wg.Go(func() { answers[i] = c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "same-key") })
	}
	wg.Wait()
	refs := map[string]int{}
	for _, a := range answers {
		if a.Code != 201 {
			t.Errorf("concurrent submit: %d %s", a.Code, a.Body)
			continue
		}
		refs[decode[application.Receipt](t, a).Reference]++
	}
	if len(refs) != 1 {
		t.Errorf("references: %v, want one", refs)
	}
	id := path[strings.LastIndex(path, "/")+1:]
	if _, err := r.Engine.Describe(t.Context(), application.ReviewMachine, application.ExecutionName(id, 1)); err != nil {
		t.Errorf("review execution: %v", err)
	}
	if _, err := r.Engine.Describe(t.Context(), application.ReviewMachine, application.ExecutionName(id, 2)); err == nil {
		t.Error("a second round was started")
	}
	list := decode[struct {
		Items []struct{ ID, Status, Reference string }
	}](t, c.do("GET", "/api/v1/applications", ""))
	n := 0
	for _, it := range list.Items {
		if it.ID == id {
			n++
		}
	}
	if n != 1 {
		t.Errorf("用户中心 lists the application %d times", n)
	}
	wantCode(t, "another key", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "other"), 409, "请勿重复提交")
	wantCode(t, "no key", c.do("POST", path+"/submit", ""), 400, "Idempotency-Key")
	wantCode(t, "edit after submit", c.do("PUT", path, `{"version":99,"fields":{}}`), 409)
	for ref := range refs {
		wantCode(t, "by reference", c.do("GET", "/api/v1/applications/"+ref, ""), 200, `"id":"`+id+`"`)
	}
	wantCode(t, "withdraw", c.do("POST", "/api/v1/applications/"+id+"/withdraw", ""), 200, `"status":"withdrawn"`)
	wantCode(t, "withdraw again", c.do("POST", "/api/v1/applications/"+id+"/withdraw", ""), 200, `"status":"withdrawn"`)
}

// TestMonthlyWindow: a 费用征缴 business is accepted on the 25th at
// 23:59:59 and refused at 00:00 on the 26th (Asia/Shanghai), with the next
// opening named; a business without the window is accepted on the 26th.
func TestMonthlyWindow(t *testing.T) {
	clk := clock.Frozen(time.Date(2022, 5, 25, 23, 50, 0, 0, clock.Shanghai))
	r := newRunner(t, t.TempDir(), clk)
	t.Cleanup(func() { r.Close() })
	if _, err := demo.SeedIfEmpty(t.Context(), r.Store, r.Clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
	c := loggedIn(t, r, demo.PersonRefund)
	b := mustBusiness(t, "personal-refund")
	first, w := prepare(t, c, b)
	second, w2 := prepare(t, c, b)
	info, w3 := prepare(t, c, mustBusiness(t, "personal-basic-info-change"))
	if first == "" || second == "" || info == "" {
		t.Fatalf("prepare: %s %s %s", w.Body, w2.Body, w3.Body)
	}
	clk.Set(time.Date(2022, 5, 25, 23, 59, 59, 0, clock.Shanghai))
	wantCode(t, "25th 23:59:59", c.withHeader("POST", first+"/submit", "", "Idempotency-Key", "a"), 201)
	clk.Set(time.Date(2022, 5, 26, 0, 0, 0, 0, clock.Shanghai))
	wantCode(t, "26th 00:00", c.withHeader("POST", second+"/submit", "", "Idempotency-Key", "b"), 409, "window_closed", "每月1-25号", "2022年6月1日")
	wantCode(t, "no window on the 26th", c.withHeader("POST", info+"/submit", "", "Idempotency-Key", "c"), 201)
	clk.Set(time.Date(2022, 6, 1, 0, 0, 0, 0, clock.Shanghai))
	c = loggedIn(t, r, demo.PersonRefund) // the session timed out meanwhile
	wantCode(t, "1st 00:00", c.withHeader("POST", second+"/submit", "", "Idempotency-Key", "b"), 201)
}

// TestBusinessRulesRefuse: a submit the records do not allow is refused
// with the rule's Chinese reason, keyed where the portal shows it.
func TestBusinessRulesRefuse(t *testing.T) {
	r := seededRunner(t)
	for _, tc := range []struct {
		who, business, key, says string
	}{
		{demo.PersonRefund, "flexible-employment-suspend", "business", "灵活就业参保登记"},
		{demo.PersonFlexible, "flexible-employment-continue-insurance", "business", "暂停缴费"},
		{demo.PersonFlexible, "flexible-employment-enrol", "business", "无需重复参保登记"},
		{demo.PersonRefund, "flexible-employment-retirement-application", "business", "灵活就业人员"},
		{demo.PersonRefund, "retiree-benefit-suspend", "business", "离退休待遇记录"},
		{demo.PersonRefund, "retiree-eligibility-certification", "business", "离退休待遇记录"},
		{demo.PersonRetiree, "survivor-benefit-resume", "business", "遗属待遇记录"},
		{demo.PersonRefund, "personal-refund", "selection", "请在退费记录一览表中至少勾选一条记录"},
	} {
		t.Run(tc.business, func(t *testing.T) {
			c := loggedIn(t, r, tc.who)
			path := mustPrepare(t, c, mustBusiness(t, tc.business))
			if tc.key == "selection" { // untick every row
				d := decode[struct {
					Version int64             `json:"version"`
					Fields  map[string]string `json:"fields"`
				}](t, c.do("GET", path, ""))
				body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": d.Fields, "selection": []string{}})
				wantCode(t, "untick", c.do("PUT", path, string(body)), 200)
			}
			wantCode(t, "submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 422, `"`+tc.key+`"`, tc.says)
		})
	}
	for _, tc := range []struct {
		unit, business, key, value, wantKey, says string
	}{
		{demo.UnitMachinery, "unit-enrol", "", "", `"business"`, "无需重复办理单位参保登记"},
		{demo.NewUnitAccount, "unit-general-info-maintenance", "", "", `"business"`, "尚未在参保系统中登记"},
		{demo.UnitMachinery, "unit-deregister", "", "", `"business"`, "仍有1名在职参保职工"},
		{demo.UnitMachinery, "employee-enrol", "socialSecurityNumber", "", `"fields.socialSecurityNumber"`, "已在本单位参保"},
		{demo.UnitInvestment, "employee-contribution-suspend", "socialSecurityNumber", apptest.MaleID, `"fields.socialSecurityNumber"`, "不是本单位正常缴费的在职职工"},
		{demo.UnitMachinery, "employee-contribution-resume", "socialSecurityNumber", "", `"fields.socialSecurityNumber"`, "不是本单位暂停缴费的职工"},
	} {
		t.Run(tc.business+" by "+tc.unit, func(t *testing.T) {
			c := loggedIn(t, r, tc.unit)
			path := mustPrepare(t, c, mustBusiness(t, tc.business))
			if tc.key != "" {
				d := decode[struct {
					Version int64             `json:"version"`
					Fields  map[string]string `json:"fields"`
				}](t, c.do("GET", path, ""))
				v := tc.value
				if v == "" { // the machinery unit's paying employee
					for _, p := range demo.Persons() {
						if p.Number == demo.PersonRefund {
							v = p.IDNumber
						}
					}
				}
				d.Fields[tc.key] = v
				body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": d.Fields})
				wantCode(t, "save", c.do("PUT", path, string(body)), 200)
			}
			wantCode(t, "submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 422, tc.wantKey, tc.says)
		})
	}
	t.Run("a month the table does not offer", func(t *testing.T) {
		c := loggedIn(t, r, demo.PersonFlexible)
		path := mustPrepare(t, c, mustBusiness(t, "flexible-employment-due-assessment-revoke"))
		d := decode[struct {
			Version int64             `json:"version"`
			Fields  map[string]string `json:"fields"`
		}](t, c.do("GET", path, ""))
		body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": d.Fields, "selection": []string{"202201", "202112"}})
		wantCode(t, "save", c.do("PUT", path, string(body)), 200)
		wantCode(t, "submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 422, `"selection"`, "202112不在")
	})
	t.Run("another unit's employee", func(t *testing.T) {
		c := loggedIn(t, r, demo.UnitTrading)
		b := mustBusiness(t, "employee-back-payment")
		w := c.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"`+b.ID+`"}`)
		wantCode(t, "create", w, 201)
		d := decode[struct {
			ID      string
			Version int64
			Fields  map[string]string
		}](t, w)
		fill := apptest.NewFiller(b, d.Fields)
		fill.Fields["personNumber"] = demo.PersonBackPay // employed by the logistics unit
		body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": fill.Fields, "selection": []string{"201304"}})
		path := "/api/v1/" + b.Family + "/applications/" + d.ID
		wantCode(t, "save", c.do("PUT", path, string(body)), 200)
		wantCode(t, "submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 422, "fields.personNumber", "不是本单位职工")
	})
	t.Run("a row of 5.14 with a bad wage", func(t *testing.T) {
		c := loggedIn(t, r, demo.UnitMachinery)
		path := mustPrepare(t, c, mustBusiness(t, "employee-base-change"))
		d := decode[struct {
			Version int64             `json:"version"`
			Fields  map[string]string `json:"fields"`
		}](t, c.do("GET", path, ""))
		body, _ := json.Marshal(map[string]any{"version": d.Version, "fields": d.Fields,
			"rows": []map[string]string{{"startYearMonth": "2022-01", "endYearMonth": "2022-12", "wage": "七千"}}})
		wantCode(t, "save shows it", c.do("PUT", path, string(body)), 200, `"rows[0].wage"`)
		wantCode(t, "submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 422, `"rows[0].wage"`)
	})
}

// TestAgentSubmitIsInTheEmployeesAccessLog: a unit's submit about an
// employee (5.1) is a use of the employee's data and shows in their
// access log; a person's own submit does not.
func TestAgentSubmitIsInTheEmployeesAccessLog(t *testing.T) {
	r := seededRunner(t)
	agent := loggedIn(t, r, demo.UnitLogistics)
	wantCode(t, "5.1 by the unit", completeBusiness(t, agent, mustBusiness(t, "employee-back-payment")), 201)
	own := loggedIn(t, r, demo.PersonRefund)
	wantCode(t, "4.4 by the person", completeBusiness(t, own, mustBusiness(t, "personal-refund")), 201)
	employee := loggedIn(t, r, demo.PersonBackPay)
	wantCode(t, "the employee's access log", employee.do("GET", "/api/v1/me/access-log", ""), 200, `"action":"submit"`, `"business":"employee-back-payment/`)
	wantCode(t, "the person's own access log", own.do("GET", "/api/v1/me/access-log", ""), 200, `"entries":[]`)
}

// TestDeclarationDownloads: 5.2's template is a ZIP attachment named after
// the unit; the uploaded declaration, once accepted, downloads as an
// attachment under its own name, never inline.
func TestDeclarationDownloads(t *testing.T) {
	r := seededRunner(t)
	c := loggedIn(t, r, demo.UnitMachinery)
	path := mustPrepare(t, c, mustBusiness(t, "unit-wage-declaration"))
	tw := c.do("GET", path+"/declaration-template", "")
	if tw.Code != 200 || !strings.HasPrefix(tw.Header().Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(tw.Header().Get("Content-Disposition"), url.PathEscape("七台河市宏达机械制造有限公司.zip")) {
		t.Errorf("template: %d %v", tw.Code, tw.Header())
	}
	d := decode[struct {
		Materials []struct {
			Name  string
			Files []struct{ UploadID, FileName, ContentType string }
		}
	}](t, c.do("GET", path, ""))
	for _, m := range d.Materials {
		for _, f := range m.Files {
			dl := decode[struct{ URL string }](t, c.do("GET", path+"/uploads/"+f.UploadID, ""))
			u, _ := url.Parse(dl.URL)
			got := c.do("GET", u.RequestURI(), "")
			attached := strings.HasPrefix(got.Header().Get("Content-Disposition"), "attachment;")
			if got.Code != 200 || attached == strings.HasPrefix(f.ContentType, "image/") {
				t.Errorf("%s (%s): %d, Content-Disposition %q", m.Name, f.ContentType, got.Code, got.Header().Get("Content-Disposition"))
			}
		}
	}
	wantCode(t, "the template of another business", c.do("GET", mustPrepare(t, c, mustBusiness(t, "unit-enrol"))+"/declaration-template", ""), 404)
}

// reviewerClient is the demo reviewer (pooling area 230999) logged in with
// the local TOTP helper's code.
func reviewerClient(t *testing.T, r *runner.Runner) *client {
	t.Helper()
	return staffClient(t, r, demo.ReviewerID)
}

// TestReviewThroughTheConsoleAPI: a submitted case is in the reviewer's
// queue; claimed, read (which the applicant's access log shows), returned
// with a reason the applicant sees; resubmitted and approved. Applicants
// cannot use the console.
func TestReviewThroughTheConsoleAPI(t *testing.T) {
	r := seededRunner(t)
	applicant := loggedIn(t, r, demo.PersonRefund)
	path := mustPrepare(t, applicant, mustBusiness(t, "personal-basic-info-change"))
	id := path[strings.LastIndex(path, "/")+1:]
	wantCode(t, "submit", applicant.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k1"), 201)
	wantCode(t, "an applicant in the console", applicant.do("GET", "/api/v1/review/queue", ""), 403)

	rv := reviewerClient(t, r)
	wantCode(t, "queue", rv.do("GET", "/api/v1/review/queue", ""), 200, `"id":"`+id+`"`, `"sla":"onTime"`)
	wantCode(t, "queue filter", rv.do("GET", "/api/v1/review/queue?sla=overdue", ""), 200, `"items":[]`)
	wantCode(t, "bad filter", rv.do("GET", "/api/v1/review/queue?status=draft", ""), 422, `"status"`)
	wantCode(t, "decide before claiming", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 409, "请先受理")
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200, `"status":"in_review"`)
	wantCode(t, "read", rv.do("GET", "/api/v1/review/applications/"+id, ""), 200, `"links":{"U`, `"rounds":[`)
	wantCode(t, "the applicant's access log", applicant.do("GET", "/api/v1/me/access-log", ""), 200, `"actorRole":"reviewer"`, `"action":"read"`)
	wantCode(t, "return with an unknown key", rv.do("POST", "/api/v1/review/applications/"+id+"/decision",
		`{"decision":"return","reasons":{"fields.nope":"x"}}`), 422, "reasons.fields.nope")
	wantCode(t, "return", rv.do("POST", "/api/v1/review/applications/"+id+"/decision",
		`{"decision":"return","reasons":{"fields.address":"请填写详细的居住地址"},"comment":"地址不完整"}`), 200, `"status":"returned"`)
	wantCode(t, "the applicant sees the reason", applicant.do("GET", path, ""), 200, `"status":"returned"`, `"fields.address":"请填写详细的居住地址"`)

	fixAddress(t, applicant, path)
	wantCode(t, "resubmit", applicant.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k2"), 201, `"round":2`)
	wantCode(t, "claim round 2", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "approve", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"approve"}`), 200, `"status":"approved"`)
	wantCode(t, "the applicant sees it approved", applicant.do("GET", "/api/v1/applications/"+id, ""), 200, `"status":"approved"`, `"round":2`)
	wantCode(t, "queue after", rv.do("GET", "/api/v1/review/queue", ""), 200, `"items":[]`)
}

// TestRatingThroughTheAPI: 好差评 of a rejected application, answered by the
// area's reviewer, as the portal and the console call it.
func TestRatingThroughTheAPI(t *testing.T) {
	r := seededRunner(t)
	applicant := loggedIn(t, r, demo.PersonRefund)
	path := mustPrepare(t, applicant, mustBusiness(t, "personal-basic-info-change"))
	id := path[strings.LastIndex(path, "/")+1:]
	wantCode(t, "submit", applicant.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 201)
	wantCode(t, "rating before the decision", applicant.do("POST", "/api/v1/applications/"+id+"/rating", `{"grade":"5"}`), 409, "办结后才能评价")
	rv := reviewerClient(t, r)
	wantCode(t, "claim", rv.do("POST", "/api/v1/review/applications/"+id+"/claim", ""), 200)
	wantCode(t, "reject", rv.do("POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"reject","comment":"不符合受理条件"}`), 200, `"status":"rejected"`)
	wantCode(t, "a negative rating without a reason", applicant.do("POST", "/api/v1/applications/"+id+"/rating", `{"grade":"非常不满意"}`), 422, `"comment"`)
	wantCode(t, "rate", applicant.do("POST", "/api/v1/applications/"+id+"/rating", `{"grade":"非常不满意","comment":"理由不清楚"}`), 201, `"negative":true`, `"answerBy"`)
	wantCode(t, "rate again", applicant.do("POST", "/api/v1/applications/"+id+"/rating", `{"grade":"5"}`), 409, "只能评价一次")
	wantCode(t, "unanswered", rv.do("GET", "/api/v1/review/ratings?unanswered=true", ""), 200, `"applicationId":"`+id+`"`, `"label":"非常不满意"`)
	wantCode(t, "answer", rv.do("POST", "/api/v1/review/applications/"+id+"/rating/answer", `{"answer":"已电话说明不予受理的原因"}`), 200)
	wantCode(t, "the applicant sees the answer", applicant.do("GET", "/api/v1/applications/"+id, ""), 200, `"answer":"已电话说明不予受理的原因"`)
	wantCode(t, "answer twice", rv.do("POST", "/api/v1/review/applications/"+id+"/rating/answer", `{"answer":"另一个答复"}`), 409, "已答复")
	wantCode(t, "statistics", rv.do("GET", "/api/v1/review/ratings/stats?from=2022-01-01&to=2022-12-31", ""), 200,
		`"total":{"count":1,"grades":{"非常不满意":1},"positive":0,"satisfaction":"0.00","negative":1,"unanswered":0,"late":0}`,
		`"business":"personal-basic-info-change","name":"个人基本信息修改"`)
	wantCode(t, "statistics of another year", rv.do("GET", "/api/v1/review/ratings/stats?from=2021-01-01&to=2021-12-31", ""), 200, `"count":0`, `"businesses":[]`)
	wantCode(t, "statistics, bad dates", rv.do("GET", "/api/v1/review/ratings/stats?from=2022-13-01", ""), 422, "YYYY-MM-DD")
	wantCode(t, "an applicant in the ratings list", applicant.do("GET", "/api/v1/review/ratings", ""), 403)
}

// TestWindowExceptions: an admin's 办理时间调整 closes the 1st (the submit
// names the 2nd and the note; the services list says closed) and opens
// the 26th (a submit is accepted); the next month is the rule again.
func TestWindowExceptions(t *testing.T) {
	clk := clock.Frozen(time.Date(2022, 5, 20, 9, 0, 0, 0, clock.Shanghai))
	r := newRunner(t, t.TempDir(), clk)
	t.Cleanup(func() { r.Close() })
	if _, err := demo.SeedIfEmpty(t.Context(), r.Store, r.Clock()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedAccounts(t.Context(), r.Identity); err != nil {
		t.Fatal(err)
	}
	admin := staffClient(t, r, demo.AdminID)
	const list = "/api/v1/review/refdata"
	put := func(day, kind, note, reason string) {
		body := `{"kind":"window_exception","entry":{"window":"monthly-1-25","date":"` + day + `","kind":"` + kind + `","note":"` + note + `"},"source":"黑人社办〔2022〕1号"`
		if reason != "" {
			body += `,"reason":"` + reason + `"`
		}
		wantCode(t, kind+" "+day, admin.do("POST", list, body+`}`), 201, `"result":"created"`)
	}
	put("2022-05-26", "open", "系统切换，本月顺延一日", "")
	put("2022-06-01", "closed", "系统升级，暂停办理", "")
	wantCode(t, "listed", admin.do("GET", list+"?kind=window_exception", ""), 200, `"name":"monthly-1-25-2022-06-01"`, `"label":"办理时间调整"`)
	wantCode(t, "a closed day without a note", admin.do("POST", list,
		`{"kind":"window_exception","entry":{"window":"monthly-1-25","date":"2022-06-02","kind":"closed"},"source":"x"}`), 422, `"entry.note"`)
	wantCode(t, "an unknown window", admin.do("POST", list,
		`{"kind":"window_exception","entry":{"window":"weekly","date":"2022-06-02","kind":"closed","note":"x"},"source":"x"}`), 422, `"entry.window"`)
	wantCode(t, "a bad date", admin.do("POST", list,
		`{"kind":"window_exception","entry":{"window":"monthly-1-25","date":"2022-02-30","kind":"closed","note":"x"},"source":"x"}`), 422, `"entry.date"`)

	c := loggedIn(t, r, demo.PersonRefund)
	b := mustBusiness(t, "personal-refund")
	first, w := prepare(t, c, b)
	second, w2 := prepare(t, c, b)
	if first == "" || second == "" {
		t.Fatalf("prepare: %s %s", w.Body, w2.Body)
	}
	clk.Set(time.Date(2022, 5, 26, 10, 0, 0, 0, clock.Shanghai))
	c = loggedIn(t, r, demo.PersonRefund)
	wantCode(t, "the services list on the 26th", c.do("GET", "/api/v1/services/personal-refund", ""), 200,
		`"open":true`, `"closesAt":"2022-05-27T00:00:00+08:00"`, "系统切换")
	wantCode(t, "the opened 26th", c.withHeader("POST", first+"/submit", "", "Idempotency-Key", "a"), 201)
	clk.Set(time.Date(2022, 6, 1, 10, 0, 0, 0, clock.Shanghai))
	c = loggedIn(t, r, demo.PersonRefund)
	wantCode(t, "the draft on the closed 1st", c.do("GET", second, ""), 200, `"open":false`, `"opensAt":"2022-06-02T00:00:00+08:00"`)
	wantCode(t, "the closed 1st", c.withHeader("POST", second+"/submit", "", "Idempotency-Key", "b"), 409,
		"window_closed", "2022年6月2日 00:00", "系统升级，暂停办理")

	// Withdrawn with a reason: the 1st is open again.
	clk.Set(time.Date(2022, 6, 1, 10, 5, 0, 0, clock.Shanghai))
	admin = staffClient(t, r, demo.AdminID)
	wantCode(t, "withdraw the closure", admin.do("POST", list,
		`{"kind":"window_exception","entry":{"window":"monthly-1-25","date":"2022-06-01","kind":"regular"},"source":"黑人社办〔2022〕2号","reason":"升级推迟"}`),
		200, `"result":"updated"`)
	clk.Advance(2 * time.Minute) // the functions cache reference data for a minute
	c = loggedIn(t, r, demo.PersonRefund)
	wantCode(t, "the 1st after the withdrawal", c.withHeader("POST", second+"/submit", "", "Idempotency-Key", "b"), 201)
}

// TestBackPayIsForTheApplicant: 4.27's identity comes from the applicant's
// account and records, read-only; a draft naming another person (their
// 人员编号 and ID number) is refused at submit, not paid to the applicant
// under the other's name.
func TestBackPayIsForTheApplicant(t *testing.T) {
	r := seededRunner(t)
	c := loggedIn(t, r, demo.PersonSurvivor)
	path := mustPrepare(t, c, mustBusiness(t, "survivor-benefit-back-pay"))
	d := decode[draftJSON](t, c.do("GET", path, ""))
	if d.Fields["personNumber"] != demo.PersonSurvivor || d.Fields["name"] == "" {
		t.Fatalf("4.27's identity is not prefilled: %v", d.Fields)
	}
	var other ledger.Person
	for _, p := range demo.Persons() {
		if p.Number == demo.PersonRefund {
			other = p
		}
	}
	body := `{"version":` + strconv.FormatInt(d.Version, 10) + `,"fields":{"personNumber":"` + other.Number + `","idNumber":"` + other.IDNumber + `"}}`
	wantCode(t, "save another's identity", c.do("PUT", path, body), 200)
	wantCode(t, "submit", c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k"), 422, `"fields.personNumber"`, "不可修改")
}
