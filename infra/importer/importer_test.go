package importer_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/importer"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

const unitsCSV = `单位编号,统一社会信用代码,单位名称,单位类型,统筹区
2309900001,91350100M000100Y43,七台河市测试有限公司,企业,230999
2309900002,91350100M000100Y44,校验位错误有限公司,企业,230999
2309900003,,无代码个体户,个体工商户,23099
`

func personsCSV() string {
	return "人员编号,社会保障号,姓名,性别,个人身份,首次参保年月\n" +
		"2309000001," + demo.IDNumber("230103", "19800101", "011") + ",甲,男,工人,200001\n" +
		"2309000002,110105491231002,乙,,干部,199001\n" + // 15 digits: upgraded to 11010519491231002X (female)
		"2309000003," + demo.IDNumber("230103", "19800101", "011") + ",丙,男,工人,200001\n" + // same ID as line 2
		"2309000004,230103198001010120,丁,女,工人,200001\n" + // bad check character
		"2309000005," + demo.IDNumber("230827", "19690518", "024") + ",戊,女,工人,200001\n" + // 17th digit 4: female
		"2309000006," + demo.IDNumber("230827", "19690518", "035") + ",己,女,工人,200001\n" // 17th digit 5: male, says 女
}

const contributionsCSV = `personNumber,unitNumber,period,kind,status,base,unitRate,personalRate,personalToAccountRate,paidDate
2309000001,2309900001,202101,regular,paid,3519.00,0.16,0.08,0.08,2021-01-25
2309000001,2309900001,202102,,已缴,3519,0.16,0.08,0.08,
2309000001,2309900001,202013,regular,paid,3519.00,0.16,0.08,0.08,
2309000001,2309900001,202103,regular,paid,-1,0.16,0.08,0.08,
2309000001,2309900001,202104,regular,paid,3519.00,1.6,0.08,0.08,
2309009999,2309900001,202105,regular,paid,3519.00,0.16,0.08,0.08,
2309000001,2309900001,202101,regular,paid,3519.00,0.16,0.08,0.08,
2309000001,2309900001,202106,regular,,3519.00,0.16,0.08,0.08,
2309000001,2309900001,202202,regular,unpaid,3519.00,0.16,0.08,0.08,
`

func newStore(t *testing.T, st table.Store) *ledger.Store {
	t.Helper()
	return ledger.NewStore(st, clock.Frozen(day))
}

// refData loads the reference data in force from the ledger's table.
func refData(t *testing.T, ls *ledger.Store) (*refdata.Set, error) {
	t.Helper()
	return refstore.New(ls.Table(), ls.Clock(), refstore.WithTTL(0)).Load(t.Context())
}

func run(t *testing.T, ls *ledger.Store, kind importer.Kind, name, content string) importer.Report {
	t.Helper()
	rep, err := importer.Import(t.Context(), ls, strings.NewReader(content), importer.Options{Kind: kind, Name: name})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// message returns the message of the first rejection of line n.
func message(rs []importer.Rejection, n int) string {
	for _, r := range rs {
		if r.Line == n {
			return r.Message
		}
	}
	return ""
}

func lines(rs []importer.Rejection) map[int]string {
	out := map[int]string{}
	for _, r := range rs {
		out[r.Line] += r.Field + ";"
	}
	return out
}

func TestImportLedger(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ls := newStore(t, st)
		rep := run(t, ls, importer.Units, "units.csv", unitsCSV)
		if diff := cmp.Diff(map[int]string{3: "creditCode;", 4: "poolingArea;"}, lines(rep.Rejected)); diff != "" {
			t.Errorf("units rejections (-want +got):\n%s\n%v", diff, rep.Rejected)
		}
		if m := message(rep.Rejected, 3); m != "统一社会信用代码校验位不正确，请核对后重新输入" {
			t.Errorf("credit code rejection: %q, want shared/checks' message", m)
		}
		if rep.Accepted != 1 || rep.Written.Created != 1 {
			t.Errorf("units: %+v", rep)
		}

		rep = run(t, ls, importer.Persons, "persons.csv", personsCSV())
		if diff := cmp.Diff(map[int]string{4: "idNumber;", 5: "idNumber;", 7: "gender;"}, lines(rep.Rejected)); diff != "" {
			t.Errorf("persons rejections (-want +got):\n%s\n%v", diff, rep.Rejected)
		}
		if m := message(rep.Rejected, 5); m != "公民身份号码校验位不正确，请核对后重新输入" {
			t.Errorf("ID number rejection: %q, want shared/checks' message", m)
		}
		p, err := ls.PersonByIDNumber(t.Context(), "11010519491231002X")
		if err != nil || p.Number != "2309000002" || p.Gender != calc.Female || p.BirthDate != calc.MustDate("1949-12-31") || p.Identity != calc.Cadre {
			t.Errorf("upgraded 15-digit person: %+v, %v", p, err)
		}

		rep = run(t, ls, importer.Contributions, "contributions.csv", contributionsCSV)
		want := map[int]string{4: "period;", 5: "base;", 6: "unitRate;", 7: "personNumber;", 8: ";", 9: "status;"}
		if diff := cmp.Diff(want, lines(rep.Rejected)); diff != "" {
			t.Errorf("contribution rejections (-want +got):\n%s\n%v", diff, rep.Rejected)
		}
		if rep.Rows != 9 || rep.Accepted != 3 || rep.RejectedRows != 6 || rep.Written.Created != 3 {
			t.Errorf("contributions: %+v", rep)
		}
		for _, r := range rep.Rejected {
			if r.Message == "" || !strings.HasPrefix(r.String(), fmt.Sprintf("第%d行", r.Line)) {
				t.Errorf("rejection %+v has no Chinese message", r)
			}
		}
		rows, err := ls.Contributions(t.Context(), "2309000001", calc.YearMonth{}, calc.YearMonth{})
		if err != nil || len(rows) != 3 {
			t.Fatalf("rows: %d, %v", len(rows), err)
		}
		// Amounts default to base × rate; 202102's "3519" and 已缴 are accepted.
		if r := rows[1]; r.Period.String() != "202102" || r.Status != ledger.StatusPaid || r.Parts[calc.Unit].Amount != ledger.MustFen("563.04") ||
			r.Parts[calc.Personal].Amount != ledger.MustFen("281.52") || r.Parts[calc.UnitToAccount].Rate.Valid {
			t.Errorf("202102: %+v", r)
		}

		again := run(t, ls, importer.Contributions, "contributions.csv", contributionsCSV)
		if again.Written != (table.SyncResult{Unchanged: 3}) || again.Digest != rep.Digest {
			t.Errorf("re-import wrote %+v", again.Written)
		}
	})
}

func seedUnitsAndPersons(t *testing.T, ls *ledger.Store) {
	t.Helper()
	run(t, ls, importer.Units, "units.csv", unitsCSV)
	run(t, ls, importer.Persons, "persons.csv", personsCSV())
}

func TestImportJSONFormats(t *testing.T) {
	ls := newStore(t, storetest.Bolt(t, clock.Frozen(day)))
	seedUnitsAndPersons(t, ls)
	array := `[
  {"personNumber": "2309000001", "unitNumber": "2309900001", "period": 202101, "status": "paid", "base": 3519.00,
   "unitRate": "0.16", "personalRate": 0.08},
  {"personNumber": "2309000001", "unitNumber": "2309900001", "period": "202113", "status": "paid", "base": "1"},
  {"personNumber": "2309000001", "unitNumber": "2309900001", "period": "202102", "status": "paid", "base": {"x": 1}},
  "not an object"
]`
	rep, err := importer.Import(t.Context(), ls, strings.NewReader(array), importer.Options{Kind: importer.Contributions, Name: "c.json"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int]string{4: "period;", 5: ";", 6: ";"}, lines(rep.Rejected)); diff != "" || rep.Accepted != 1 {
		t.Errorf("json rejections (-want +got):\n%s\n%+v", diff, rep)
	}
	jsonl := "{\"personNumber\":\"2309000001\",\"unitNumber\":\"2309900001\",\"period\":\"202103\",\"status\":\"unpaid\",\"base\":\"100.005\"}\n\n" +
		"{\"personNumber\":\"2309000001\",\"unitNumber\":\"2309900001\",\"period\":\"202103\",\"status\":\"unpaid\",\"base\":\"100\"}\n"
	rep, err = importer.Import(t.Context(), ls, strings.NewReader(jsonl), importer.Options{Kind: importer.Contributions, Name: "c.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int]string{1: "base;"}, lines(rep.Rejected)); diff != "" || rep.Accepted != 1 {
		t.Errorf("jsonl rejections (-want +got):\n%s\n%+v", diff, rep)
	}
}

func TestImportRefData(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ls := newStore(t, st)
		csv := "year,rate,status,source\n2025,0.0240,national,人社部 财政部 2025年记账利率\n2026,0.02,,\n2027,2,national,x\n"
		rep := run(t, ls, importer.BookkeepingRates, "rates.csv", csv)
		if diff := cmp.Diff(map[int]string{3: "source;", 4: "rate;"}, lines(rep.Rejected)); diff != "" {
			t.Errorf("rejections (-want +got):\n%s", diff)
		}
		rep, err := importer.Import(t.Context(), ls, strings.NewReader(csv), importer.Options{Kind: importer.BookkeepingRates, Name: "rates.csv", Source: "省厅文件"})
		if err != nil || rep.Accepted != 2 || rep.Written.Created != 1 || rep.Written.Unchanged != 1 {
			t.Errorf("with a default source: %+v, %v", rep, err)
		}
		set, err := refData(t, ls)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := set.Rate(2026); err != nil || !r.Equal(decimal.RequireFromString("0.02")) {
			t.Errorf("2026 = %v, %v", r, err)
		}
		info, _ := set.RateInfo(2026)
		if info.Source != "省厅文件" || info.Status != "provincial" {
			t.Errorf("2026 info: %+v", info)
		}

		rates := "参保身份,开始年月,结束年月,单位比例,个人比例,个人划入个人账户比例,来源\n企业职工,201401,201904,0.20,0.08,0.08,黑人社发〔2014〕1号\nnobody,201401,,0.2,0.08,0.08,x\n"
		rep = run(t, ls, importer.ContributionRates, "crates.csv", rates)
		if diff := cmp.Diff(map[int]string{3: "insured;"}, lines(rep.Rejected)); diff != "" {
			t.Errorf("rejections (-want +got):\n%s", diff)
		}
		set, _ = refData(t, ls)
		got, err := set.ContributionRates(calc.MustYearMonth("201603"), ledger.InsuredEmployee)
		if err != nil || !got.PartRates[calc.Unit].Equal(decimal.RequireFromString("0.2")) || len(got.Unknown) != 1 {
			t.Errorf("201603 rates: %+v, %v", got, err)
		}

		wages := "year,monthly,grades,source\n2021,5500.00,0.60;0.80;1.00,省统计局\n2019,abc,,x\n"
		rep = run(t, ls, importer.AverageWages, "wages.csv", wages)
		if diff := cmp.Diff(map[int]string{3: "monthly;"}, lines(rep.Rejected)); diff != "" {
			t.Errorf("rejections (-want +got):\n%s", diff)
		}
		set, _ = refData(t, ls)
		if gs, err := set.Grades(2021); err != nil || len(gs) != 3 || gs[0].Base.String() != "3300" {
			t.Errorf("2021 grades: %+v, %v", gs, err)
		}
	})
}

func TestImportGradesSpellsBenefits(t *testing.T) {
	ls := newStore(t, storetest.Bolt(t, clock.Frozen(day)))
	seedUnitsAndPersons(t, ls)
	rep := run(t, ls, importer.Spells, "spells.csv", "人员编号,单位编号,开始年月,结束年月,用工形式\n2309000001,2309900001,202001,,其他情形\n2309000001,2309900001,202001,201912,x\n2309000001,2309909999,202001,,x\n")
	if diff := cmp.Diff(map[int]string{3: "to;", 4: "unitNumber;"}, lines(rep.Rejected)); diff != "" {
		t.Errorf("spells (-want +got):\n%s", diff)
	}
	rep = run(t, ls, importer.Grades, "grades.csv", "personNumber,year,grade,base\n"+
		"2309000001,2022,按照社平工资60.0%缴费，月缴费基数3519.00元,\n"+
		"2309000002,2022,70%,\n"+
		"2309000005,2019,0.60,\n"+
		"2309000006,2022,abc,\n")
	if diff := cmp.Diff(map[int]string{4: "grade;", 5: "grade;"}, lines(rep.Rejected)); diff != "" {
		t.Errorf("grades (-want +got):\n%s\n%v", diff, rep.Rejected)
	}
	d, err := ls.Dossier(t.Context(), "2309000002")
	if g, ok := d.Grade(2022); err != nil || !ok || g.Base != ledger.MustFen("4105.50") {
		t.Errorf("70%% of 5865.00: %+v, %v", d.Grades, err)
	}
	rep = run(t, ls, importer.Benefits, "benefits.csv", "personNumber,kind,ref,status,monthly,start,bankName,accountName,accountNumber\n"+
		"2309000001,离退休,,正常发放,3000.00,202206,中国工商银行,甲,6212 2635 0000 1234 567\n"+
		"2309000002,遗属,,正常发放,900,202206,,,\n"+
		"2309000002,survivor,2309000001,正常发放,900,202206,,,12ab\n")
	if diff := cmp.Diff(map[int]string{3: "ref;", 4: "accountNumber;"}, lines(rep.Rejected)); diff != "" {
		t.Errorf("benefits (-want +got):\n%s\n%v", diff, rep.Rejected)
	}
}

// TestImportResumesAfterCrash imports 250 rows, crashing after the first
// transaction of 100, then reruns: the rerun skips the 100 and writes 150.
func TestImportResumesAfterCrash(t *testing.T) {
	clk := clock.Frozen(day)
	st := storetest.Bolt(t, clk)
	seedUnitsAndPersons(t, newStore(t, st))
	var b strings.Builder
	b.WriteString("personNumber,unitNumber,period,status,base,personalRate\n")
	p := calc.MustYearMonth("200101")
	for range 250 {
		fmt.Fprintf(&b, "2309000001,2309900001,%s,paid,2000.00,0.08\n", p)
		p = p.AddMonths(1)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	crash := ledger.NewStore(&storetest.Crashing{Store: st, N: 1}, clk)
	if _, err := importer.ImportFile(t.Context(), crash, path, importer.Options{Kind: importer.Contributions}); !errors.Is(err, storetest.ErrCrash) {
		t.Fatalf("crashing import: %v", err)
	}
	var progress []int
	rep, err := importer.ImportFile(t.Context(), newStore(t, st), path, importer.Options{Kind: importer.Contributions,
		ProgressEvery: 100, Progress: func(p importer.Progress) { progress = append(progress, p.Rows) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != (table.SyncResult{Created: 150, Unchanged: 100}) || rep.Name != "big.csv" {
		t.Errorf("rerun: %+v", rep)
	}
	if diff := cmp.Diff([]int{100, 200, 250}, progress); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	rows, _ := newStore(t, st).Contributions(t.Context(), "2309000001", calc.YearMonth{}, calc.YearMonth{})
	if len(rows) != 250 {
		t.Errorf("%d rows after rerun", len(rows))
	}
}

func TestImportMarkers(t *testing.T) {
	clk := clock.Frozen(day)
	st := storetest.Bolt(t, clk)
	ls := newStore(t, st)
	rep, err := importer.Import(t.Context(), ls, strings.NewReader(unitsCSV), importer.Options{Kind: importer.Units, Name: "units.csv", DryRun: true})
	if err != nil || rep.Accepted != 1 || rep.Written != (table.SyncResult{}) {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	if ms, _ := ls.Markers(t.Context()); len(ms) != 0 {
		t.Fatalf("a dry run wrote %d markers", len(ms))
	}
	run(t, ls, importer.Units, "units.csv", unitsCSV)
	ms, err := ls.Markers(t.Context())
	if err != nil || len(ms) != 1 || ms[0].String("Status") != "done" || ms[0].Int("Accepted") != 1 {
		t.Fatalf("markers: %v, %v", ms, err)
	}
	if ok, err := demo.SeedIfEmpty(t.Context(), st, clk); ok || err != nil {
		t.Errorf("the demo seed must not run over imported data: %v, %v", ok, err)
	}
}

func TestImportFileErrors(t *testing.T) {
	ls := newStore(t, storetest.Bolt(t, clock.Frozen(day)))
	for name, tc := range map[string]struct {
		opt     importer.Options
		content string
		inErr   string
	}{
		"unknown kind":   {importer.Options{Kind: "people", Name: "x.csv"}, "a\n", "unknown kind"},
		"unknown format": {importer.Options{Kind: importer.Units, Name: "x.xlsx"}, "a\n", "format"},
		"empty":          {importer.Options{Kind: importer.Units, Name: "x.csv"}, "", "empty"},
		"gbk":            {importer.Options{Kind: importer.Units, Name: "x.csv"}, "\xb5\xa5\xce\xbb\xb1\xe0\xba\xc5\n1\n", "UTF-8"},
		"json object":    {importer.Options{Kind: importer.Units, Name: "x.json"}, `{"unitNumber":"1"}`, "array"},
		"duplicate col":  {importer.Options{Kind: importer.Units, Name: "x.csv"}, "单位编号,unitNumber\n1,1\n", "twice"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := importer.Import(t.Context(), ls, strings.NewReader(tc.content), tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.inErr) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.inErr)
			}
		})
	}
	rep := run(t, ls, importer.Units, "u.csv", "\ufeff单位编号,单位名称,备注\n2309900009,有BOM的单位,x\n")
	if rep.Accepted != 1 || len(rep.UnknownColumns) != 1 || rep.UnknownColumns[0] != "备注" {
		t.Errorf("BOM / unknown columns: %+v", rep)
	}
	for _, k := range importer.Kinds {
		if len(importer.Columns(k)) == 0 {
			t.Errorf("%s has no columns", k)
		}
	}
}

// TestImportMalformedRows: a CSV row that cannot be parsed (a stray quote,
// even in its first field) or a JSON object naming one column twice is
// rejected with a Chinese message, and the rest of the file is imported.
func TestImportMalformedRows(t *testing.T) {
	ls := newStore(t, storetest.Bolt(t, clock.Frozen(day)))
	for _, tc := range []struct {
		name, content string
		want          map[int]string
	}{
		{"csv stray quote in the first field", "单位编号,单位名称\n23099\"00001,x\n2309900002,正常单位\n", map[int]string{2: "CSV格式错误：非引号字段中含有双引号"}},
		{"csv stray quote in a later field", "单位编号,单位名称\n2309900003,a\"b\n2309900004,正常单位\n", map[int]string{2: "CSV格式错误：非引号字段中含有双引号"}},
		{"csv unterminated quote", "单位编号,单位名称\n2309900005,正常单位\n2309900006,\"a\"b\n", map[int]string{3: "CSV格式错误：引号字段中的引号多余或缺失"}},
		{"jsonl column twice", `{"unitNumber":"2309900007","单位编号":"2309900008","name":"x"}` + "\n" + `{"unitNumber":"2309900009","name":"正常单位"}` + "\n",
			map[int]string{1: "字段unitNumber重复（unitNumber、单位编号）"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "u.csv"
			if strings.HasPrefix(tc.name, "jsonl") {
				name = "u.jsonl"
			}
			rep := run(t, ls, importer.Units, name, tc.content)
			got := map[int]string{}
			for _, r := range rep.Rejected {
				got[r.Line] = r.Message
			}
			if diff := cmp.Diff(tc.want, got); diff != "" || rep.Accepted != 1 || rep.RejectedRows != 1 {
				t.Errorf("rejections (-want +got):\n%s\n%+v", diff, rep)
			}
		})
	}
}

// TestImportRefDataOrder: overlapping contribution-rate corrections apply
// in the order they were imported, across files and within one file, so
// that the rate in force is the one the last row gave.
func TestImportRefDataOrder(t *testing.T) {
	const header = "参保身份,开始年月,结束年月,单位比例,来源\n"
	const later = "企业职工,202306,,0.10,黑人社函〔2023〕1号\n"
	const period = "企业职工,202301,202312,0.15,黑人社函〔2023〕2号\n"
	want := map[string]string{"202212": "0.16", "202301": "0.15", "202309": "0.15", "202312": "0.15", "202401": "0.1"}
	check := func(t *testing.T, ls *ledger.Store) {
		t.Helper()
		set, err := refData(t, ls)
		if err != nil {
			t.Fatal(err)
		}
		for p, w := range want {
			if r, err := set.ContributionRates(calc.MustYearMonth(p), ledger.InsuredEmployee); err != nil || r.PartRates[calc.Unit].String() != w {
				t.Errorf("unit rate %s = %s, %v; want %s", p, r.PartRates[calc.Unit], err, w)
			}
		}
	}
	t.Run("two files", func(t *testing.T) {
		storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
			ls := newStore(t, st)
			for i, content := range []string{header + later, header + period} {
				if rep := run(t, ls, importer.ContributionRates, fmt.Sprintf("rates%d.csv", i), content); rep.Accepted != 1 {
					t.Fatalf("file %d: %+v", i, rep)
				}
			}
			check(t, ls)
		})
	})
	t.Run("one file", func(t *testing.T) {
		storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
			ls := newStore(t, st)
			if rep := run(t, ls, importer.ContributionRates, "rates.csv", header+later+period); rep.Accepted != 2 {
				t.Fatalf("%+v", rep)
			}
			check(t, ls)
			again := run(t, ls, importer.ContributionRates, "rates.csv", header+later+period)
			if again.Written != (table.SyncResult{Unchanged: 2}) {
				t.Errorf("re-import wrote %+v", again.Written)
			}
			check(t, ls)
		})
	})
}

// TestImportRefDataRejectionIsChinese: a reference-data row that refdata
// refuses is rejected with a Chinese message; the English validation
// error is only the rejection's Cause, for logs.
func TestImportRefDataRejectionIsChinese(t *testing.T) {
	ls := newStore(t, storetest.Bolt(t, clock.Frozen(day)))
	// A floor above the ceiling passes the column checks, not refdata's.
	rep := run(t, ls, importer.AverageWages, "w.csv", "year,monthly,floor,ceiling,source\n2023,6000.00,3.5,3.00,省统计局\n")
	if len(rep.Rejected) != 1 || rep.Accepted != 0 {
		t.Fatalf("%+v", rep)
	}
	r := rep.Rejected[0]
	if r.Message != "社平工资数据校验不通过：社平工资应大于0，下限比例应大于0且不大于上限比例，缴费档次应在上下限之间" {
		t.Errorf("message %q", r.Message)
	}
	if strings.ContainsFunc(r.Message+r.String(), func(c rune) bool { return c >= 'a' && c <= 'z' }) {
		t.Errorf("English in the message shown to people: %q", r.String())
	}
	if r.Cause == nil || !strings.Contains(r.Cause.Error(), "floor <= ceiling") {
		t.Errorf("cause %v, want refdata's validation error", r.Cause)
	}
}
