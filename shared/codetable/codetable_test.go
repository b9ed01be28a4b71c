package codetable_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/codetable"
)

func table(tb testing.TB, name string) *codetable.Table {
	tb.Helper()
	t, ok := codetable.Default().Table(name)
	if !ok {
		tb.Fatalf("no table %q", name)
	}
	return t
}

func TestLoad(t *testing.T) {
	s, err := codetable.Load()
	if err != nil {
		t.Fatal(err)
	}
	if first := codetable.Default(); codetable.Default() != first {
		t.Error("Default is not loaded once")
	}
	if got, want := s.Version(), codetable.Default().Version(); got != want || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got) {
		t.Errorf("Version() = %q (Default %q), want the same 16 hex digits", got, want)
	}
	names := s.Names()
	if !slices.IsSorted(names) || len(names) < 58 {
		t.Errorf("Names() = %d names, sorted %v", len(names), slices.IsSorted(names))
	}
	names[0] = "mutated"
	if s.Names()[0] == "mutated" {
		t.Error("Names() exposes the internal slice")
	}
	if _, ok := s.Table("noSuchTable"); ok {
		t.Error("Table(noSuchTable) found")
	}
}

func TestEveryTableHasSource(t *testing.T) {
	s := codetable.Default()
	for _, name := range s.Names() {
		tb, _ := s.Table(name)
		if tb.Name != name || tb.Source == "" || tb.LabelZh == "" || tb.Version == "" || len(tb.Entries) == 0 {
			t.Errorf("%s: name %q, source %d chars, label %q, version %q, %d entries", name, tb.Name, len(tb.Source), tb.LabelZh, tb.Version, len(tb.Entries))
		}
		// Tables whose entries are inferred must say so in their source.
		for _, e := range tb.Entries {
			if tb.Inferred(e.Code) && !strings.Contains(tb.Source, "infer") && !strings.Contains(tb.Source, "placeholder") {
				t.Errorf("%s: entry %s is inferred but the source does not say so", name, e.Code)
				break
			}
		}
	}
}

func TestEthnicity(t *testing.T) {
	eth := table(t, "ethnicity")
	groups := 0
	for _, e := range eth.Entries {
		if len(e.Code) == 2 && e.Code >= "01" && e.Code <= "56" {
			groups++
			if !strings.HasSuffix(e.Label, "族") {
				t.Errorf("%s %s does not end with 族", e.Code, e.Label)
			}
		}
	}
	if groups != 56 {
		t.Errorf("%d nationalities coded 01-56, want 56", groups)
	}
	for code, label := range map[string]string{"01": "汉族", "11": "满族", "10": "朝鲜族", "53": "赫哲族", "52": "鄂伦春族", "97": "其他", "98": "外国血统中国籍人士"} {
		if e, ok := eth.Lookup(code); !ok || e.Label != label {
			t.Errorf("Lookup(%s) = %v, %v; want %s", code, e, ok, label)
		}
	}
	if e, ok := eth.ByLabel("外国血统"); !ok || e.Code != "98" {
		t.Errorf("ByLabel(外国血统) = %v, %v", e, ok)
	}
}

func TestGenderMatchesIDGender(t *testing.T) {
	g := table(t, "gender")
	for id, label := range map[string]string{"11010519491231002X": "女", "440524188001010014": "男"} {
		code := checks.IDGender(id)
		if e, ok := g.Lookup(code); !ok || e.Label != label {
			t.Errorf("gender %q for %s = %v, %v; want %s", code, id, e, ok, label)
		}
	}
}

func TestRegion(t *testing.T) {
	region := table(t, "region")
	six := regexp.MustCompile(`^23\d{4}$`)
	prefectures := region.Children("230000")
	var labels []string
	for _, p := range prefectures {
		labels = append(labels, p.Label)
	}
	want := []string{"哈尔滨市", "齐齐哈尔市", "鸡西市", "鹤岗市", "双鸭山市", "大庆市", "伊春市", "佳木斯市", "七台河市", "牡丹江市", "黑河市", "绥化市", "大兴安岭地区"}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Errorf("prefectures of 230000 (-want +got):\n%s", diff)
	}
	for _, e := range region.Entries {
		if !six.MatchString(e.Code) || checks.RegionCodeFormat(e.Code) != nil {
			t.Errorf("%s %s: not a 6-digit Heilongjiang code", e.Code, e.Label)
		}
		switch {
		case e.Code == "230000":
			if e.Parent != "" {
				t.Errorf("province has parent %q", e.Parent)
			}
		case strings.HasSuffix(e.Code, "00"):
			if e.Parent != "230000" {
				t.Errorf("prefecture %s %s: parent %q", e.Code, e.Label, e.Parent)
			}
		default:
			p, ok := region.Lookup(e.Parent)
			if !ok || p.Code[:4] != e.Code[:4] || p.Code[4:] != "00" {
				t.Errorf("county %s %s: parent %q is not its prefecture", e.Code, e.Label, e.Parent)
			}
		}
	}
	for code, want := range map[string]struct {
		label      string
		deprecated bool
	}{
		"230113": {"双城区", false},
		"230182": {"双城市", true},
		"230183": {"尚志市", false},
		"230184": {"五常市", false},
		"230903": {"桃山区", false},
		"231002": {"东安区", false},
		"232701": {"漠河市", false},
		"232723": {"漠河县", true},
		// Statistical codes (统计用区划代码) kept for addresses.
		"230671": {"大庆高新技术产业开发区", false},
		"232761": {"加格达奇区", false},
		"232764": {"呼中区", false},
		"231071": {"牡丹江经济技术开发区", true},
	} {
		e, ok := region.Lookup(code)
		if !ok || e.Label != want.label || e.Deprecated != want.deprecated {
			t.Errorf("Lookup(%s) = %+v, %v; want %s deprecated=%v", code, e, ok, want.label, want.deprecated)
		}
		if !region.Has(code) {
			t.Errorf("Has(%s) = false", code)
		}
	}
	// The new 香坊区 wins over the old code with the same label.
	if e, ok := region.ByLabel("香坊区"); !ok || e.Code != "230110" {
		t.Errorf("ByLabel(香坊区) = %+v, %v; want 230110", e, ok)
	}
	for _, c := range region.Children("230100") {
		if c.Deprecated || c.Code == "230182" {
			t.Errorf("Children(230100) offers deprecated %+v", c)
		}
	}
}

func TestCountryCode(t *testing.T) {
	cc := table(t, "countryCode")
	alpha3 := regexp.MustCompile(`^[A-Z]{3}$`)
	for _, e := range cc.Entries {
		if !alpha3.MatchString(e.Code) || e.Parent != "" || e.Deprecated {
			t.Errorf("%+v: not a current ISO 3166-1 alpha-3 entry", e)
		}
	}
	// ISO 3166-1 has 249 officially assigned codes (XKK is user-assigned).
	if n := len(cc.Entries); n != 249 || cc.Has("XKK") {
		t.Errorf("%d entries (XKK %v), want the 249 ISO 3166-1 codes", n, cc.Has("XKK"))
	}
	if cc.Entries[0].Code != "CHN" {
		t.Errorf("first entry %+v, want CHN", cc.Entries[0])
	}
	for label, code := range map[string]string{"中国": "CHN", "香港": "HKG", "中国香港": "HKG", "澳门": "MAC", "台湾": "TWN", "俄罗斯联邦": "RUS", "印尼": "IDN", "西撒哈拉": "ESH", "巴西": "BRA", "津巴布韦": "ZWE"} {
		if e, ok := cc.ByLabel(label); !ok || e.Code != code {
			t.Errorf("ByLabel(%s) = %+v, %v; want %s", label, e, ok, code)
		}
	}
}

func TestIndustry(t *testing.T) {
	ind := table(t, "industry")
	sections := ind.Children("")
	if len(sections) != 20 || sections[0].Code != "A" || sections[19].Code != "T" {
		t.Fatalf("%d sections, want A–T", len(sections))
	}
	// The 97 divisions are numbered 01–97 without a gap, in order, each
	// under a section.
	n := 0
	for _, s := range sections {
		for _, d := range ind.Children(s.Code) {
			n++
			if want := fmt.Sprintf("%02d", n); d.Code != want {
				t.Errorf("division %d is %s %s, want code %s", n, d.Code, d.Label, want)
			}
		}
	}
	if n != 97 || len(ind.Entries) != 117 {
		t.Errorf("%d divisions, %d entries; want 97 and 117", n, len(ind.Entries))
	}
	for code, want := range map[string][2]string{"01": {"农业", "A"}, "06": {"煤炭开采和洗选业", "B"}, "13": {"农副食品加工业", "C"}, "44": {"电力、热力生产和供应业", "D"}, "70": {"房地产业", "K"}, "96": {"基层群众自治组织及其他组织", "S"}, "97": {"国际组织", "T"}} {
		if e, ok := ind.Lookup(code); !ok || e.Label != want[0] || e.Parent != want[1] {
			t.Errorf("Lookup(%s) = %+v, %v; want %s under %s", code, e, ok, want[0], want[1])
		}
	}
}

func TestPoolingArea(t *testing.T) {
	pool, region := table(t, "poolingArea"), table(t, "region")
	if e, ok := pool.Lookup("230999"); !ok || e.Label != "七台河市本级" || pool.Inferred("230999") {
		t.Errorf("poolingArea 230999 = %+v, %v, inferred %v", e, ok, pool.Inferred("230999"))
	}
	if region.Has("230999") {
		t.Error("230999 is in region; it is not a GB/T 2260 code")
	}
	for _, e := range pool.Entries {
		if region.Has(e.Code) {
			t.Errorf("pooling area %s is also a division code", e.Code)
		}
		if p := checks.RegionCodeFormat(e.Code); p != nil {
			t.Errorf("pooling area %s: %v", e.Code, p)
		}
	}
}

func TestByLabel(t *testing.T) {
	id := table(t, "idType")
	for _, l := range []string{"居民身份证（户口簿）", "居民身份证(户口簿)", "居民身份证 (户口簿)", " 居民身份证（ 户口簿） "} {
		if e, ok := id.ByLabel(l); !ok || e.Code != "01" {
			t.Errorf("idType.ByLabel(%q) = %+v, %v", l, e, ok)
		}
	}
	ps := table(t, "politicalStatus")
	if e, ok := ps.ByLabel("中国共产党党员"); !ok || e.Label != "中共党员" {
		t.Errorf("alias lookup = %+v, %v", e, ok)
	}
	if got := ps.Aliases("01"); !slices.Contains(got, "中国共产党党员") {
		t.Errorf("Aliases(01) = %v", got)
	}
	if _, ok := ps.ByLabel("党员"); ok {
		t.Error("ByLabel matched a partial label")
	}
	ins := table(t, "insuranceType")
	if len(ins.Current()) != len(ins.Entries)-2 {
		t.Errorf("Current() = %d of %d entries, want 2 deprecated left out", len(ins.Current()), len(ins.Entries))
	}
}

func TestEntriesFrom(t *testing.T) {
	id := table(t, "idType")
	for _, name := range []string{"legalRepIdType", "receiverIdType"} {
		tb := table(t, name)
		if tb.From != "idType" {
			t.Errorf("%s.From = %q", name, tb.From)
		}
		if diff := cmp.Diff(id.Entries, tb.Entries); diff != "" {
			t.Errorf("%s entries differ from idType (-want +got):\n%s", name, diff)
		}
	}
	for _, name := range []string{"bankName", "localBankCode"} {
		if diff := cmp.Diff(table(t, "bankCode").Entries, table(t, name).Entries); diff != "" {
			t.Errorf("%s entries differ from bankCode:\n%s", name, diff)
		}
	}
}

// A Table built by hand (a test fake elsewhere) has no index: lookups scan.
func TestTableLiteral(t *testing.T) {
	tb := &codetable.Table{Name: "x", Entries: []codetable.Entry{
		{Code: "1", Label: "旧（甲）", Deprecated: true},
		{Code: "2", Label: "旧(甲)"},
	}}
	if e, ok := tb.Lookup("1"); !ok || !e.Deprecated {
		t.Errorf("Lookup(1) = %+v, %v", e, ok)
	}
	if e, ok := tb.ByLabel("旧 (甲)"); !ok || e.Code != "2" {
		t.Errorf("ByLabel = %+v, %v; want the current entry 2", e, ok)
	}
	if tb.Has("3") {
		t.Error("Has(3)")
	}
	if _, ok := tb.ByLabel("乙"); ok {
		t.Error("ByLabel(乙) found")
	}
}

func TestNormalizeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"暂停缴费 (中断)":    "暂停缴费(中断)",
		"暂停缴费（中断）":     "暂停缴费(中断)",
		"因病退休 (职)":     "因病退休(职)",
		"县(区)":         "县(区)",
		"市、地区":         "市、地区",
		"\u3000汉族\t\n": "汉族",
	} {
		if got := codetable.NormalizeLabel(in); got != want {
			t.Errorf("NormalizeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// specPath is the business specification beside the repository.
const specPath = "../../../shared/spec/businesses.yaml"

type spec struct {
	EnumCatalog map[string]struct {
		LabelsZh        []string            `yaml:"labels_zh"`
		ValuesSeen      []string            `yaml:"values_seen"`
		ValuesBySection map[string][]string `yaml:"values_by_section"`
	} `yaml:"enum_catalog"`
	ServiceCenterFilters map[string]yaml.Node `yaml:"service_center_filters"`
}

func readSpec(t *testing.T) *spec {
	t.Helper()
	b, err := os.ReadFile(specPath)
	if os.IsNotExist(err) {
		t.Skipf("%s not present (the spec lives beside the repository): skipping the manual cross-check", specPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := yaml.Unmarshal(b, &s); err != nil {
		t.Fatalf("parse %s: %v", specPath, err)
	}
	if len(s.EnumCatalog) == 0 {
		t.Fatalf("%s has no enum_catalog", specPath)
	}
	return &s
}

// shownAsCode lists the values the manual's screenshots show as the stored
// code rather than the label (the select had not resolved its label).
var shownAsCode = map[string][]string{
	"adminPostLevel":    {"000"},
	"techTitleLevel":    {"0"},
	"receiverIdType":    {"01"},
	"contributionGrade": {"0.60"},
}

// gradeBase is the per-year base the portal appends to a contribution
// grade's label (calculations.md §5); it is not part of the table.
var gradeBase = regexp.MustCompile(`，月缴费基数\d+(\.\d+)?元$`)

// TestManualValues checks that every enum of the specification is a table
// named after its key, labelled as in the manual, and that every value the
// manual shows is in it.
func TestManualValues(t *testing.T) {
	sp := readSpec(t)
	for key, enum := range sp.EnumCatalog {
		t.Run(key, func(t *testing.T) {
			tb, ok := codetable.Default().Table(key)
			if !ok {
				t.Fatalf("no table for enum %s (%v)", key, enum.LabelsZh)
			}
			var labels []string
			for _, l := range enum.LabelsZh {
				labels = append(labels, codetable.NormalizeLabel(l))
			}
			if !slices.Contains(labels, codetable.NormalizeLabel(tb.LabelZh)) {
				t.Errorf("label_zh %q is not one of the manual's %v", tb.LabelZh, enum.LabelsZh)
			}
			values := slices.Clone(enum.ValuesSeen)
			for _, vs := range enum.ValuesBySection {
				values = append(values, vs...)
			}
			slices.Sort(values)
			values = slices.Compact(values)
			for _, v := range values {
				if slices.Contains(shownAsCode[key], v) {
					if !tb.Has(v) {
						t.Errorf("code %q shown by the manual is not in the table", v)
					}
					continue
				}
				if key == "contributionGrade" {
					v = gradeBase.ReplaceAllString(v, "")
				}
				if _, ok := tb.ByLabel(v); !ok {
					t.Errorf("manual value %q is not a label of the table", v)
				}
			}
		})
	}
}

func TestServiceCenterFilters(t *testing.T) {
	sp := readSpec(t)
	tables := map[string]string{"业务类别": "businessCategory", "业务种类": "businessKind", "办理作用": "businessPurpose"}
	n := 0
	for side, sideNode := range sp.ServiceCenterFilters {
		var filters map[string]yaml.Node
		if sideNode.Kind != yaml.MappingNode {
			continue // selected_display
		}
		if err := sideNode.Decode(&filters); err != nil {
			t.Fatalf("%s: %v", side, err)
		}
		for name, node := range filters {
			var f struct {
				Values      []string `yaml:"values"`
				OtherValues []string `yaml:"values_other_screenshot"`
			}
			if err := node.Decode(&f); err != nil {
				t.Fatalf("%s.%s: %v", side, name, err)
			}
			tb := table(t, tables[name])
			for _, v := range append(f.Values, f.OtherValues...) {
				if v == "全部" {
					continue
				}
				n++
				if _, ok := tb.ByLabel(v); !ok {
					t.Errorf("%s filter %s value %q is not in %s", side, name, v, tb.Name)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d filter values checked", n)
	}
}

const okTable = `name: t
label_zh: 甲
version: "1"
source: test
entries:
  - {code: "1", label: 一}
`

func TestLoadFSInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, file, body, errHas string
	}{
		{"duplicate code", "t.yaml", okTable + "  - {code: \"1\", label: 二}\n", `duplicate code "1"`},
		{"duplicate label", "t.yaml", okTable + "  - {code: \"2\", label: 一}\n", `label "一"`},
		{"duplicate label after normalization", "t.yaml", okTable + "  - {code: \"2\", label: 二(乙)}\n  - {code: \"3\", label: 二 （乙）}\n", "is also the label"},
		{"alias clashes with a label", "t.yaml", okTable + "  - {code: \"2\", label: 二, aliases: [一]}\n", "is also the label"},
		{"missing source", "t.yaml", strings.Replace(okTable, "source: test\n", "", 1), "missing source"},
		{"missing version", "t.yaml", strings.Replace(okTable, "version: \"1\"\n", "", 1), "missing version"},
		{"no entries", "t.yaml", strings.Split(okTable, "entries:")[0], "no entries"},
		{"empty label", "t.yaml", okTable + "  - {code: \"2\", label: \"\"}\n", "empty code or label"},
		{"missing parent", "t.yaml", okTable + "  - {code: \"2\", label: 二, parent: \"9\"}\n", `parent "9" is not in the table`},
		{"parent cycle", "t.yaml", okTable + "  - {code: \"2\", label: 二, parent: \"3\"}\n  - {code: \"3\", label: 三, parent: \"2\"}\n", "cycle"},
		{"own parent", "t.yaml", okTable + "  - {code: \"2\", label: 二, parent: \"2\"}\n", "cycle"},
		{"current under deprecated", "t.yaml", okTable + "  - {code: \"2\", label: 二, deprecated: true}\n  - {code: \"3\", label: 三, parent: \"2\"}\n", "is deprecated"},
		{"name mismatch", "u.yaml", okTable, "does not match the file name"},
		{"unknown field", "t.yaml", okTable + "  - {code: \"2\", label: 二, colour: red}\n", "colour"},
		{"unknown entries_from", "t.yaml", strings.Split(okTable, "entries:")[0] + "entries_from: nope\n", `unknown table "nope"`},
		{"two documents", "t.yaml", okTable + "---\n" + okTable, "more than one YAML document"},
		{"not YAML", "t.yaml", "name: [", "t.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := codetable.LoadFS(fstest.MapFS{tc.file: {Data: []byte(tc.body)}})
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("LoadFS error = %v, want one containing %q", err, tc.errHas)
			}
		})
	}
	if _, err := codetable.LoadFS(fstest.MapFS{}); err == nil {
		t.Error("LoadFS of an empty FS succeeded")
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"t.yaml": {Data: []byte(okTable + "  - {code: \"2\", label: 二, parent: \"1\", inferred: true, note: why}\n  - {code: \"3\", label: 二, deprecated: true}\n")},
		"u.yaml": {Data: []byte("name: u\nlabel_zh: 乙\nversion: \"2\"\nsource: same as t\nentries_from: t\n")},
	}
	s, err := codetable.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"t", "u"}, s.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	u, _ := s.Table("u")
	if u.From != "t" || len(u.Entries) != 3 || !u.Inferred("2") || u.Inferred("1") {
		t.Errorf("u = %+v", u)
	}
	if e, ok := u.ByLabel("二"); !ok || e.Code != "2" {
		t.Errorf("ByLabel(二) = %+v, %v; want the current entry", e, ok)
	}
	if diff := cmp.Diff([]codetable.Entry{{Code: "2", Label: "二", Parent: "1"}}, u.Children("1")); diff != "" {
		t.Errorf("Children(1) (-want +got):\n%s", diff)
	}
	v1 := s.Version()
	fsys["t.yaml"].Data = append(fsys["t.yaml"].Data, []byte("  - {code: \"4\", label: 四}\n")...)
	s2, err := codetable.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Version() == v1 {
		t.Error("Version did not change with the data")
	}
}

func TestMustLoadPanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "invalid embedded data") {
			t.Errorf("recover() = %v, want a panic about invalid embedded data", r)
		}
	}()
	codetable.MustLoad(func() (*codetable.Set, error) {
		return codetable.LoadFS(fstest.MapFS{"t.yaml": {Data: []byte("name: t\n")}})
	})
	t.Error("MustLoad returned")
}
