package retirementapi

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/ledger"
)

// What an approved decision of the family does to the ledger (办结).
//
//   - 4.5, 4.14, 4.11, 5.6 move the retiree benefit of the person the form
//     names to 暂停发放, 正常发放 or 终止发放 from the month of the date the
//     form gives, refusing a move that does not fit its status now
//     (suspending a suspended benefit, resuming one that is not suspended,
//     anything but a termination of a terminated one).
//   - 4.13 replaces the benefit's payment account (银行, 户名, 账号) with the
//     form's, and keeps the other 发放信息 (发放方式, 社保卡, 领取人) in the
//     benefit's Info by field key.
//   - 4.20 and 4.21 create a payable item (ledger.Payment, 支付单号 = the
//     application's reference) of the benefit's monthly amount for every
//     month from the 变更日期 through the current month in which the
//     benefit was payable (from its start; not while suspended or after its
//     termination) and that no earlier item of the same business covers.
//     The forms give no amount: the monthly amount of the ledger is what a
//     month is worth.
//   - 4.12 returns the individual account of a deceased in-service person:
//     every paid contribution row with a share credited to the account is
//     marked refunded with that share (amount and interest of 单位/个人划入
//     个人账户), the account is emptied, the insurance ends (终止参保) and
//     the ongoing employment spells close in the month of the 变更日期.
//   - 4.22, 4.24 and 5.3 record a retirement: 退休日期 and 退休类别; the
//     person stops paying (个人缴费状态 离退休 from the month after the
//     retirement month) and the ongoing employment spells end in the
//     retirement month, refused while contribution rows after that month
//     are open. 4.22 of a person already retired revises the date and the
//     category only. The benefit itself (its monthly amount) is determined
//     by the pension office (核定) and reaches the ledger from there.
//
// Every effect reads the records it changes as they are now and refuses
// (application.CannotApply) what no longer fits what was submitted.

// statusRetired is the 个人缴费状态 of a retired person, as the ledger
// holds it for retirees (the demo retiree, imported retirees).
const statusRetired = "离退休"

// statusTerminated is the 个人缴费状态 once the insurance ended (death).
const statusTerminated = "终止参保"

// Business ids of the family.
const (
	bizSuspend     = "retiree-benefit-suspend"
	bizResume      = "retiree-benefit-resume"
	bizTerminate   = "retiree-benefit-terminate"
	bizTerminateU  = "retiree-benefit-terminate-enterprise"
	bizRefund      = "in-service-pension-account-refund"
	bizPaymentInfo = "retiree-payment-info-maintenance"
	bizReturn      = "benefit-payment-return"
	bizBackPay     = "retiree-benefit-back-pay"
	bizRevision    = "retirement-qualification-admin-revision"
	bizFlexRetire  = "flexible-employment-retirement-application"
	bizRetire      = "retirement-application"
)

// effects are the family's effects by business id.
var effects = map[string]application.EffectFunc{
	bizSuspend:     changeBenefitStatus,
	bizResume:      changeBenefitStatus,
	bizTerminate:   changeBenefitStatus,
	bizTerminateU:  changeBenefitStatus,
	bizRefund:      refundAccount,
	bizPaymentInfo: maintainPayment,
	bizReturn:      payBenefit,
	bizBackPay:     payBenefit,
	bizRevision:    retire,
	bizFlexRetire:  retire,
	bizRetire:      retire,
}

// statusMove is what a benefit-status business does: the status it sets,
// the form's date it takes effect from, the statuses it may start from, and
// the form's fields it keeps with the benefit.
type statusMove struct {
	to, dateKey, verb string
	from              []string
	info              []string
}

var statusMoves = map[string]statusMove{
	bizSuspend: {to: ledger.BenefitSuspended, dateKey: "suspendStartDate", verb: "暂停发放",
		from: []string{ledger.BenefitPaying}, info: []string{"suspendReason"}},
	bizResume: {to: ledger.BenefitPaying, dateKey: "changeDate", verb: "恢复发放",
		from: []string{ledger.BenefitSuspended}, info: []string{"changeReason"}},
	bizTerminate: {to: ledger.BenefitTerminated, dateKey: "benefitEndDate", verb: "终止发放",
		from: []string{ledger.BenefitPaying, ledger.BenefitSuspended}, info: terminationInfo},
	bizTerminateU: {to: ledger.BenefitTerminated, dateKey: "benefitEndDate", verb: "终止发放",
		from: []string{ledger.BenefitPaying, ledger.BenefitSuspended}, info: terminationInfo},
}

var terminationInfo = []string{"terminationReason", "receiverRelation", "receiverName"}

// changeBenefitStatus is 4.5, 4.14, 4.11 and 5.6.
func changeBenefitStatus(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	mv := statusMoves[in.Business.ID]
	d, err := subject(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	b, err := retireeBenefit(d)
	if err != nil {
		return application.Effect{}, err
	}
	f := formOf(in)
	from, err := f.month(mv.dateKey)
	if err != nil {
		return application.Effect{}, err
	}
	if !slices.Contains(mv.from, b.Status) {
		return application.Effect{}, application.CannotApply("离退休待遇当前为%s，不能%s", statusText(b), mv.verb)
	}
	if from.Before(b.Start) {
		return application.Effect{}, application.CannotApply("%s早于待遇享受开始年月%s", f.label(mv.dateKey), b.Start.Chinese())
	}
	if mv.to == ledger.BenefitPaying && from.Before(b.StatusFrom) {
		return application.Effect{}, application.CannotApply("%s早于待遇暂停年月%s", f.label(mv.dateKey), b.StatusFrom.Chinese())
	}
	nb := b
	nb.Info = maps.Clone(b.Info)
	nb.Status, nb.StatusFrom = mv.to, from
	hist := []application.Change{
		{Record: recBenefit, Field: "benefitPaymentStatus", Old: b.Status, New: nb.Status},
		{Record: recBenefit, Field: "statusFrom", Old: b.StatusFrom.String(), New: from.String()},
	}
	nb.Info, hist = f.keep(nb.Info, hist, recBenefit, mv.info...)
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{nb}},
		Summary: fmt.Sprintf("%s的离退休待遇自%s起%s。", who(in, d), from.Chinese(), mv.verb),
		History: hist,
	}, nil
}

// maintainPayment is 4.13: the benefit's payment account and 发放信息.
func maintainPayment(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := subject(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	b, err := retireeBenefit(d)
	if err != nil {
		return application.Effect{}, err
	}
	if b.Status == ledger.BenefitTerminated {
		return application.Effect{}, application.CannotApply("离退休待遇当前为%s，不能维护发放信息", statusText(b))
	}
	f := formOf(in)
	nb := b
	var hist []application.Change
	if acct := f.v("bankAccount"); acct != "" {
		p := ledger.PaymentAccount{BankName: f.bankName(), AccountName: f.v("bankAccountName"), AccountNumber: acct}
		if p.BankName == "" {
			p.BankName = b.Payment.BankName
		}
		if p.AccountName == "" {
			p.AccountName = d.Person.Name
		}
		nb.Payment = p
		hist = append(hist, paymentChanges(b.Payment, p)...)
	}
	nb.Info, hist = f.keep(maps.Clone(b.Info), hist, recPayment, "paymentMethod", "ssCardIssueFlag", "ssCardNumber",
		"bankBranchName", "receiverRelation", "receiverName", "receiverIdType", "receiverIdNumber", "receiverPhone",
		"receiverAddress", "postcode")
	sum := "离退休待遇发放信息已变更"
	if nb.Payment != b.Payment {
		sum += fmt.Sprintf("，今后发放至%s账号%s", nb.Payment.BankName, checks.MaskAccount(nb.Payment.AccountNumber))
	}
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{nb}}, Summary: sum + "。", History: hist}, nil
}

// paymentChanges lists what changed between two payment accounts, the
// account numbers masked.
func paymentChanges(old, nw ledger.PaymentAccount) []application.Change {
	var out []application.Change
	add := func(field, o, n string) {
		if o != n {
			out = append(out, application.Change{Record: recPayment, Field: field, Old: o, New: n})
		}
	}
	add("bankName", old.BankName, nw.BankName)
	add("bankAccountName", old.AccountName, nw.AccountName)
	add("bankAccount", checks.MaskAccount(old.AccountNumber), checks.MaskAccount(nw.AccountNumber))
	return out
}

// payBenefit is 4.20 and 4.21: a payable item of the months due.
func payBenefit(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := subject(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	b, err := retireeBenefit(d)
	if err != nil && in.Business.ID == bizReturn {
		b, err = anyBenefit(d) // 待遇退发 also returns a survivor's benefit
	}
	if err != nil {
		return application.Effect{}, err
	}
	if b.Monthly <= 0 {
		return application.Effect{}, application.CannotApply("该待遇尚未核定月待遇金额，不能%s", in.Business.Name)
	}
	f := formOf(in)
	from, err := f.month("changeDate")
	if err != nil {
		return application.Effect{}, err
	}
	periods, err := duePeriods(d.Payments, b, in.Business.Name, from, in.Today.YearMonth())
	if err != nil {
		return application.Effect{}, err
	}
	pay := ledger.Payment{PersonNumber: d.Person.Number, Ref: in.App.Reference, Kind: in.Business.Name,
		Amount: b.Monthly * ledger.Fen(len(periods)), Status: ledger.PaymentDue, Application: in.App.ID, Created: in.Today}
	for _, p := range periods {
		pay.Periods = append(pay.Periods, p.String())
	}
	span := periods[0].Chinese()
	if len(periods) > 1 {
		span += "至" + periods[len(periods)-1].Chinese()
	}
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{pay}},
		Summary: fmt.Sprintf("已生成%s支付单：%s共%d个月，金额%s元，支付单号%s。", in.Business.Name, span, len(periods), pay.Amount, pay.Ref),
		History: []application.Change{
			{Record: recPayable, Field: "amount", New: pay.Amount.String()},
			{Record: recPayable, Field: "periods", New: strings.Join(pay.Periods, ",")},
		},
	}, nil
}

// duePeriods are the months from..to in which b was payable and which no
// payable item of kind covers yet.
func duePeriods(paid []ledger.Payment, b ledger.Benefit, kind string, from, to calc.YearMonth) ([]calc.YearMonth, error) {
	covered := map[string]string{}
	for _, p := range paid {
		if p.Kind == kind && p.PersonNumber == b.PersonNumber {
			for _, m := range p.Periods {
				covered[m] = p.Ref
			}
		}
	}
	if from.Before(b.Start) {
		return nil, application.CannotApply("变更日期早于待遇享受开始年月%s", b.Start.Chinese())
	}
	var out []calc.YearMonth
	for m := from; !m.After(to); m = m.AddMonths(1) {
		if b.Status != ledger.BenefitPaying && !m.Before(b.StatusFrom) {
			break // suspended or terminated from here on
		}
		if ref, ok := covered[m.String()]; ok {
			return nil, application.CannotApply("%s已由支付单%s办理过%s", m.Chinese(), ref, kind)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, application.CannotApply("变更日期至本月没有可%s的月份（待遇%s）", kind, statusText(b))
	}
	return out, nil
}

// refundAccount is 4.12: the individual account of a deceased in-service
// person returned to the heir.
func refundAccount(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := subject(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	if retired(d) {
		return application.Effect{}, application.CannotApply("该人员已退休，不属于在职人员个人账户返还")
	}
	f := formOf(in)
	end, err := f.month("changeDate")
	if err != nil {
		return application.Effect{}, err
	}
	var put []ledger.Record
	var total ledger.Fen
	for _, c := range d.Contributions {
		share := accountShare(c)
		if c.Status != ledger.StatusPaid || share == 0 {
			continue
		}
		c.Status, c.Refund, c.PaymentRef = ledger.StatusRefunded, share, in.App.Reference
		put = append(put, c)
		total += share
	}
	rows := len(put)
	if rows == 0 {
		return application.Effect{}, application.CannotApply("未查到可返还的个人账户记账记录（已缴且有划入个人账户金额的缴费记录）")
	}
	spells, err := closeSpells(d.Spells, end)
	if err != nil {
		return application.Effect{}, err
	}
	put = append(put, spells...)
	p := d.Person
	p.Account = ledger.Account{Reason: p.Account.Reason}
	p.Status, p.StatusFrom = statusTerminated, end
	put = append(put, p)
	return application.Effect{
		Changes: ledger.Changes{Put: put},
		Summary: fmt.Sprintf("%s的个人账户已返还：%d条缴费记录，返还金额合计%s元，支付单号%s。", who(in, d), rows, total, in.App.Reference),
		History: []application.Change{
			{Record: recContrib, Field: "refund", New: fmt.Sprintf("%d条，%s元", rows, total)},
			{Record: recPerson, Field: "accountBalance", Old: d.Person.Account.Balance.String(), New: p.Account.Balance.String()},
			{Record: recPerson, Field: "contributionStatus", Old: d.Person.Status, New: p.Status},
		},
	}, nil
}

// accountShare is what a contribution row credited to the individual
// account: the 划入个人账户 parts, amount and interest.
func accountShare(c ledger.Contribution) ledger.Fen {
	var s ledger.Fen
	for _, k := range []calc.PartKind{calc.UnitToAccount, calc.PersonalToAccount} {
		s += c.Parts[k].Amount + c.Parts[k].Interest
	}
	return s
}

// retire is 4.22, 4.24 and 5.3.
func retire(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := subject(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	if err := mayRetire(in, d); err != nil {
		return application.Effect{}, err
	}
	f := formOf(in)
	date, err := f.date("retirementDate")
	if err != nil {
		return application.Effect{}, err
	}
	p := d.Person
	p.Info = maps.Clone(p.Info)
	p.Retired = date
	hist := []application.Change{{Record: recPerson, Field: "retirementDate", Old: d.Person.Retired.String(), New: date.String()}}
	p.Info, hist = f.keep(p.Info, hist, recPerson, "retirementCategory", "bankName", "bankAccount")
	if retired(d) { // 4.22 of a retiree: the date and the category revised
		return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{p}}, History: hist,
			Summary: fmt.Sprintf("%s的退休日期已改批为%s（%s）。", who(in, d), date.Chinese(), f.enumLabel("retirementCategory"))}, nil
	}
	month := date.YearMonth()
	for _, c := range d.Contributions {
		if c.Period.After(month) && c.Status != ledger.StatusRefunded {
			return application.Effect{}, application.CannotApply("退休年月%s之后仍有%s的缴费记录（%s），请先处理后再办结", month.Chinese(), c.Status.Label(), c.Period.Chinese())
		}
	}
	put, err := closeSpells(d.Spells, month)
	if err != nil {
		return application.Effect{}, err
	}
	p.Status, p.StatusFrom = statusRetired, month.AddMonths(1)
	put = append(put, p)
	hist = append(hist, application.Change{Record: recPerson, Field: "contributionStatus", Old: d.Person.Status, New: p.Status})
	return application.Effect{Changes: ledger.Changes{Put: put}, History: hist,
		Summary: fmt.Sprintf("%s已办理退休（%s），退休日期%s，自%s起停止缴费。", who(in, d), f.enumLabel("retirementCategory"), date.Chinese(), p.StatusFrom.Chinese())}, nil
}

// mayRetire checks the person against the retirement business: 5.3 an
// employee of the agent's unit, 4.24 a flexible-employment person, 4.24
// and 5.3 not retired yet.
func mayRetire(in application.EffectInput, d ledger.Dossier) error {
	id := in.Business.ID
	switch {
	case id == bizRetire && !employedAt(d.Spells, in.App.Unit):
		return application.CannotApply("该人员当前不在本单位参保，不能由本单位申请退休")
	case id == bizFlexRetire && d.Person.InsuredType != ledger.InsuredFlexible:
		return application.CannotApply("该人员的参保身份不是灵活就业人员")
	case id != bizRevision && retired(d):
		if r := d.Person.Retired; !r.IsZero() {
			return application.CannotApply("该人员已办理退休（退休日期%s），不能重复申请", r.Chinese())
		}
		return application.CannotApply("该人员已办理退休，不能重复申请")
	}
	return nil
}

// closeSpells ends the ongoing employment spells in month.
func closeSpells(ss []ledger.Spell, month calc.YearMonth) ([]ledger.Record, error) {
	var out []ledger.Record
	for _, s := range ss {
		if !s.To.IsZero() {
			continue
		}
		if s.From.After(month) {
			return nil, application.CannotApply("参保关系自%s开始，晚于%s，请人工核对", s.From.Chinese(), month.Chinese())
		}
		s.To = month
		out = append(out, s)
	}
	return out, nil
}

func employedAt(ss []ledger.Spell, unit string) bool {
	for _, s := range ss {
		if unit != "" && s.UnitNumber == unit && s.To.IsZero() {
			return true
		}
	}
	return false
}

// retired reports whether the person has retired: a retirement date, the
// retirees' status or a retiree benefit.
func retired(d ledger.Dossier) bool {
	if !d.Person.Retired.IsZero() || d.Person.Status == statusRetired {
		return true
	}
	_, err := retireeBenefit(d)
	return err == nil
}

// subject reads the person the application is about. The businesses about
// one's own pension (ownPension) are about the applicant, whatever the form
// says; the others about the person of the form's 人员编号 (an heir or a
// unit names another person than the applicant), checked against the
// 社会保障号 or 证件号码 the form gives with it.
func subject(ctx context.Context, in application.EffectInput) (ledger.Dossier, error) {
	own := ownPension[in.Business.ID]
	n := in.Snapshot.Fields["personNumber"]
	if own || n == "" {
		n = in.App.Person
	}
	if n == "" {
		return ledger.Dossier{}, application.CannotApply("表单未填写人员编号")
	}
	var d ledger.Dossier
	if r := in.Records.Dossier; r != nil && r.Person.Number == n {
		d = *r
	} else {
		var err error
		d, err = in.Store.Dossier(ctx, n)
		if apperr.CodeOf(err) == apperr.NotFound {
			return ledger.Dossier{}, application.CannotApply("未找到表单所填人员编号对应的参保人员")
		}
		if err != nil {
			return ledger.Dossier{}, fmt.Errorf("retirement: read the person: %w", err)
		}
	}
	if !own && !sameIdentity(in.Snapshot.Fields, d.Person.IDNumber) {
		return ledger.Dossier{}, application.CannotApply("表单所填社会保障号、证件号码与该人员编号的参保信息不符")
	}
	return d, nil
}

// sameIdentity reports whether the form's 社会保障号 or 证件号码 is the
// person's (the ledger keys persons by the resident ID number).
func sameIdentity(fields map[string]string, id string) bool {
	given := false
	for _, k := range []string{"socialSecurityNumber", "idNumber"} {
		if v := strings.TrimSpace(fields[k]); v != "" {
			given = true
			if strings.EqualFold(v, id) {
				return true
			}
		}
	}
	return !given
}

// retireeBenefit is the person's own retiree benefit.
func retireeBenefit(d ledger.Dossier) (ledger.Benefit, error) {
	for _, b := range d.Benefits {
		if b.Kind == ledger.BenefitRetiree && b.PersonNumber == d.Person.Number {
			return b, nil
		}
	}
	return ledger.Benefit{}, application.CannotApply("未查到该人员的离退休待遇记录")
}

// anyBenefit is the person's own benefit of any kind.
func anyBenefit(d ledger.Dossier) (ledger.Benefit, error) {
	for _, b := range d.Benefits {
		if b.PersonNumber == d.Person.Number {
			return b, nil
		}
	}
	return ledger.Benefit{}, application.CannotApply("未查到该人员的养老保险待遇记录")
}

// who names the person in a summary: 您, or the name when the person is
// not the applicant (an heir's or a unit's application).
func who(in application.EffectInput, d ledger.Dossier) string {
	if d.Person.Number == in.App.Person {
		return "您"
	}
	return d.Person.Name
}

// Record names of the History.
const (
	recPerson  = "个人信息"
	recBenefit = "离退休待遇"
	recPayment = "待遇发放信息"
	recPayable = "待遇支付"
	recContrib = "缴费记录"
)

// form reads the submitted fields of a business.
type form struct {
	b *catalog.Business
	f map[string]string
}

func formOf(in application.EffectInput) form { return form{in.Business, in.Snapshot.Fields} }

func (f form) v(key string) string { return strings.TrimSpace(f.f[key]) }

// label is the field's label (its key when the catalog has no such field).
func (f form) label(key string) string {
	if fd, ok := f.b.Field(key); ok {
		return fd.Label
	}
	return key
}

// date parses a date field.
func (f form) date(key string) (calc.Date, error) {
	d, err := calc.ParseDate(f.v(key))
	if err != nil || !d.Valid() {
		return calc.Date{}, application.CannotApply("表单的%s无效", f.label(key))
	}
	return d, nil
}

// month is the month of a date field.
func (f form) month(key string) (calc.YearMonth, error) {
	d, err := f.date(key)
	return d.YearMonth(), err
}

// enumLabel is the label of an enum field's code (the value itself when
// it is no code of the field's table).
func (f form) enumLabel(key string) string {
	v := f.v(key)
	fd, ok := f.b.Field(key)
	if !ok || fd.Enum == "" {
		return v
	}
	if t, ok := catalog.Default().Tables().Table(fd.Enum); ok {
		if e, ok := t.Lookup(v); ok {
			return e.Label
		}
	}
	return v
}

// bankName is the bank of the form's account: 银行行别, else 地方银行.
func (f form) bankName() string {
	if f.v("bankCode") != "" {
		return f.enumLabel("bankCode")
	}
	if v := f.v("localBankName"); v != "" {
		return v
	}
	return f.enumLabel("localBankCode")
}

// keep copies the form's non-empty values of keys into info (by field
// key, as submitted) and lists what changed, identifiers masked and codes
// shown by their labels.
func (f form) keep(info map[string]string, hist []application.Change, rec string, keys ...string) (map[string]string, []application.Change) {
	for _, k := range keys {
		v := f.v(k)
		if v == "" || info[k] == v {
			continue
		}
		if info == nil {
			info = map[string]string{}
		}
		old := info[k]
		info[k] = v
		hist = append(hist, application.Change{Record: rec, Field: k, Old: f.shown(k, old), New: f.shown(k, v)})
	}
	return info, hist
}

// shown is a value as a History shows it.
func (f form) shown(key, v string) string {
	fd, ok := f.b.Field(key)
	switch {
	case v == "" || !ok:
		return v
	case fd.Type == catalog.TypeIDNumber || fd.Type == catalog.TypeSocialSecurityNumber:
		return checks.MaskID(v)
	case fd.Type == catalog.TypeBankAccount || key == "ssCardNumber":
		return checks.MaskAccount(v)
	case fd.Enum != "":
		return form{f.b, map[string]string{key: v}}.enumLabel(key)
	}
	return v
}

// statusText is a benefit's status with the month it took effect.
func statusText(b ledger.Benefit) string {
	if b.StatusFrom.IsZero() {
		return b.Status
	}
	return fmt.Sprintf("%s（自%s起）", b.Status, b.StatusFrom.Chinese())
}
