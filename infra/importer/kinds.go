package importer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
)

// Kind is what a file holds.
type Kind string

// Import kinds: ledger records, then reference data.
const (
	Units             Kind = "units"
	Persons           Kind = "persons"
	Spells            Kind = "spells"
	Contributions     Kind = "contributions"
	Grades            Kind = "grades"
	Benefits          Kind = "benefits"
	BookkeepingRates  Kind = "bookkeeping-rates"
	ContributionRates Kind = "contribution-rates"
	AverageWages      Kind = "average-wages"
)

// Kinds lists the import kinds in the order a full import runs them
// (units and persons before the records that refer to them).
var Kinds = []Kind{BookkeepingRates, ContributionRates, AverageWages, Units, Persons, Spells, Grades, Benefits, Contributions}

// Column is one column of an import kind: its key (the JSON name and CSV
// header), the Chinese headers accepted for it, and what an empty cell
// does (see the package doc: a column the file lacks keeps the stored
// value whatever its rule).
type Column struct {
	Key      string
	Aliases  []string
	Required bool
	Empty    EmptyRule // for optional columns
	Doc      string
}

// EmptyRule is what an empty cell (a JSON null or "") of an optional column
// does to the stored record.
type EmptyRule int

// Empty-cell rules.
const (
	// EmptyClears removes the stored value: the text, date or month is
	// absent, a rate unknown, a period open.
	EmptyClears EmptyRule = iota
	// EmptyKeeps keeps the stored value (amounts and counts, which have no
	// "unknown"): write 0 to zero it.
	EmptyKeeps
	// EmptyDefault sets the column's default again (in Doc).
	EmptyDefault
	// EmptyKey is for a column that is part of the record's key: an empty
	// cell, like a missing column, is the default (in Doc); it never keeps
	// the value of another record.
	EmptyKey
)

// String describes the rule as `hrss-seed kinds` shows it.
func (r EmptyRule) String() string {
	switch r {
	case EmptyClears:
		return "empty clears"
	case EmptyKeeps:
		return "empty keeps the stored value"
	case EmptyDefault:
		return "empty sets the default"
	case EmptyKey:
		return "part of the key; empty is the default"
	}
	return fmt.Sprintf("EmptyRule(%d)", int(r))
}

type columnSet []Column

// key returns the canonical key of a header, "" when unknown.
func (cs columnSet) key(header string) string {
	h := strings.TrimSpace(header)
	for _, c := range cs {
		if strings.EqualFold(h, c.Key) {
			return c.Key
		}
		for _, a := range c.Aliases {
			if h == a {
				return c.Key
			}
		}
	}
	return ""
}

// Columns returns the columns of a kind, or nil for an unknown kind.
func Columns(k Kind) []Column {
	if d, ok := kinds[k]; ok {
		return d.cols
	}
	return nil
}

// parsed is what one row becomes: a ledger record or reference data, with
// the natural key that makes it unique within a file.
type parsed struct {
	rec ledger.Record
	ref refdata.Data
	key string
}

// rowParser converts one row and collects its field errors.
type rowParser struct {
	ctx    context.Context
	im     *importer
	values map[string]string
	errs   []Rejection
	line   int
}

func (p *rowParser) fail(field, msg string) {
	p.errs = append(p.errs, Rejection{Line: p.line, Field: field, Message: msg})
}

func (p *rowParser) str(key string) string { return p.values[key] }

// has reports whether the row has a cell for key: the file has the column
// (a JSON object has the name) and the row reaches it (a CSV row may end
// early).
func (p *rowParser) has(key string) bool { _, ok := p.values[key]; return ok }

// text returns the cell of key, or keep() when the row has none.
func (p *rowParser) text(key string, keep func() string) string {
	if !p.has(key) {
		return keep()
	}
	return p.values[key]
}

// lookup returns a function that reads, once, the record of type T stored
// under k; ok is false when there is none. It reads nothing when valid is
// false (the row's key is incomplete: the row is rejected anyway). A store
// failure stops the import.
func lookup[T ledger.Record](p *rowParser, k table.Key, valid bool) func() (T, bool) {
	var (
		done, ok bool
		v        T
	)
	return func() (T, bool) {
		if done || !valid {
			return v, ok
		}
		done = true
		rec, found, err := p.im.ls.Lookup(p.ctx, k)
		if err != nil {
			p.im.fatal = err
			return v, false
		}
		if found {
			v, ok = rec.(T)
		}
		return v, ok
	}
}

// keepOf adapts a stored record's field to text's keep.
func keepOf[T any](old func() (T, bool), field func(T) string) func() string {
	return func() string { o, _ := old(); return field(o) }
}

// req returns a required value, failing when it is empty.
func (p *rowParser) req(key, label string) string {
	v := p.values[key]
	if v == "" {
		p.fail(key, "缺少"+label)
	}
	return v
}

// code returns a required identifier usable in a key.
func (p *rowParser) code(key, label string) string {
	v := p.req(key, label)
	if v != "" && (strings.ContainsAny(v, "#$") || len(v) > 64 || strings.ContainsFunc(v, func(r rune) bool { return r < ' ' })) {
		p.fail(key, label+"含有不允许的字符或超过64个字符")
		return ""
	}
	return v
}

func (p *rowParser) ym(key, label string, required bool) calc.YearMonth {
	v := p.values[key]
	if v == "" {
		if required {
			p.fail(key, "缺少"+label)
		}
		return calc.YearMonth{}
	}
	ym, err := calc.ParseYearMonth(v)
	if err != nil {
		p.fail(key, label+"格式应为YYYYMM（如202201），月份为01-12")
	}
	return ym
}

func (p *rowParser) date(key, label string) calc.Date {
	v := p.values[key]
	if v == "" {
		return calc.Date{}
	}
	d, err := calc.ParseDate(v)
	if err != nil || !d.Valid() {
		p.fail(key, label+"格式应为YYYY-MM-DD，且为真实日期")
	}
	return d
}

func (p *rowParser) money(key, label string, required bool) (ledger.Fen, bool) {
	v := p.values[key]
	if v == "" {
		if required {
			p.fail(key, "缺少"+label)
		}
		return 0, false
	}
	f, err := ledger.ParseFen(v)
	switch {
	case err != nil:
		p.fail(key, label+"应为金额，最多两位小数（如2800.00）")
	case f < 0:
		p.fail(key, label+"不能为负数")
	}
	return f, err == nil
}

// moneyOr returns the amount in the cell of key, or keep when the cell is
// empty or missing.
func (p *rowParser) moneyOr(key, label string, keep ledger.Fen) ledger.Fen {
	if f, ok := p.money(key, label, false); ok {
		return f
	}
	return keep
}

func (p *rowParser) rate(key, label string) decimal.NullDecimal {
	r, err := ledger.ParseRate(p.values[key])
	if err != nil {
		p.fail(key, label+"应为0到1之间的小数（如0.08）")
	}
	return r
}

func (p *rowParser) integer(key, label string, lo, hi int) (int, bool) {
	v := p.values[key]
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(key, fmt.Sprintf("%s应为%d到%d之间的整数", label, lo, hi))
		return 0, false
	}
	return n, true
}

func (p *rowParser) decimalIn(key, label string, required bool, lo, hi decimal.Decimal) *decimal.Decimal {
	v := p.values[key]
	if v == "" {
		if required {
			p.fail(key, "缺少"+label)
		}
		return nil
	}
	d, err := decimal.NewFromString(v)
	if err != nil || strings.ContainsAny(v, "eE") || d.LessThan(lo) || d.GreaterThan(hi) {
		p.fail(key, fmt.Sprintf("%s应为%s到%s之间的数", label, lo, hi))
		return nil
	}
	return &d
}

// source returns the row's source or the import's default.
func (p *rowParser) source() string {
	if s := p.values["source"]; s != "" {
		return s
	}
	if p.im.opt.Source != "" {
		return p.im.opt.Source
	}
	p.fail("source", "缺少来源（source），参考数据必须注明来源")
	return ""
}

// personExists fails the row when the person is not in the ledger.
func (p *rowParser) personExists(key, number string) {
	if number == "" {
		return
	}
	ok, err := p.im.exists(p.ctx, "P", number, func() error { _, err := p.im.ls.Person(p.ctx, number); return err })
	switch {
	case err != nil:
		p.im.fatal = err
	case !ok:
		p.fail(key, "人员编号不存在，请先导入人员（persons）")
	}
}

// unitExists fails the row when the unit is not in the ledger.
func (p *rowParser) unitExists(key, number string) {
	if number == "" {
		return
	}
	ok, err := p.im.exists(p.ctx, "U", number, func() error { _, err := p.im.ls.Unit(p.ctx, number); return err })
	switch {
	case err != nil:
		p.im.fatal = err
	case !ok:
		p.fail(key, "单位编号不存在，请先导入单位（units）")
	}
}

func isNotFound(err error) bool { return errors.Is(err, apperr.E(apperr.NotFound, "")) }

var (
	zero    = decimal.Zero
	one     = decimal.NewFromInt(1)
	ten     = decimal.NewFromInt(10)
	million = decimal.NewFromInt(1_000_000)
)

// Column docs shared by several columns.
const (
	amountDoc = "default base × rate when the rate is known and the base or rate differs from the stored row's; else the stored amount"
	sourceDoc = "default -source (one of the two must be given); never taken from the stored entry"
)

type kindDef struct {
	cols  columnSet
	parse func(p *rowParser) parsed
}

var kinds = map[Kind]kindDef{
	Units: {columnSet{
		{Key: "unitNumber", Aliases: []string{"单位编号"}, Required: true},
		{Key: "creditCode", Aliases: []string{"统一社会信用代码"}, Doc: "GB 32100, checked"},
		{Key: "name", Aliases: []string{"单位名称"}, Required: true},
		{Key: "type", Aliases: []string{"单位类型"}},
		{Key: "poolingArea", Aliases: []string{"统筹区", "统筹区编码"}, Doc: "6 digits"},
	}, parseUnit},
	Persons: {columnSet{
		{Key: "personNumber", Aliases: []string{"人员编号"}, Required: true},
		{Key: "idNumber", Aliases: []string{"社会保障号", "社会保障号码", "公民身份号码", "身份证号码", "证件号码"}, Required: true, Doc: "GB 11643, checked; 15 digits upgraded"},
		{Key: "name", Aliases: []string{"姓名"}, Required: true},
		{Key: "gender", Aliases: []string{"性别"}, Empty: EmptyDefault, Doc: "男/女, must match the ID number; default from the ID number"},
		{Key: "birthDate", Aliases: []string{"出生日期", "档案出生日期"}, Empty: EmptyDefault,
			Doc: "YYYY-MM-DD; default from the ID number (a missing column keeps a stored date that differs from it)"},
		{Key: "identity", Aliases: []string{"个人身份"}, Doc: "工人/干部"},
		{Key: "insuredType", Aliases: []string{"参保身份"}, Empty: EmptyDefault, Doc: "default 企业职工"},
		{Key: "status", Aliases: []string{"个人缴费状态", "参保状态"}},
		{Key: "firstInsured", Aliases: []string{"首次参保年月"}, Doc: "YYYYMM"},
		{Key: "workStart", Aliases: []string{"参加工作日期"}, Doc: "YYYY-MM-DD"},
		{Key: "accountBalance", Aliases: []string{"账户金额"}, Empty: EmptyKeeps},
		{Key: "accountPrincipal", Aliases: []string{"本金"}, Empty: EmptyKeeps},
		{Key: "accountInterest", Aliases: []string{"利息"}, Empty: EmptyKeeps},
		{Key: "accountReason", Aliases: []string{"账户建立原因"}},
		{Key: "deemedMonths", Aliases: []string{"视同缴费月数"}, Empty: EmptyKeeps},
	}, parsePerson},
	Spells: {columnSet{
		{Key: "personNumber", Aliases: []string{"人员编号"}, Required: true},
		{Key: "unitNumber", Aliases: []string{"单位编号"}, Required: true},
		{Key: "from", Aliases: []string{"开始年月"}, Required: true, Doc: "YYYYMM"},
		{Key: "to", Aliases: []string{"结束年月"}, Doc: "YYYYMM; empty while ongoing"},
		{Key: "relationId", Aliases: []string{"人员参保关系ID"}},
		{Key: "employmentForm", Aliases: []string{"用工形式"}},
	}, parseSpell},
	Contributions: {columnSet{
		{Key: "personNumber", Aliases: []string{"人员编号"}, Required: true},
		{Key: "unitNumber", Aliases: []string{"单位编号"}, Required: true},
		{Key: "period", Aliases: []string{"费款所属期", "对应费款所属期", "对应缴费所属期"}, Required: true, Doc: "YYYYMM"},
		{Key: "kind", Aliases: []string{"类型", "缴费类型"}, Empty: EmptyKey, Doc: "regular (default), back_payment, base_adjustment, rate_adjustment, flexible"},
		{Key: "status", Aliases: []string{"状态", "缴费状态"}, Required: true, Doc: "paid, unpaid, exempt, assessed, refunded (or 已缴, 未缴, 免缴, 已核定, 已退费)"},
		{Key: "insuredType", Aliases: []string{"参保身份"}, Empty: EmptyDefault, Doc: "default 企业职工 (灵活就业人员 for flexible)"},
		{Key: "base", Aliases: []string{"缴费基数"}, Required: true},
		{Key: "unitRate", Aliases: []string{"单位比例"}, Doc: "empty: unknown"},
		{Key: "unitAmount", Aliases: []string{"单位金额"}, Empty: EmptyDefault, Doc: amountDoc},
		{Key: "unitInterest", Aliases: []string{"单位利息"}, Empty: EmptyKeeps},
		{Key: "unitToAccountRate", Aliases: []string{"单位划入个人账户比例"}, Doc: "empty: unknown"},
		{Key: "unitToAccountAmount", Aliases: []string{"单位划入个人账户金额"}, Empty: EmptyDefault, Doc: amountDoc},
		{Key: "unitToAccountInterest", Aliases: []string{"单位划入个人账户利息"}, Empty: EmptyKeeps},
		{Key: "personalRate", Aliases: []string{"个人比例"}, Doc: "empty: unknown"},
		{Key: "personalAmount", Aliases: []string{"个人金额"}, Empty: EmptyDefault, Doc: amountDoc},
		{Key: "personalInterest", Aliases: []string{"个人利息"}, Empty: EmptyKeeps},
		{Key: "personalToAccountRate", Aliases: []string{"个人划入个人账户比例"}, Doc: "empty: unknown"},
		{Key: "personalToAccountAmount", Aliases: []string{"个人划入个人账户金额"}, Empty: EmptyDefault, Doc: amountDoc},
		{Key: "personalToAccountInterest", Aliases: []string{"个人划入个人账户利息"}, Empty: EmptyKeeps},
		{Key: "paidDate", Aliases: []string{"到账日期", "缴费日期"}, Doc: "YYYY-MM-DD"},
	}, parseContribution},
	Grades: {columnSet{
		{Key: "personNumber", Aliases: []string{"人员编号"}, Required: true},
		{Key: "year", Aliases: []string{"年度"}, Required: true},
		{Key: "grade", Aliases: []string{"个人缴费档次", "缴费档次"}, Required: true, Doc: "0.60, 60% or 按照社平工资60.0%缴费，月缴费基数3519.00元"},
		{Key: "base", Aliases: []string{"月缴费基数", "缴费基数"}, Empty: EmptyDefault,
			Doc: "default from the grade label, else the stored base of the same grade, else the year's average wage"},
	}, parseGrade},
	Benefits: {columnSet{
		{Key: "personNumber", Aliases: []string{"人员编号"}, Required: true},
		{Key: "kind", Aliases: []string{"待遇类型"}, Required: true, Doc: "retiree/离退休 or survivor/遗属"},
		{Key: "ref", Aliases: []string{"供养关系人员编号", "死亡人员编号"}, Empty: EmptyKey, Doc: "required for survivors, empty for retirees"},
		{Key: "status", Aliases: []string{"待遇状态"}},
		{Key: "monthly", Aliases: []string{"月待遇金额", "月发放金额"}, Required: true},
		{Key: "start", Aliases: []string{"待遇开始年月"}, Doc: "YYYYMM"},
		{Key: "bankName", Aliases: []string{"银行名称", "银行行别代码"}},
		{Key: "accountName", Aliases: []string{"银行户名"}},
		{Key: "accountNumber", Aliases: []string{"银行账号"}},
	}, parseBenefit},
	BookkeepingRates: {columnSet{
		{Key: "year", Aliases: []string{"年度"}, Required: true},
		{Key: "rate", Aliases: []string{"记账利率"}, Required: true, Doc: "fraction: 0.0669"},
		{Key: "status", Aliases: []string{"口径"}, Empty: EmptyDefault, Doc: "national or provincial (default provincial)"},
		{Key: "source", Aliases: []string{"来源"}, Empty: EmptyDefault, Doc: sourceDoc},
		{Key: "flag", Aliases: []string{"备注"}},
	}, parseBookkeepingRate},
	ContributionRates: {columnSet{
		{Key: "insured", Aliases: []string{"参保身份"}, Required: true, Doc: "employee, flexible or their Chinese labels"},
		{Key: "from", Aliases: []string{"开始年月"}, Required: true},
		{Key: "to", Aliases: []string{"结束年月"}, Doc: "empty: open"},
		{Key: "unit", Aliases: []string{"单位比例"}, Doc: "empty: unknown"},
		{Key: "personal", Aliases: []string{"个人比例"}, Doc: "empty: unknown"},
		{Key: "unitToAccount", Aliases: []string{"单位划入个人账户比例"}, Doc: "empty: unknown"},
		{Key: "personalToAccount", Aliases: []string{"个人划入个人账户比例"}, Doc: "empty: unknown"},
		{Key: "source", Aliases: []string{"来源"}, Empty: EmptyDefault, Doc: sourceDoc},
	}, parseContributionRate},
	AverageWages: {columnSet{
		{Key: "year", Aliases: []string{"年度"}, Required: true},
		{Key: "monthly", Aliases: []string{"社平工资", "月平均工资"}, Required: true},
		{Key: "floor", Aliases: []string{"下限比例"}, Empty: EmptyDefault, Doc: "default 0.60"},
		{Key: "ceiling", Aliases: []string{"上限比例"}, Empty: EmptyDefault, Doc: "default 3.00"},
		{Key: "grades", Aliases: []string{"缴费档次"}, Doc: "ratios separated by ; 、 or |"},
		{Key: "source", Aliases: []string{"来源"}, Empty: EmptyDefault, Doc: sourceDoc},
	}, parseAverageWage},
}

func parseUnit(p *rowParser) parsed {
	u := ledger.Unit{Number: p.code("unitNumber", "单位编号"), Name: p.req("name", "单位名称")}
	old := lookup[ledger.Unit](p, ledger.UnitKey(u.Number), u.Number != "")
	u.Type = p.text("type", keepOf(old, func(o ledger.Unit) string { return o.Type }))
	u.CreditCode = p.text("creditCode", keepOf(old, func(o ledger.Unit) string { return o.CreditCode }))
	if c := p.str("creditCode"); c != "" {
		norm, prob := checks.CreditCode(c)
		if prob != nil {
			p.fail("creditCode", prob.Message)
		}
		u.CreditCode = norm
	}
	u.PoolingArea = p.text("poolingArea", keepOf(old, func(o ledger.Unit) string { return o.PoolingArea }))
	if a := p.str("poolingArea"); a != "" {
		if checks.RegionCodeFormat(a) != nil { // format only: a pooling area (230999) need not be a real division
			p.fail("poolingArea", "统筹区编码应为6位数字")
		}
	}
	return parsed{rec: u, key: u.Number}
}

func parsePerson(p *rowParser) parsed {
	per := ledger.Person{Number: p.code("personNumber", "人员编号"), Name: p.req("name", "姓名")}
	if raw := p.req("idNumber", "社会保障号"); raw != "" {
		id, prob := checks.ResidentID(raw, p.im.now)
		if prob != nil {
			p.fail("idNumber", prob.Message)
		}
		per.IDNumber = id
	}
	per.Gender = ledger.IDGender(per.IDNumber)
	switch g := p.str("gender"); g {
	case "":
	case "男", "1", "male":
		if per.Gender != "" && per.Gender != calc.Male {
			p.fail("gender", "性别与公民身份号码不符")
		}
		per.Gender = calc.Male
	case "女", "2", "female":
		if per.Gender != "" && per.Gender != calc.Female {
			p.fail("gender", "性别与公民身份号码不符")
		}
		per.Gender = calc.Female
	default:
		p.fail("gender", "性别应为男或女")
	}
	// What the row does not give is kept from the stored person.
	old := lookup[ledger.Person](p, ledger.PersonKey(per.Number), per.Number != "")
	keep := func(field func(ledger.Person) string) func() string { return keepOf(old, field) }
	per.BirthDate = ledger.IDBirthDate(per.IDNumber)
	if p.has("birthDate") {
		if b := p.date("birthDate", "出生日期"); !b.IsZero() {
			per.BirthDate = b // 档案出生日期 may differ from the ID number's
		}
	} else if o, ok := old(); ok && !o.BirthDate.IsZero() && o.BirthDate != ledger.IDBirthDate(o.IDNumber) {
		per.BirthDate = o.BirthDate // a recorded 档案出生日期
	}
	switch id := calc.Identity(p.text("identity", keep(func(o ledger.Person) string { return string(o.Identity) }))); id {
	case "", calc.Worker, calc.Cadre:
		per.Identity = id
	default:
		p.fail("identity", "个人身份应为工人或干部")
	}
	per.InsuredType = p.text("insuredType", keep(func(o ledger.Person) string { return o.InsuredType }))
	if per.InsuredType == "" {
		per.InsuredType = ledger.InsuredEmployee
	}
	per.Status = p.text("status", keep(func(o ledger.Person) string { return o.Status }))
	o, _ := old()
	per.FirstInsured, per.WorkStart = o.FirstInsured, o.WorkStart
	if p.has("firstInsured") {
		per.FirstInsured = p.ym("firstInsured", "首次参保年月", false)
	}
	if p.has("workStart") {
		per.WorkStart = p.date("workStart", "参加工作日期")
	}
	per.Account.Balance = p.moneyOr("accountBalance", "账户金额", o.Account.Balance)
	per.Account.Principal = p.moneyOr("accountPrincipal", "本金", o.Account.Principal)
	per.Account.Interest = p.moneyOr("accountInterest", "利息", o.Account.Interest)
	per.Account.Reason = p.text("accountReason", keep(func(o ledger.Person) string { return o.Account.Reason }))
	per.DeemedMonths = o.DeemedMonths
	if n, ok := p.integer("deemedMonths", "视同缴费月数", 0, 1200); ok {
		per.DeemedMonths = n
	}
	if len(p.errs) == 0 && per.IDNumber != "" {
		// One person per ID number: in the file and in the ledger.
		if prev, dup := p.im.ids[per.IDNumber]; dup && prev != per.Number {
			p.fail("idNumber", "该社会保障号在本文件中已用于另一人员编号")
		} else {
			got, err := p.im.ls.PersonByIDNumber(p.ctx, per.IDNumber)
			switch {
			case err == nil && got.Number != per.Number:
				p.fail("idNumber", "该社会保障号已登记为另一人员编号")
			case err != nil && !isNotFound(err):
				p.im.fatal = err
			}
			p.im.ids[per.IDNumber] = per.Number
		}
	}
	return parsed{rec: per, key: per.Number}
}

func parseSpell(p *rowParser) parsed {
	s := ledger.Spell{PersonNumber: p.code("personNumber", "人员编号"), UnitNumber: p.code("unitNumber", "单位编号"),
		From: p.ym("from", "开始年月", true)}
	old := lookup[ledger.Spell](p, s.Key(), s.PersonNumber != "" && s.UnitNumber != "" && s.From.Valid())
	o, _ := old()
	s.To = o.To
	if p.has("to") {
		s.To = p.ym("to", "结束年月", false)
	}
	s.RelationID = p.text("relationId", func() string { return o.RelationID })
	s.EmploymentForm = p.text("employmentForm", func() string { return o.EmploymentForm })
	if !s.To.IsZero() && !s.From.IsZero() && s.To.Before(s.From) {
		p.fail("to", "结束年月不能早于开始年月")
	}
	if len(p.errs) == 0 {
		p.personExists("personNumber", s.PersonNumber)
		p.unitExists("unitNumber", s.UnitNumber)
	}
	return parsed{rec: s, key: s.Key().PK + "|" + s.Key().SK}
}

// partLabels name the parts in column headers and messages ("单位比例",
// "个人划入个人账户金额"); the column keys are calc.PartKind.String().
var partLabels = [calc.NumParts]string{calc.Unit: "单位", calc.UnitToAccount: "单位划入个人账户",
	calc.Personal: "个人", calc.PersonalToAccount: "个人划入个人账户"}

var kindNames = map[string]ledger.Kind{"正常应缴": ledger.KindRegular, "正常": ledger.KindRegular, "补缴": ledger.KindBackPayment,
	"缴费基数调整补差": ledger.KindBaseAdjustment, "基数差额": ledger.KindBaseAdjustment, "缴费比例调整补差": ledger.KindRateAdjustment,
	"比例差额": ledger.KindRateAdjustment, "灵活就业": ledger.KindFlexible, "灵活就业缴费": ledger.KindFlexible}

var statusNames = map[string]ledger.Status{"已缴": ledger.StatusPaid, "已到账": ledger.StatusPaid, "未缴": ledger.StatusUnpaid,
	"欠缴": ledger.StatusUnpaid, "免缴": ledger.StatusExempt, "已核定": ledger.StatusAssessed, "已退费": ledger.StatusRefunded}

func parseContribution(p *rowParser) parsed {
	c := ledger.Contribution{PersonNumber: p.code("personNumber", "人员编号"), UnitNumber: p.code("unitNumber", "单位编号"),
		Period: p.ym("period", "费款所属期", true), Kind: ledger.KindRegular}
	if k := p.str("kind"); k != "" {
		c.Kind = ledger.Kind(k)
		if v, ok := kindNames[k]; ok {
			c.Kind = v
		}
		if !c.Kind.Valid() {
			p.fail("kind", "类型应为regular、back_payment、base_adjustment、rate_adjustment或flexible")
		}
	}
	if s := p.req("status", "缴费状态"); s != "" {
		c.Status = ledger.Status(s)
		if v, ok := statusNames[s]; ok {
			c.Status = v
		}
		if !c.Status.Valid() {
			p.fail("status", "缴费状态应为paid、unpaid、exempt、assessed或refunded（已缴、未缴、免缴、已核定、已退费）")
		}
	}
	old := lookup[ledger.Contribution](p, c.Key(), c.PersonNumber != "" && c.UnitNumber != "" && c.Period.Valid() && c.Kind.Valid())
	c.Insured = p.text("insuredType", keepOf(old, func(o ledger.Contribution) string { return o.Insured }))
	if c.Insured == "" {
		c.Insured = ledger.InsuredEmployee
		if c.Kind == ledger.KindFlexible {
			c.Insured = ledger.InsuredFlexible
		}
	}
	base, baseOK := p.money("base", "缴费基数", true)
	c.Base = base
	for _, k := range calc.PartKinds {
		prefix, label := k.String(), partLabels[k]
		// A missing rate column keeps the stored rate; a missing or empty
		// amount follows base × rate unless base and rate are the stored
		// row's, whose recorded amount stays; interest is kept.
		o, hasOld := old()
		stored := o.Parts[k]
		rate := stored.Rate
		if p.has(prefix + "Rate") {
			rate = p.rate(prefix+"Rate", label+"比例")
		}
		amt, given := p.money(prefix+"Amount", label+"金额", false)
		switch {
		case given:
		case hasOld && o.Base == base && sameRate(stored.Rate, rate):
			amt = stored.Amount
		case rate.Valid && baseOK:
			var err error
			if amt, err = ledger.FenOf(calc.MonthlyAmount(base.Decimal(), rate.Decimal)); err != nil {
				p.fail(prefix+"Amount", label+"金额超出范围")
			}
		default:
			amt = stored.Amount
		}
		in := p.moneyOr(prefix+"Interest", label+"利息", stored.Interest)
		c.Parts[k] = ledger.Part{Rate: rate, Amount: amt, Interest: in}
	}
	if p.has("paidDate") {
		c.PaidDate = p.date("paidDate", "到账日期")
	} else if o, ok := old(); ok {
		c.PaidDate = o.PaidDate
	}
	if !c.Period.IsZero() && c.Period.After(p.im.today.YearMonth().AddMonths(24)) {
		p.fail("period", "费款所属期不能晚于两年之后")
	}
	if len(p.errs) == 0 {
		p.personExists("personNumber", c.PersonNumber)
		p.unitExists("unitNumber", c.UnitNumber)
	}
	return parsed{rec: c, key: c.Key().PK + "|" + c.Key().SK}
}

// sameRate reports whether two rates are both unknown or equal.
func sameRate(a, b decimal.NullDecimal) bool {
	return a.Valid == b.Valid && (!a.Valid || a.Decimal.Equal(b.Decimal))
}

func parseGrade(p *rowParser) parsed {
	g := ledger.Grade{PersonNumber: p.code("personNumber", "人员编号")}
	if y, ok := p.integer("year", "年度", 1990, 2100); ok {
		g.Year = y
	} else if p.str("year") == "" {
		p.fail("year", "缺少年度")
	}
	var labelBase decimal.Decimal
	if s := p.req("grade", "个人缴费档次"); s != "" {
		ratio, b, err := calc.ParseGrade(s)
		if err != nil || ratio.GreaterThan(ten) {
			p.fail("grade", "个人缴费档次应为0.60、60%或“按照社平工资60.0%缴费，月缴费基数3519.00元”")
		}
		g.Ratio, labelBase = ratio, b
	}
	old := lookup[ledger.Grade](p, g.Key(), g.PersonNumber != "" && g.Year != 0)
	if b, ok := p.money("base", "月缴费基数", false); ok {
		g.Base = b
	} else if labelBase.IsPositive() {
		if f, err := ledger.FenOf(labelBase); err == nil {
			g.Base = f
		}
	} else if o, ok := old(); ok && g.Ratio.IsPositive() && o.Ratio.Equal(g.Ratio) {
		g.Base = o.Base // the stored base of the same grade
	} else if g.Year != 0 && g.Ratio.IsPositive() {
		grade, err := p.im.refs.Grade(g.Year, g.Ratio)
		var me *refdata.MissingError
		switch {
		case errors.As(err, &me):
			p.fail("grade", me.Message()+"；请在base列给出月缴费基数")
		case err != nil:
			p.im.fatal = err
		default:
			g.Base, _ = ledger.FenOf(grade.Base)
		}
	}
	if len(p.errs) == 0 && g.Base <= 0 {
		p.fail("base", "月缴费基数应大于0")
	}
	if len(p.errs) == 0 {
		p.personExists("personNumber", g.PersonNumber)
	}
	return parsed{rec: g, key: g.Key().PK + "|" + g.Key().SK}
}

func parseBenefit(p *rowParser) parsed {
	b := ledger.Benefit{PersonNumber: p.code("personNumber", "人员编号")}
	switch k := p.req("kind", "待遇类型"); k {
	case "":
	case "retiree", "离退休", "离退休待遇":
		b.Kind = ledger.BenefitRetiree
	case "survivor", "遗属", "遗属供养", "遗属供养待遇":
		b.Kind = ledger.BenefitSurvivor
	default:
		p.fail("kind", "待遇类型应为离退休（retiree）或遗属（survivor）")
	}
	if b.Kind == ledger.BenefitSurvivor {
		b.Ref = p.code("ref", "供养关系人员编号")
	} else if p.str("ref") != "" {
		p.fail("ref", "离退休待遇不填写供养关系人员编号")
	}
	old := lookup[ledger.Benefit](p, b.Key(), b.PersonNumber != "" && b.Kind != "" && (b.Kind != ledger.BenefitSurvivor || b.Ref != ""))
	o, _ := old()
	b.Status = p.text("status", func() string { return o.Status })
	b.Payment = ledger.PaymentAccount{
		BankName:      p.text("bankName", func() string { return o.Payment.BankName }),
		AccountName:   p.text("accountName", func() string { return o.Payment.AccountName }),
		AccountNumber: o.Payment.AccountNumber,
	}
	b.Monthly, _ = p.money("monthly", "月待遇金额", true)
	b.Start = o.Start
	if p.has("start") {
		b.Start = p.ym("start", "待遇开始年月", false)
	}
	if p.has("accountNumber") {
		a := strings.ReplaceAll(p.str("accountNumber"), " ", "")
		if a != "" && (len(a) < 8 || len(a) > 32 || strings.Trim(a, "0123456789") != "") {
			p.fail("accountNumber", "银行账号应为8到32位数字")
		}
		b.Payment.AccountNumber = a
	}
	if len(p.errs) == 0 {
		p.personExists("personNumber", b.PersonNumber)
		if b.Ref != "" {
			p.personExists("ref", b.Ref)
		}
	}
	return parsed{rec: b, key: b.Key().PK + "|" + b.Key().SK}
}

func parseBookkeepingRate(p *rowParser) parsed {
	y, ok := p.integer("year", "年度", 1990, 2100)
	if !ok && p.str("year") == "" {
		p.fail("year", "缺少年度")
	}
	// Missing columns keep the entry in force for the year.
	var cur refdata.BookkeepingRate
	for _, e := range p.im.refData().BookkeepingRates {
		if ok && e.Year == y {
			cur = e
		}
	}
	r := refdata.BookkeepingRate{Year: y, Status: p.text("status", func() string { return cur.Status }),
		Flag: p.text("flag", func() string { return cur.Flag })}
	if d := p.decimalIn("rate", "记账利率", true, zero, one); d != nil {
		r.Rate = *d
	}
	switch r.Status {
	case "":
		r.Status = "provincial"
	case "national", "provincial":
	case "全国", "国家":
		r.Status = "national"
	case "省", "省级":
		r.Status = "provincial"
	default:
		p.fail("status", "口径应为national或provincial")
	}
	r.Source = p.source()
	return parsed{ref: refdata.Data{BookkeepingRates: []refdata.BookkeepingRate{r}}, key: strconv.Itoa(y)}
}

func parseContributionRate(p *rowParser) parsed {
	c := refdata.ContributionRate{From: p.ym("from", "开始年月", true), To: p.ym("to", "结束年月", false)}
	if ins := p.req("insured", "参保身份"); ins != "" {
		code, err := p.im.refs.InsuredCode(ins)
		if err != nil {
			p.fail("insured", "参保身份应为employee（企业职工）或flexible（灵活就业人员）")
		}
		c.Insured = code
	}
	// Missing columns keep the entry in force that starts in the same
	// month for the same insured type, if there is one.
	var cur refdata.ContributionRate
	for _, e := range p.im.refData().ContributionRates {
		if c.Insured != "" && e.Insured == c.Insured && e.From == c.From {
			cur = e
		}
	}
	if !p.has("to") {
		c.To = cur.To
	}
	dst, old := c.Parts(), cur.Parts()
	for _, k := range calc.PartKinds {
		*dst[k] = *old[k]
		if p.has(k.String()) {
			*dst[k] = p.decimalIn(k.String(), partLabels[k]+"比例", false, zero, one)
		}
	}
	if !c.To.IsZero() && !c.From.IsZero() && c.To.Before(c.From) {
		p.fail("to", "结束年月不能早于开始年月")
	}
	c.Source = p.source()
	return parsed{ref: refdata.Data{ContributionRates: []refdata.ContributionRate{c}}, key: c.Insured + "|" + c.From.String()}
}

func parseAverageWage(p *rowParser) parsed {
	w := refdata.AverageWage{Floor: decimal.RequireFromString("0.60"), Ceiling: decimal.RequireFromString("3.00")}
	y, ok := p.integer("year", "年度", 1990, 2100)
	if !ok && p.str("year") == "" {
		p.fail("year", "缺少年度")
	}
	w.Year = y
	if d := p.decimalIn("monthly", "社平工资", true, decimal.New(1, -2), million); d != nil {
		w.Monthly = *d
	}
	// Missing columns keep the entry in force for the year.
	for _, e := range p.im.refData().AverageWages {
		if ok && e.Year == y {
			if !p.has("floor") {
				w.Floor = e.Floor
			}
			if !p.has("ceiling") {
				w.Ceiling = e.Ceiling
			}
			if !p.has("grades") {
				w.Grades = slices.Clone(e.Grades)
			}
		}
	}
	if d := p.decimalIn("floor", "下限比例", false, zero, ten); d != nil {
		w.Floor = *d
	}
	if d := p.decimalIn("ceiling", "上限比例", false, zero, ten); d != nil {
		w.Ceiling = *d
	}
	if s := p.str("grades"); s != "" {
		for _, g := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '、' || r == '|' || r == ',' }) {
			d, err := decimal.NewFromString(strings.TrimSpace(g))
			if err != nil || d.LessThan(w.Floor) || d.GreaterThan(w.Ceiling) {
				p.fail("grades", "缴费档次应为下限到上限之间的比例，用;分隔（如0.60;0.70）")
				break
			}
			w.Grades = append(w.Grades, d)
		}
	}
	w.Source = p.source()
	return parsed{ref: refdata.Data{AverageWages: []refdata.AverageWage{w}}, key: strconv.Itoa(y)}
}
