package enterpriseapi

// Decision effects (办结) of the family: what an approved application
// changes in the unit's ledger record.
//
//   - 5.4, 5.7 and 5.8 change the unit's attributes from the form: the
//     typed ones where the business changes them (单位类型 and 单位参保状态 in
//     5.4, 单位类型 and 行政区划代码(公共) in 5.7, 单位名称 and 统一社会信用代码 in
//     5.8), every other field in Unit.Info under its catalog key (enums by
//     code). Fields a form only shows to identify the unit are left as they
//     are, and so is a value the applicant left empty. Old values go to the
//     History. 5.4 with 单位参保状态 终止参保 deregisters the unit as 5.10
//     does.
//   - 5.9 creates the unit with a new 单位编号 (see nextNumber), registered
//     (正常参保) in the pooling area of its 行政区划代码. The applicant's
//     account is linked to it by credit code and name at its next login.
//   - 5.10 deregisters the unit (已注销) once no employee is on its payroll.
//
// A 统一社会信用代码 belongs to one unit: 5.9 and a 5.8 that changes it claim
// the code with an item of their own (claimKey) in the effect's
// transaction, so that two decisions applied at once cannot both take it.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
)

// effects are the family's decision effects, by business id.
var effects = map[string]application.EffectFunc{
	"unit-insurance-info-change":    maintain(insuranceInfo),
	"unit-general-info-maintenance": maintain(generalInfo),
	"unit-key-info-maintenance":     maintain(keyInfo),
	"unit-enrol":                    enrol,
	"unit-deregister":               deregister,
}

// recordUnit names the unit record in the History.
const recordUnit = "单位信息"

// attr is a typed attribute of the unit a form field changes. It keeps an
// enum's label, or its code when code is set; from turns that into the
// stored value (nil: as it is).
type attr struct {
	get  func(ledger.Unit) string
	set  func(*ledger.Unit, string)
	from func(string) string
	code bool
}

var (
	attrName = attr{get: func(u ledger.Unit) string { return u.Name }, set: func(u *ledger.Unit, v string) { u.Name = v }}
	attrCode = attr{get: func(u ledger.Unit) string { return u.CreditCode },
		set: func(u *ledger.Unit, v string) { u.CreditCode = v }, from: strings.ToUpper}
	attrType = attr{get: func(u ledger.Unit) string { return u.Type }, set: func(u *ledger.Unit, v string) { u.Type = v }}
	attrArea = attr{get: func(u ledger.Unit) string { return u.PoolingArea },
		set: func(u *ledger.Unit, v string) { u.PoolingArea = v }, code: true}
	// attrStatus is 单位参保状态: 正常参保 and 暂停参保 as they are, 终止参保
	// is the deregistration of 5.10.
	attrStatus = attr{get: unitStatus, set: func(u *ledger.Unit, v string) { u.Status = v }, from: func(v string) string {
		if v == "终止参保" {
			return ledger.UnitDeregistered
		}
		return v
	}}
)

// form says what a maintenance business changes: the fields kept in typed
// attributes, and those that only identify the unit.
type form struct {
	what  string // the information, in the summary
	typed map[string]attr
	shown []string
}

var (
	insuranceInfo = form{what: "单位参保信息",
		typed: map[string]attr{"unitType": attrType, "unitInsuredStatus": attrStatus},
		shown: []string{"unitName", "unitNumber", "uscc"}}
	// generalInfo: 组织机构代码 is part of the credit code, which only 5.8
	// changes.
	generalInfo = form{what: "单位一般信息",
		typed: map[string]attr{"unitType": attrType, "publicRegionCode": attrArea},
		shown: []string{"unitName", "uscc", "orgCode"}}
	keyInfo = form{what: "单位关键信息",
		typed: map[string]attr{"unitName": attrName, "uscc": attrCode},
		shown: []string{"unitNumber", "orgCode"}}
)

// maintain is the effect of a business that changes the unit's
// information as f says.
func maintain(f form) application.EffectFunc {
	return func(ctx context.Context, in application.EffectInput) (application.Effect, error) {
		u, err := registered(in)
		if err != nil {
			return application.Effect{}, err
		}
		next := u
		next.Info = maps.Clone(u.Info)
		var hist []application.Change
		var labels []string
		for i := range in.Business.Fields {
			fd := &in.Business.Fields[i]
			v := strings.TrimSpace(in.Snapshot.Fields[fd.Key])
			if v == "" || slices.Contains(f.shown, fd.Key) {
				continue
			}
			old, nv := next.Info[fd.Key], v
			if a, ok := f.typed[fd.Key]; ok {
				old = a.get(next)
				if !a.code {
					nv = label(fd, v)
				}
				if a.from != nil {
					nv = a.from(nv)
				}
				if old == nv {
					continue
				}
				a.set(&next, nv)
			} else {
				if old == nv {
					continue
				}
				if next.Info == nil {
					next.Info = map[string]string{}
				}
				next.Info[fd.Key] = nv
			}
			hist = append(hist, application.Change{Record: recordUnit, Field: fd.Key, Old: show(fd, old), New: show(fd, nv)})
			labels = append(labels, fd.Label)
		}
		if len(hist) == 0 {
			return application.Effect{Summary: f.what + "与登记信息一致，未作变更。"}, nil
		}
		var extra []table.Op
		if next.CreditCode != u.CreditCode {
			op, err := claimCode(ctx, in.Store, next.CreditCode, u.Number)
			if err != nil {
				return application.Effect{}, err
			}
			extra = append(extra, op)
		}
		if next.Status == ledger.UnitDeregistered {
			if err := offPayroll(ctx, in.Store, u.Number); err != nil {
				return application.Effect{}, err
			}
		}
		return application.Effect{
			Changes: ledger.Changes{Put: []ledger.Record{next}, Extra: extra},
			Summary: fmt.Sprintf("已变更%s%d项：%s。", f.what, len(labels), list(labels)),
			History: hist,
		}, nil
	}
}

// enrol registers the unit of 5.9 under a new 单位编号.
func enrol(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	if u := in.Records.Unit; u != nil {
		return application.Effect{}, application.CannotApply("本单位已在参保系统中登记（单位编号%s），无需重复办理单位参保登记", u.Number)
	}
	v := in.Snapshot.Fields
	code := strings.ToUpper(strings.TrimSpace(v["uscc"]))
	area := application.PoolingAreaOf(v["regionCode"])
	number, seq, err := nextNumber(ctx, in.Store, area[:4]+unitSeries)
	if err != nil {
		return application.Effect{}, err
	}
	claim, err := claimCode(ctx, in.Store, code, number)
	if err != nil {
		return application.Effect{}, err
	}
	u := ledger.Unit{Number: number, CreditCode: code, Name: v["unitName"], PoolingArea: area, Status: ledger.UnitActive}
	typed := map[string]bool{"uscc": true, "unitName": true, "unitType": true}
	for i := range in.Business.Fields {
		fd := &in.Business.Fields[i]
		val := strings.TrimSpace(v[fd.Key])
		switch {
		case val == "":
		case fd.Key == "unitType":
			u.Type = label(fd, val)
		case !typed[fd.Key]:
			if u.Info == nil {
				u.Info = map[string]string{}
			}
			u.Info[fd.Key] = val
		}
	}
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{u}, Extra: []table.Op{seq, claim}},
		Summary: fmt.Sprintf("单位参保登记已办结，单位编号%s。请重新登录后办理本单位的社会保险业务。", number),
		History: []application.Change{
			{Record: recordUnit, Field: "unitNumber", New: number},
			{Record: recordUnit, Field: "unitInsuredStatus", New: ledger.UnitActive},
		},
	}, nil
}

// deregister is 5.10: the unit is 已注销 once no employee is on its payroll.
func deregister(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	u, err := registered(in)
	if err != nil {
		return application.Effect{}, err
	}
	if err := offPayroll(ctx, in.Store, u.Number); err != nil {
		return application.Effect{}, err
	}
	next := u
	next.Status = ledger.UnitDeregistered
	return application.Effect{
		Changes: ledger.Changes{Put: []ledger.Record{next}},
		Summary: "单位社会保险登记已注销。",
		History: []application.Change{{Record: recordUnit, Field: "unitInsuredStatus", Old: unitStatus(u), New: ledger.UnitDeregistered}},
	}, nil
}

// registered is the applicant's unit as read now, if it is registered and
// not deregistered.
func registered(in application.EffectInput) (ledger.Unit, error) {
	u := in.Records.Unit
	if u == nil {
		return ledger.Unit{}, application.CannotApply("未找到本单位的参保登记信息")
	}
	if u.Status == ledger.UnitDeregistered {
		return ledger.Unit{}, application.CannotApply("本单位的社会保险登记已注销")
	}
	return *u, nil
}

// unitStatus is the unit's 单位参保状态 ("" is 正常参保).
func unitStatus(u ledger.Unit) string {
	if u.Status == "" {
		return ledger.UnitActive
	}
	return u.Status
}

// offPayroll refuses to deregister a unit that still has employees on its
// payroll (an employment spell without an end), as the submit rule does.
func offPayroll(ctx context.Context, st *ledger.Store, unit string) error {
	staff, err := st.UnitStaff(ctx, unit)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	n := 0
	for _, sp := range staff {
		if sp.To.IsZero() {
			n++
		}
	}
	if n > 0 {
		return application.CannotApply("本单位仍有%d名在职参保职工，请先为其办理职工暂停缴费（5.13）后再注销", n)
	}
	return nil
}

// Numbers of new units.
const (
	// unitSeries follows the 4-digit prefix of the pooling area in the
	// numbers 5.9 gives (2309800001): the demo and imported units are
	// numbered otherwise, and a number taken all the same is skipped.
	unitSeries = "8"
)

// nextNumber returns a new 单位编号 of a series (<area[:4]>8NNNNN) and the
// counter's write for the effect's transaction (ledger.Store.NextNumber).
func nextNumber(ctx context.Context, st *ledger.Store, prefix string) (string, table.Op, error) {
	n, op, ok, err := st.NextNumber(ctx, ledger.SeriesUnit, prefix)
	if err == nil && !ok {
		err = application.CannotApply("统筹区%s没有可分配的单位编号，请人工处理", prefix[:4])
	}
	return n, op, err
}

// pkClaim keys the claim of a 统一社会信用代码.
const pkClaim = "LEDGER#CLAIM#USCC#"

// claimCode returns the write that gives code to unit: no claim yet, or a
// claim of a unit that no longer has the code, is taken over; a unit
// registered with the code is CannotApply. The write fails the effect's
// transaction when another decision claimed the code meanwhile.
func claimCode(ctx context.Context, st *ledger.Store, code, unit string) (table.Op, error) {
	if u, err := st.UnitByCreditCode(ctx, code); err == nil && u.Number != unit {
		return table.Op{}, taken(u.Number)
	} else if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return table.Op{}, err
	}
	k := table.Key{PK: pkClaim + code, SK: "CLAIM"}
	item := func(v int64) table.Item {
		return table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "uscc-claim", "Unit": unit, table.AttrVersion: v}
	}
	it, err := st.Table().Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return table.Put(item(1), table.IfAbsent()), nil
	}
	if err != nil {
		return table.Op{}, fmt.Errorf("enterpriseapi: credit code claim: %w", err)
	}
	if owner := it.String("Unit"); owner != unit {
		switch o, err := st.Unit(ctx, owner); {
		case err == nil && o.CreditCode == code:
			return table.Op{}, taken(owner)
		case err != nil && apperr.CodeOf(err) != apperr.NotFound:
			return table.Op{}, err
		}
	}
	v := it.Int(table.AttrVersion)
	return table.Put(item(v+1), table.IfVersion(v)), nil
}

func taken(unit string) error {
	return application.CannotApply("该统一社会信用代码的单位已参保登记（单位编号%s），请核对", unit)
}

// label is the display value of a form value: an enum's label, else the
// value.
func label(f *catalog.Field, v string) string {
	if f.Enum == "" || v == "" {
		return v
	}
	if t, ok := catalog.Default().Tables().Table(f.Enum); ok {
		if e, ok := t.Lookup(v); ok {
			return e.Label
		}
	}
	return v
}

// show is a value as the History keeps it: an enum's label, an identity
// number masked.
func show(f *catalog.Field, v string) string {
	switch f.Type {
	case catalog.TypeIDNumber, catalog.TypeSocialSecurityNumber:
		return checks.MaskID(v)
	case catalog.TypeBankAccount:
		return checks.MaskAccount(v)
	}
	return label(f, v)
}

// list names at most four changed fields for the summary.
func list(labels []string) string {
	const most = 4
	if len(labels) <= most {
		return strings.Join(labels, "、")
	}
	return strings.Join(labels[:most], "、") + "等"
}
