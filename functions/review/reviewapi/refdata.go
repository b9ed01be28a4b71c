package reviewapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/access"
	"github.com/hljhrss/hrss/shared/app"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application/familyapi"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
)

// Admins may call the reference-data routes; reviewers may not.
var admins = access.Allow(identity.RoleAdmin)

// ActionRefdataPut is the audit action of an admin's write of reference
// data; its object is "<kind>/<natural key>".
const ActionRefdataPut = "refdata.put"

// refdataKinds are the kinds admins list and edit here, in the order
// listed, with their Chinese names.
var refdataKinds = []struct{ kind, label string }{
	{refstore.KindBookkeepingRate, "记账利率"},
	{refstore.KindContributionRate, "缴费比例"},
	{refstore.KindAverageWage, "社平工资"},
	{refstore.KindWindowException, "办理时间调整"},
}

// kindLabel is the Chinese name of an editable kind; ok is false for any
// other kind.
func kindLabel(kind string) (string, bool) {
	for _, k := range refdataKinds {
		if k.kind == kind {
			return k.label, true
		}
	}
	return "", false
}

const badKind = "参考数据类别应为 bookkeeping_rate（记账利率）、contribution_rate（缴费比例）、average_wage（社平工资）或 window_exception（办理时间调整）"

// maxText is the longest 文件依据, 修改原因 or note, in characters.
const maxText = 300

// refdataAPI serves the reference-data routes: the data in force with its
// sources, the versions of an entry, and an admin's addition or
// correction, audited in the write's transaction.
type refdataAPI struct {
	refs  *refstore.Store
	audit *identity.Audit
}

// refdataRoutes registers the reference-data routes on rt.
func refdataRoutes(d app.Deps, rt *httpapi.Router) {
	a := &refdataAPI{refs: refstore.New(d.Store, d.Clock),
		audit: identity.NewAudit(d.Store, d.Clock, identity.NewKeys(ledger.IDHashKey(d.Config.IDHashKey)))}
	rt.HandleFunc("GET /api/v1/review/refdata", a.list)
	rt.HandleFunc("GET /api/v1/review/refdata/history", a.history)
	rt.HandleFunc("POST /api/v1/review/refdata", a.put)
}

// storedJSON is who stored an entry, when and why.
type storedJSON struct {
	Name    string     `json:"name"` // the stored row's natural key (a cut period's differs)
	Seq     string     `json:"seq,omitempty"`
	Version int64      `json:"version"`
	By      string     `json:"by,omitempty"` // account id; "" for the importer
	At      *time.Time `json:"at,omitempty"`
	Reason  string     `json:"reason,omitempty"`
}

func storedOf(r *refstore.Row) *storedJSON {
	if r == nil {
		return nil
	}
	out := &storedJSON{Name: r.Name, Seq: r.Seq, Version: r.Version, By: r.By, Reason: r.Reason}
	if t := r.Time(); !t.IsZero() {
		out.At = &t
	}
	return out
}

// gradeJSON is a 缴费档次 of an average wage with its base.
type gradeJSON struct {
	Ratio string `json:"ratio"`
	Base  string `json:"base"`
	Label string `json:"label"`
}

// entryJSON is one entry in force.
type entryJSON struct {
	Name   string          `json:"name"`
	Source string          `json:"source"`
	From   string          `json:"from,omitempty"`
	To     string          `json:"to,omitempty"`
	Entry  json.RawMessage `json:"entry"`
	Origin string          `json:"origin"`        // default (built in) or stored
	Cut    bool            `json:"cut,omitempty"` // a later entry shortened or split its period
	Stored *storedJSON     `json:"stored,omitempty"`
	Grades []gradeJSON     `json:"grades,omitempty"`
}

func entryOf(set *refdata.Set, e refstore.Entry) entryJSON {
	out := entryJSON{Name: e.Name, Source: e.Source, From: e.From, To: e.To, Entry: json.RawMessage(e.Data),
		Origin: "default", Cut: e.Cut, Stored: storedOf(e.Stored)}
	if e.Stored != nil {
		out.Origin = "stored"
	}
	if e.Kind == refstore.KindAverageWage {
		year, _ := strconv.Atoi(e.Name)
		gs, _ := set.Grades(year)
		for _, g := range gs {
			out.Grades = append(out.Grades, gradeJSON{Ratio: g.Ratio.String(), Base: g.Base.StringFixed(2), Label: g.Label})
		}
	}
	return out
}

// list answers the reference data in force, per kind (?kind= one of them).
func (a *refdataAPI) list(w http.ResponseWriter, r *http.Request) error {
	want := r.URL.Query().Get("kind")
	if _, ok := kindLabel(want); want != "" && !ok {
		return apperr.Field("kind", badKind)
	}
	f, err := a.refs.InForce(r.Context())
	if err != nil {
		return err
	}
	type kindJSON struct {
		Kind    string      `json:"kind"`
		Label   string      `json:"label"`
		Entries []entryJSON `json:"entries"`
	}
	var kinds []kindJSON
	for _, k := range refdataKinds {
		if want != "" && k.kind != want {
			continue
		}
		kj := kindJSON{Kind: k.kind, Label: k.label, Entries: []entryJSON{}}
		for _, e := range f.Entries {
			if e.Kind == k.kind {
				kj.Entries = append(kj.Entries, entryOf(f.Set, e))
			}
		}
		kinds = append(kinds, kj)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"version": f.Set.Version(), "kinds": kinds})
	return nil
}

// versionJSON is one version of an entry.
type versionJSON struct {
	Version int             `json:"version"` // 1 for the first stored version
	Source  string          `json:"source"`
	From    string          `json:"from,omitempty"`
	To      string          `json:"to,omitempty"`
	Entry   json.RawMessage `json:"entry"`
	Seq     string          `json:"seq,omitempty"`
	By      string          `json:"by,omitempty"`
	At      *time.Time      `json:"at,omitempty"`
	Reason  string          `json:"reason,omitempty"`
}

func versionOf(n int, r refstore.Row) versionJSON {
	v := versionJSON{Version: n, Source: r.Source, From: r.From, To: r.To, Entry: json.RawMessage(r.Data), Seq: r.Seq, By: r.By, Reason: r.Reason}
	if t := r.Time(); !t.IsZero() {
		v.At = &t
	}
	return v
}

// history answers the built-in default and the stored versions of one
// entry (?kind=&name=), oldest first.
func (a *refdataAPI) history(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind, name := q.Get("kind"), q.Get("name")
	bad := map[string]string{}
	label, ok := kindLabel(kind)
	if !ok {
		bad["kind"] = badKind
	}
	if !table.ValidKeyPart(name) {
		bad["name"] = "请填写参考数据的名称（如年度2021，或缴费比例的 employee-202101）"
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	h, err := a.refs.History(r.Context(), kind, name)
	if err != nil {
		return err
	}
	if h.Default == nil && len(h.Versions) == 0 {
		return apperr.E(apperr.NotFound, "没有这条"+label)
	}
	out := struct {
		Kind     string        `json:"kind"`
		Label    string        `json:"label"`
		Name     string        `json:"name"`
		Default  *versionJSON  `json:"default"` // the built-in value (version 0)
		Versions []versionJSON `json:"versions"`
	}{Kind: kind, Label: label, Name: name, Versions: make([]versionJSON, len(h.Versions))}
	if h.Default != nil {
		d := versionOf(0, *h.Default)
		out.Default = &d
	}
	for i, v := range h.Versions {
		out.Versions[i] = versionOf(i+1, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// putRequest is the body of POST /api/v1/review/refdata.
type putRequest struct {
	Kind   string          `json:"kind"`
	Entry  json.RawMessage `json:"entry"`
	Source string          `json:"source"` // 文件依据
	Reason string          `json:"reason"` // 修改原因, required for a correction
}

// put adds or corrects one entry: validated here with Chinese field
// errors, then stored through refstore (which checks the merged data) with
// the audit record of the write in the same transaction.
func (a *refdataAPI) put(w http.ResponseWriter, r *http.Request) error {
	c, err := familyapi.Caller(r)
	if err != nil {
		return err
	}
	var in putRequest
	if err := httpapi.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	d, bad := in.data()
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	rows, err := refstore.Rows(d)
	if err != nil || len(rows) != 1 {
		return apperr.Wrap(apperr.Invalid, "参考数据无法保存，请检查名称和期间", err)
	}
	row := rows[0]
	f, err := a.refs.InForce(r.Context())
	if err != nil {
		return err
	}
	if err := checkAgainst(f, d, row, in.Reason); err != nil {
		return err
	}
	op := a.audit.Op(identity.AuditRecord{Actor: c.AccountID, ActorRole: identity.RoleAdmin, ActorName: "系统管理员",
		Action: ActionRefdataPut, Object: row.Kind + "/" + row.Name, Result: "ok", RequestID: httpapi.RequestID(r.Context())},
		httpapi.ClientAddr(r))
	res, err := a.refs.PutChange(r.Context(), d, refstore.Change{By: c.AccountID, Reason: strings.TrimSpace(in.Reason), Ops: []table.Op{op}})
	var inv *refstore.InvalidError
	if errors.As(err, &inv) {
		return &apperr.Error{Code: apperr.Invalid, Message: "该数据与现行参考数据合并后校验未通过，请检查年度、期间、比例和文件依据",
			Fields: map[string]string{"entry": "与现行参考数据合并后校验未通过"}, Err: err}
	}
	if err != nil {
		return err
	}
	return a.written(w, r, row, res)
}

// checkAgainst checks the entry against the data in force: a known
// insured type, and a reason for a correction.
func checkAgainst(f refstore.InForce, d refdata.Data, row refstore.Row, reason string) error {
	for _, cr := range d.ContributionRates {
		if code, err := f.Set.InsuredCode(cr.Insured); err != nil || code != cr.Insured {
			return apperr.Field("entry.insured", "参保身份应为 employee（企业职工）或 flexible（灵活就业人员）等已登记的代码")
		}
	}
	if f.Replaces(row) && strings.TrimSpace(reason) == "" {
		return apperr.Field("reason", "修改现行参考数据须填写修改原因")
	}
	return nil
}

// written answers a stored entry as it is now in force: 201 when it was
// new, 200 otherwise ("unchanged" when the same entry was stored already).
func (a *refdataAPI) written(w http.ResponseWriter, r *http.Request, row refstore.Row, res table.SyncResult) error {
	f, err := a.refs.InForce(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Kind   string     `json:"kind"`
		Result string     `json:"result"` // created, updated or unchanged
		Entry  *entryJSON `json:"entry"`
	}{Kind: row.Kind, Result: "unchanged"}
	status := http.StatusOK
	switch {
	case res.Created > 0:
		out.Result, status = "created", http.StatusCreated
	case res.Updated > 0:
		out.Result = "updated"
	}
	for _, e := range f.Entries {
		if e.Kind == row.Kind && e.Name == row.Name {
			j := entryOf(f.Set, e)
			out.Entry = &j
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, status, out)
	return nil
}

// data validates the request and converts it to reference data of one
// entry, or returns the field errors.
func (in putRequest) data() (refdata.Data, map[string]string) {
	v := &checker{bad: map[string]string{}}
	source := strings.TrimSpace(in.Source)
	v.text("source", source, "文件依据", true)
	v.text("reason", strings.TrimSpace(in.Reason), "修改原因", false)
	var d refdata.Data
	switch in.Kind {
	case refstore.KindBookkeepingRate:
		var e rateIn
		if v.decode(in.Entry, &e) {
			d.BookkeepingRates = []refdata.BookkeepingRate{e.convert(v, source)}
		}
	case refstore.KindContributionRate:
		var e contributionIn
		if v.decode(in.Entry, &e) {
			d.ContributionRates = []refdata.ContributionRate{e.convert(v, source)}
		}
	case refstore.KindAverageWage:
		var e wageIn
		if v.decode(in.Entry, &e) {
			d.AverageWages = []refdata.AverageWage{e.convert(v, source)}
		}
	case refstore.KindWindowException:
		var e windowIn
		if v.decode(in.Entry, &e) {
			d.WindowExceptions = []refdata.WindowException{e.convert(v, source)}
		}
	case "":
		v.fail("kind", "请选择参考数据类别")
	default:
		v.fail("kind", badKind)
	}
	return d, v.bad
}

// number is a decimal or integer sent as a JSON string or number, kept as
// its text (never through a float). Bad is set for any other JSON value.
type number struct {
	Text string
	Bad  bool
}

// UnmarshalJSON reads a string or number; it never fails, so that every
// field is checked.
func (n *number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
	case len(b) > 0 && b[0] == '"':
		n.Bad = json.Unmarshal(b, &n.Text) != nil
	default:
		var num json.Number
		n.Bad = json.Unmarshal(b, &num) != nil
		n.Text = num.String()
	}
	n.Text = strings.TrimSpace(n.Text)
	return nil
}

// checker collects field errors, the first one per key.
type checker struct{ bad map[string]string }

func (v *checker) fail(key, msg string) {
	if _, dup := v.bad[key]; !dup {
		v.bad[key] = msg
	}
}

// text checks a free text: required or not, at most maxText characters.
func (v *checker) text(key, s, label string, required bool) {
	switch {
	case required && s == "":
		v.fail(key, "请填写"+label)
	case utf8.RuneCountInString(s) > maxText:
		v.fail(key, label+"不能超过"+strconv.Itoa(maxText)+"字")
	}
}

// decode reads the entry strictly into e; false when it cannot.
func (v *checker) decode(raw json.RawMessage, e any) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		v.fail("entry", "请填写参考数据")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(e)
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return true
	case errors.As(err, &typ) && typ.Field != "":
		v.fail("entry."+typ.Field, "类型不正确")
	case errors.As(err, &typ):
		v.fail("entry", "参考数据应为 JSON 对象")
	default:
		v.fail("entry", "参考数据格式不正确或含有未知字段，请对照该类参考数据的字段填写")
	}
	return false
}

// source checks that an entry's own source, if it has one, is the
// request's 文件依据.
func (v *checker) source(own, source string) {
	if own = strings.TrimSpace(own); own != "" && own != source {
		v.fail("entry.source", "与文件依据（source）不一致，请只填写 source")
	}
}

// year reads a year of 1990-2100.
func (v *checker) year(key string, n number) int {
	y, err := strconv.Atoi(n.Text)
	switch {
	case n.Text == "" && !n.Bad:
		v.fail(key, "请填写年度")
	case n.Bad || err != nil || y < 1990 || y > 2100:
		v.fail(key, "年度应为1990-2100之间的整数")
	}
	return y
}

// decimal reads a decimal with at most places decimal places; ok is false
// when it is absent or bad (bad ones are reported, absent ones only when
// required).
func (v *checker) decimal(key string, n number, label string, places int32, required bool) (decimal.Decimal, bool) {
	if n.Text == "" && !n.Bad {
		if required {
			v.fail(key, "请填写"+label)
		}
		return decimal.Decimal{}, false
	}
	x, err := decimal.NewFromString(n.Text)
	if n.Bad || err != nil {
		v.fail(key, label+"应为数字（如0.0669）")
		return decimal.Decimal{}, false
	}
	if x.Exponent() < -places && !x.Equal(x.Round(places)) {
		v.fail(key, label+"最多"+strconv.Itoa(int(places))+"位小数")
		return decimal.Decimal{}, false
	}
	return x, true
}

var one = decimal.NewFromInt(1)

// rate reads a rate: a fraction 0 ≤ r < 1 (8% is 0.08).
func (v *checker) rate(key string, n number, label string, required bool) *decimal.Decimal {
	x, ok := v.decimal(key, n, label, 6, required)
	if !ok {
		return nil
	}
	if x.IsNegative() || !x.LessThan(one) {
		v.fail(key, label+"应不小于0且小于1（按小数填写，如8%填0.08）")
		return nil
	}
	return &x
}

// flags checks open questions about a value.
func (v *checker) flags(key string, fs []string) []string {
	var out []string
	for i, f := range fs {
		f = strings.TrimSpace(f)
		v.text(key+"["+strconv.Itoa(i)+"]", f, "说明", true)
		out = append(out, f)
	}
	return out
}

// rateIn is a 记账利率 as sent.
type rateIn struct {
	Year   number `json:"year"`
	Rate   number `json:"rate"`
	Status string `json:"status"`
	Source string `json:"source"`
	Flag   string `json:"flag"`
}

func (e rateIn) convert(v *checker, source string) refdata.BookkeepingRate {
	out := refdata.BookkeepingRate{Year: v.year("entry.year", e.Year), Status: e.Status, Source: source, Flag: strings.TrimSpace(e.Flag)}
	if r := v.rate("entry.rate", e.Rate, "记账利率", true); r != nil {
		out.Rate = *r
	}
	if e.Status != "national" && e.Status != "provincial" {
		v.fail("entry.status", "公布口径应为 national（全国统一）或 provincial（本省）")
	}
	v.text("entry.flag", out.Flag, "说明", false)
	v.source(e.Source, source)
	return out
}

// contributionIn is the 缴费比例 of an insured type for a period as sent.
type contributionIn struct {
	Insured           string   `json:"insured"`
	From              number   `json:"from"`
	To                number   `json:"to"`
	Unit              number   `json:"unit"`
	Personal          number   `json:"personal"`
	UnitToAccount     number   `json:"unitToAccount"`
	PersonalToAccount number   `json:"personalToAccount"`
	Source            string   `json:"source"`
	Flags             []string `json:"flags"`
}

func (e contributionIn) convert(v *checker, source string) refdata.ContributionRate {
	out := refdata.ContributionRate{Insured: strings.TrimSpace(e.Insured), Source: source, Flags: v.flags("entry.flags", e.Flags),
		Unit: v.rate("entry.unit", e.Unit, "单位缴费比例", false), Personal: v.rate("entry.personal", e.Personal, "个人缴费比例", false),
		UnitToAccount:     v.rate("entry.unitToAccount", e.UnitToAccount, "单位缴费划入个人账户比例", false),
		PersonalToAccount: v.rate("entry.personalToAccount", e.PersonalToAccount, "个人缴费划入个人账户比例", false)}
	if out.Insured == "" {
		v.fail("entry.insured", "请填写参保身份（employee 或 flexible）")
	}
	period := func(key string, n number, required bool) calc.YearMonth {
		if n.Text == "" && !n.Bad {
			if required {
				v.fail(key, "请填写起始年月（YYYYMM）")
			}
			return calc.YearMonth{}
		}
		ym, err := calc.ParseYearMonth(n.Text)
		if n.Bad || err != nil || ym.Year < 1990 || ym.Year > 2100 {
			v.fail(key, "年月格式应为YYYYMM（1990-2100年），月份为01-12")
		}
		return ym
	}
	out.From, out.To = period("entry.from", e.From, true), period("entry.to", e.To, false)
	if out.From.Valid() && out.To.Valid() && out.To.Before(out.From) {
		v.fail("entry.to", "截止年月不能早于起始年月")
	}
	if e.Unit == (number{}) && e.Personal == (number{}) && e.UnitToAccount == (number{}) && e.PersonalToAccount == (number{}) {
		v.fail("entry", "请至少填写一项比例（unit、personal、unitToAccount 或 personalToAccount）")
	}
	if out.Unit != nil && out.UnitToAccount != nil && out.UnitToAccount.GreaterThan(*out.Unit) {
		v.fail("entry.unitToAccount", "划入个人账户的比例不能大于单位缴费比例")
	}
	if out.Personal != nil && out.PersonalToAccount != nil && out.PersonalToAccount.GreaterThan(*out.Personal) {
		v.fail("entry.personalToAccount", "划入个人账户的比例不能大于个人缴费比例")
	}
	v.source(e.Source, source)
	return out
}

// wageIn is the 社平工资 of a year with its base limits and 缴费档次 as sent.
type wageIn struct {
	Year    number   `json:"year"`
	Monthly number   `json:"monthly"`
	Floor   number   `json:"floor"`
	Ceiling number   `json:"ceiling"`
	Grades  []number `json:"grades"`
	Source  string   `json:"source"`
	Flags   []string `json:"flags"`
}

func (e wageIn) convert(v *checker, source string) refdata.AverageWage {
	out := refdata.AverageWage{Year: v.year("entry.year", e.Year), Source: source, Flags: v.flags("entry.flags", e.Flags)}
	monthly, okM := v.decimal("entry.monthly", e.Monthly, "月平均工资", 2, true)
	if okM && !monthly.IsPositive() {
		v.fail("entry.monthly", "月平均工资应大于0")
	}
	floor, okF := v.decimal("entry.floor", e.Floor, "缴费基数下限比例", 4, true)
	if okF && !floor.IsPositive() {
		v.fail("entry.floor", "缴费基数下限比例应大于0（如0.60）")
		okF = false
	}
	ceiling, okC := v.decimal("entry.ceiling", e.Ceiling, "缴费基数上限比例", 4, true)
	if okF && okC && ceiling.LessThan(floor) {
		v.fail("entry.ceiling", "缴费基数上限比例不能小于下限比例")
		okC = false
	}
	out.Monthly, out.Floor, out.Ceiling = monthly, floor, ceiling
	for i, n := range e.Grades {
		key := "entry.grades[" + strconv.Itoa(i) + "]"
		g, ok := v.decimal(key, n, "缴费档次", 4, true)
		switch {
		case !ok:
		case okF && okC && (g.LessThan(floor) || g.GreaterThan(ceiling)):
			v.fail(key, "缴费档次应在缴费基数下限与上限比例之间（"+floor.String()+"-"+ceiling.String()+"）")
		case i > 0 && !g.GreaterThan(out.Grades[i-1]):
			v.fail(key, "缴费档次应从低到高排列，且不能重复")
		}
		out.Grades = append(out.Grades, g)
	}
	v.source(e.Source, source)
	return out
}

// windowIn is a 办理时间调整 as sent: one day of a monthly window closed,
// opened, or back to the monthly rule, with the note applicants read.
type windowIn struct {
	Window string `json:"window"`
	Date   string `json:"date"`
	Kind   string `json:"kind"`
	Note   string `json:"note"`
	Source string `json:"source"`
}

// windowNames are the catalog's windows, the ones an exception may name.
var windowNames = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, b := range catalog.Default().Businesses() {
		if b.Window != nil {
			out[b.Window.Name] = true
		}
	}
	return out
})

func (e windowIn) convert(v *checker, source string) refdata.WindowException {
	out := refdata.WindowException{Window: strings.TrimSpace(e.Window), Kind: e.Kind, Note: strings.TrimSpace(e.Note), Source: source}
	if !windowNames()[out.Window] {
		v.fail("entry.window", "办理时段应为 monthly-1-25（每月1-25号）")
	}
	d, err := calc.ParseDate(strings.TrimSpace(e.Date))
	switch {
	case strings.TrimSpace(e.Date) == "":
		v.fail("entry.date", "请填写日期（YYYY-MM-DD）")
	case err != nil || d.Year < 2000 || d.Year > 2100:
		v.fail("entry.date", "日期格式应为YYYY-MM-DD（2000-2100年）")
	}
	out.Date = d
	if out.Kind != refdata.WindowClosed && out.Kind != refdata.WindowOpen && out.Kind != refdata.WindowRegular {
		v.fail("entry.kind", "调整方式应为 closed（当日不办理）、open（当日开放办理）或 regular（恢复每月规则）")
	}
	v.text("entry.note", out.Note, "说明", out.Kind != refdata.WindowRegular)
	v.source(e.Source, source)
	return out
}
