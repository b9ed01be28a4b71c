package enterpriseapi_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/functions/enterprise-registration/enterpriseapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

// newLedger is a ledger on a table file of the test, holding recs.
func newLedger(t *testing.T, recs ...ledger.Record) *ledger.Store {
	t.Helper()
	clk := clock.Frozen(may10)
	tbl, err := boltstore.Open(filepath.Join(t.TempDir(), "table.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tbl.Close() })
	st := ledger.NewStore(tbl, clk)
	if _, err := st.Put(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	return st
}

// creditCode is a valid 统一社会信用代码 with organisation code org8.
func creditCode(org8 string) string {
	first := "91230902" + org8 + string(checks.OrgCodeCheckChar(org8))
	return first + string(checks.CreditCodeCheckChar(first))
}

// apply computes business's effect for unit (nil: an unregistered
// applicant) and fields, and writes it as ApplyDecision does.
func apply(t *testing.T, st *ledger.Store, business string, unit *ledger.Unit, fields map[string]string) (application.Effect, error) {
	t.Helper()
	e, err := effect(t, st, business, unit, fields)
	if err != nil {
		return e, err
	}
	return e, st.Write(t.Context(), e.Changes)
}

func effect(t *testing.T, st *ledger.Store, business string, unit *ledger.Unit, fields map[string]string) (application.Effect, error) {
	t.Helper()
	b, ok := catalog.Default().Business(business)
	if !ok {
		t.Fatalf("no business %s", business)
	}
	in := application.EffectInput{Business: b, App: &application.Application{ID: "A1", Business: business},
		Snapshot: application.Snapshot{Round: 1, Fields: fields}, Records: application.Records{Unit: unit},
		Store: st, Today: calc.DateOf(may10), Now: may10}
	return enterpriseapi.Plugin.Effects[business](context.Background(), in)
}

// cannot fails unless err is CannotApply with a cause containing want.
func cannot(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), application.ErrCannot) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want CannotApply with %q", err, want)
	}
}

func enrolForm(code, region string) map[string]string {
	return map[string]string{"uscc": code, "unitName": "七台河市新创科技有限公司", "unitType": "10", "regionCode": region,
		"affiliation": "10", "legalRepName": "钱志刚"}
}

func TestEveryBusinessHasAnEffect(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		if b.Family == enterpriseapi.Family && enterpriseapi.Plugin.Effects[b.ID] == nil {
			t.Errorf("%s %s has no effect", b.Section, b.ID)
		}
	}
}

func TestUnitEnrol(t *testing.T) {
	taken := ledger.Unit{Number: "2309800002", Name: "已有单位", CreditCode: creditCode("MA1AAAA1"), PoolingArea: "230999"}
	st := newLedger(t, taken)
	ctx := t.Context()

	t.Run("numbers", func(t *testing.T) {
		for i, want := range []string{"2309800001", "2309800003"} {
			code := creditCode([]string{"MA1BBBB1", "MA1BBBB2"}[i])
			e, err := apply(t, st, "unit-enrol", nil, enrolForm(code, "230903"))
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.UnitByCreditCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if u.Number != want || u.Type != "企业" || u.PoolingArea != "230999" || u.Status != ledger.UnitActive ||
				u.Info["legalRepName"] != "钱志刚" || u.Info["regionCode"] != "230903" {
				t.Errorf("unit %+v, want number %s", u, want)
			}
			if !strings.Contains(e.Summary, want) {
				t.Errorf("summary %q", e.Summary)
			}
		}
	})
	t.Run("outside a city's pooling area", func(t *testing.T) {
		code := creditCode("MA1BBBB3")
		if _, err := apply(t, st, "unit-enrol", nil, enrolForm(code, "110101")); err != nil {
			t.Fatal(err)
		}
		if u, err := st.UnitByCreditCode(ctx, code); err != nil || u.Number != "2399800001" || u.PoolingArea != application.ProvinceArea {
			t.Errorf("unit %+v, %v", u, err)
		}
	})
	t.Run("credit code registered", func(t *testing.T) {
		_, err := effect(t, st, "unit-enrol", nil, enrolForm(taken.CreditCode, "230903"))
		cannot(t, err, "2309800002")
	})
	t.Run("applicant registered", func(t *testing.T) {
		_, err := effect(t, st, "unit-enrol", &taken, enrolForm(creditCode("MA1BBBB4"), "230903"))
		cannot(t, err, "无需重复")
	})
	t.Run("two at once", func(t *testing.T) {
		a, err := effect(t, st, "unit-enrol", nil, enrolForm(creditCode("MA1CCCC1"), "230903"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := effect(t, st, "unit-enrol", nil, enrolForm(creditCode("MA1CCCC2"), "230903"))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Write(ctx, a.Changes); err != nil {
			t.Fatal(err)
		}
		var tx *table.TxCanceledError
		if err := st.Write(ctx, b.Changes); !errors.As(err, &tx) && !errors.Is(err, ledger.ErrChanged) {
			t.Errorf("second write: %v, want it refused (computed again)", err)
		}
	})
}

func TestUnitMaintenance(t *testing.T) {
	mine := ledger.Unit{Number: "2309900101", Name: "七台河市宏达机械制造有限公司", CreditCode: creditCode("MA1AB3C7"), Type: "企业",
		PoolingArea: "230999", Info: map[string]string{"taxNumber": "T1"}}
	other := ledger.Unit{Number: "2309900201", Name: "黑龙江龙晟投资管理有限公司", CreditCode: creditCode("MA1BC4D8"), PoolingArea: "230999"}
	employee := ledger.Spell{PersonNumber: "2309000101", UnitNumber: mine.Number, From: calc.MustYearMonth("202001")}
	person := ledger.Person{Number: "2309000101", IDNumber: "230903197203140221", Name: "刘桂芳"}

	tests := []struct {
		name     string
		business string
		fields   map[string]string
		want     func(t *testing.T, u ledger.Unit, e application.Effect)
		cannot   string
	}{{
		name: "5.7 general information", business: "unit-general-info-maintenance",
		fields: map[string]string{"unitName": "别的名称", "uscc": other.CreditCode, "unitType": "30", "affiliation": "10",
			"taxNumber": "T1", "legalRepIdNumber": person.IDNumber},
		want: func(t *testing.T, u ledger.Unit, e application.Effect) {
			if u.Name != mine.Name || u.CreditCode != mine.CreditCode || u.Type != "事业单位" || u.Info["affiliation"] != "10" ||
				u.Info["legalRepIdNumber"] != person.IDNumber {
				t.Errorf("unit %+v", u)
			}
			if len(e.History) != 3 || e.History[0].Old != "企业" || e.History[0].New != "事业单位" || e.History[2].New != checks.MaskID(person.IDNumber) {
				t.Errorf("history %+v", e.History)
			}
			if !strings.HasPrefix(e.Summary, "已变更单位一般信息3项：单位类型、") {
				t.Errorf("summary %q", e.Summary)
			}
		},
	}, {
		name: "5.8 key information", business: "unit-key-info-maintenance",
		fields: map[string]string{"unitName": "七台河市宏达重工有限公司", "uscc": creditCode("MA1YYYY1"), "legalRepName": "王五"},
		want: func(t *testing.T, u ledger.Unit, e application.Effect) {
			if u.Name != "七台河市宏达重工有限公司" || u.CreditCode != creditCode("MA1YYYY1") || u.Info["legalRepName"] != "王五" {
				t.Errorf("unit %+v", u)
			}
		},
	}, {
		name: "5.8 another unit's credit code", business: "unit-key-info-maintenance",
		fields: map[string]string{"unitName": mine.Name, "uscc": other.CreditCode}, cannot: other.Number,
	}, {
		name: "5.4 nothing changed", business: "unit-insurance-info-change",
		fields: map[string]string{"unitName": "x", "uscc": other.CreditCode, "unitType": "10", "unitInsuredStatus": "1"},
		want: func(t *testing.T, u ledger.Unit, e application.Effect) {
			if len(e.Put) != 0 || !strings.Contains(e.Summary, "未作变更") {
				t.Errorf("effect %+v", e)
			}
		},
	}, {
		name: "5.4 terminated with an employee", business: "unit-insurance-info-change",
		fields: map[string]string{"unitType": "10", "unitInsuredStatus": "4"}, cannot: "仍有1名",
	}, {
		name: "5.10 with an employee", business: "unit-deregister", fields: map[string]string{"unitName": mine.Name}, cannot: "仍有1名",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newLedger(t, mine, other, person, employee)
			u, err := st.Unit(t.Context(), mine.Number)
			if err != nil {
				t.Fatal(err)
			}
			e, err := apply(t, st, tc.business, &u, tc.fields)
			if tc.cannot != "" {
				cannot(t, err, tc.cannot)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u, err = st.Unit(t.Context(), mine.Number); err != nil {
				t.Fatal(err)
			}
			tc.want(t, u, e)
		})
	}
}

// Two units taking the same new credit code at once: the second write is
// refused by the claim (the ledger's index alone would take both).
func TestCreditCodeClaim(t *testing.T) {
	a := ledger.Unit{Number: "2309900101", Name: "甲", CreditCode: creditCode("MA1AB3C7"), PoolingArea: "230999"}
	b := ledger.Unit{Number: "2309900201", Name: "乙", CreditCode: creditCode("MA1BC4D8"), PoolingArea: "230999"}
	st := newLedger(t, a, b)
	code := creditCode("MA1DDDD1")
	var effects []application.Effect
	for _, n := range []string{a.Number, b.Number} {
		u, err := st.Unit(t.Context(), n)
		if err != nil {
			t.Fatal(err)
		}
		e, err := effect(t, st, "unit-key-info-maintenance", &u, map[string]string{"unitName": u.Name, "uscc": code})
		if err != nil {
			t.Fatal(err)
		}
		effects = append(effects, e)
	}
	if err := st.Write(t.Context(), effects[0].Changes); err != nil {
		t.Fatal(err)
	}
	var tx *table.TxCanceledError
	if err := st.Write(t.Context(), effects[1].Changes); !errors.As(err, &tx) {
		t.Errorf("second write: %v, want the claim to refuse it", err)
	}
	// Computed again, the second is CannotApply.
	_, err := effect(t, st, "unit-key-info-maintenance", &b, map[string]string{"unitName": b.Name, "uscc": code})
	cannot(t, err, a.Number)
	// Once the first unit moves on, the code can be taken.
	a2, _ := st.Unit(t.Context(), a.Number)
	if _, err := apply(t, st, "unit-key-info-maintenance", &a2, map[string]string{"unitName": a.Name, "uscc": creditCode("MA1DDDD2")}); err != nil {
		t.Fatal(err)
	}
	b2, _ := st.Unit(t.Context(), b.Number)
	if _, err := apply(t, st, "unit-key-info-maintenance", &b2, map[string]string{"unitName": b.Name, "uscc": code}); err != nil {
		t.Errorf("taking a released code: %v", err)
	}
}

func TestUnitDeregister(t *testing.T) {
	u := ledger.Unit{Number: "2309900401", Name: "哈尔滨龙江物流有限公司七台河分公司", PoolingArea: "230999"}
	left := ledger.Spell{PersonNumber: "2309000501", UnitNumber: u.Number, From: calc.MustYearMonth("201304"), To: calc.MustYearMonth("202112")}
	st := newLedger(t, u, ledger.Person{Number: "2309000501", IDNumber: "230108197802110351", Name: "高建国"}, left)
	got, _ := st.Unit(t.Context(), u.Number)
	if _, err := apply(t, st, "unit-deregister", &got, map[string]string{"unitName": u.Name}); err != nil {
		t.Fatal(err)
	}
	got, _ = st.Unit(t.Context(), u.Number)
	if got.Status != ledger.UnitDeregistered {
		t.Errorf("status %q", got.Status)
	}
	_, err := effect(t, st, "unit-general-info-maintenance", &got, map[string]string{"unitType": "30"})
	cannot(t, err, "已注销")
}
