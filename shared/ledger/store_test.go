package ledger_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

// fixture is a small ledger: one unit, one person with a spell, three
// contribution rows (one of them a base difference), a grade and a benefit.
func fixture() (ledger.Unit, ledger.Person, []ledger.Record) {
	u := ledger.Unit{Number: "2309900001", CreditCode: "91350100M000100Y43", Name: "七台河市测试有限公司", Type: "企业", PoolingArea: "230999"}
	p := ledger.Person{Number: "2309000001", IDNumber: "11010519491231002X", Name: "测试", Gender: calc.Female,
		BirthDate: calc.MustDate("1949-12-31"), Identity: calc.Worker, InsuredType: ledger.InsuredEmployee, Status: "参保缴费",
		FirstInsured: ym("202001"), Account: ledger.Account{Balance: 123, Reason: "人员新参保"}}
	row := func(period string, kind ledger.Kind, st ledger.Status, base string) ledger.Contribution {
		return ledger.Contribution{PersonNumber: p.Number, UnitNumber: u.Number, Period: ym(period), Kind: kind,
			Insured: ledger.InsuredEmployee, Status: st, Base: ledger.MustFen(base),
			Parts: [calc.NumParts]ledger.Part{
				calc.Unit:              {Rate: ledger.Rate("0.16"), Amount: ledger.MustFen(base) * 16 / 100},
				calc.UnitToAccount:     {Rate: ledger.Rate("0")},
				calc.Personal:          {Rate: ledger.Rate("0.08"), Amount: ledger.MustFen(base) * 8 / 100},
				calc.PersonalToAccount: {Amount: ledger.MustFen(base) * 8 / 100}, // rate unknown
			},
		}
	}
	recs := []ledger.Record{u, p,
		ledger.Spell{PersonNumber: p.Number, UnitNumber: u.Number, From: ym("202001"), RelationID: "2301", EmploymentForm: "其他情形"},
		row("202001", ledger.KindRegular, ledger.StatusPaid, "3000.00"),
		row("202002", ledger.KindRegular, ledger.StatusUnpaid, "3000.00"),
		row("202002", ledger.KindBaseAdjustment, ledger.StatusUnpaid, "500.00"),
		ledger.Grade{PersonNumber: p.Number, Year: 2022, Ratio: decimal.RequireFromString("0.60"), Base: ledger.MustFen("3519.00")},
		ledger.Benefit{PersonNumber: p.Number, Kind: ledger.BenefitRetiree, Status: "正常发放", Monthly: 300000, Start: ym("202206"),
			Payment: ledger.PaymentAccount{BankName: "中国工商银行", AccountName: "测试", AccountNumber: "6212263500001234567"}},
	}
	return u, p, recs
}

func TestSyncIsIdempotent(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		ls := ledger.NewStore(st, clock.Frozen(day))
		_, p, recs := fixture()
		res, err := ls.Sync(ctx, recs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(table.SyncResult{Created: len(recs)}, res); diff != "" {
			t.Errorf("first sync (-want +got):\n%s", diff)
		}
		res, err = ls.Sync(ctx, recs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(table.SyncResult{Unchanged: len(recs)}, res); diff != "" {
			t.Errorf("second sync (-want +got):\n%s", diff)
		}
		p.Status = "暂停缴费"
		res, err = ls.Sync(ctx, []ledger.Record{p})
		if err != nil || res.Updated != 1 {
			t.Fatalf("update: %+v, %v", res, err)
		}
		got, err := ls.Person(ctx, p.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Status != "暂停缴费" {
			t.Errorf("after update: version %d status %s", got.Version, got.Status)
		}
	})
}

func TestSyncRefusesBadBatches(t *testing.T) {
	ls := ledger.NewStore(storetest.Bolt(t, clock.Frozen(day)), clock.Frozen(day))
	_, p, _ := fixture()
	if _, err := ls.Sync(t.Context(), []ledger.Record{p, p}); err == nil {
		t.Error("a key twice in one batch must fail")
	}
	many := make([]ledger.Record, table.MaxTransactItems+1)
	for i := range many {
		q := p
		q.Number = p.Number + string(rune('A'+i%26)) + string(rune('A'+i/26))
		many[i] = q
	}
	if _, err := ls.Sync(t.Context(), many); !errors.Is(err, table.ErrTooMany) {
		t.Errorf("101 records: %v", err)
	}
	for _, bad := range []ledger.Record{
		ledger.Person{Number: "1#2", IDNumber: "x", Name: "y"},
		ledger.Person{Number: "1", Name: "y"},
		ledger.Unit{Number: "", Name: "x"},
		ledger.Spell{PersonNumber: "1", UnitNumber: "2", From: ym("202002"), To: ym("202001")},
		ledger.Contribution{PersonNumber: "1", UnitNumber: "2", Period: ym("202001"), Kind: "other", Status: ledger.StatusPaid},
		ledger.Contribution{PersonNumber: "1", UnitNumber: "2", Period: ym("202001"), Kind: ledger.KindRegular, Status: "lost"},
		ledger.Grade{PersonNumber: "1", Year: 2022},
		ledger.Benefit{PersonNumber: "1", Kind: ledger.BenefitSurvivor},
	} {
		if _, err := ls.Sync(t.Context(), []ledger.Record{bad}); err == nil {
			t.Errorf("Sync(%#v) succeeded", bad)
		}
	}
}

// racingStore changes an item between Sync's read and its write once.
type racingStore struct {
	table.Store
	raced bool
}

func (r *racingStore) TransactWrite(ctx context.Context, ops []table.Op) error {
	if !r.raced {
		r.raced = true
		it, err := r.Store.Get(ctx, ops[0].Key)
		if err == nil {
			it["Name"] = "并发修改"
			it[table.AttrVersion] = it.Int(table.AttrVersion) + 1
			if err := r.Store.Put(ctx, it, table.Cond{}); err != nil {
				return err
			}
		}
	}
	return r.Store.TransactWrite(ctx, ops)
}

func TestSyncRetriesAfterAConcurrentWrite(t *testing.T) {
	clk := clock.Frozen(day)
	st := storetest.Bolt(t, clk)
	_, p, _ := fixture()
	if _, err := ledger.NewStore(st, clk).Sync(t.Context(), []ledger.Record{p}); err != nil {
		t.Fatal(err)
	}
	p.Status = "暂停缴费"
	ls := ledger.NewStore(&racingStore{Store: st}, clk)
	if _, err := ls.Sync(t.Context(), []ledger.Record{p}); err != nil {
		t.Fatal(err)
	}
	got, _ := ls.Person(t.Context(), p.Number)
	if got.Name != p.Name || got.Status != "暂停缴费" || got.Version != 3 {
		t.Errorf("after retry: %+v", got)
	}
}

func TestReads(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		clk := clock.Frozen(day)
		ls := ledger.NewStore(st, clk)
		u, p, recs := fixture()
		if _, err := ls.Put(ctx, recs...); err != nil {
			t.Fatal(err)
		}
		p.Version = 1
		got, err := ls.Person(ctx, p.Number)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("Person (-want +got):\n%s", diff)
		}
		byID, err := ls.PersonByIDNumber(ctx, "11010519491231002x")
		if err != nil || byID.Number != p.Number {
			t.Errorf("PersonByIDNumber = %v, %v", byID.Number, err)
		}
		if _, err := ls.PersonByIDNumber(ctx, "110105194912310038"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("unknown id: %v", err)
		}
		if _, err := ls.Person(ctx, "0000"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("unknown person: %v", err)
		}
		gu, err := ls.Unit(ctx, u.Number)
		u.Version = 1
		if err != nil || !cmp.Equal(u, gu) {
			t.Errorf("Unit = %+v, %v", gu, err)
		}
		if gu, err := ls.UnitByCreditCode(ctx, u.CreditCode); err != nil || gu.Number != u.Number {
			t.Errorf("UnitByCreditCode = %+v, %v", gu, err)
		}
		if _, err := ls.Unit(ctx, "x"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("unknown unit: %v", err)
		}

		d, err := ls.Dossier(ctx, p.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Spells) != 1 || len(d.Contributions) != 3 || len(d.Grades) != 1 || len(d.Benefits) != 1 {
			t.Fatalf("dossier: %d spells %d rows %d grades %d benefits", len(d.Spells), len(d.Contributions), len(d.Grades), len(d.Benefits))
		}
		c := d.Contributions[1]
		if c.Kind != ledger.KindBaseAdjustment || c.Base != 50000 || c.Parts[calc.Unit].Amount != 8000 || c.Parts[calc.PersonalToAccount].Rate.Valid || !c.Parts[calc.UnitToAccount].Rate.Valid {
			t.Errorf("row round trip: %+v", c)
		}
		if _, err := ls.Dossier(ctx, "0000"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("unknown dossier: %v", err)
		}

		rows, err := ls.Contributions(ctx, p.Number, ym("202002"), ym("202002"))
		if err != nil || len(rows) != 2 {
			t.Errorf("Contributions(202002) = %d rows, %v", len(rows), err)
		}
		rows, err = ls.Contributions(ctx, p.Number, calc.YearMonth{}, ym("202001"))
		if err != nil || len(rows) != 1 {
			t.Errorf("Contributions(..202001) = %d rows, %v", len(rows), err)
		}
		staff, err := ls.UnitStaff(ctx, u.Number)
		if err != nil || len(staff) != 1 || staff[0].PersonNumber != p.Number {
			t.Errorf("UnitStaff = %+v, %v", staff, err)
		}
		urows, err := ls.UnitContributions(ctx, u.Number, ym("202002"), calc.YearMonth{})
		if err != nil || len(urows) != 2 {
			t.Errorf("UnitContributions = %d, %v", len(urows), err)
		}
	})
}

// TestNoIdentifierInKeys checks that no key or index value holds the ID
// number or the bank account: the ID number is found through its HMAC.
func TestNoIdentifierInKeys(t *testing.T) {
	clk := clock.Frozen(day)
	st := storetest.Bolt(t, clk)
	ls := ledger.NewStore(st, clk, ledger.WithIDHashKey([]byte("test-key")))
	_, p, recs := fixture()
	if _, err := ls.Put(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	it, err := st.Get(t.Context(), ledger.PersonKey(p.Number))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{table.AttrPK, table.AttrSK, table.AttrGSI1PK, table.AttrGSI1SK, table.AttrGSI2PK, table.AttrGSI2SK} {
		if v := it.String(a); strings.Contains(v, p.IDNumber) || strings.Contains(v, "19491231") {
			t.Errorf("%s = %q holds the ID number", a, v)
		}
	}
	if _, err := ledger.NewStore(st, clk).PersonByIDNumber(t.Context(), p.IDNumber); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("a store with another key must not find the person: %v", err)
	}
	if got, err := ls.PersonByIDNumber(t.Context(), p.IDNumber); err != nil || got.Number != p.Number {
		t.Errorf("PersonByIDNumber = %v, %v", got.Number, err)
	}
}

// TestDecodeErrorsNameNoIdentifier: an item that does not decode gives an
// error naming the item type and attribute, never the key or the value
// (the error reaches the 5xx log).
func TestDecodeErrorsNameNoIdentifier(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		ls := ledger.NewStore(st, clock.Frozen(day))
		_, p, recs := fixture()
		if _, err := ls.Sync(ctx, recs); err != nil {
			t.Fatal(err)
		}
		corrupt := func(k table.Key, attr, value string) {
			it, err := st.Get(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			it[attr] = value
			if err := st.Put(ctx, it, table.Cond{}); err != nil {
				t.Fatal(err)
			}
		}
		corrupt(ledger.PersonKey(p.Number), "BirthDate", "1949-13-31")
		corrupt(ledger.ContributionKey(p.Number, ym("202001"), "2309900001", ledger.KindRegular), "URate", "0.1x6")
		corrupt(ledger.GradeKey(p.Number, 2022), "Ratio", "0.6o")
		check := func(what string, err error, want string) {
			t.Helper()
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want it to mention %q", what, err, want)
				return
			}
			for _, secret := range []string{p.Number, "2309900001", "1949-13-31", "0.1x6", "0.6o", "202001", "2022"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s: %q contains %q", what, err, secret)
				}
			}
		}
		_, err := ls.Person(ctx, p.Number)
		check("person", err, "person item: BirthDate")
		_, err = ls.Contributions(ctx, p.Number, calc.YearMonth{}, calc.YearMonth{})
		check("contribution", err, "contribution item: URate")
		corrupt(ledger.PersonKey(p.Number), "BirthDate", "1949-12-31")
		_, err = ls.Dossier(ctx, p.Number)
		if err == nil || (!strings.Contains(err.Error(), "grade item: Ratio") && !strings.Contains(err.Error(), "contribution item: URate")) {
			t.Errorf("dossier: %v", err)
		}
		check("dossier", err, "item: ")
		// A record that cannot be encoded names no identifier either.
		_, err = ls.Sync(ctx, []ledger.Record{ledger.Person{Number: p.Number, IDNumber: p.IDNumber}})
		check("encode", err, "person: ")
	})
}

// TestWrite: a decision's changes apply under the versions they were read
// with, all or nothing; the new attributes and records round-trip.
func TestWrite(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		ls := ledger.NewStore(st, clock.Frozen(day))
		u, p, recs := fixture()
		if _, err := ls.Put(ctx, recs...); err != nil {
			t.Fatal(err)
		}
		d, err := ls.Dossier(ctx, p.Number)
		if err != nil {
			t.Fatal(err)
		}
		person := d.Person
		person.Status, person.StatusFrom, person.Info = ledger.PersonSuspended, ym("202206"), map[string]string{"phone": "13900000000"}
		row := d.Contributions[1]
		row.PaymentRef, row.Payable = "HL20220510-ABCDEF", 12345
		pay := ledger.Payment{PersonNumber: p.Number, Ref: "HL20220510-ABCDEF", Kind: "离退休待遇补发", Amount: 600000,
			Periods: []string{"202201", "202202"}, Status: ledger.PaymentDue, Application: "A1", Created: calc.MustDate("2022-05-10")}
		wages := ledger.WageDeclaration{UnitNumber: u.Number, Year: 2022, Rows: []ledger.WageRow{{PersonNumber: p.Number, Name: "测试", Wage: 500000}}, Application: "A2"}
		marker := table.Put(table.Item{table.AttrPK: "X", table.AttrSK: "Y"}, table.IfAbsent())
		err = ls.Write(ctx, ledger.Changes{Put: []ledger.Record{person, row, pay, wages}, Delete: []ledger.Record{d.Contributions[2]}, Extra: []table.Op{marker}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ls.Dossier(ctx, p.Number)
		if err != nil {
			t.Fatal(err)
		}
		person.Version, pay.Version = 2, 1
		if diff := cmp.Diff(person, got.Person); diff != "" {
			t.Errorf("person (-want +got):\n%s", diff)
		}
		if len(got.Payments) != 1 || !cmp.Equal(pay, got.Payments[0]) {
			t.Errorf("payments = %+v", got.Payments)
		}
		if len(got.Contributions) != 2 || got.Contributions[1].PaymentRef != row.PaymentRef || got.Contributions[1].Payable != 12345 {
			t.Errorf("rows = %+v", got.Contributions)
		}
		w, err := ls.Wages(ctx, u.Number, 2022)
		wages.Version = 1
		if err != nil || !cmp.Equal(wages, w) {
			t.Errorf("Wages = %+v, %v", w, err)
		}
		// Written again from the same reads: the record changed since.
		err = ls.Write(ctx, ledger.Changes{Put: []ledger.Record{d.Person}})
		if !errors.Is(err, ledger.ErrChanged) {
			t.Errorf("stale write: %v, want ErrChanged", err)
		}
		// A failing extra operation fails everything and is not ErrChanged.
		fresh := got.Person
		fresh.Status = ledger.PersonPaying
		err = ls.Write(ctx, ledger.Changes{Put: []ledger.Record{fresh}, Extra: []table.Op{marker}})
		if err == nil || errors.Is(err, ledger.ErrChanged) {
			t.Errorf("failed extra op: %v", err)
		}
		if again, _ := ls.Person(ctx, p.Number); again.Status != ledger.PersonSuspended {
			t.Errorf("half-applied write: status %q", again.Status)
		}
	})
}

// TestNextNumber: a series' next free number skips taken ones; two
// decisions that read the counter at once cannot both write theirs.
func TestNextNumber(t *testing.T) {
	storetest.Each(t, clock.Frozen(day), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		ls := ledger.NewStore(st, clock.Frozen(day))
		u, _, recs := fixture()
		if _, err := ls.Put(ctx, recs...); err != nil {
			t.Fatal(err)
		}
		taken := u
		taken.Number, taken.CreditCode = "2309800001", ""
		if _, err := ls.Put(ctx, taken); err != nil {
			t.Fatal(err)
		}
		n1, op1, ok1, err1 := ls.NextNumber(ctx, ledger.SeriesUnit, "23098")
		n2, op2, ok2, err2 := ls.NextNumber(ctx, ledger.SeriesUnit, "23098")
		if err1 != nil || err2 != nil || !ok1 || !ok2 || n1 != "2309800002" || n2 != n1 {
			t.Fatalf("next numbers %q %q (%v %v %v %v)", n1, n2, ok1, ok2, err1, err2)
		}
		a, b := u, u
		a.Number, a.CreditCode, b.Number, b.CreditCode = n1, "", n2, ""
		if err := ls.Write(ctx, ledger.Changes{Put: []ledger.Record{a}, Extra: []table.Op{op1}}); err != nil {
			t.Fatal(err)
		}
		if err := ls.Write(ctx, ledger.Changes{Put: []ledger.Record{b}, Extra: []table.Op{op2}}); err == nil {
			t.Fatal("two decisions took the same number")
		}
		n3, _, _, err := ls.NextNumber(ctx, ledger.SeriesUnit, "23098")
		if err != nil || n3 != "2309800003" {
			t.Errorf("after the first write: %q %v", n3, err)
		}
		if _, _, _, err := ls.NextNumber(ctx, "X", "23098"); err == nil {
			t.Error("an unknown series was accepted")
		}
	})
}
