package ledger

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
)

// Insured types (参保身份) as the record tables show them. They are also the
// names refdata.Set.ContributionRates accepts.
const (
	InsuredEmployee = "企业职工"
	InsuredFlexible = "灵活就业人员"
)

// A person's 个人缴费状态 (Person.Status) that business rules test.
const (
	PersonPaying    = "参保缴费"
	PersonSuspended = "暂停缴费"
)

// Person is an insured person (参保人员).
type Person struct {
	Number       string         // 人员编号
	IDNumber     string         // 社会保障号 = 公民身份号码 (GB 11643); masked in every view
	Name         string         // 姓名
	Gender       calc.Gender    // 男 / 女
	BirthDate    calc.Date      // 出生日期 (档案出生日期)
	Identity     calc.Identity  // 个人身份: 工人 / 干部
	InsuredType  string         // 参保身份: 企业职工 / 灵活就业人员
	Status       string         // 个人缴费状态: 参保缴费, 暂停缴费, 终止参保, ...
	FirstInsured calc.YearMonth // 首次参保年月
	WorkStart    calc.Date      // 参加工作日期
	Account      Account        // 个人账户 (账号信息 of 4.4)
	DeemedMonths int            // 视同缴费月数 determined so far (4.23)
	StatusFrom   calc.YearMonth // the month Status takes effect (4.1 suspends from the next month); zero: always
	Retired      calc.Date      // 退休日期 once a retirement is approved (4.22, 4.24, 5.3); zero while in service
	// Info holds the person's further attributes that applications change
	// (联系电话, 户籍地址, 民族, ... by 4.3 and 4.7), by the catalog's field key.
	Info    map[string]string
	Version int64 // optimistic-locking version, set by the store
}

// Account is the person's pension individual account (个人账户) as 4.4's
// 账号信息 shows it.
type Account struct {
	Balance   Fen    // 账户金额
	Principal Fen    // 本金
	Interest  Fen    // 利息
	Reason    string // 账户建立原因, e.g. 人员新参保
}

// Unit is an employer (参保单位). Flexible-employment persons belong to a
// pseudo-unit of type 个体工商户/灵活就业 of their pooling area.
type Unit struct {
	Number      string // 单位编号
	CreditCode  string // 统一社会信用代码 (GB 32100)
	Name        string // 单位名称
	Type        string // 单位类型: 企业, 个体工商户, ...
	PoolingArea string // 统筹区 (GB/T 2260 code, or the portal's own 230999)
	Status      string // 单位参保状态: 正常参保 (or ""), 已注销 (5.10)
	// Info holds the unit's further attributes that applications change
	// (地址, 联系人, 开户银行, ... by 5.4, 5.7 and 5.8), by the catalog's field key.
	Info    map[string]string
	Version int64
}

// Unit statuses.
const (
	UnitActive       = "正常参保"
	UnitDeregistered = "已注销"
)

// Spell is an employment spell: a person insured through a unit from one
// month to another (单位信息 of 5.1: 单位编号, 单位名称, 开始年月, 结束年月).
type Spell struct {
	PersonNumber   string
	UnitNumber     string
	From           calc.YearMonth // 开始年月
	To             calc.YearMonth // 结束年月; zero while ongoing
	RelationID     string         // 人员参保关系ID
	EmploymentForm string         // 用工形式
	Base           Fen            // 申报的缴费基数 (5.14); 0 when not declared
	Status         string         // 缴费状态 at the unit: PersonPaying or PersonSuspended (5.12, 5.13); "" = paying
	Version        int64
}

// Contains reports whether the spell covers period.
func (s Spell) Contains(p calc.YearMonth) bool {
	return !p.Before(s.From) && (s.To.IsZero() || !p.After(s.To))
}

// Kind is the kind of a contribution row.
type Kind string

// Contribution kinds.
const (
	KindRegular        Kind = "regular"         // 正常应缴: the monthly declaration
	KindBackPayment    Kind = "back_payment"    // 补缴: a month declared afterwards by a base change (5.14 → 5.1)
	KindBaseAdjustment Kind = "base_adjustment" // 缴费基数调整补差 (4.6): Base is the difference
	KindRateAdjustment Kind = "rate_adjustment" // 缴费比例调整补差 (4.9): rates are the difference
	KindFlexible       Kind = "flexible"        // 灵活就业人员 dues (4.25, 4.26)
)

// Kinds lists the contribution kinds.
var Kinds = []Kind{KindRegular, KindBackPayment, KindBaseAdjustment, KindRateAdjustment, KindFlexible}

// Label returns the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindRegular:
		return "正常应缴"
	case KindBackPayment:
		return "补缴"
	case KindBaseAdjustment:
		return "缴费基数调整补差"
	case KindRateAdjustment:
		return "缴费比例调整补差"
	case KindFlexible:
		return "灵活就业缴费"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Status is the state of a contribution row.
type Status string

// Contribution statuses.
const (
	StatusPaid     Status = "paid"     // 已缴 (到账)
	StatusUnpaid   Status = "unpaid"   // 未缴: arrears or a back-payment due
	StatusExempt   Status = "exempt"   // 免缴: waived by policy, counted as a paid month
	StatusAssessed Status = "assessed" // 已核定: flexible dues assessed, not yet paid (4.26 revokes them)
	StatusRefunded Status = "refunded" // 已退费 (4.4)
)

// Statuses lists the statuses.
var Statuses = []Status{StatusPaid, StatusUnpaid, StatusExempt, StatusAssessed, StatusRefunded}

// Label returns the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusPaid:
		return "已缴"
	case StatusUnpaid:
		return "未缴"
	case StatusExempt:
		return "免缴"
	case StatusAssessed:
		return "已核定"
	case StatusRefunded:
		return "已退费"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Part is one money column group of a contribution row: the rate applied
// (比例), the amount (金额) and the interest (利息) recorded with it. For an
// unpaid row the recorded interest is 0; views accrue interest on the
// calculation date instead.
type Part struct {
	Rate     decimal.NullDecimal // unknown when !Valid
	Amount   Fen
	Interest Fen
}

// Contribution is one row of the monthly contribution ledger: person ×
// month × unit × kind.
type Contribution struct {
	PersonNumber string
	UnitNumber   string
	Period       calc.YearMonth // 费款所属期
	Kind         Kind
	Insured      string // 参保身份 label (企业职工, 灵活就业人员)
	Status       Status
	Base         Fen                 // 缴费基数 (the difference for KindBaseAdjustment)
	Parts        [calc.NumParts]Part // 单位, 个人 (应缴 or 实缴) and their 划入个人账户 shares, by calc.PartKind
	PaidDate     calc.Date
	// PaymentRef is the 缴费单号 of an approved back-payment or arrears
	// clearance (4.6, 4.9, 5.1, 5.5), Payable what it is to pay: the
	// amount plus interest as frozen at submit.
	PaymentRef string
	Payable    Fen
	// Refund is the amount refunded (4.4, 4.12), set with StatusRefunded.
	Refund  Fen
	Version int64
}

// Grade is a flexible-employment person's contribution grade (个人缴费档次)
// of a year: the ratio of the average wage and the monthly base it gives.
type Grade struct {
	PersonNumber string
	Year         int
	Ratio        decimal.Decimal // 0.60
	Base         Fen             // 3519.00
	Version      int64
}

// Label is the grade as 4.25 shows it:
// 按照社平工资60.0%缴费，月缴费基数3519.00元.
func (g Grade) Label() string { return calc.GradeLabel(g.Ratio, g.Base.Decimal()) }

// BenefitKind is the kind of a benefit.
type BenefitKind string

// Benefit kinds.
const (
	BenefitRetiree  BenefitKind = "retiree"  // 离退休待遇
	BenefitSurvivor BenefitKind = "survivor" // 遗属供养待遇
)

// Label returns the kind's Chinese name.
func (k BenefitKind) Label() string {
	switch k {
	case BenefitRetiree:
		return "离退休待遇"
	case BenefitSurvivor:
		return "遗属供养待遇"
	}
	return string(k)
}

// Benefit is a pension paid to a retiree or a survivor dependant.
type Benefit struct {
	PersonNumber string // the recipient
	Kind         BenefitKind
	Ref          string // survivor: 人员编号 of the deceased; retiree: ""
	Status       string // 待遇状态: 正常发放, 暂停发放, 终止发放
	Monthly      Fen    // 月待遇金额
	Start        calc.YearMonth
	Payment      PaymentAccount
	StatusFrom   calc.YearMonth // the month Status took effect
	Certified    int            // the last year of 资格认证 (4.2, 5.15); 0: never
	// Info holds further attributes that applications change (4.8: the
	// survivor's 联系电话, 居住地址, ...), by the catalog's field key.
	Info    map[string]string
	Version int64
}

// Benefit statuses (待遇状态).
const (
	BenefitPaying     = "正常发放"
	BenefitSuspended  = "暂停发放"
	BenefitTerminated = "终止发放"
)

// Payment is a payable item an approved application creates: a benefit
// back-pay (4.21, 4.27) or a return of benefits (4.20), with its reference
// (支付单号). Contribution back-payments are marked on their rows instead
// (Contribution.PaymentRef).
type Payment struct {
	PersonNumber string
	Ref          string   // 支付单号: the application's reference
	Kind         string   // the business name, e.g. 离退休待遇补发
	Amount       Fen      // 金额
	Periods      []string // the months it covers (YYYYMM), when it covers months
	Status       string   // 待支付, 已支付
	Application  string   // the application's id
	Created      calc.Date
	Version      int64
}

// Payment statuses.
const (
	PaymentDue  = "待支付"
	PaymentPaid = "已支付"
)

// WageDeclaration is a unit's 职工工资申报 of a year (5.2): every employee's
// average monthly wage of the year before, as declared.
type WageDeclaration struct {
	UnitNumber  string
	Year        int // the year the wages set the bases for
	Rows        []WageRow
	Application string // the application that declared it
	Version     int64
}

// WageRow is one employee of a wage declaration.
type WageRow struct {
	PersonNumber string `json:"person"`
	Name         string `json:"name"`
	Wage         Fen    `json:"wage"` // 月平均工资, fen
}

// PaymentAccount is where a benefit is paid (社保卡金融账户 or a bank
// account); AccountNumber is masked in every view.
type PaymentAccount struct {
	BankName      string // 银行名称 / 银行行别
	AccountName   string // 银行户名
	AccountNumber string // 银行账号
}

// OwingKind is who owes a contribution row that is due and unpaid: the
// reminders of the monthly window find them by it (Store.Owing).
type OwingKind string

// Owing kinds.
const (
	// OwingFlexible: a flexible worker's assessed dues (4.25 已核定, not yet
	// paid); the party is the person.
	OwingFlexible OwingKind = "flexible"
	// OwingUnit: a unit's unpaid rows of its employees (arrears, 5.5, and
	// back-payments declared and not yet paid); the party is the unit.
	OwingUnit OwingKind = "unit"
)

// Owing says whether the row is due and unpaid, and by whom: the kind and
// the party (人员编号 or 单位编号); "" when it is not.
func (c Contribution) Owing() (OwingKind, string) {
	switch {
	case c.Status == StatusAssessed:
		return OwingFlexible, c.PersonNumber
	case c.Status == StatusUnpaid && c.Insured != InsuredFlexible:
		return OwingUnit, c.UnitNumber
	}
	return "", ""
}

// Due is what the row asks to be paid: its unit and personal amounts
// (the parts credited to the personal account are within them). Interest
// on arrears is accrued at the day of payment and is not included.
func (c Contribution) Due() Fen { return c.Parts[calc.Unit].Amount + c.Parts[calc.Personal].Amount }

// CertificationMonth is the month of the year in which a benefit being
// paid is certified (资格认证, 4.2 and 5.15): the month its payment began.
// Decision: the manual names a yearly certification but no month; the
// anniversary of the first payment spreads the work over the year, as
// the provinces' practice does. ok is false for a benefit not being paid.
func (b Benefit) CertificationMonth() (time.Month, bool) {
	if b.Status != BenefitPaying || !b.Start.Valid() {
		return 0, false
	}
	return b.Start.Month, true
}
