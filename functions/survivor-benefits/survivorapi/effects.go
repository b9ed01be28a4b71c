package survivorapi

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
	"github.com/hljhrss/hrss/shared/ledger"
)

// What an approved survivor-benefit decision does (办结): each effect
// changes the recipient's survivor benefit (Benefit of kind survivor), or
// for 4.27 adds a payable back-pay item, as read just now; a benefit that
// no longer allows the change sends the case to staff.
//
// Months: a suspension (4.15) takes effect from the next month, a
// resumption (4.10) from the month of its 变更日期 but not before the next
// month, a termination (4.19) from the month after the 待遇终止日期 (the
// benefit is paid for the month the entitlement ends in). The benefit's
// StatusFrom is that month. A back-pay (4.27) covers the months from its
// 变更日期 that the ledger knows were not paid: the months of the last
// suspension before the resumption (4.15 keeps the suspension's start in
// Info as suspendStartDate), or, for a benefit never suspended, the months
// before its start; never a month after the current one, nor one an
// earlier back-pay covered.

// effects are the family's effects by business id.
var effects = map[string]application.EffectFunc{
	"survivor-info-change":       infoChange,
	"survivor-benefit-resume":    resume,
	"survivor-benefit-suspend":   suspend,
	"survivor-benefit-terminate": terminate,
	"survivor-benefit-back-pay":  backPay,
}

// recordBenefit is the History record name of a survivor benefit.
const recordBenefit = "遗属待遇"

// Info keys the status effects keep on the benefit: the catalog's keys of
// 暂停原因 (4.15), 暂停开始日期 (4.5's name for it), 终止原因 and 待遇终止日期 (4.19).
const (
	infoSuspendReason     = "suspendReason"
	infoSuspendStart      = "suspendStartDate"
	infoTerminationReason = "terminationReason"
	infoEndDate           = "benefitEndDate"
)

// infoChange (4.8) writes the survivor's 供养 information as submitted
// into the benefit's Info, by field key: every field the applicant can
// change (not the read-only identity fields, not 备注). A field left empty
// keeps its value.
func infoChange(_ context.Context, in application.EffectInput) (application.Effect, error) {
	b, err := applicantBenefit(in)
	if err != nil {
		return application.Effect{}, err
	}
	if b.Status == ledger.BenefitTerminated {
		return application.Effect{}, application.CannotApply("遗属待遇已终止发放，不能修改遗属供养信息")
	}
	info := maps.Clone(b.Info)
	if info == nil {
		info = map[string]string{}
	}
	var hist []application.Change
	var labels []string
	for _, f := range in.Business.Fields {
		v := strings.TrimSpace(in.Snapshot.Fields[f.Key])
		if f.ReadOnly == "always" || f.Key == "personNumber" || f.Key == "remark" || v == "" {
			continue
		}
		if old := info[f.Key]; !application.SameFieldValue(&f, old, v) {
			hist = append(hist, application.Change{Record: recordBenefit, Field: f.Key, Old: application.FieldText(&f, old), New: application.FieldText(&f, v)})
			labels = append(labels, f.Label)
			info[f.Key] = v
		}
	}
	if len(hist) == 0 {
		return application.Effect{Summary: "遗属供养信息与登记信息一致，未作修改。"}, nil
	}
	b.Info = info
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{b}},
		Summary: "已修改遗属供养信息：" + application.ListLabels(labels) + "。", History: hist}, nil
}

// suspend (4.15) suspends a paying benefit from the next month.
func suspend(_ context.Context, in application.EffectInput) (application.Effect, error) {
	b, err := applicantBenefit(in)
	if err != nil {
		return application.Effect{}, err
	}
	if b.Status != ledger.BenefitPaying && b.Status != "" {
		return application.Effect{}, application.CannotApply("遗属待遇当前为%s，不能暂停发放", b.Status)
	}
	from := in.Today.YearMonth().AddMonths(1)
	hist := statusChange(&b, ledger.BenefitSuspended, from)
	hist = append(hist, setInfo(&b, in.Business, infoSuspendReason, in.Snapshot.Fields[infoSuspendReason]),
		setInfo(&b, in.Business, infoSuspendStart, calc.Date{Year: from.Year, Month: from.Month, Day: 1}.String()))
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{b}},
		Summary: "自" + from.Chinese() + "起暂停发放遗属待遇。", History: compact(hist)}, nil
}

// resume (4.10) resumes a suspended benefit from the month of the 变更日期,
// but not before the next month: the months before are 4.27's to pay.
func resume(_ context.Context, in application.EffectInput) (application.Effect, error) {
	b, err := applicantBenefit(in)
	if err != nil {
		return application.Effect{}, err
	}
	if b.Status != ledger.BenefitSuspended {
		return application.Effect{}, application.CannotApply("遗属待遇当前为%s，不是暂停发放，无需恢复", statusText(b.Status))
	}
	from := in.Today.YearMonth().AddMonths(1)
	if d, err := calc.ParseDate(in.Snapshot.Fields["changeDate"]); err == nil && d.YearMonth().After(from) {
		from = d.YearMonth()
	}
	hist := statusChange(&b, ledger.BenefitPaying, from)
	hist = append(hist, setInfo(&b, in.Business, infoSuspendReason, ""))
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{b}},
		Summary: "自" + from.Chinese() + "起恢复发放遗属待遇。", History: compact(hist)}, nil
}

// terminate (4.19) ends the benefit of the person the form names (a
// relative may report it): from the month after the 待遇终止日期.
func terminate(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	d, err := subjectDossier(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	if id := strings.TrimSpace(in.Snapshot.Fields["idNumber"]); id != "" && !strings.EqualFold(id, d.Person.IDNumber) {
		return application.Effect{}, application.CannotApply("证件号码与人员编号%s的登记信息不符", d.Person.Number)
	}
	b, err := survivorBenefit(d)
	if err != nil {
		return application.Effect{}, err
	}
	end, err := calc.ParseDate(in.Snapshot.Fields[infoEndDate])
	if err != nil {
		return application.Effect{}, application.CannotApply("待遇终止日期无效")
	}
	from := end.YearMonth().AddMonths(1)
	if !b.Start.IsZero() && end.YearMonth().Before(b.Start) {
		return application.Effect{}, application.CannotApply("待遇终止日期早于待遇享受开始年月%s", b.Start.Chinese())
	}
	hist := statusChange(&b, ledger.BenefitTerminated, from)
	hist = append(hist, setInfo(&b, in.Business, infoTerminationReason, in.Snapshot.Fields[infoTerminationReason]),
		setInfo(&b, in.Business, infoEndDate, end.String()))
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{b}},
		Summary: "自" + from.Chinese() + "起终止发放遗属待遇。", History: compact(hist)}, nil
}

// backPay (4.27) adds the back-pay of the unpaid months from the 变更日期
// (see the file comment) as a payable item under the application's
// reference, at the benefit's monthly amount.
func backPay(_ context.Context, in application.EffectInput) (application.Effect, error) {
	b, err := applicantBenefit(in)
	if err != nil {
		return application.Effect{}, err
	}
	switch b.Status {
	case ledger.BenefitSuspended:
		return application.Effect{}, application.CannotApply("遗属待遇处于暂停发放状态，请先办理待遇恢复")
	case ledger.BenefitTerminated:
		return application.Effect{}, application.CannotApply("遗属待遇已终止发放，补发须由经办机构核定")
	}
	if b.Start.IsZero() && b.StatusFrom.IsZero() {
		return application.Effect{}, application.CannotApply("遗属待遇未登记待遇享受开始年月，补发须由经办机构核定")
	}
	change, err := calc.ParseDate(in.Snapshot.Fields["changeDate"])
	if err != nil {
		return application.Effect{}, application.CannotApply("变更日期无效")
	}
	months := unpaidMonths(b, change.YearMonth(), in.Today.YearMonth(), paidBack(in.Records.Dossier.Payments, in.Business.Name))
	if len(months) == 0 {
		return application.Effect{}, application.CannotApply("自%s起没有未发放的遗属待遇月份，无需补发", change.YearMonth().Chinese())
	}
	if b.Monthly <= 0 {
		return application.Effect{}, application.CannotApply("遗属待遇没有月待遇金额，无法计算补发金额")
	}
	periods := make([]string, len(months))
	for i, m := range months {
		periods[i] = m.String()
	}
	p := ledger.Payment{PersonNumber: b.PersonNumber, Ref: in.App.Reference, Kind: in.Business.Name,
		Amount: b.Monthly * ledger.Fen(len(months)), Periods: periods, Status: ledger.PaymentDue,
		Application: in.App.ID, Created: in.Today}
	span := months[0].Chinese()
	if len(months) > 1 {
		span += "至" + months[len(months)-1].Chinese()
	}
	return application.Effect{Changes: ledger.Changes{Put: []ledger.Record{p}},
		Summary: fmt.Sprintf("已核定补发遗属待遇%d个月（%s），补发金额合计%s元，支付单号%s。", len(months), span, p.Amount, p.Ref),
		History: []application.Change{{Record: "待遇补发", Field: "payment", New: fmt.Sprintf("%s元（%s）", p.Amount, strings.Join(periods, ","))}}}, nil
}

// unpaidMonths lists the months from change to now (inclusive) in which
// b was due and not paid, leaving out those in paid.
func unpaidMonths(b ledger.Benefit, change, now calc.YearMonth, paid map[string]bool) []calc.YearMonth {
	lo, end := change, b.Start // never suspended: the months before the start
	if !b.StatusFrom.IsZero() && b.StatusFrom.After(b.Start) {
		end = b.StatusFrom // resumed: the months before the resumption ...
		if b.Start.After(lo) {
			lo = b.Start // ... since the start ...
		}
		if s, err := calc.ParseDate(b.Info[infoSuspendStart]); err == nil && s.YearMonth().After(lo) {
			lo = s.YearMonth() // ... and since the suspension
		}
	}
	if end.After(now.AddMonths(1)) {
		end = now.AddMonths(1)
	}
	var out []calc.YearMonth
	for m := lo; m.Before(end); m = m.AddMonths(1) {
		if !paid[m.String()] {
			out = append(out, m)
		}
	}
	return out
}

// paidBack is the set of months earlier back-pays of kind cover.
func paidBack(ps []ledger.Payment, kind string) map[string]bool {
	out := map[string]bool{}
	for _, p := range ps {
		if p.Kind == kind {
			for _, m := range p.Periods {
				out[m] = true
			}
		}
	}
	return out
}

// applicantBenefit is the applicant's survivor benefit.
func applicantBenefit(in application.EffectInput) (ledger.Benefit, error) {
	if in.Records.Dossier == nil {
		return ledger.Benefit{}, application.CannotApply("未查到申请人的参保信息")
	}
	return survivorBenefit(*in.Records.Dossier)
}

// subjectDossier is the dossier of the person a 4.19 report names (the
// applicant's own when the form names them).
func subjectDossier(ctx context.Context, in application.EffectInput) (ledger.Dossier, error) {
	n := strings.TrimSpace(in.Snapshot.Fields["personNumber"])
	if d := in.Records.Dossier; d != nil && (n == "" || n == d.Person.Number) {
		return *d, nil
	}
	if n == "" {
		return ledger.Dossier{}, application.CannotApply("未填写人员编号，无法确定待遇领取人")
	}
	d, err := in.Store.Dossier(ctx, n)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return ledger.Dossier{}, application.CannotApply("未查到人员编号%s的参保信息", n)
		}
		return ledger.Dossier{}, fmt.Errorf("survivorapi: dossier: %w", err)
	}
	return d, nil
}

// survivorBenefit is the person's survivor benefit: the one not
// terminated, else the terminated one (for the message).
func survivorBenefit(d ledger.Dossier) (ledger.Benefit, error) {
	var live, ended []ledger.Benefit
	for _, b := range d.Benefits {
		if b.Kind != ledger.BenefitSurvivor || b.PersonNumber != d.Person.Number {
			continue
		}
		if b.Status == ledger.BenefitTerminated {
			ended = append(ended, b)
		} else {
			live = append(live, b)
		}
	}
	switch {
	case len(live) == 1:
		return live[0], nil
	case len(live) > 1:
		return ledger.Benefit{}, application.CannotApply("人员编号%s有%d条遗属待遇记录，须由经办机构确定办理哪一条", d.Person.Number, len(live))
	case len(ended) > 0:
		return ledger.Benefit{}, application.CannotApply("人员编号%s的遗属待遇已终止发放", d.Person.Number)
	}
	return ledger.Benefit{}, application.CannotApply("未查到人员编号%s的遗属待遇记录", d.Person.Number)
}

// statusChange sets b's status from month and returns its History.
func statusChange(b *ledger.Benefit, status string, from calc.YearMonth) []application.Change {
	h := []application.Change{{Record: recordBenefit, Field: "status", Old: statusText(b.Status), New: status}}
	if b.StatusFrom != from {
		h = append(h, application.Change{Record: recordBenefit, Field: "statusFrom", Old: b.StatusFrom.String(), New: from.String()})
	}
	b.Status, b.StatusFrom = status, from
	return h
}

// setInfo sets (or, with "", removes) an Info value of b and returns its
// History entry (zero when unchanged).
func setInfo(b *ledger.Benefit, bus *catalog.Business, key, v string) application.Change {
	v = strings.TrimSpace(v)
	old := b.Info[key]
	if old == v {
		return application.Change{}
	}
	info := maps.Clone(b.Info)
	if info == nil {
		info = map[string]string{}
	}
	if v == "" {
		delete(info, key)
	} else {
		info[key] = v
	}
	b.Info = info
	f, _ := bus.Field(key)
	return application.Change{Record: recordBenefit, Field: key, Old: application.FieldText(f, old), New: application.FieldText(f, v)}
}

// compact drops the zero entries of h.
func compact(h []application.Change) []application.Change {
	return slices.DeleteFunc(h, func(c application.Change) bool { return c == application.Change{} })
}

// statusText is a benefit status as shown: "" is paying.
func statusText(s string) string {
	if s == "" {
		return ledger.BenefitPaying
	}
	return s
}
