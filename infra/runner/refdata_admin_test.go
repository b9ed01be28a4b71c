package runner_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/review/reviewapi"
	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/runner"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// refdataList is what the tests read of GET /api/v1/review/refdata.
type refdataList struct {
	Version string `json:"version"`
	Kinds   []struct {
		Kind    string `json:"kind"`
		Label   string `json:"label"`
		Entries []struct {
			Name   string          `json:"name"`
			Source string          `json:"source"`
			From   string          `json:"from"`
			To     string          `json:"to"`
			Entry  json.RawMessage `json:"entry"`
			Origin string          `json:"origin"`
			Stored *struct {
				Version int64  `json:"version"`
				By      string `json:"by"`
				Reason  string `json:"reason"`
				At      string `json:"at"`
			} `json:"stored"`
			Grades []struct{ Ratio, Base, Label string } `json:"grades"`
		} `json:"entries"`
	} `json:"kinds"`
}

// entry is the entry kind/name of the list; ok is false when it lacks one.
func (l refdataList) entry(kind, name string) (e struct {
	Origin, Source, By, Reason string
	Version                    int64
	Grades                     int
}, ok bool) {
	for _, k := range l.Kinds {
		for _, x := range k.Entries {
			if k.Kind != kind || x.Name != name {
				continue
			}
			e.Origin, e.Source, e.Grades = x.Origin, x.Source, len(x.Grades)
			if x.Stored != nil {
				e.By, e.Reason, e.Version = x.Stored.By, x.Stored.Reason, x.Stored.Version
			}
			return e, true
		}
	}
	return e, false
}

// trial is the back-payment 试算 of 5000.00 for 202401 on the runner's
// today, through the ledger function's public route.
func trial(t *testing.T, r *runner.Runner) (rate2025 string, provisional []int) {
	t.Helper()
	c := &client{t: t, h: r.Handler()}
	w := c.do("POST", "/api/v1/calculations/back-payment", `{"rows":[{"period":"202401","base":"5000.00"}]}`)
	if w.Code != 200 {
		t.Fatalf("trial: %d %s", w.Code, w.Body)
	}
	res := decode[struct {
		Rates map[string]string `json:"rates"`
		Years []int             `json:"provisionalYears"`
	}](t, w)
	return res.Rates["2025"], res.Years
}

// auditedWrites lists the objects of the refdata.put audit records of the
// day by actor.
func auditedWrites(t *testing.T, r *runner.Runner, day time.Time, actor string) []string {
	t.Helper()
	var out []string
	for _, it := range mustQuery(t, r, "AUDIT#"+day.In(clock.Shanghai).Format("20060102")) {
		if it.String("Action") == reviewapi.ActionRefdataPut && it.String("Actor") == actor && it.String("Result") == "ok" {
			out = append(out, it.String("Object"))
		}
	}
	return out
}

// TestReferenceDataByAnAdmin: in May 2026 an admin lists the reference
// data in force with its sources, adds the 2025 bookkeeping rate (which
// the next 试算 uses instead of charging 2025 provisionally) and corrects
// it with a reason; the history keeps both versions, the audit log both
// writes. Reviewers and applicants cannot use these routes.
func TestReferenceDataByAnAdmin(t *testing.T) {
	r := seededRunner(t)
	clk := r.Clock().(*clock.Fixed)
	clk.Set(time.Date(2026, 5, 11, 9, 0, 0, 0, clock.Shanghai))
	admin := staffClient(t, r, demo.AdminID)
	const list = "/api/v1/review/refdata"

	l := decode[refdataList](t, admin.do("GET", list, ""))
	if got := len(l.Kinds); got != 4 {
		t.Fatalf("%d kinds listed, want 4", got)
	}
	if e, ok := l.entry("bookkeeping_rate", "2024"); !ok || e.Origin != "default" || e.Source == "" {
		t.Errorf("the default 2024 rate: %+v, %v", e, ok)
	}
	if e, ok := l.entry("average_wage", "2022"); !ok || e.Origin != "default" || e.Grades != 9 {
		t.Errorf("the default 2022 wage with its grades: %+v, %v", e, ok)
	}
	if _, ok := l.entry("bookkeeping_rate", "2025"); ok {
		t.Fatal("the defaults have a 2025 rate (test premise)")
	}
	if _, provisional := trial(t, r); !slices.Contains(provisional, 2025) {
		t.Fatalf("before the write 2025 is charged provisionally: %v", provisional)
	}

	add := `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.0240","status":"national"},"source":"人社厅发〔2026〕1号"}`
	wantCode(t, "add the 2025 rate", admin.do("POST", list, add), 201, `"result":"created"`, `"origin":"stored"`)
	l = decode[refdataList](t, admin.do("GET", list, ""))
	e, _ := l.entry("bookkeeping_rate", "2025")
	if e.Origin != "stored" || e.Source != "人社厅发〔2026〕1号" || e.Version != 1 || e.By == "" {
		t.Errorf("the stored 2025 rate: %+v", e)
	}
	actor := e.By
	clk.Advance(2 * time.Minute) // the ledger function caches reference data for a minute
	if rate, provisional := trial(t, r); rate != "0.024" || slices.Contains(provisional, 2025) {
		t.Errorf("试算 after the write: 2025 at %q, provisional %v", rate, provisional)
	}

	correct := `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.0250","status":"national"},"source":"人社厅发〔2026〕2号"`
	wantCode(t, "a correction without a reason", admin.do("POST", list, correct+`}`), 422, `"reason"`, "修改原因")
	clk.Advance(time.Minute)
	wantCode(t, "correct the 2025 rate", admin.do("POST", list, correct+`,"reason":"更正为正式公布的利率"}`), 200, `"result":"updated"`)
	wantCode(t, "the same correction again", admin.do("POST", list, correct+`,"reason":"再次提交"}`), 200, `"result":"unchanged"`)
	l = decode[refdataList](t, admin.do("GET", list, ""))
	if e, _ := l.entry("bookkeeping_rate", "2025"); e.Source != "人社厅发〔2026〕2号" || e.Version != 2 || e.Reason != "更正为正式公布的利率" {
		t.Errorf("the corrected 2025 rate: %+v", e)
	}
	clk.Advance(2 * time.Minute)
	if rate, _ := trial(t, r); rate != "0.025" {
		t.Errorf("试算 after the correction: 2025 at %q", rate)
	}

	h := decode[struct {
		Default  *json.RawMessage `json:"default"`
		Versions []struct {
			Version int    `json:"version"`
			Source  string `json:"source"`
			Reason  string `json:"reason"`
			By      string `json:"by"`
			At      string `json:"at"`
		} `json:"versions"`
	}](t, admin.do("GET", list+"/history?kind=bookkeeping_rate&name=2025", ""))
	type version struct {
		Version        int
		Source, Reason string
	}
	var got []version
	for _, v := range h.Versions {
		got = append(got, version{v.Version, v.Source, v.Reason})
		if v.By == "" || v.At == "" {
			t.Errorf("version %d lacks who or when: %+v", v.Version, v)
		}
	}
	want := []version{{1, "人社厅发〔2026〕1号", ""}, {2, "人社厅发〔2026〕2号", "更正为正式公布的利率"}}
	if diff := cmp.Diff(want, got); diff != "" || h.Default != nil {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	wantCode(t, "history of a default", admin.do("GET", list+"/history?kind=bookkeeping_rate&name=2021", ""), 200,
		`"default":{"version":0`, `"versions":[]`)
	wantCode(t, "history of nothing", admin.do("GET", list+"/history?kind=bookkeeping_rate&name=1999", ""), 404, "没有这条记账利率")
	wantCode(t, "history of a bad kind", admin.do("GET", list+"/history?kind=nope&name=2021", ""), 422, `"kind"`)

	// The writes are audited, each with the admin and the entry, twice
	// (the unchanged write wrote nothing).
	if got := auditedWrites(t, r, clk.Now(), actor); !slices.Equal(got, []string{"bookkeeping_rate/2025", "bookkeeping_rate/2025"}) {
		t.Errorf("audited writes of %q: %v", actor, got)
	}

	// Average wages with their grades, contribution rates of a period.
	wage := `{"kind":"average_wage","entry":{"year":2025,"monthly":"7000.00","floor":"0.60","ceiling":"3.00","grades":["0.60","1.00","3.00"]},"source":"黑人社发〔2026〕3号"}`
	wantCode(t, "add the 2025 wage", admin.do("POST", list, wage), 201, `"label":"按照社平工资60.0%缴费，月缴费基数4200.00元"`)
	rates := `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202601","unit":"0.15","personal":"0.08","unitToAccount":"0","personalToAccount":"0.08"},"source":"黑人社发〔2026〕4号","reason":"单位费率调整"}`
	wantCode(t, "correct the rates from 202601", admin.do("POST", list, rates), 201, `"name":"employee-202601"`)
	wantCode(t, "the cut default", admin.do("GET", list+"?kind=contribution_rate", ""), 200, `"to":"202512"`, `"cut":true`)
}

// mustQuery reads one partition.
func mustQuery(t *testing.T, r *runner.Runner, pk string) []table.Item {
	t.Helper()
	page, err := r.Store.Query(t.Context(), table.Query{PK: pk, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// TestReferenceDataRefusals: bad entries are 422 with Chinese field
// errors, never a 500, and nothing is stored; only admins may call.
func TestReferenceDataRefusals(t *testing.T) {
	r := seededRunner(t)
	admin := staffClient(t, r, demo.AdminID)
	const list = "/api/v1/review/refdata"
	const src = `,"source":"文件"`
	for _, c := range []struct {
		name, body string
		code       int
		want       []string
	}{
		{"unknown kind", `{"kind":"retirement_rule","entry":{}` + src + `}`, 422, []string{`"kind"`, "记账利率"}},
		{"no kind", `{"entry":{}` + src + `}`, 422, []string{`"kind":"请选择参考数据类别"`}},
		{"no entry", `{"kind":"bookkeeping_rate"` + src + `}`, 422, []string{`"entry":"请填写参考数据"`}},
		{"entry not an object", `{"kind":"bookkeeping_rate","entry":"2025"` + src + `}`, 422, []string{`"entry"`, "JSON 对象"}},
		{"unknown field", `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.02","status":"national","colour":"red"}` + src + `}`, 422, []string{"未知字段"}},
		{"no source", `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.02","status":"national"}}`, 422, []string{`"source":"请填写文件依据"`}},
		{"another source in the entry", `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.02","status":"national","source":"别的"}` + src + `}`, 422, []string{`"entry.source"`}},
		{"rate of 1", `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"1","status":"national"}` + src + `}`, 422, []string{`"entry.rate"`, "小于1"}},
		{"negative rate", `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":-0.01,"status":"national"}` + src + `}`, 422, []string{`"entry.rate"`}},
		{"rate not a number", `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"两厘","status":"national"}` + src + `}`, 422, []string{`"entry.rate"`, "应为数字"}},
		{"bad year and status", `{"kind":"bookkeeping_rate","entry":{"year":"20250","rate":"0.02","status":"x"}` + src + `}`, 422, []string{`"entry.year"`, `"entry.status"`}},
		{"wage of 0", `{"kind":"average_wage","entry":{"year":2025,"monthly":"0","floor":"0.6","ceiling":"3"}` + src + `}`, 422, []string{`"entry.monthly":"月平均工资应大于0"`}},
		{"wage in tenths of fen", `{"kind":"average_wage","entry":{"year":2025,"monthly":"7000.001","floor":"0.6","ceiling":"3"}` + src + `}`, 422, []string{`"entry.monthly"`, "2位小数"}},
		{"ceiling below floor", `{"kind":"average_wage","entry":{"year":2025,"monthly":"7000","floor":"0.6","ceiling":"0.5"}` + src + `}`, 422, []string{`"entry.ceiling"`}},
		{"grades descending", `{"kind":"average_wage","entry":{"year":2025,"monthly":"7000","floor":"0.6","ceiling":"3","grades":["1.0","0.6"]}` + src + `}`, 422, []string{`"entry.grades[1]"`, "从低到高"}},
		{"grade above the ceiling", `{"kind":"average_wage","entry":{"year":2025,"monthly":"7000","floor":"0.6","ceiling":"3","grades":["0.6","3.5"]}` + src + `}`, 422, []string{`"entry.grades[1]"`}},
		{"period backwards", `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202612","to":"202601","unit":"0.16"}` + src + `,"reason":"x"}`, 422, []string{`"entry.to":"截止年月不能早于起始年月"`}},
		{"bad month", `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202613","unit":"0.16"}` + src + `,"reason":"x"}`, 422, []string{`"entry.from"`}},
		{"no rate at all", `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202601"}` + src + `,"reason":"x"}`, 422, []string{`"entry"`, "至少填写一项比例"}},
		{"unknown insured type", `{"kind":"contribution_rate","entry":{"insured":"student","from":"202601","unit":"0.16"}` + src + `,"reason":"x"}`, 422, []string{`"entry.insured"`}},
		{"account part above the rate", `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202601","personal":"0.08","personalToAccount":"0.09"}` + src + `,"reason":"x"}`, 422, []string{`"entry.personalToAccount"`}},
		{"a correction without a reason", `{"kind":"contribution_rate","entry":{"insured":"employee","from":"202601","unit":"0.15"}` + src + `}`, 422, []string{`"reason"`}},
		{"not JSON", `{"kind":`, 400, []string{"JSON"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, c.name, admin.do("POST", list, c.body), c.code, c.want...)
		})
	}
	if got := mustQuery(t, r, "LEDGER#REFDATA"); len(got) != 0 {
		t.Errorf("refused entries were stored: %d rows", len(got))
	}

	reviewer := staffClient(t, r, demo.ReviewerID)
	anonymous := &client{t: t, h: r.Handler()}
	for _, route := range []struct{ method, path, body string }{
		{"GET", list, ""}, {"GET", list + "/history?kind=bookkeeping_rate&name=2021", ""},
		{"POST", list, `{"kind":"bookkeeping_rate","entry":{"year":2025,"rate":"0.02","status":"national"}` + src + `}`},
	} {
		wantCode(t, "a reviewer: "+route.method+" "+route.path, reviewer.do(route.method, route.path, route.body), 403)
		wantCode(t, "no session: "+route.method+" "+route.path, anonymous.do(route.method, route.path, route.body), 401)
	}
}
