// Package demo is the synthetic demonstration data of the ledger: persons,
// units, employment spells, contributions, grades and benefits whose record
// tables reproduce, with the clock at 2022-05-10, every table of the 2022
// user manual's 4.4, 4.6, 4.9, 4.25, 4.26, 5.1 and 5.5 row for row, plus the
// retirement figures of 4.22 and 5.3 and a retiree and a survivor with
// benefits. Names, ID numbers and credit codes are invented; ID numbers
// carry valid GB 11643 check characters and Heilongjiang region prefixes,
// credit codes valid GB 32100 check characters (computed with
// shared/checks, not typed).
//
// SeedIfEmpty writes the data once: batches of at most
// table.MaxTransactItems written with ledger.Store.Sync (so a rerun after a
// crash writes only what is missing), the last together with the marker
// item LEDGER#META / SEED#demo-v4.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
)

// MarkerName is the SK of the seed marker. Bump it when the demo data
// changes: a ledger holding only older demo seeds is brought up to date.
const MarkerName = "SEED#demo-v4"

// demoMarker is the prefix of every demo seed marker.
const demoMarker = "SEED#demo-"

// Person numbers (人员编号) of the demo persons, by what they demonstrate.
const (
	PersonRefund     = "2309000101" // 4.4 个人退费
	PersonBaseDiff   = "2303000201" // 4.6 职工缴费基数调整补缴
	PersonRateDiff   = "2303000301" // 4.9 职工缴费比例调整补缴
	PersonFlexible   = "2309000401" // 4.25 / 4.26 灵活就业人员应缴核定(撤销)
	PersonBackPay    = "2309000501" // 5.1 职工个人补缴
	PersonArrears    = "2309000601" // 5.5 职工欠费清欠
	PersonRetiring   = "2308000701" // 4.22 退休资格行政改批 (192 paid months, 87 early)
	PersonRetiring53 = "2309000801" // 5.3 离退休申请 (60 paid months, 97 early)
	PersonRetiree    = "2309000901" // a retiree with a benefit
	PersonSurvivor   = "2309001001" // a survivor dependant with a benefit
	PersonDeceased   = "2309001101" // the deceased insured person of PersonSurvivor
	PersonFlexPaused = "2309001201" // 4.17 灵活就业人员续保: flexible employment suspended since 202203
)

// Unit numbers (单位编号) of the demo units.
const (
	UnitMachinery    = "2309900101" // 4.4
	UnitInvestment   = "2309900201" // 4.6, 4.9
	UnitSelfEmployed = "2309990001" // 4.25, 4.26: the pseudo-unit of flexible employment
	UnitLogistics    = "2309900401" // 5.1
	UnitTrading      = "2309900501" // 5.5, 5.3
	UnitIndustrial   = "2309900601" // 4.22
)

const (
	poolingArea      = "230999" // the portal's pooling area 七台河 (not a GB/T 2260 code)
	statusInsured    = ledger.PersonPaying
	statusSuspended  = ledger.PersonSuspended
	statusTerminated = "终止参保"
	benefitPaying    = "正常发放"
	formUnlimited    = "订立无固定期限劳动合同"
	formOther        = "其他情形"
	formFlexible     = "灵活就业"
	reasonNewInsured = "人员新参保"
	bankICBC         = "中国工商银行"
	bankABC          = "中国农业银行"
	relationIDPrefix = "23099"
	insuredEmployee  = ledger.InsuredEmployee
	insuredFlexible  = ledger.InsuredFlexible
)

// IDNumber returns a GB 11643 ID number: region (6 digits), birth date
// (YYYYMMDD), sequence (3 digits, odd for men) and the check character.
func IDNumber(region, birth, seq string) string {
	first := region + birth + seq
	return first + string(checks.IDCheckChar(first))
}

// CreditCode returns a GB 32100 unified social credit code: registration
// authority and type ("91" = 工商 企业, "92" = 个体工商户), region (6 digits),
// an 8-character organisation code with its GB 11714 check character, and
// the check character.
func CreditCode(authority, region, org8 string) string {
	first := authority + region + org8 + string(checks.OrgCodeCheckChar(org8))
	return first + string(checks.CreditCodeCheckChar(first))
}

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }
func date(s string) calc.Date    { return calc.MustDate(s) }

// rates are the rates of one demo row by part, "" for an unknown part.
type rates [calc.NumParts]string

func newRates(unit, unitAcct, personal, personalAcct string) rates {
	return rates{calc.Unit: unit, calc.UnitToAccount: unitAcct, calc.Personal: personal, calc.PersonalToAccount: personalAcct}
}

// employeeRates are the rates the demo's regular rows were paid at. They
// agree with refdata where refdata has the period (../shared/spec/calculations.md §4) and
// fill the years it leaves open with the provincial 20%/22% unit rates.
func employeeRates(p calc.YearMonth) rates {
	switch {
	case p.Before(ym("201307")):
		return newRates("0.22", "0", "0.08", "0.08")
	case p.Before(ym("201905")):
		return newRates("0.20", "0", "0.08", "0.08")
	case p.Before(ym("202002")):
		return newRates("0.16", "0", "0.08", "0.08")
	case p.Before(ym("202101")):
		return newRates("0", "0", "0.08", "0.08") // COVID-19 unit exemption
	default:
		return newRates("0.16", "0", "0.08", "0.08")
	}
}

// row builds a contribution row whose amounts are base × rate, rounded
// half-up to cents (../shared/spec/calculations.md §1).
func row(person, unit, period string, kind ledger.Kind, status ledger.Status, insured, base string, r rates) ledger.Contribution {
	b := ledger.MustFen(base)
	c := ledger.Contribution{PersonNumber: person, UnitNumber: unit, Period: ym(period), Kind: kind,
		Insured: insured, Status: status, Base: b}
	for k, s := range r {
		if s == "" {
			continue
		}
		rate := ledger.Rate(s)
		amt, err := ledger.FenOf(calc.MonthlyAmount(b.Decimal(), rate.Decimal))
		if err != nil {
			panic(err)
		}
		c.Parts[k] = ledger.Part{Rate: rate, Amount: amt}
	}
	return c
}

// recorded builds a row with amounts as the core system recorded them
// (4.4's 1996 rows follow an early rule that is not reproduced: the unit
// amount of 199601 is 21.95 on a base of 66.67).
func recorded(person, unit, period, base string, unitAmt, unitAcct, personal, personalAcct string) ledger.Contribution {
	return ledger.Contribution{
		PersonNumber: person, UnitNumber: unit, Period: ym(period), Kind: ledger.KindRegular,
		Insured: insuredEmployee, Status: ledger.StatusPaid, Base: ledger.MustFen(base),
		Parts: [calc.NumParts]ledger.Part{
			calc.Unit:              {Rate: ledger.Rate("0.17"), Amount: ledger.MustFen(unitAmt)},
			calc.UnitToAccount:     {Amount: ledger.MustFen(unitAcct)},
			calc.Personal:          {Rate: ledger.Rate("0.03"), Amount: ledger.MustFen(personal)},
			calc.PersonalToAccount: {Rate: ledger.Rate("0.03"), Amount: ledger.MustFen(personalAcct)},
		},
		PaidDate: date(period[:4] + "-" + period[4:] + "-25"),
	}
}

// paidMonths returns regular paid rows from..to at base(year).
func paidMonths(person, unit, from, to string, base func(calc.YearMonth) string) []ledger.Contribution {
	var out []ledger.Contribution
	for p := ym(from); !p.After(ym(to)); p = p.AddMonths(1) {
		c := row(person, unit, p.String(), ledger.KindRegular, ledger.StatusPaid, insuredEmployee, base(p), employeeRates(p))
		c.PaidDate = calc.Date{Year: p.Year, Month: p.Month, Day: 25}
		out = append(out, c)
	}
	return out
}

func byYear(bases map[int]string) func(calc.YearMonth) string {
	return func(p calc.YearMonth) string { return bases[p.Year] }
}

// Units returns the demo units.
func Units() []ledger.Unit {
	return []ledger.Unit{
		{Number: UnitMachinery, CreditCode: CreditCode("91", "230902", "MA1AB3C7"), Name: "七台河市宏达机械制造有限公司", Type: "企业", PoolingArea: poolingArea},
		{Number: UnitInvestment, CreditCode: CreditCode("91", "230903", "MA1BC4D8"), Name: "黑龙江龙晟投资管理有限公司", Type: "企业", PoolingArea: poolingArea},
		{Number: UnitSelfEmployed, Name: "七台河市个体工商户", Type: "个体工商户", PoolingArea: poolingArea},
		{Number: UnitLogistics, CreditCode: CreditCode("91", "230904", "MA1CD5E9"), Name: "哈尔滨龙江物流有限公司七台河分公司", Type: "企业", PoolingArea: poolingArea},
		{Number: UnitTrading, CreditCode: CreditCode("91", "230902", "MA1DE6F0"), Name: "七台河市鑫源商贸有限公司", Type: "企业", PoolingArea: poolingArea},
		{Number: UnitIndustrial, CreditCode: CreditCode("91", "230921", "MA1EF7G1"), Name: "七台河市恒泰实业有限公司", Type: "企业", PoolingArea: poolingArea},
	}
}

// Persons returns the demo persons.
func Persons() []ledger.Person {
	return []ledger.Person{
		{Number: PersonRefund, IDNumber: IDNumber("230903", "19720314", "022"), Name: "刘桂芳", Gender: calc.Female,
			BirthDate: date("1972-03-14"), Identity: calc.Cadre, InsuredType: insuredEmployee, Status: statusInsured,
			FirstInsured: ym("199601"), WorkStart: date("1995-12-20"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonBaseDiff, IDNumber: IDNumber("230103", "19850722", "153"), Name: "孙志强", Gender: calc.Male,
			BirthDate: date("1985-07-22"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: statusInsured,
			FirstInsured: ym("201701"), WorkStart: date("2017-01-03"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonRateDiff, IDNumber: IDNumber("230103", "19901105", "064"), Name: "孙丽娜", Gender: calc.Female,
			BirthDate: date("1990-11-05"), Identity: calc.Cadre, InsuredType: insuredEmployee, Status: statusInsured,
			FirstInsured: ym("201701"), WorkStart: date("2017-01-09"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonFlexible, IDNumber: IDNumber("230904", "19750819", "042"), Name: "赵淑华", Gender: calc.Female,
			BirthDate: date("1975-08-19"), Identity: calc.Worker, InsuredType: insuredFlexible, Status: statusInsured,
			FirstInsured: ym("202201"), WorkStart: date("1994-07-01"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonBackPay, IDNumber: IDNumber("230108", "19780211", "035"), Name: "高建国", Gender: calc.Male,
			BirthDate: date("1978-02-11"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: statusSuspended,
			FirstInsured: ym("201304"), WorkStart: date("2013-04-01"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonArrears, IDNumber: IDNumber("230902", "19720630", "017"), Name: "陈立新", Gender: calc.Male,
			BirthDate: date("1972-06-30"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: statusInsured,
			FirstInsured: ym("199601"), WorkStart: date("1995-09-01"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonRetiring, IDNumber: IDNumber("230827", "19690518", "003"), Name: "魏长海", Gender: calc.Male,
			BirthDate: date("1969-05-18"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: statusInsured,
			FirstInsured: ym("200601"), WorkStart: date("2005-12-19"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonRetiring53, IDNumber: IDNumber("230903", "19700310", "051"), Name: "周宏伟", Gender: calc.Male,
			BirthDate: date("1970-03-10"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: statusInsured,
			FirstInsured: ym("201701"), WorkStart: date("2017-01-23"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonRetiree, IDNumber: IDNumber("230902", "19650402", "026"), Name: "李淑珍", Gender: calc.Female,
			BirthDate: date("1965-04-02"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: "离退休",
			FirstInsured: ym("199201"), WorkStart: date("1983-08-15"), Account: ledger.Account{Reason: reasonNewInsured},
			Retired: date("2015-04-02")}, // at 50, a female worker: the benefit starts the month after
		{Number: PersonSurvivor, IDNumber: IDNumber("230902", "19500912", "048"), Name: "张秀英", Gender: calc.Female,
			BirthDate: date("1950-09-12"), Identity: calc.Worker, InsuredType: "遗属供养人员", Status: "遗属待遇领取"},
		{Number: PersonDeceased, IDNumber: IDNumber("230902", "19480105", "013"), Name: "张德福", Gender: calc.Male,
			BirthDate: date("1948-01-05"), Identity: calc.Worker, InsuredType: insuredEmployee, Status: statusTerminated,
			FirstInsured: ym("199201"), WorkStart: date("1968-03-01"), Account: ledger.Account{Reason: reasonNewInsured}},
		{Number: PersonFlexPaused, IDNumber: IDNumber("230903", "19791023", "057"), Name: "王海涛", Gender: calc.Male,
			BirthDate: date("1979-10-23"), Identity: calc.Worker, InsuredType: insuredFlexible, Status: statusSuspended,
			FirstInsured: ym("202101"), WorkStart: date("1998-09-01"), Account: ledger.Account{Reason: reasonNewInsured}},
	}
}

// Spells returns the demo employment spells.
func Spells() []ledger.Spell {
	rel := func(n string) string { return relationIDPrefix + n }
	return []ledger.Spell{
		{PersonNumber: PersonRefund, UnitNumber: UnitMachinery, From: ym("199601"), To: ym("199606"), RelationID: rel("00000101"), EmploymentForm: formOther},
		{PersonNumber: PersonRefund, UnitNumber: UnitMachinery, From: ym("202001"), RelationID: rel("00000102"), EmploymentForm: formUnlimited},
		{PersonNumber: PersonBaseDiff, UnitNumber: UnitInvestment, From: ym("201701"), RelationID: rel("00000201"), EmploymentForm: formUnlimited},
		{PersonNumber: PersonRateDiff, UnitNumber: UnitInvestment, From: ym("201701"), RelationID: rel("00000301"), EmploymentForm: formUnlimited},
		{PersonNumber: PersonFlexible, UnitNumber: UnitSelfEmployed, From: ym("202201"), RelationID: rel("00000401"), EmploymentForm: formFlexible},
		{PersonNumber: PersonBackPay, UnitNumber: UnitLogistics, From: ym("201304"), To: ym("202112"), RelationID: rel("00000501"), EmploymentForm: formUnlimited},
		{PersonNumber: PersonArrears, UnitNumber: UnitTrading, From: ym("199601"), RelationID: rel("00000601"), EmploymentForm: formOther},
		{PersonNumber: PersonRetiring, UnitNumber: UnitIndustrial, From: ym("200601"), RelationID: rel("00000701"), EmploymentForm: formUnlimited},
		{PersonNumber: PersonRetiring53, UnitNumber: UnitTrading, From: ym("201701"), RelationID: rel("00000801"), EmploymentForm: formOther},
		{PersonNumber: PersonRetiree, UnitNumber: UnitMachinery, From: ym("199201"), To: ym("201504"), RelationID: rel("00000901"), EmploymentForm: formOther},
		{PersonNumber: PersonDeceased, UnitNumber: UnitMachinery, From: ym("199201"), To: ym("200801"), RelationID: rel("00001101"), EmploymentForm: formOther},
		{PersonNumber: PersonFlexPaused, UnitNumber: UnitSelfEmployed, From: ym("202101"), To: ym("202202"), RelationID: rel("00001201"), EmploymentForm: formFlexible},
	}
}

// Contributions returns the demo contribution ledger.
func Contributions() []ledger.Contribution {
	var out []ledger.Contribution
	add := func(cs ...ledger.Contribution) { out = append(out, cs...) }

	// 4.4: the refundable (paid) records, 1996 as recorded, 2020 at the
	// 2020 floor base 2901.00 with the COVID-19 unit exemption from 202002.
	add(recorded(PersonRefund, UnitMachinery, "199601", "66.67", "21.95", "21.95", "2.00", "2.00"))
	for _, p := range []string{"199602", "199603", "199604", "199605", "199606"} {
		add(recorded(PersonRefund, UnitMachinery, p, "247.33", "42.05", "36.41", "7.42", "7.42"))
	}
	add(paidMonths(PersonRefund, UnitMachinery, "202001", "202003", func(calc.YearMonth) string { return "2901.00" })...)

	// 4.6: paid regularly since 201701; the base was later adjusted upwards
	// for 202009..202112, leaving the differences (2800.00, 1683.00) due.
	add(paidMonths(PersonBaseDiff, UnitInvestment, "201701", "202204",
		byYear(map[int]string{2017: "3500.00", 2018: "3800.00", 2019: "4000.00", 2020: "2901.00", 2021: "4317.00", 2022: "6000.00"}))...)
	for p := ym("202009"); !p.After(ym("202112")); p = p.AddMonths(1) {
		base := "1683.00"
		if p.Year == 2020 {
			base = "2800.00"
		}
		add(row(PersonBaseDiff, UnitInvestment, p.String(), ledger.KindBaseAdjustment, ledger.StatusUnpaid, insuredEmployee, base, employeeRates(p)))
	}

	// 4.9: 202103 was paid with a unit rate of 8% instead of 16% on 8000.00;
	// the 8% difference is due.
	for _, c := range paidMonths(PersonRateDiff, UnitInvestment, "201701", "202204",
		byYear(map[int]string{2017: "5000.00", 2018: "5500.00", 2019: "6000.00", 2020: "7000.00", 2021: "8000.00", 2022: "8000.00"})) {
		if c.Period == ym("202103") {
			c = row(c.PersonNumber, c.UnitNumber, "202103", ledger.KindRegular, ledger.StatusPaid, insuredEmployee, "8000.00", newRates("0.08", "0", "0.08", "0.08"))
			c.PaidDate = date("2021-03-25")
		}
		add(c)
	}
	add(row(PersonRateDiff, UnitInvestment, "202103", ledger.KindRateAdjustment, ledger.StatusUnpaid, insuredEmployee, "8000.00", newRates("0.08", "0", "0", "0")))

	// 4.25/4.26: flexible employment since 202201 at the 60% grade (3519.00):
	// 202201..202204 assessed and unpaid (revocable, 4.26); 4.25 offers
	// 202205..202212 from the grade.
	for p := ym("202201"); !p.After(ym("202204")); p = p.AddMonths(1) {
		add(row(PersonFlexible, UnitSelfEmployed, p.String(), ledger.KindFlexible, ledger.StatusAssessed, insuredFlexible, "3519.00", newRates("0", "0", "0.20", "0.08")))
	}

	// 5.1: employed 201304..202112; only 201305..201308 were paid. The base
	// 4538.00 was declared afterwards (5.14) for 201304 and 201309..201312,
	// which are now open for back-payment.
	add(paidMonths(PersonBackPay, UnitLogistics, "201305", "201308", func(calc.YearMonth) string { return "4538.00" })...)
	for _, p := range []string{"201304", "201309", "201310", "201311", "201312"} {
		r := newRates("0.20", "0", "0.08", "0.08")
		if p == "201304" {
			r[calc.Unit] = "0.22"
		}
		add(row(PersonBackPay, UnitLogistics, p, ledger.KindBackPayment, ledger.StatusUnpaid, insuredEmployee, "4538.00", r))
	}

	// 5.5: 2022 at 3519.00; 202202 declared but unpaid (arrears).
	add(paidMonths(PersonArrears, UnitTrading, "202201", "202201", func(calc.YearMonth) string { return "3519.00" })...)
	add(row(PersonArrears, UnitTrading, "202202", ledger.KindRegular, ledger.StatusUnpaid, insuredEmployee, "3519.00", employeeRates(ym("202202"))))
	add(paidMonths(PersonArrears, UnitTrading, "202203", "202204", func(calc.YearMonth) string { return "3519.00" })...)

	// 4.22: 200601..202112 paid = 192 months (实际缴费月数 192).
	add(paidMonths(PersonRetiring, UnitIndustrial, "200601", "202112", func(p calc.YearMonth) string {
		return ledger.Fen(120000 + 20000*int64(p.Year-2006)).String() // 1200.00 in 2006, +200.00 a year
	})...)

	// 5.3: 201701..202112 paid = 60 months (实际缴费月数 60).
	add(paidMonths(PersonRetiring53, UnitTrading, "201701", "202112", byYear(map[int]string{
		2017: "3000.00", 2018: "3200.00", 2019: "3400.00", 2020: "2901.00", 2021: "3519.00"}))...)
	return out
}

// Grades returns the demo contribution grades.
func Grades() []ledger.Grade {
	return []ledger.Grade{
		{PersonNumber: PersonFlexible, Year: 2022, Ratio: decimal.RequireFromString("0.60"), Base: ledger.MustFen("3519.00")},
	}
}

// Benefits returns the demo benefits.
func Benefits() []ledger.Benefit {
	return []ledger.Benefit{
		{PersonNumber: PersonRetiree, Kind: ledger.BenefitRetiree, Status: benefitPaying, Monthly: ledger.MustFen("2856.30"),
			Start: ym("201505"), Payment: ledger.PaymentAccount{BankName: bankICBC, AccountName: "李淑珍", AccountNumber: "6212263500001234567"}},
		{PersonNumber: PersonSurvivor, Kind: ledger.BenefitSurvivor, Ref: PersonDeceased, Status: benefitPaying, Monthly: ledger.MustFen("980.00"),
			Start: ym("202103"), Payment: ledger.PaymentAccount{BankName: bankABC, AccountName: "张秀英", AccountNumber: "6228480010000012345"}},
	}
}

// Records returns every demo record, units and persons first.
func Records() []ledger.Record {
	var out []ledger.Record
	for _, u := range Units() {
		out = append(out, u)
	}
	for _, p := range Persons() {
		out = append(out, p)
	}
	for _, s := range Spells() {
		out = append(out, s)
	}
	for _, g := range Grades() {
		out = append(out, g)
	}
	for _, b := range Benefits() {
		out = append(out, b)
	}
	for _, c := range Contributions() {
		out = append(out, c)
	}
	return out
}

// SeedIfEmpty writes the demo data into an empty ledger and reports whether
// it did. The ledger counts as not empty once it holds the marker of this
// demo version or of an import (finished or started); a ledger holding only
// an older demo seed gets the current demo written over it. It is safe to
// rerun, also after a crash in the middle: every batch is written with
// Sync, and the marker goes in the same transaction as the last batch, so a
// crashed seed has no marker yet and the rerun completes it. The ID-number
// index gets ledger.DefaultIDHashKey (local runs, tests); where
// HRSS_ID_HASH_KEY is set, use Seed with a store made WithIDHashKey.
func SeedIfEmpty(ctx context.Context, store table.Store, clk clock.Clock) (seeded bool, err error) {
	return Seed(ctx, ledger.NewStore(store, clk))
}

// Seed is SeedIfEmpty on a configured ledger store (with its ID-hash key).
func Seed(ctx context.Context, ls *ledger.Store) (seeded bool, err error) {
	markers, err := ls.Markers(ctx)
	if err != nil {
		return false, err
	}
	for _, m := range markers {
		if sk := m.String(table.AttrSK); sk == MarkerName || !strings.HasPrefix(sk, demoMarker) {
			return false, nil // seeded with this version, or holding imported data
		}
	}
	recs := Records()
	const batch = table.MaxTransactItems - 1 // room for the marker
	now := ls.Clock().Now()
	for len(recs) > 0 {
		n := min(len(recs), batch)
		var extra []table.Op
		if n == len(recs) {
			k := ledger.MarkerKey(MarkerName)
			extra = append(extra, table.Put(table.Item{
				table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "marker",
				"Records": int64(len(Records())), "At": now.Format("2006-01-02T15:04:05Z07:00"),
			}, table.IfAbsent()))
		}
		if _, err := ls.Sync(ctx, recs[:n], extra...); err != nil {
			var tx *table.TxCanceledError
			if len(extra) > 0 && errors.As(err, &tx) && tx.Key == ledger.MarkerKey(MarkerName) {
				return false, nil // seeded concurrently
			}
			return false, fmt.Errorf("demo: seed: %w", err)
		}
		recs = recs[n:]
	}
	return true, nil
}
