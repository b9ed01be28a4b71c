package runner_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	valerrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/openapi"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/infra/samtemplate"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/receipt/receipttest"
	"github.com/hljhrss/hrss/shared/workflow/asl"
)

// conformance checks what goes through it against infra/openapi's
// document: every answer of an /api/ route, in strict mode (a field the
// document does not declare is an error too), and every request that
// succeeded. It records the statuses checked per route.
type conformance struct {
	t       *testing.T
	r       *runner.Runner
	v       validator.Validator
	h       http.Handler
	mu      sync.Mutex
	checked map[string]map[int]bool // route pattern → statuses checked
	reports int                     // mismatches reported
}

// maxReports bounds the mismatches reported one by one: a wrong schema
// shared by many answers would otherwise bury the output.
const maxReports = 40

func newConformance(t *testing.T, r *runner.Runner) *conformance {
	t.Helper()
	doc, err := libopenapi.NewDocument(openapi.Spec())
	if err != nil {
		t.Fatal(err)
	}
	// X-Content-Type-Options: nosniff comes with every JSON answer; the
	// session cookie is the document's security scheme, which strict mode
	// does not count as a declared cookie.
	v, errs := validator.NewValidator(doc, config.WithStrictMode(), config.WithStrictIgnoredHeadersExtra("X-Content-Type-Options"),
		config.WithStrictIgnorePaths("$.cookies.hrss_session"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c := &conformance{t: t, r: r, v: v, checked: map[string]map[int]bool{}}
	c.h = http.HandlerFunc(c.serve)
	return c
}

// client is a browser whose requests go through the check.
func (c *conformance) client() *client { return &client{t: c.t, h: c.h} }

// login is a client logged in as a demo account, through the check.
func (c *conformance) login(a demo.Account) *client {
	c.t.Helper()
	cl := c.client()
	if code := cl.login(a.UserType, a.Username, a.Password); code != 200 {
		c.t.Fatalf("login %s: %d", a.Username, code)
	}
	return cl
}

func (c *conformance) serve(w http.ResponseWriter, req *http.Request) {
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		c.r.Handler().ServeHTTP(w, req)
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	again := func() *http.Request {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		return r
	}
	rec := httptest.NewRecorder()
	c.r.Handler().ServeHTTP(rec, again())
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())

	what := fmt.Sprintf("%s %s → %d", req.Method, req.URL.RequestURI(), rec.Code)
	if _, errs := c.v.ValidateHttpResponse(again(), rec.Result()); len(errs) > 0 {
		c.report(what+": the answer", errs, rec.Body.String())
	}
	if rec.Code < 400 {
		if _, errs := c.v.ValidateHttpRequest(again()); len(errs) > 0 {
			c.report(what+": the request", errs, string(body))
		}
	}
	pattern, _ := c.r.Route(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked[pattern] == nil {
		c.checked[pattern] = map[int]bool{}
	}
	c.checked[pattern][rec.Code] = true
}

func (c *conformance) report(what string, errs []*valerrors.ValidationError, body string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := []rune(body); len(r) > 300 {
		body = string(r[:300]) + "…"
	}
	for _, e := range errs {
		if e.ValidationSubType == valerrors.StrictSubTypeProperty && strings.HasSuffix(e.Reason, "Declared properties: []") {
			continue // a key of a map (an object that declares no properties)
		}
		if c.reports++; c.reports > maxReports {
			continue
		}
		var detail []string
		for _, f := range e.SchemaValidationErrors {
			detail = append(detail, f.FieldPath+" "+f.Reason)
		}
		c.t.Errorf("%s does not match openapi.yaml: %s (%s) %v\n\tbody: %s", what, e.Message, e.Reason, detail, body)
	}
}

// TestAnswersMatchTheOpenAPIDocument drives the runner as the portal and
// the staff console do — the public services, registration and login, every
// business from draft to submitted by its demo account, the record tables,
// review, rating, receipts and reference data — plus every route once
// without a session, and checks each answer (and each request that
// succeeded) against infra/openapi/openapi.yaml. Every operation of the
// document is checked at least once.
func TestAnswersMatchTheOpenAPIDocument(t *testing.T) {
	r := seededRunner(t)
	c := newConformance(t, r)
	x := &tour{t: t, r: r, c: c, anon: c.client(), clients: map[string]*client{}}
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range tpl.Routes() { // 401 for the guarded ones
		method, path, _ := strings.Cut(pattern, " ")
		x.anon.do(method, param.ReplaceAllString(path, "x"), "{}")
	}
	x.publicServices()
	x.identity()
	x.businesses()
	x.draftEdges()
	x.userCenter()
	x.review()
	x.referenceData()

	if c.reports > maxReports {
		t.Errorf("%d more mismatches not shown", c.reports-maxReports)
	}
	var failed []string
	for pattern := range tpl.Routes() {
		statuses := c.checked[pattern]
		if len(statuses) == 0 {
			t.Errorf("%s: no answer checked", pattern)
		}
		success := false
		for s := range statuses {
			success = success || s < 400
		}
		if !success {
			failed = append(failed, pattern)
		}
	}
	slices.Sort(failed)
	t.Logf("%d routes checked; %d only with error answers: %s", len(tpl.Routes()), len(failed), strings.Join(failed, ", "))
}

// tour is the walk of TestAnswersMatchTheOpenAPIDocument: its clients
// send everything through the conformance check.
type tour struct {
	t       *testing.T
	r       *runner.Runner
	c       *conformance
	anon    *client
	clients map[string]*client // logged in, by username
}

// expect sends a request and wants its status.
func (x *tour) expect(cl *client, want int, method, path, body string) *httptest.ResponseRecorder {
	x.t.Helper()
	w := cl.do(method, path, body)
	if w.Code != want {
		x.t.Errorf("%s %s: %d %s, want %d", method, path, w.Code, w.Body, want)
	}
	return w
}

// as is the client logged in as a, once.
func (x *tour) as(a demo.Account) *client {
	x.t.Helper()
	if x.clients[a.Username] == nil {
		x.clients[a.Username] = x.c.login(a)
	}
	return x.clients[a.Username]
}

// staff is a staff client whose requests go through the check.
func (x *tour) staff(id string) *client {
	x.t.Helper()
	cl := staffClient(x.t, x.r, id)
	cl.h = x.c.h
	return cl
}

// publicServices: 办事中心 (every business and code table), 试算 and 退休测算.
func (x *tour) publicServices() {
	t, anon := x.t, x.anon
	x.expect(anon, 200, "GET", "/api/v1/health", "")
	list := x.expect(anon, 200, "GET", "/api/v1/services", "")
	if w := anon.withHeader("GET", "/api/v1/services?userType=individual", "", "If-None-Match", list.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("If-None-Match: %d", w.Code)
	}
	x.expect(anon, 200, "GET", "/api/v1/services?userType=enterprise&family=contributions-and-arrears&q=bj", "")
	x.expect(anon, 422, "GET", "/api/v1/services?userType=nobody", "")
	for _, b := range catalog.Default().Businesses() {
		x.expect(anon, 200, "GET", "/api/v1/services/"+b.ID, "")
		anon.do("POST", "/api/v1/services/"+b.ID+"/validate", `{"fields":{}}`)
	}
	fill := apptest.NewFiller(mustBusiness(t, "personal-basic-info-change"), map[string]string{})
	for range 8 {
		body, _ := json.Marshal(map[string]any{"fields": fill.Fields})
		w := anon.do("POST", "/api/v1/services/personal-basic-info-change/validate", string(body))
		if w.Code == 200 {
			break
		}
		fill.Retry(decode[struct{ FieldErrors map[string]string }](t, w).FieldErrors)
	}
	if !x.c.checked["POST /api/v1/services/{id}/validate"][200] {
		t.Error("no form validated")
	}
	tables := decode[struct{ Items []struct{ Name string } }](t, x.expect(anon, 200, "GET", "/api/v1/code-tables", ""))
	for _, tb := range tables.Items {
		x.expect(anon, 200, "GET", "/api/v1/code-tables/"+tb.Name, "")
	}
	x.expect(anon, 200, "POST", "/api/v1/calculations/back-payment", `{"calcDate":"2023-06-30","rows":[{"period":"202009","base":"2800.00"},`+
		`{"period":202112,"base":3000,"rates":{"unit":"0.16","personal":"0.08","personalToAccount":"0.08"}},{"period":"202203","base":"3000"}]}`)
	x.expect(anon, 422, "POST", "/api/v1/calculations/back-payment", `{"rows":[{"period":"2020-13","base":"x"}]}`)
	x.expect(anon, 200, "POST", "/api/v1/calculations/retirement", `{"archiveBirthDate":"1969-05-18","gender":"男","personalIdentity":"工人",`+
		`"retirementDate":"2022-02-15","actualContributionMonths":192,"deemedContributionMonths":"0"}`)
	x.expect(anon, 401, "POST", "/api/v1/calculations/retirement", `{"personNumber":"`+demo.PersonRetiring+`"}`)
}

// identity: the captcha, SMS codes, registration of a person and a unit,
// password reset and change, login, the session and QR login.
func (x *tour) identity() {
	t, anon := x.t, x.anon
	cid, _ := anon.captcha()
	x.expect(anon, 200, "GET", "/api/v1/auth/captcha/"+cid+"/audio", "")
	const mobile = "13812345678"
	clk := x.r.Clock().(*clock.Fixed)
	sms := func(purpose string) string {
		t.Helper()
		clk.Advance(2 * time.Minute) // one code a minute to a mobile
		cid, ans := anon.captcha()
		x.expect(anon, 202, "POST", "/api/v1/auth/sms-codes", `{"mobile":"`+mobile+`","purpose":"`+purpose+`","captchaId":"`+cid+`","captchaAnswer":"`+ans+`"}`)
		m := regexp.MustCompile(`验证码为(\d{6})`).FindStringSubmatch(x.expect(anon, 200, "GET", "/_local/outbox?to="+mobile, "").Body.String())
		if m == nil {
			t.Fatal("no SMS code sent")
		}
		return m[1] // the newest
	}
	idNumber := demo.IDNumber("230103", "19900101", "042")
	person := func(code string) string {
		return `{"name":"测试人","idNumber":"` + idNumber + `","mobile":"` + mobile + `","smsCode":"` + code + `","password":"Hrss@Test2026"}`
	}
	x.expect(anon, 201, "POST", "/api/v1/auth/register/person", person(sms("register")))
	x.expect(anon, 409, "POST", "/api/v1/auth/register/person", person(sms("register")))
	unit, _ := json.Marshal(map[string]string{"uscc": demo.CreditCode("91", "230103", "MA1C7N3R"), "unitName": "测试科技有限公司",
		"legalRepName": "测试甲", "legalRepIdNumber": demo.IDNumber("230103", "19700101", "013"), "agentName": "测试乙",
		"agentIdNumber": demo.IDNumber("230103", "19920202", "024"), "mobile": mobile, "smsCode": sms("register"), "password": "Hrss@Test2026"})
	x.expect(anon, 201, "POST", "/api/v1/auth/register/unit", string(unit))
	x.expect(anon, 200, "POST", "/api/v1/auth/password/reset", `{"userType":"individual","username":"`+idNumber+`","mobile":"`+mobile+`","smsCode":"`+sms("reset")+`","password":"Hrss@Test2027"}`)
	me := x.c.login(demo.Account{UserType: "individual", Username: idNumber, Password: "Hrss@Test2027"})
	x.expect(me, 200, "GET", "/api/v1/auth/me", "")
	x.expect(me, 200, "GET", "/api/v1/me/access-log", "")
	x.expect(me, 422, "POST", "/api/v1/auth/password", `{"oldPassword":"wrong","newPassword":"Hrss@Test2028"}`)
	x.expect(me, 200, "POST", "/api/v1/auth/password", `{"oldPassword":"Hrss@Test2027","newPassword":"Hrss@Test2028"}`)
	x.expect(me, 204, "POST", "/api/v1/auth/logout", "")
	cid, ans := anon.captcha()
	x.expect(anon, 401, "POST", "/api/v1/auth/login", `{"userType":"individual","username":"`+idNumber+`","password":"Wrong@Pass1","captchaId":"`+cid+`","captchaAnswer":"`+ans+`"}`)
	qr := decode[struct{ QRID string }](t, x.expect(anon, 201, "POST", "/api/v1/auth/qr", `{"userType":"individual"}`))
	x.expect(anon, 200, "GET", "/api/v1/auth/qr/"+qr.QRID, "")
}

// businesses: every business from draft to submitted by a demo account
// that can complete it, with its files' status.
func (x *tour) businesses() {
	t := x.t
	for _, b := range catalog.Default().Businesses() {
		i := slices.IndexFunc(demo.Accounts(), func(a demo.Account) bool { return slices.Contains(a.Businesses, b.ID) })
		if i < 0 {
			t.Errorf("no demo account completes %s", b.ID)
			continue
		}
		cl := x.as(demo.Accounts()[i])
		path, w := prepare(t, cl, b)
		if path == "" {
			t.Errorf("prepare %s: %d %s", b.ID, w.Code, w.Body)
			continue
		}
		d := decode[struct {
			Materials []struct{ Files []struct{ UploadID string } }
		}](t, x.expect(cl, 200, "GET", path+"?ledger=true", ""))
		for _, m := range d.Materials {
			for _, f := range m.Files {
				x.expect(cl, 200, "GET", path+"/uploads/"+f.UploadID, "")
			}
		}
		if w := cl.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k-"+path); w.Code != 201 {
			t.Errorf("submit %s: %d %s", b.ID, w.Code, w.Body)
		}
	}
}

// draftEdges: a stale save, a refused and a removed upload, submits
// without a key and of an incomplete draft.
func (x *tour) draftEdges() {
	t, refund := x.t, x.as(mustAccount(x.t, demo.PersonRefund))
	draft := decode[struct {
		ID      string
		Version int64
	}](t, x.expect(refund, 201, "POST", "/api/v1/personal-info/applications", `{"business":"personal-basic-info-change"}`))
	base := "/api/v1/personal-info/applications/" + draft.ID
	x.expect(refund, 200, "PUT", base, fmt.Sprintf(`{"version":%d,"fields":{"mobile":"1381234"}}`, draft.Version))
	x.expect(refund, 409, "PUT", base, fmt.Sprintf(`{"version":%d,"fields":{}}`, draft.Version))
	up := decode[struct{ UploadID string }](t, x.expect(refund, 201, "POST", base+"/uploads",
		`{"material":"`+mustBusiness(t, "personal-basic-info-change").Materials[0].Name+`","fileName":"a.png","contentType":"image/png","size":1000}`))
	x.expect(refund, 422, "POST", base+"/uploads/"+up.UploadID+"/complete", "")
	x.expect(refund, 204, "DELETE", base+"/uploads/"+up.UploadID, "")
	x.expect(refund, 400, "POST", base+"/submit", "")
	if w := refund.withHeader("POST", base+"/submit", "", "Idempotency-Key", "k0"); w.Code != 422 {
		t.Errorf("submit an incomplete draft: %d %s", w.Code, w.Body)
	}
}

// userCenter: 用户中心's list and case, a withdrawal, and the record
// tables of every business that has one.
func (x *tour) userCenter() {
	t, refund := x.t, x.as(mustAccount(x.t, demo.PersonRefund))
	apps := decode[struct {
		Items []struct{ ID, Reference string }
	}](t, x.expect(refund, 200, "GET", "/api/v1/applications?limit=5", ""))
	x.expect(refund, 200, "GET", "/api/v1/applications?drafts=true", "")
	x.expect(refund, 422, "GET", "/api/v1/applications?status=nope", "")
	if len(apps.Items) == 0 {
		t.Fatal("no application listed")
	}
	x.expect(refund, 200, "GET", "/api/v1/applications/"+apps.Items[0].Reference, "")
	x.expect(refund, 200, "POST", "/api/v1/applications/"+apps.Items[0].ID+"/withdraw", "")
	for _, tc := range []struct{ person, business, query string }{
		{demo.PersonRefund, "personal-refund", ""},
		{demo.PersonBaseDiff, "4.6", ""},
		{demo.PersonRateDiff, "4.9", ""},
		{demo.PersonFlexible, "4.25", ""},
		{demo.PersonFlexible, "4.26", "?from=2022-01&to=2022-12"},
		{demo.PersonBackPay, "5.1", "?unit=" + demo.UnitLogistics},
		{demo.PersonArrears, "5.5", "?selected="},
	} {
		x.expect(x.as(mustAccount(t, tc.person)), 200, "GET", "/api/v1/ledgers/"+tc.business+tc.query, "")
	}
	x.expect(refund, 403, "GET", "/api/v1/ledgers/5.1?person="+demo.PersonBackPay, "")
	x.expect(refund, 200, "POST", "/api/v1/calculations/retirement", `{"personNumber":"`+demo.PersonRefund+`","retirementDate":"2030-01-01"}`)
}

// review: a case submitted, its receipt and verification; claimed,
// returned, resubmitted, rejected; rated and the rating answered.
func (x *tour) review() {
	t, r, refund := x.t, x.r, x.as(mustAccount(x.t, demo.PersonRefund))
	path := mustPrepare(t, refund, mustBusiness(t, "personal-basic-info-change"))
	id := path[strings.LastIndex(path, "/")+1:]
	if w := refund.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k1"); w.Code != 201 {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	if d := settleReview(t, r, id, 1); d.Waiting != asl.WaitingTaskToken {
		t.Fatalf("after submit: %s %s", d.Status, d.Cause)
	}
	rw := x.expect(refund, 303, "GET", "/api/v1/applications/"+id+"/receipt", "")
	loc, _ := url.Parse(rw.Header().Get("Location"))
	if link, err := receipttest.FirstQR(refund.do("GET", loc.RequestURI(), "").Body.Bytes()); err != nil {
		t.Errorf("the receipt's QR code: %v", err)
	} else {
		u, _ := url.Parse(link)
		x.anon.withHeader("GET", u.RequestURI(), "", "Accept", "application/json")
		x.expect(x.anon, 200, "GET", u.RequestURI(), "")
	}
	rv := x.staff(demo.ReviewerID)
	x.expect(rv, 200, "GET", "/api/v1/review/queue?sla=onTime&limit=10", "")
	x.expect(rv, 200, "POST", "/api/v1/review/applications/"+id+"/claim", "")
	x.expect(rv, 200, "GET", "/api/v1/review/applications/"+id, "")
	x.expect(rv, 200, "POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"return","reasons":{"fields.address":"请填写详细的居住地址"}}`)
	settleReview(t, r, id, 1)
	d := decode[struct {
		Version int64             `json:"version"`
		Fields  map[string]string `json:"fields"`
	}](t, x.expect(refund, 200, "GET", path, ""))
	d.Fields["address"] = "七台河市桃山区学府街12号"
	edit, _ := json.Marshal(map[string]any{"version": d.Version, "fields": d.Fields})
	x.expect(refund, 200, "PUT", path, string(edit))
	if w := refund.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k2"); w.Code != 201 {
		t.Fatalf("resubmit: %d %s", w.Code, w.Body)
	}
	settleReview(t, r, id, 2)
	x.expect(rv, 200, "POST", "/api/v1/review/applications/"+id+"/claim", "")
	x.expect(rv, 200, "POST", "/api/v1/review/applications/"+id+"/decision", `{"decision":"reject","comment":"不符合受理条件"}`)
	settleReview(t, r, id, 2)
	x.expect(refund, 201, "POST", "/api/v1/applications/"+id+"/rating", `{"grade":"非常不满意","comment":"理由不清楚"}`)
	x.expect(refund, 409, "POST", "/api/v1/applications/"+id+"/rating", `{"grade":"5"}`)
	x.expect(rv, 200, "GET", "/api/v1/review/ratings?negative=true", "")
	x.expect(rv, 200, "POST", "/api/v1/review/applications/"+id+"/rating/answer", `{"answer":"已电话说明不予受理的原因"}`)
	x.expect(rv, 200, "GET", "/api/v1/review/ratings/stats?from=2022-01-01&to=2022-12-31", "")
	x.expect(rv, 200, "GET", "/api/v1/review/attention", "")
	x.expect(rv, 409, "POST", "/api/v1/review/applications/"+id+"/retry", "")
	x.expect(refund, 200, "GET", "/api/v1/applications/"+id, "")
}

// referenceData: an admin lists, adds and reads the history of 记账利率,
// 社平工资 and 缴费比例.
func (x *tour) referenceData() {
	admin := x.staff(demo.AdminID)
	const list = "/api/v1/review/refdata"
	x.expect(admin, 200, "GET", list, "")
	x.expect(admin, 200, "GET", list+"?kind=average_wage", "")
	x.expect(admin, 200, "GET", list+"/history?kind=bookkeeping_rate&name=2021", "")
	x.expect(admin, 201, "POST", list, `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.0240","status":"national"},"source":"人社厅发〔2026〕1号"}`)
	x.expect(admin, 201, "POST", list, `{"kind":"average_wage","entry":{"year":2025,"monthly":"7000.00","floor":"0.60","ceiling":"3.00","grades":["0.60","1.00","3.00"]},"source":"黑人社发〔2026〕3号"}`)
	x.expect(admin, 201, "POST", list, `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202601","unit":"0.15","personal":"0.08"},"source":"黑人社发〔2026〕4号","reason":"单位费率调整"}`)
	x.expect(admin, 200, "GET", list+"/history?kind=bookkeeping_rate&name=2025", "")
	x.expect(admin, 422, "POST", list, `{"kind":"bookkeeping_rate","entry":{"year":"x"}}`)
}

func mustAccount(t *testing.T, number string) demo.Account {
	t.Helper()
	a, ok := demo.AccountOf(number)
	if !ok {
		t.Fatalf("no demo account of %s", number)
	}
	return a
}
