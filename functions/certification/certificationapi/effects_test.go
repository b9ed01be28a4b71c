package certificationapi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/functions/certification/certificationapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/storetest"
	"github.com/hljhrss/hrss/shared/workflow"
)

const (
	retiree  = "2309000901"
	survivor = "2309001001"
	deceased = "2309001101"
	unit     = "2309900101"
	other    = "2309900201"
)

const survivorID = "230902195009120483"

// run applies business's effect with fields, by the retiree (4.2) or the
// agent of agentUnit (5.15), on a ledger holding benefits, and returns
// the certified year of each benefit after, by person.
func run(t *testing.T, business, agentUnit string, fields map[string]string, benefits ...ledger.Benefit) (map[string]int, string, error) {
	t.Helper()
	ctx := t.Context()
	clk := clock.Frozen(time.Date(2022, 5, 10, 10, 0, 0, 0, clock.Shanghai))
	st := ledger.NewStore(storetest.Bolt(t, clk), clk)
	recs := []ledger.Record{
		ledger.Person{Number: retiree, IDNumber: "230902196504020261", Name: "李淑珍"},
		ledger.Person{Number: survivor, IDNumber: survivorID, Name: "张秀英"},
		ledger.Person{Number: deceased, IDNumber: "230902194801050135", Name: "张德福"},
		ledger.Spell{PersonNumber: deceased, UnitNumber: unit, From: calc.MustYearMonth("199201"), To: calc.MustYearMonth("200801")},
	}
	for _, b := range benefits {
		recs = append(recs, b)
	}
	if _, err := st.Put(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	b, _ := catalog.Default().Business(business)
	app := &application.Application{ID: "a1", Person: retiree}
	var recsIn application.Records
	if agentUnit != "" {
		app = &application.Application{ID: "a1", Unit: agentUnit}
	} else {
		d, err := st.Dossier(ctx, retiree)
		if err != nil {
			t.Fatal(err)
		}
		recsIn.Dossier = &d
	}
	in := application.EffectInput{Business: b, App: app, Snapshot: application.Snapshot{Fields: fields}, Records: recsIn, Store: st,
		Today: calc.DateOf(clk.Now()), Now: clk.Now()}
	e, err := certificationapi.Plugin.Effects[business](ctx, in)
	if err != nil {
		return nil, "", err
	}
	if err := st.Write(ctx, e.Changes); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, p := range []string{retiree, survivor} {
		d, err := st.Dossier(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range d.Benefits {
			out[p] = b.Certified
		}
	}
	return out, e.Summary, nil
}

func cannot(t *testing.T, err error, want string) {
	t.Helper()
	var te *workflow.TaskError
	if !errors.As(err, &te) || te.Name != application.ErrCannot || !strings.Contains(te.Cause, want) {
		t.Errorf("error %v, want CannotApply saying %q", err, want)
	}
}

func TestRetireeCertification(t *testing.T) {
	pension := ledger.Benefit{PersonNumber: retiree, Kind: ledger.BenefitRetiree, Status: ledger.BenefitPaying, Certified: 2021}
	passed := map[string]string{"year": "2022", "certificationResult": "1"}
	got, summary, err := run(t, "retiree-eligibility-certification", "", passed, pension)
	if err != nil || got[retiree] != 2022 || summary != "已完成2022年度离退休待遇领取资格认证。" {
		t.Errorf("certified %v, %q, %v", got, summary, err)
	}
	pension.Certified = 2022
	if got, summary, err = run(t, "retiree-eligibility-certification", "", passed, pension); err != nil || got[retiree] != 2022 ||
		!strings.Contains(summary, "此前已完成") {
		t.Errorf("again: %v, %q, %v", got, summary, err)
	}
	_, _, err = run(t, "retiree-eligibility-certification", "", map[string]string{"year": "2022", "certificationResult": "2"}, pension)
	cannot(t, err, "认证结果为“死亡”")
	pension.Status = ledger.BenefitTerminated
	_, _, err = run(t, "retiree-eligibility-certification", "", passed, pension)
	cannot(t, err, "已终止发放")
	_, _, err = run(t, "retiree-eligibility-certification", "", passed)
	cannot(t, err, "未找到申请人的离退休待遇记录")
}

func TestSurvivorCertification(t *testing.T) {
	benefit := ledger.Benefit{PersonNumber: survivor, Kind: ledger.BenefitSurvivor, Ref: deceased, Status: ledger.BenefitPaying}
	fields := map[string]string{"year": "2022", "certificationResult": "1", "socialSecurityNumber": survivorID, "name": "张秀英"}
	got, _, err := run(t, "survivor-eligibility-certification", unit, fields, benefit)
	if err != nil || got[survivor] != 2022 {
		t.Errorf("certified %v, %v", got, err)
	}
	_, _, err = run(t, "survivor-eligibility-certification", other, fields, benefit)
	cannot(t, err, "没有本单位已故职工的遗属供养待遇记录")
	fields["name"] = "张秀"
	_, _, err = run(t, "survivor-eligibility-certification", unit, fields, benefit)
	cannot(t, err, "姓名与社会保障号")
}
