package catalog_test

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/codetable"
)

func TestDefaultCatalog(t *testing.T) {
	c := catalog.Default()
	bs := c.Businesses()
	if len(bs) != 42 {
		t.Fatalf("%d businesses, want 42", len(bs))
	}
	if c.Version() == "" || len(c.Digest()) != 16 {
		t.Errorf("version %q digest %q", c.Version(), c.Digest())
	}
	var sections []string
	count := map[string]int{}
	for _, b := range bs {
		sections = append(sections, b.Section)
		count[b.UserType]++
		if got, ok := c.Business(b.ID); !ok || got != b {
			t.Errorf("Business(%q) does not find it", b.ID)
		}
		if len(b.Fields) == 0 {
			t.Errorf("%s: no fields", b.ID)
		}
	}
	if sections[0] != "4.1" || sections[9] != "4.10" || sections[27] != "5.1" || sections[41] != "5.15" {
		t.Errorf("not in manual order: %v", sections)
	}
	if count[catalog.Individual] != 27 || count[catalog.Enterprise] != 15 {
		t.Errorf("user types %v, want 27 individual and 15 enterprise", count)
	}
	if _, ok := c.Business("nope"); ok {
		t.Error("found an unknown id")
	}
}

// TestGuides: 4.1's guide is the manual's, verbatim; every other guide is
// drafted in the same form.
func TestGuides(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		g := b.Guide
		if b.Section == "4.1" {
			if g.Drafted || g.Hours != "每月1-25号" || g.Place != "七台河人力资...楼" || g.Agency != "" || len(g.BasisItems) != 4 ||
				!strings.HasPrefix(g.Conditions, "灵活就业人员因达到退休条件、人员转移、参军、判刑、失踪、死亡等原因") {
				t.Errorf("4.1 guide is not the manual's: %+v", g)
			}
			continue
		}
		if !g.Drafted {
			t.Errorf("%s: guide not marked drafted", b.ID)
		}
		if g.ItemName != b.Name {
			t.Errorf("%s: 事项名称 %q", b.ID, g.ItemName)
		}
		rows := g.Rows()
		if len(rows) != 12 || rows[0].Label != "事项名称" || rows[10].Label != "办理时间" {
			t.Errorf("%s: rows %v", b.ID, rows)
		}
		for _, r := range rows {
			if r.Value == "" && r.Label != "定期检验及依据" {
				t.Errorf("%s: drafted guide row %s is empty", b.ID, r.Label)
			}
		}
	}
}

// TestDecisions pins the decisions the manual leaves open.
func TestDecisions(t *testing.T) {
	c := catalog.Default()
	for _, b := range c.Businesses() {
		wantWindow := slices.Contains(b.Purposes, "费用征缴")
		if (b.Window != nil) != wantWindow {
			t.Errorf("%s: window %v, purposes %v", b.ID, b.Window, b.Purposes)
		}
		if b.Window != nil && b.Guide.Hours != "每月1-25号" {
			t.Errorf("%s: 办理时间 %q with a window", b.ID, b.Guide.Hours)
		}
	}
	for id, want := range map[string]string{
		"personal-refund":                    catalog.Individual,
		"employee-back-payment":              catalog.Enterprise,
		"employee-arrears-clearance":         catalog.Enterprise,
		"survivor-eligibility-certification": catalog.Enterprise,
	} {
		b := business(t, id)
		if b.UserType != want || !strings.Contains(b.UserTypeNote, "Decision: "+want) {
			t.Errorf("%s: userType %s, note %q", id, b.UserType, b.UserTypeNote)
		}
	}
	// Material rule 1: both sides of the resident ID card are required
	// unless they are one of an identity group.
	for _, b := range c.Businesses() {
		for _, m := range b.Materials {
			if strings.HasPrefix(m.Name, "居民身份证") && (strings.Contains(m.Name, "正面") || strings.Contains(m.Name, "反面")) &&
				!m.Required && m.OneOf == "" {
				t.Errorf("%s: %s is optional", b.ID, m.Name)
			}
			if len(m.Types) == 0 || m.MaxBytes <= 0 || m.MaxFiles <= 0 {
				t.Errorf("%s: %s has no upload limits", b.ID, m.Name)
			}
		}
	}
	m, ok := business(t, "unit-wage-declaration").Material("缴费申报文件")
	if !ok || !slices.Contains(m.Types, "application/zip") || m.MaxFiles != 1 || !m.Required {
		t.Errorf("5.2 declaration file: %+v", m)
	}
	if m, ok := business(t, "personal-basic-info-change").Material("个人信息拟修改内容的..."); !ok || !m.Drafted || m.Name != "个人信息拟修改内容的说明" {
		t.Errorf("truncated slot lookup by printed label: %+v", m)
	}
	if got := business(t, "flexible-employment-suspend").Initials; got != "LHJYRYZTJF" {
		t.Errorf("initials %q", got)
	}
}

func TestWindow(t *testing.T) {
	b := business(t, "flexible-employment-suspend")
	for _, tc := range []struct {
		at   time.Time
		open bool
	}{
		{time.Date(2022, 5, 1, 0, 0, 0, 0, clock.Shanghai), true},
		{time.Date(2022, 5, 25, 23, 59, 59, 0, clock.Shanghai), true},
		{time.Date(2022, 5, 26, 0, 0, 0, 0, clock.Shanghai), false},
		{time.Date(2022, 5, 25, 16, 30, 0, 0, time.UTC), false}, // 26th 00:30 in Shanghai
		{time.Date(2022, 4, 30, 16, 30, 0, 0, time.UTC), true},  // 1st 00:30 in Shanghai
	} {
		if got := b.WindowOpen(tc.at); got != tc.open {
			t.Errorf("WindowOpen(%v) = %v", tc.at, got)
		}
	}
	if !business(t, "personal-basic-info-change").WindowOpen(time.Date(2022, 5, 28, 0, 0, 0, 0, clock.Shanghai)) {
		t.Error("a business without a window is closed")
	}
}

func TestFind(t *testing.T) {
	c := catalog.Default()
	ids := func(bs []*catalog.Business) []string {
		var out []string
		for _, b := range bs {
			out = append(out, b.Section)
		}
		return out
	}
	tests := []struct {
		name string
		q    catalog.Query
		want []string
	}{
		{"substring of the name", catalog.Query{Q: "遗属"}, []string{"4.8", "4.10", "4.15", "4.19", "4.27", "5.15"}},
		{"alias from the listing", catalog.Query{Q: "职工欠款清欠"}, []string{"5.5"}},
		{"pinyin initials", catalog.Query{Q: "lhjy"}, []string{"4.1", "4.16", "4.17", "4.18", "4.24", "4.25", "4.26"}},
		{"enterprise and purpose", catalog.Query{UserType: "enterprise", Purpose: "资格认定"}, []string{"5.3", "5.15"}},
		{"category 人脸认证", catalog.Query{Category: "人脸认证"}, []string{"4.2"}},
		{"全部 does not filter", catalog.Query{UserType: "individual", Category: "全部", Purpose: "全部", Family: "certification"}, []string{"4.2"}},
		{"nothing matches", catalog.Query{Q: "不存在的业务"}, nil},
		{"filter codes of the code tables", catalog.Query{UserType: "enterprise", Category: "socialInsurance", Purpose: "qualification"}, []string{"5.3", "5.15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Find(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	all, _ := c.Find(catalog.Query{})
	if len(all) != 42 {
		t.Errorf("empty query: %d", len(all))
	}

	bad := []struct {
		name  string
		q     catalog.Query
		field string
	}{
		{"user type", catalog.Query{UserType: "robot"}, "userType"},
		{"category", catalog.Query{Category: "社保"}, "category"},
		{"category of the other portal", catalog.Query{UserType: "enterprise", Category: "社保卡"}, "category"},
		{"purpose", catalog.Query{Purpose: "办证"}, "purpose"},
		{"family", catalog.Query{Family: "pensions"}, "family"},
		{"long q", catalog.Query{Q: strings.Repeat("长", 51)}, "q"},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.name, func(t *testing.T) {
			_, err := c.Find(tt.q)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Fields[tt.field] == "" || len(e.Fields) != 1 {
				t.Errorf("err = %#v, want a field error on %s", err, tt.field)
			}
		})
	}
}

// TestFiltersMatchCodeTables keeps the filter values of catalog.yaml and
// the filter code tables of package codetable in step.
func TestFiltersMatchCodeTables(t *testing.T) {
	c := catalog.Default()
	labels := func(name string) []string {
		tb, ok := c.Tables().Table(name)
		if !ok {
			t.Fatalf("no code table %s", name)
		}
		var out []string
		for _, e := range tb.Current() {
			out = append(out, e.Label)
		}
		return out
	}
	f := c.Filters()
	if diff := cmp.Diff(labels("businessCategory"), f.Individual.Categories); diff != "" {
		t.Errorf("individual categories (-codetable +catalog)\n%s", diff)
	}
	if diff := cmp.Diff(labels("businessKind"), f.Enterprise.Categories); diff != "" {
		t.Errorf("enterprise categories (-codetable +catalog)\n%s", diff)
	}
	if diff := cmp.Diff(labels("businessPurpose"), f.Individual.Purposes); diff != "" {
		t.Errorf("individual purposes (-codetable +catalog)\n%s", diff)
	}
	for _, p := range f.Enterprise.Purposes {
		if !slices.Contains(f.Individual.Purposes, p) {
			t.Errorf("enterprise purpose %s is not in businessPurpose", p)
		}
	}
}

func TestCheckMaterials(t *testing.T) {
	b := business(t, "in-service-pension-account-refund") // 4.12: a one-of death proof, two required slots
	tests := []struct {
		name  string
		files map[string]int
		want  map[string]string
	}{
		{"complete", map[string]int{"户口销户证明": 1, "领取人银行信息": 1, "领取人关系证明": 2}, nil},
		{"nothing", nil, map[string]string{
			"领取人银行信息":    "请上传领取人银行信息",
			"领取人关系证明":    "请上传领取人关系证明",
			"deathProof": "请至少上传以下材料之一：居民死亡医学证明书、居民死亡殡葬证明、户口销户证明",
		}},
		{"too many and unknown", map[string]int{"户口销户证明": 6, "领取人银行信息": 1, "领取人关系证明": 1, "自拍": 1}, map[string]string{
			"户口销户证明": "户口销户证明最多上传5个文件，当前6个，请删除多余的文件",
			"自拍":     "本业务没有“自拍”这项材料",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, b.CheckMaterials(tt.files)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestLoadReportsBadData feeds Load broken copies of the data and checks
// that each defect is reported.
func TestLoadReportsBadData(t *testing.T) {
	base := fstest.MapFS{}
	sub := os.DirFS("data")
	err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		base[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Load(base, codetable.Default()); err != nil {
		t.Fatalf("copy does not load: %v", err)
	}
	const enrol = "businesses/5.11-employee-enrol.yaml"
	const backPay = "businesses/5.01-employee-back-payment.yaml"
	tests := []struct {
		name, old, new, want string
		file                 string // enrol when empty
	}{
		{"unknown code table", "enum: ethnicity", "enum: ethnicities", `unknown code table "ethnicities"`, ""},
		{"unknown type", "type: postcode", "type: zipcode", `unknown type "zipcode"`, ""},
		{"duplicate key", "key: email", "key: phone", "field phone: duplicate key", ""},
		{"rule on an unknown field", "other: birthDate", "other: dateOfBirth", `unknown field "dateOfBirth"`, ""},
		{"unknown family", "family: employee-enrolment", "family: staff", `unknown family "staff"`, ""},
		{"category of the other portal", "  - 社会保险\n", "  - 社保卡\n", `category "社保卡" is not a enterprise filter value`, ""},
		{"unknown window", "window: monthly-1-25", "window: weekly", `unknown window "weekly"`, ""},
		{"unknown YAML key", "userType: enterprise", "userType: enterprise\ncolour: red", "field colour not found", ""},
		{"bad bound", "maxLength: 200", "maxLength: 200\n    min: \"3\"", "min/max on a text field", ""},
		{"id and file name", "id: employee-enrol", "id: employee-enrolment", "does not match the file name", ""},
		{"ledger column value", "value: unitToAccount", "value: unitsToAccount", `ledger column 单位应缴划入个人账户金额: value "unitsToAccount"`, backPay},
		{"ledger sub-column", "        - 利息\n  flatColumns:", "        - 利率\n  flatColumns:", `sub-column "利率" is not 比例, 金额 or 利息`, backPay},
		{"ledger row source", "source: stored", "source: cache", `ledger rows: source "cache"`, backPay},
		{"ledger interest", "interest: accrued", "interest: guessed", `ledger rows: interest "guessed"`, backPay},
		{"ledger block", "blocks: [grid]", "blocks: [chart]", `ledger block "chart"`, backPay},
		{"ledger part without attribute", "value: personal.amount", "value: personal", `ledger column 个人缴费金额: value "personal"`,
			"businesses/4.25-flexible-employment-due-assessment.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			file := tt.file
			if file == "" {
				file = enrol
			}
			data := string(base[file].Data)
			if !strings.Contains(data, tt.old) {
				t.Fatalf("%s lacks %q", file, tt.old)
			}
			fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(data, tt.old, tt.new, 1))}
			_, err := catalog.Load(fsys, codetable.Default())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
