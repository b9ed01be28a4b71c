package contributionsapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table"
)

// What an approved decision of the family does (办结; see
// shared/application/decision.go):
//
//   - 4.4 个人退费 marks the ticked paid rows refunded, each with its refund
//     (the row's share of the table's 合计金额: 个人实缴 金额 + 利息).
//   - 4.6, 4.9, 5.1 and 5.5 turn the ticked unpaid rows into payable items:
//     each row gets the application's reference as its 缴费单号 and, as
//     Payable, its share of the table's grand total (金额 + 利息 as frozen
//     at submit). The rows stay unpaid until the payment arrives.
//   - 5.2 单位职工工资申报 stores the declared wages of the accepted
//     缴费申报文件 as the unit's WageDeclaration of the year.
//   - 5.14 职工个人缴费基数变更 sets the declared base (Spell.Base) of the
//     employee's spells at the unit.
//
// A ticked row is found again in the ledger by its period, unit, a kind
// the table lists and the figures it showed (base, amounts; the recorded
// interest of 4.4). A row no longer as submitted — gone, changed, already
// refunded or paid, on another payment — stops the effect
// (application.CannotApply): the case goes to staff, nothing is written.
var effects = map[string]application.EffectFunc{
	"personal-refund":                       refund,
	"employee-base-adjustment-back-payment": payable("差额补缴"),
	"employee-rate-adjustment-back-payment": payable("差额补缴"),
	"employee-back-payment":                 payable("补缴"),
	"employee-arrears-clearance":            payable("清欠"),
	declarationBusiness:                     wageDeclaration,
	"employee-base-change":                  baseChange,
}

// refund is 4.4's effect.
func refund(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	rows, cs, total, err := selected(ctx, in, ledger.StatusPaid)
	if err != nil {
		return application.Effect{}, err
	}
	var e application.Effect
	for i, c := range cs {
		old := c.Status
		c.Status, c.Refund = ledger.StatusRefunded, rows[i].amount
		e.Put = append(e.Put, c)
		rec := "缴费记录" + c.Period.String()
		e.History = append(e.History,
			application.Change{Record: rec, Field: "Status", Old: old.Label(), New: c.Status.Label()},
			application.Change{Record: rec, Field: "Refund", New: c.Refund.String()})
	}
	e.Summary = fmt.Sprintf("已退费%d条记录（%s），退费金额合计%s元，支付单号%s。", len(cs), periodSpan(rows), total, in.App.Reference)
	return e, nil
}

// payable is the effect of the back-payments (4.6, 4.9, 5.1) and the
// arrears clearance (5.5); what names the payment in the result.
func payable(what string) application.EffectFunc {
	return func(ctx context.Context, in application.EffectInput) (application.Effect, error) {
		rows, cs, total, err := selected(ctx, in, ledger.StatusUnpaid)
		if err != nil {
			return application.Effect{}, err
		}
		ref := in.App.Reference
		var e application.Effect
		for i, c := range cs {
			if c.PaymentRef != "" && c.PaymentRef != ref {
				return application.Effect{}, application.CannotApply("费款所属期%s已列入缴费单%s，不能重复生成缴费单", c.Period, c.PaymentRef)
			}
			oldRef, oldPayable := c.PaymentRef, c.Payable
			c.PaymentRef, c.Payable = ref, rows[i].amount
			e.Put = append(e.Put, c)
			rec := "缴费记录" + c.Period.String()
			e.History = append(e.History,
				application.Change{Record: rec, Field: "PaymentRef", Old: oldRef, New: ref},
				application.Change{Record: rec, Field: "Payable", Old: fenText(oldPayable), New: c.Payable.String()})
		}
		e.Summary = fmt.Sprintf("已生成%s缴费单：%d条记录（%s），应缴金额合计%s元，缴费单号%s。", what, len(cs), periodSpan(rows), total, ref)
		return e, nil
	}
}

// selected reads the ticked rows of the snapshot and finds each in the
// ledger with status want: the rows, the contributions as read (Version
// kept) and the rows' grand total.
func selected(ctx context.Context, in application.EffectInput, want ledger.Status) ([]tickedRow, []ledger.Contribution, ledger.Fen, error) {
	def := in.Business.Ledger
	if def == nil {
		return nil, nil, 0, application.CannotApply("业务“%s”没有记录一览表", in.Business.Name)
	}
	d, unit, err := subject(ctx, in)
	if err != nil {
		return nil, nil, 0, err
	}
	rows, total, err := tickedRows(def, in.Snapshot.Ledger)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, r := range rows {
		if unit != "" && r.unit != unit {
			return nil, nil, 0, application.CannotApply("费款所属期%s的记录不属于本单位", r.period)
		}
	}
	cs, err := match(d.Contributions, def, rows, want)
	if err != nil {
		return nil, nil, 0, err
	}
	return rows, cs, total, nil
}

// subject is the person whose rows the application ticked, read now: the
// applicant (an individual), or the employee the agent named
// (personNumber) with the agent's unit.
func subject(ctx context.Context, in application.EffectInput) (ledger.Dossier, string, error) {
	if in.Business.UserType != catalog.Enterprise {
		if in.Records.Dossier == nil || in.Records.Dossier.Person.Number != in.App.Person {
			return ledger.Dossier{}, "", application.CannotApply("未找到申请人的参保记录")
		}
		return *in.Records.Dossier, "", nil
	}
	unit, person := in.App.Unit, in.Snapshot.Fields["personNumber"]
	if unit == "" {
		return ledger.Dossier{}, "", application.CannotApply("申请单位尚未在参保系统中登记")
	}
	d, err := in.Store.Dossier(ctx, person)
	if apperr.CodeOf(err) == apperr.NotFound {
		return ledger.Dossier{}, "", application.CannotApply("未找到人员编号%s的参保记录", person)
	}
	if err != nil {
		return ledger.Dossier{}, "", err
	}
	return d, unit, nil
}

// tickedRow is one ticked row of a submitted record table.
type tickedRow struct {
	period calc.YearMonth
	unit   string
	cells  map[string]string // by flat column label
	amount ledger.Fen        // the row's share of the grand total
}

// grandTotal is the total a payment or refund is of: the record table's
// last (合计金额, 合计应缴总额).
func grandTotal(def *catalog.Ledger) (catalog.LedgerTotal, bool) {
	if len(def.Totals) == 0 {
		return catalog.LedgerTotal{}, false
	}
	return def.Totals[len(def.Totals)-1], true
}

// tickedRows reads the snapshot's ticked rows with each row's amount: the
// sum of its cells in the grand total's columns, as frozen at submit. The
// rows' sum must be the total the applicant saw.
func tickedRows(def *catalog.Ledger, snap *application.LedgerSnapshot) ([]tickedRow, ledger.Fen, error) {
	if snap == nil || len(snap.Rows) == 0 {
		return nil, 0, application.CannotApply("提交的%s中没有勾选的记录", def.Title)
	}
	grand, ok := grandTotal(def)
	if !ok {
		return nil, 0, application.CannotApply("%s没有合计金额", def.Title)
	}
	var rows []tickedRow
	var total ledger.Fen
	for _, sr := range snap.Rows {
		p, err := calc.ParseYearMonth(sr.Period)
		if err != nil || len(sr.Cells) != len(snap.Columns) {
			return nil, 0, application.CannotApply("提交的%s第%d行无法识别", def.Title, len(rows)+1)
		}
		r := tickedRow{period: p, unit: sr.Unit, cells: make(map[string]string, len(sr.Cells))}
		for i, col := range snap.Columns {
			r.cells[col] = sr.Cells[i]
		}
		for _, col := range grand.Sum {
			f, err := ledger.ParseFen(r.cells[col])
			if err != nil {
				return nil, 0, application.CannotApply("费款所属期%s的“%s”无法识别", p, col)
			}
			r.amount += f
		}
		total += r.amount
		rows = append(rows, r)
	}
	for _, t := range snap.Totals {
		if t.Label != grand.Label {
			continue
		}
		if f, err := ledger.ParseFen(t.Value); err != nil || f != total {
			return nil, 0, application.CannotApply("%s与所勾选记录之和（%s元）不一致", grand.Label, total)
		}
	}
	return rows, total, nil
}

// match finds each ticked row among cs: same period and unit, a kind the
// table lists, the figures the row showed, and status want. Two rows of a
// period (two kinds) match two contributions.
func match(cs []ledger.Contribution, def *catalog.Ledger, rows []tickedRow, want ledger.Status) ([]ledger.Contribution, error) {
	used := make([]bool, len(cs))
	out := make([]ledger.Contribution, 0, len(rows))
	for _, r := range rows {
		found, other := -1, -1
		for i, c := range cs {
			if used[i] || c.Period != r.period || c.UnitNumber != r.unit || !listed(def, c.Kind) || !sameFigures(def, c, r) {
				continue
			}
			if c.Status == want {
				found = i
				break
			}
			if other < 0 {
				other = i
			}
		}
		switch {
		case found >= 0:
			used[found] = true
			out = append(out, cs[found])
		case other >= 0:
			return nil, application.CannotApply("费款所属期%s的记录现为“%s”，不再是“%s”", r.period, cs[other].Status.Label(), want.Label())
		default:
			return nil, application.CannotApply("费款所属期%s的记录已变化或不存在，请核对后重新申请", r.period)
		}
	}
	return out, nil
}

// listed reports whether the table lists rows of kind k.
func listed(def *catalog.Ledger, k ledger.Kind) bool {
	return len(def.Rows.Kinds) == 0 || slices.Contains(def.Rows.Kinds, string(k))
}

// sameFigures reports whether c shows what row r showed: base, 参保身份,
// amounts, and the interest where the table shows the recorded one
// (accrued interest depends on the day and is not compared).
func sameFigures(def *catalog.Ledger, c ledger.Contribution, r tickedRow) bool {
	recorded := def.Rows.Interest == catalog.InterestRecorded
	for _, cell := range def.Cells() {
		text, ok := r.cells[cell.Label]
		if !ok {
			continue
		}
		var want string
		switch cell.Value {
		case catalog.CellBase:
			want = c.Base.String()
		case catalog.CellInsured:
			want = c.Insured
		case catalog.CellAmount:
			want = c.Parts[cell.Part].Amount.String()
		case catalog.CellInterest:
			if !recorded {
				continue
			}
			want = c.Parts[cell.Part].Interest.String()
		default:
			continue
		}
		if text != want {
			return false
		}
	}
	return true
}

// periodSpan names the rows' periods for a result: 202202, or
// 201304至201312.
func periodSpan(rows []tickedRow) string {
	lo, hi := rows[0].period, rows[0].period
	for _, r := range rows[1:] {
		if r.period.Before(lo) {
			lo = r.period
		}
		if r.period.After(hi) {
			hi = r.period
		}
	}
	if lo == hi {
		return "费款所属期" + lo.String()
	}
	return "费款所属期" + lo.String() + "至" + hi.String()
}

// fenText is an amount, "" for none.
func fenText(f ledger.Fen) string {
	if f == 0 {
		return ""
	}
	return f.String()
}

// maxDeclarationJSON bounds the rows of a stored wage declaration (one
// ledger item; DynamoDB takes 400 KB).
const maxDeclarationJSON = 350_000

// wageDeclaration is 5.2's effect: the accepted 缴费申报文件 as submitted,
// read again, becomes the unit's wage declaration of the year (replacing
// an earlier one of that year). Each row must still name an employee of
// the unit, once, with a positive wage; the name stored is the ledger's.
func wageDeclaration(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	unit := in.App.Unit
	year, err := strconv.Atoi(in.Snapshot.Fields["year"])
	if unit == "" || err != nil || year < 1900 || year > 9999 {
		return application.Effect{}, application.CannotApply("申报单位或申报年度无法识别")
	}
	data, err := declarationFile(ctx, in)
	if err != nil {
		return application.Effect{}, err
	}
	rows, err := declaredWages(ctx, in.Store, unit, data)
	if err != nil {
		return application.Effect{}, err
	}
	if b, err := json.Marshal(rows); err != nil || len(b) > maxDeclarationJSON {
		return application.Effect{}, application.CannotApply("申报职工过多（%d名），无法作为一份申报登记，请人工处理", len(rows))
	}
	w := ledger.WageDeclaration{UnitNumber: unit, Year: year, Rows: rows, Application: in.App.ID}
	old, err := in.Store.Wages(ctx, unit, year)
	switch {
	case err == nil:
		w.Version = old.Version
	case !errors.Is(err, table.ErrNotFound):
		return application.Effect{}, err
	}
	var sum ledger.Fen
	for _, r := range rows {
		sum += r.Wage
	}
	e := application.Effect{Changes: ledger.Changes{Put: []ledger.Record{w}},
		Summary: fmt.Sprintf("已登记%d年度职工工资申报：%d名职工，月平均工资合计%s元。", year, len(rows), sum)}
	e.History = []application.Change{{Record: "职工工资申报" + fmt.Sprint(year), Field: "Rows", Old: rowCount(old.Rows, old.Version), New: fmt.Sprintf("%d名职工", len(rows))}}
	return e, nil
}

func rowCount(rows []ledger.WageRow, version int64) string {
	if version == 0 {
		return ""
	}
	return fmt.Sprintf("%d名职工", len(rows))
}

// declarationFile reads the 缴费申报文件 the round was submitted with (the
// lifecycle checks it is the file submitted: its SHA-256).
func declarationFile(ctx context.Context, in application.EffectInput) ([]byte, error) {
	i := slices.IndexFunc(in.Snapshot.Materials, func(m application.SnapMaterial) bool { return m.Material == declarationMaterial })
	if i < 0 {
		return nil, application.CannotApply("提交的材料中没有%s", declarationMaterial)
	}
	if in.ReadMaterial == nil {
		return nil, application.CannotApply("%s暂时无法读取，请人工处理", declarationMaterial)
	}
	data, err := in.ReadMaterial(ctx, in.Snapshot.Materials[i])
	if err != nil {
		return nil, err
	}
	return data, nil
}

// declaredWages reads the declaration's rows as checkDeclaration did at
// upload, against the unit's employees now: a row that no longer passes
// (the employee left, say) stops the effect.
func declaredWages(ctx context.Context, ls *ledger.Store, unit string, data []byte) ([]ledger.WageRow, error) {
	book, err := workbook(data)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		return nil, application.CannotApply("无法读取工资申报表")
	}
	defer f.Close()
	staff, err := employees(ctx, ls, unit)
	if err != nil {
		return nil, err
	}
	byNumber := map[string]ledger.Person{}
	for _, p := range staff {
		byNumber[p.Number] = p
	}
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return nil, application.CannotApply("无法读取工资申报表的工作表")
	}
	defer rows.Close()
	colOf := map[string]int{}
	seen := map[string]bool{}
	var out []ledger.WageRow
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, application.CannotApply("工资申报表第%d行无法读取", n)
		}
		if n == 1 {
			for i, c := range cells {
				colOf[strings.TrimSpace(c)] = i
			}
			if _, ok := colOf[colPerson]; !ok {
				return nil, application.CannotApply("工资申报表表头缺少“%s”列", colPerson)
			}
			if _, ok := colOf[colWage]; !ok {
				return nil, application.CannotApply("工资申报表表头缺少“%s”列", colWage)
			}
			continue
		}
		if n > maxDeclarationRows+1 {
			return nil, errTooBig
		}
		cell := func(name string) string {
			if i := colOf[name]; i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		person, wage := cell(colPerson), cell(colWage)
		if person == "" && wage == "" {
			continue
		}
		p, employed := byNumber[person]
		w, err := ledger.ParseFen(strings.ReplaceAll(wage, ",", ""))
		switch {
		case !employed:
			return nil, application.CannotApply("工资申报表第%d行：人员编号%s不是本单位在职职工", n, clip(person))
		case seen[person]:
			return nil, application.CannotApply("工资申报表第%d行：人员编号%s重复申报", n, person)
		case err != nil || w <= 0:
			return nil, application.CannotApply("工资申报表第%d行：上年度月平均工资无法识别", n)
		}
		seen[person] = true
		out = append(out, ledger.WageRow{PersonNumber: p.Number, Name: p.Name, Wage: w})
	}
	if err := rows.Error(); err != nil {
		return nil, application.CannotApply("无法读取工资申报表")
	}
	if len(out) == 0 {
		return nil, application.CannotApply("工资申报表中没有职工")
	}
	return out, nil
}

// baseLine is one base 5.14 declares: from..to (zero: open) at base. The
// form's own line gives 缴费基数, else 工资; each 新增 row its 工资.
type baseLine struct {
	from, to calc.YearMonth
	base     ledger.Fen
}

// baseLines reads the declared lines; a line without an amount declares
// nothing.
func baseLines(fields map[string]string, rows []map[string]string) ([]baseLine, error) {
	var out []baseLine
	add := func(m map[string]string, amountKeys ...string) error {
		var l baseLine
		for _, k := range amountKeys {
			if v := m[k]; v != "" && l.base == 0 {
				f, err := ledger.ParseFen(v)
				if err != nil || f < 0 {
					return application.CannotApply("缴费基数“%s”无法识别", v)
				}
				l.base = f
			}
		}
		if l.base == 0 {
			return nil
		}
		for _, x := range []struct {
			key string
			ym  *calc.YearMonth
		}{{"startYearMonth", &l.from}, {"endYearMonth", &l.to}} {
			if v := m[x.key]; v != "" {
				ym, err := calc.ParseYearMonth(v)
				if err != nil {
					return application.CannotApply("年月“%s”无法识别", v)
				}
				*x.ym = ym
			}
		}
		out = append(out, l)
		return nil
	}
	if err := add(fields, "contributionBase", "wage"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := add(r, "wage"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// baseChange is 5.14's effect: the employee named by 身份证号码 (and 姓名)
// gets, on each of its spells at the unit that a declared line falls in,
// that line's base. A spell holds one declared base: of several lines in
// one spell the one starting last (the later, on a tie) is the base.
func baseChange(ctx context.Context, in application.EffectInput) (application.Effect, error) {
	unit := in.App.Unit
	if unit == "" {
		return application.Effect{}, application.CannotApply("申请单位尚未在参保系统中登记")
	}
	lines, err := baseLines(in.Snapshot.Fields, in.Snapshot.Rows)
	if err != nil {
		return application.Effect{}, err
	}
	if len(lines) == 0 {
		return application.Effect{}, application.CannotApply("未填写缴费基数或工资，没有可变更的缴费基数")
	}
	spells, err := unitSpells(ctx, in.Store, unit, in.Snapshot.Fields["idNumber"], in.Snapshot.Fields["name"])
	if err != nil {
		return application.Effect{}, err
	}
	chosen, err := spellBases(spells, lines)
	if err != nil {
		return application.Effect{}, err
	}
	var e application.Effect
	var said []string
	for i, sp := range spells {
		l, ok := chosen[i]
		if !ok {
			continue
		}
		old := sp.Base
		sp.Base = l.base
		e.Put = append(e.Put, sp)
		e.History = append(e.History, application.Change{Record: "参保期间" + sp.From.String() + "起", Field: "Base", Old: fenText(old), New: sp.Base.String()})
		from := l.from
		if from.IsZero() {
			from = sp.From
		}
		said = append(said, fmt.Sprintf("自%d年%02d月起%s元", from.Year, int(from.Month), sp.Base))
	}
	e.Summary = "职工缴费基数已变更：" + strings.Join(said, "；") + "。"
	return e, nil
}

// unitSpells are the spells at unit of the person with ID number id, whose
// name must be name, by start.
func unitSpells(ctx context.Context, ls *ledger.Store, unit, id, name string) ([]ledger.Spell, error) {
	p, err := ls.PersonByIDNumber(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, application.CannotApply("未找到该身份证号码对应的参保人员")
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) != p.Name {
		return nil, application.CannotApply("姓名与参保记录不一致")
	}
	d, err := ls.Dossier(ctx, p.Number)
	if err != nil {
		return nil, err
	}
	var out []ledger.Spell
	for _, sp := range d.Spells {
		if sp.UnitNumber == unit {
			out = append(out, sp)
		}
	}
	if len(out) == 0 {
		return nil, application.CannotApply("该职工在本单位没有参保记录")
	}
	slices.SortFunc(out, func(a, b ledger.Spell) int { return a.From.Compare(b.From) })
	return out, nil
}

// spellBases picks, by spell index, the line whose base the spell takes: a
// line falls in the spell that contains its start and end (a line without
// a start: the current spell, else the latest).
func spellBases(spells []ledger.Spell, lines []baseLine) (map[int]baseLine, error) {
	chosen := map[int]baseLine{}
	for _, l := range lines {
		i := len(spells) - 1
		if j := slices.IndexFunc(spells, func(sp ledger.Spell) bool { return sp.To.IsZero() }); j >= 0 {
			i = j
		}
		if !l.from.IsZero() {
			i = slices.IndexFunc(spells, func(sp ledger.Spell) bool { return sp.Contains(l.from) })
		}
		if i < 0 || (!l.to.IsZero() && !spells[i].Contains(l.to)) {
			return nil, application.CannotApply("%s不在该职工在本单位的参保期间内", lineSpan(l))
		}
		start := func(x baseLine) calc.YearMonth { return cmp.Or(x.from, spells[i].From) }
		if prev, ok := chosen[i]; !ok || !start(l).Before(start(prev)) {
			chosen[i] = l
		}
	}
	return chosen, nil
}

// lineSpan names a line's months for a reason.
func lineSpan(l baseLine) string {
	switch {
	case l.from.IsZero() && l.to.IsZero():
		return "申报的缴费基数"
	case l.to.IsZero():
		return l.from.String() + "起"
	case l.from.IsZero():
		return l.to.String() + "止"
	}
	return l.from.String() + "至" + l.to.String()
}
