package personalinfoapi_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/functions/personal-info/personalinfoapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/boltstore"
	"github.com/hljhrss/hrss/shared/workflow"
)

const (
	ownID   = "230902197206300171"
	otherID = "23090219500912048X"
)

func person() ledger.Person {
	return ledger.Person{Number: "2309000601", IDNumber: ownID, Name: "陈立新", Gender: calc.Male,
		BirthDate: calc.MustDate("1972-06-30"), Identity: calc.Worker, InsuredType: ledger.InsuredEmployee,
		Status: ledger.PersonPaying, FirstInsured: calc.MustYearMonth("199601"), WorkStart: calc.MustDate("1995-09-01"),
		Info: map[string]string{"ethnicity": "01"}, Version: 4}
}

// store is a ledger holding p and a second person with otherID.
func store(t *testing.T, p ledger.Person) *ledger.Store {
	t.Helper()
	clk := clock.Frozen(time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai))
	tbl, err := boltstore.Open(filepath.Join(t.TempDir(), "table.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tbl.Close() })
	ls := ledger.NewStore(tbl, clk)
	other := ledger.Person{Number: "2309001001", IDNumber: otherID, Name: "张秀英"}
	if _, err := ls.Put(t.Context(), p, other); err != nil {
		t.Fatal(err)
	}
	return ls
}

func run(t *testing.T, business string, p ledger.Person, fields map[string]string, benefits ...ledger.Benefit) (application.Effect, error) {
	t.Helper()
	b, ok := catalog.Default().Business(business)
	if !ok {
		t.Fatalf("no business %s", business)
	}
	in := application.EffectInput{Business: b, App: &application.Application{ID: "A1", Person: p.Number},
		Snapshot: application.Snapshot{Fields: fields}, Store: store(t, p),
		Records: application.Records{Dossier: &ledger.Dossier{Person: p, Benefits: benefits}}, Today: calc.MustDate("2022-05-10")}
	return personalinfoapi.Plugin.Effects[business](t.Context(), in)
}

func cannot(err error) bool {
	var te *workflow.TaskError
	return errors.As(err, &te) && te.Name == application.ErrCannot
}

func TestKeyInfoChange(t *testing.T) {
	fields := map[string]string{"name": "陈利新", "socialSecurityNumber": ownID, "gender": "1", "idNumber": ownID,
		"birthDate": "1972-06-30", "workStartDate": "1995-07-01", "insuredDate": "1996-01-15"}
	e, err := run(t, "personal-key-info-change", person(), fields)
	if err != nil {
		t.Fatal(err)
	}
	want := person()
	want.Name, want.WorkStart = "陈利新", calc.MustDate("1995-07-01")
	want.Info = map[string]string{"ethnicity": "01", "insuredDate": "1996-01-15"}
	if diff := cmp.Diff([]ledger.Record{want}, e.Put); diff != "" {
		t.Errorf("put (-want +got):\n%s", diff)
	}
	wantHist := []application.Change{
		{Record: "个人信息", Field: "name", Old: "陈立新", New: "陈利新"},
		{Record: "个人信息", Field: "workStartDate", Old: "1995-09-01", New: "1995-07-01"},
		{Record: "个人信息", Field: "insuredDate", New: "1996-01-15"},
	}
	if diff := cmp.Diff(wantHist, e.History); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if e.Summary != "已修改个人关键信息：姓名、参加工作日期、个人参保日期。" {
		t.Errorf("summary %q", e.Summary)
	}

	t.Run("an ID number another person holds", func(t *testing.T) {
		f := map[string]string{"name": "陈立新", "gender": "2", "idNumber": otherID, "birthDate": "1950-09-12", "workStartDate": "1995-09-01"}
		if _, err := run(t, "personal-key-info-change", person(), f); !cannot(err) {
			t.Errorf("got %v, want CannotApply", err)
		}
	})
	t.Run("a new ID number", func(t *testing.T) {
		id := "23090219720630011X"
		f := map[string]string{"name": "陈立新", "gender": "1", "idNumber": id, "birthDate": "1972-06-30", "workStartDate": "1995-09-01"}
		e, err := run(t, "personal-key-info-change", person(), f)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Put[0].(ledger.Person); got.IDNumber != id {
			t.Errorf("ID number %s, want %s", got.IDNumber, id)
		}
	})
}

func TestBasicInfoChange(t *testing.T) {
	fields := map[string]string{"name": "陈立新", "idNumber": ownID, "ethnicity": "01", "maritalStatus": "20",
		"personalIdentity": "13", "hukouAddress": "七台河市桃山区", "mobile": "13009998888", "address": "七台河市新兴区", "phone": ""}
	e, err := run(t, "personal-basic-info-change", person(), fields)
	if err != nil {
		t.Fatal(err)
	}
	want := person() // 专业技术人员 is not 工人/干部: Identity stays, the code goes to Info
	want.Info = map[string]string{"ethnicity": "01", "maritalStatus": "20", "personalIdentity": "13",
		"hukouAddress": "七台河市桃山区", "mobile": "13009998888", "address": "七台河市新兴区"}
	if diff := cmp.Diff([]ledger.Record{want}, e.Put); diff != "" {
		t.Errorf("put (-want +got):\n%s", diff)
	}
	if len(e.History) != 5 || e.History[1].Field != "personalIdentity" || e.History[1].Old != "工人" || e.History[1].New != "专业技术人员" {
		t.Errorf("history %+v", e.History)
	}
	if e.Summary != "已修改个人基本信息：婚姻状况、个人身份、户口所在地址等5项。" {
		t.Errorf("summary %q", e.Summary)
	}

	t.Run("back to 工人", func(t *testing.T) {
		p := want
		p.Identity = calc.Cadre
		e, err := run(t, "personal-basic-info-change", p, map[string]string{"personalIdentity": "24", "hukouAddress": "七台河市桃山区", "mobile": "13009998888", "address": "七台河市新兴区"})
		if err != nil {
			t.Fatal(err)
		}
		got := e.Put[0].(ledger.Person)
		if got.Identity != calc.Worker || got.Info["personalIdentity"] != "" {
			t.Errorf("identity %s, info %v", got.Identity, got.Info)
		}
	})
	t.Run("nothing changed", func(t *testing.T) {
		e, err := run(t, "personal-basic-info-change", person(), map[string]string{"ethnicity": "01", "personalIdentity": "24"})
		if err != nil || len(e.Put) != 0 || e.Summary != "个人基本信息与登记信息一致，未作修改。" {
			t.Errorf("got %+v, %v", e, err)
		}
	})
}

func TestAdminDetermination(t *testing.T) {
	fields := map[string]string{"personNumber": "2309000601", "socialSecurityNumber": ownID, "name": "陈立新",
		"insuredDate": "1996-01-01", "firstInsuredYearMonth": "1995-10", "insuranceEndDate": "2022-04-30",
		"workStartDate": "1995-09-01", "pensionDeemedContributionMonths": "36"}
	e, err := run(t, "in-service-admin-determination", person(), fields)
	if err != nil {
		t.Fatal(err)
	}
	want := person()
	want.FirstInsured, want.DeemedMonths = calc.MustYearMonth("199510"), 36
	want.Info = map[string]string{"ethnicity": "01", "insuredDate": "1996-01-01", "insuranceEndDate": "2022-04-30"}
	if diff := cmp.Diff([]ledger.Record{want}, e.Put); diff != "" {
		t.Errorf("put (-want +got):\n%s", diff)
	}
	if e.Summary != "已登记在职人员行政认定结果：个人参保日期、首次参保年月、个人终止参保日期、基本养老保险视同缴费月数，基本养老保险视同缴费月数为36个月。" {
		t.Errorf("summary %q", e.Summary)
	}

	t.Run("a retiree", func(t *testing.T) {
		p := person()
		p.Retired = calc.MustDate("2022-07-01")
		if _, err := run(t, "in-service-admin-determination", p, fields); !cannot(err) {
			t.Errorf("got %v, want CannotApply", err)
		}
	})
	t.Run("another person's number", func(t *testing.T) {
		f := map[string]string{"personNumber": "2309001001", "pensionDeemedContributionMonths": "36"}
		if _, err := run(t, "in-service-admin-determination", person(), f); !cannot(err) {
			t.Errorf("got %v, want CannotApply", err)
		}
	})
}
