package importer_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/infra/importer"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

// imported runs an import that must accept every row and returns what it
// wrote.
func imported(t *testing.T, ls *ledger.Store, kind importer.Kind, name, content string) table.SyncResult {
	t.Helper()
	rep := run(t, ls, kind, name, content)
	if rep.RejectedRows != 0 || rep.Accepted == 0 {
		t.Fatalf("%s: %+v", name, rep)
	}
	return rep.Written
}

// ignoreVersion compares records without their store version.
var ignoreVersion = cmp.Options{
	cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Version" }, cmp.Ignore()),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
}

// TestImportPersonKeepsAbsentColumns: a persons file without the optional
// columns changes only what it gives; an empty cell clears text, resets a
// defaulted value, and keeps amounts and counts.
func TestImportPersonKeepsAbsentColumns(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ls := newStore(t, st)
		ctx := t.Context()
		id := demo.IDNumber("230103", "19800101", "011")
		imported(t, ls, importer.Persons, "full.csv",
			"人员编号,社会保障号,姓名,出生日期,个人身份,参保身份,个人缴费状态,首次参保年月,参加工作日期,账户金额,本金,利息,账户建立原因,视同缴费月数\n"+
				"2309000001,"+id+",甲,1980-02-01,干部,灵活就业人员,参保缴费,200001,1999-07-01,12345.67,10000.00,2345.67,人员新参保,36\n")
		full, err := ls.Person(ctx, "2309000001")
		if err != nil {
			t.Fatal(err)
		}

		// Only the required columns: the name changes, nothing else.
		if w := imported(t, ls, importer.Persons, "min.csv", "人员编号,社会保障号,姓名\n2309000001,"+id+",甲乙\n"); w != (table.SyncResult{Updated: 1}) {
			t.Errorf("minimal file wrote %+v", w)
		}
		got, _ := ls.Person(ctx, "2309000001")
		want := full
		want.Name = "甲乙"
		if diff := cmp.Diff(want, got, ignoreVersion); diff != "" {
			t.Errorf("after a file without optional columns (-want +got):\n%s", diff)
		}
		// Idempotent: the same file again writes nothing.
		if w := imported(t, ls, importer.Persons, "min.csv", "人员编号,社会保障号,姓名\n2309000001,"+id+",甲乙\n"); w != (table.SyncResult{Unchanged: 1}) {
			t.Errorf("re-import wrote %+v", w)
		}
		// JSON: a missing name keeps, null clears text.
		imported(t, ls, importer.Persons, "p.jsonl", `{"personNumber":"2309000001","idNumber":"`+id+`","name":"甲乙","status":null}`+"\n")
		got, _ = ls.Person(ctx, "2309000001")
		want.Status = ""
		if diff := cmp.Diff(want, got, ignoreVersion); diff != "" {
			t.Errorf("after a JSON row with status null (-want +got):\n%s", diff)
		}
		// Empty cells.
		imported(t, ls, importer.Persons, "empty.csv",
			"人员编号,社会保障号,姓名,出生日期,个人身份,参保身份,账户金额,本金,利息,账户建立原因,视同缴费月数\n2309000001,"+id+",甲乙,,,,,,,,\n")
		got, _ = ls.Person(ctx, "2309000001")
		want.BirthDate = calc.MustDate("1980-01-01") // from the ID number
		want.Identity = ""
		want.InsuredType = ledger.InsuredEmployee // the default
		want.Account.Reason = ""
		if diff := cmp.Diff(want, got, ignoreVersion); diff != "" {
			t.Errorf("after empty cells (-want +got):\n%s", diff)
		}
		// Zero is written as 0.
		imported(t, ls, importer.Persons, "zero.csv", "人员编号,社会保障号,姓名,账户金额,视同缴费月数\n2309000001,"+id+",甲乙,0,0\n")
		got, _ = ls.Person(ctx, "2309000001")
		want.Account.Balance, want.DeemedMonths = 0, 0
		if diff := cmp.Diff(want, got, ignoreVersion); diff != "" {
			t.Errorf("after zeros (-want +got):\n%s", diff)
		}
	})
}

// TestImportRecordsKeepAbsentColumns: units, spells, contributions, grades,
// benefits and average wages keep what a later file does not give.
func TestImportRecordsKeepAbsentColumns(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ls := newStore(t, st)
		ctx := t.Context()
		seedUnitsAndPersons(t, ls)
		const p, u = "2309000001", "2309900001"

		imported(t, ls, importer.Units, "u2.csv", "单位编号,单位名称\n"+u+",七台河市测试股份有限公司\n")
		unit, err := ls.UnitByCreditCode(ctx, "91350100M000100Y43")
		if err != nil || unit.Name != "七台河市测试股份有限公司" || unit.Type != "企业" || unit.PoolingArea != "230999" {
			t.Errorf("unit: %+v, %v", unit, err)
		}

		imported(t, ls, importer.Spells, "s1.csv", "人员编号,单位编号,开始年月,结束年月,人员参保关系ID,用工形式\n"+p+","+u+",202001,202112,2301,其他情形\n")
		imported(t, ls, importer.Spells, "s2.csv", "人员编号,单位编号,开始年月,用工形式\n"+p+","+u+",202001,劳务派遣\n")
		d, _ := ls.Dossier(ctx, p)
		if len(d.Spells) != 1 || d.Spells[0].To != calc.MustYearMonth("202112") || d.Spells[0].RelationID != "2301" || d.Spells[0].EmploymentForm != "劳务派遣" {
			t.Errorf("spells: %+v", d.Spells)
		}

		imported(t, ls, importer.Contributions, "c1.csv",
			"personNumber,unitNumber,period,status,base,unitRate,unitAmount,unitInterest,personalRate,personalInterest,paidDate\n"+
				p+","+u+",202101,unpaid,3519.00,0.16,563.05,1.20,0.08,0.60,\n")
		before, _ := ls.Contributions(ctx, p, calc.YearMonth{}, calc.YearMonth{})
		// A payment notice: status and paid date only.
		if w := imported(t, ls, importer.Contributions, "c2.csv", "personNumber,unitNumber,period,status,base,paidDate\n"+
			p+","+u+",202101,paid,3519.00,2022-01-25\n"); w != (table.SyncResult{Updated: 1}) {
			t.Errorf("payment notice wrote %+v", w)
		}
		after, _ := ls.Contributions(ctx, p, calc.YearMonth{}, calc.YearMonth{})
		want := before[0]
		want.Status, want.PaidDate = ledger.StatusPaid, calc.MustDate("2022-01-25")
		if len(after) != 1 {
			t.Fatalf("rows: %+v", after)
		}
		if diff := cmp.Diff(want, after[0], ignoreVersion); diff != "" {
			t.Errorf("after the payment notice (-want +got):\n%s", diff)
		}
		// A new rate without an amount: the amount follows base × rate;
		// the unit amount recorded as 563.05 stays with its unchanged rate.
		imported(t, ls, importer.Contributions, "c3.csv", "personNumber,unitNumber,period,status,base,personalRate\n"+
			p+","+u+",202101,paid,3519.00,0.09\n")
		after, _ = ls.Contributions(ctx, p, calc.YearMonth{}, calc.YearMonth{})
		want.Parts[calc.Personal].Rate, want.Parts[calc.Personal].Amount = ledger.Rate("0.09"), ledger.MustFen("316.71")
		if diff := cmp.Diff(want, after[0], ignoreVersion); diff != "" {
			t.Errorf("after a rate change (-want +got):\n%s", diff)
		}

		imported(t, ls, importer.Grades, "g1.csv", "personNumber,year,grade,base\n"+p+",2022,0.60,3600.00\n")
		imported(t, ls, importer.Grades, "g2.csv", "personNumber,year,grade\n"+p+",2022,0.60\n")
		d, _ = ls.Dossier(ctx, p)
		if g, ok := d.Grade(2022); !ok || g.Base != ledger.MustFen("3600.00") {
			t.Errorf("grade: %+v", d.Grades)
		}

		imported(t, ls, importer.Benefits, "b1.csv", "personNumber,kind,status,monthly,start,bankName,accountName,accountNumber\n"+
			p+",离退休,正常发放,3000.00,202206,中国工商银行,甲,6212263500001234567\n")
		imported(t, ls, importer.Benefits, "b2.csv", "personNumber,kind,monthly\n"+p+",retiree,3100.00\n")
		d, _ = ls.Dossier(ctx, p)
		if len(d.Benefits) != 1 || d.Benefits[0].Monthly != ledger.MustFen("3100.00") || d.Benefits[0].Status != "正常发放" ||
			d.Benefits[0].Start != calc.MustYearMonth("202206") || d.Benefits[0].Payment.AccountNumber != "6212263500001234567" {
			t.Errorf("benefits: %+v", d.Benefits)
		}

		imported(t, ls, importer.AverageWages, "w1.csv", "year,monthly,floor,ceiling,grades,source\n2023,6000.00,0.60,3.00,0.60;0.80,省统计局\n")
		imported(t, ls, importer.AverageWages, "w2.csv", "year,monthly,source\n2023,6100.00,省统计局更正\n")
		set, _ := refData(t, ls)
		if gs, err := set.Grades(2023); err != nil || len(gs) != 2 || gs[1].Base.String() != "4880" {
			t.Errorf("2023 grades: %+v, %v", gs, err)
		}
	})
}
