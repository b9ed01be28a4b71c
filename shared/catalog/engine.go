package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/codetable"
)

// Result is the outcome of validating a form.
type Result struct {
	// Errors maps a field key to a Chinese message saying what is wrong
	// and how to fix it; nil when the form is valid.
	Errors map[string]string
	// Warnings maps a field key to a Chinese message about a value that
	// is accepted but worth checking (a bank account failing the Luhn
	// check, a region outside Heilongjiang); nil when there are none.
	Warnings map[string]string
	// Values holds the normalized value of every valid, non-empty field:
	// dates as YYYY-MM-DD, year-months as YYYY-MM, enums as codes, money
	// with two decimals, identifiers upper-cased without separators.
	Values map[string]string
}

// Valid reports whether the form has no errors.
func (r *Result) Valid() bool { return len(r.Errors) == 0 }

// Err returns the errors as an apperr invalid error (422 with field
// errors), or nil when the form is valid.
func (r *Result) Err() error {
	if r.Valid() {
		return nil
	}
	return apperr.Fields("", r.Errors)
}

// maxUnknownKeys bounds the field errors reported for keys the form does
// not have.
const maxUnknownKeys = 20

// Validate checks the values of a submitted form against the business's
// field definitions and rules. now is the current time (dates "not after
// today" and resident ID birth dates are checked against its day in
// Asia/Shanghai). Keys the form does not have are field errors.
func (b *Business) Validate(in map[string]string, now time.Time) Result {
	return b.form.validate(in, now)
}

// ValidateRow checks one repeating row (新增) against the rows' field
// definitions, as Validate checks the form; a business without repeating
// rows refuses every key.
func (b *Business) ValidateRow(in map[string]string, now time.Time) Result {
	if b.rowForm == nil {
		return noRows.validate(in, now)
	}
	return b.rowForm.validate(in, now)
}

// noRows is the form of a business without repeating rows: every key is
// unknown.
var noRows = &form{byKey: map[string]int{}}

// kinds of compiled fields, one per type.
type kind uint8

const (
	kText kind = iota
	kCode
	kDate
	kYearMonth
	kYear
	kMonth
	kEnum
	kMoney
	kNumber
	kRatio
	kInteger
	kIDNumber
	kSSN
	kMobile
	kPhone
	kPostcode
	kEmail
	kBank
	kUSCC
	kOrgCode
	kRegion
)

var kinds = map[string]kind{
	TypeText: kText, TypeCode: kCode, TypeDate: kDate, TypeYearMonth: kYearMonth, TypeYear: kYear,
	TypeMonth: kMonth, TypeEnum: kEnum, TypeMoney: kMoney, TypeNumber: kNumber, TypeRatio: kRatio,
	TypeInteger: kInteger, TypeIDNumber: kIDNumber, TypeSocialSecurityNumber: kSSN, TypeMobile: kMobile,
	TypePhone: kPhone, TypePostcode: kPostcode, TypeEmail: kEmail, TypeBankAccount: kBank,
	TypeUSCC: kUSCC, TypeOrgCode: kOrgCode, TypeRegionCode: kRegion,
}

// granularity of a field's ordinal, for comparing dates with year-months.
type grain uint8

const (
	gNone grain = iota
	gDay
	gMonth
	gYear
)

// cfield is a compiled field.
type cfield struct {
	def      *Field
	label    string // label for messages (no *)
	kind     kind
	grain    grain
	table    *codetable.Table
	maxLen   int
	min, max int64 // bounds in the field's ordinal units
	hasMin   bool
	hasMax   bool
	scale    int // decimals of money/number/ratio
	// idType is the index of the field holding this ID number's type, or
	// -1; resident lists the codes of that field that mean a resident ID.
	idType   int
	resident []string
	// requiredUnless: the field is required unless field unlessIdx has
	// one of the codes unlessCodes.
	unlessIdx   int
	unlessCodes []string
}

// crule is a compiled cross-field rule (requiredUnless and idNumberByType
// are compiled into the fields).
type crule struct {
	kind    string
	field   int
	other   int
	warn    bool
	message string
}

type form struct {
	fields []cfield
	byKey  map[string]int
	order  []int // independent fields first, then ID numbers that depend on an ID type
	rules  []crule
}

// value is the per-call state of one field.
type value struct {
	raw  string
	norm string
	ord  int64
	set  bool // non-empty input
	ok   bool // set and valid
	bad  bool // has an error
}

var scratch = sync.Pool{New: func() any { s := make([]value, 0, 64); return &s }}

func compile(b *Business, tables *codetable.Set) (*form, []error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	fm := &form{byKey: map[string]int{}}
	for i := range b.Fields {
		f := &b.Fields[i]
		if f.Key == "" || f.Label == "" {
			bad("field %d: key and label are required", i+1)
			continue
		}
		if _, dup := fm.byKey[f.Key]; dup {
			bad("field %s: duplicate key", f.Key)
		}
		k, ok := kinds[f.Type]
		if !ok {
			bad("field %s: unknown type %q", f.Key, f.Type)
		}
		cf := cfield{def: f, kind: k, label: strings.TrimSpace(strings.ReplaceAll(f.Label, "*", "")),
			maxLen: f.MaxLength, idType: -1, unlessIdx: -1}
		cf.label = strings.Join(strings.Fields(cf.label), " ")
		switch k {
		case kEnum, kRegion:
			t, ok := tables.Table(f.Enum)
			if !ok {
				bad("field %s: unknown code table %q", f.Key, f.Enum)
			}
			cf.table = t
		default:
			if f.Enum != "" {
				bad("field %s: enum %q on a %s field", f.Key, f.Enum, f.Type)
			}
		}
		if err := cf.bounds(); err != nil {
			bad("field %s: %v", f.Key, err)
		}
		fm.byKey[f.Key] = len(fm.fields)
		fm.fields = append(fm.fields, cf)
	}
	idx := func(r *Rule, key string) int {
		i, ok := fm.byKey[key]
		if !ok {
			bad("rule %s: unknown field %q", r.Kind, key)
			return -1
		}
		return i
	}
	codes := func(r *Rule, fi int) []string {
		if fi < 0 {
			return nil
		}
		t := fm.fields[fi].table
		if t == nil {
			bad("rule %s: %s is not an enum field", r.Kind, fm.fields[fi].def.Key)
			return nil
		}
		var out []string
		for _, v := range r.Values {
			e, ok := t.Lookup(v)
			if !ok {
				e, ok = t.ByLabel(v)
			}
			if !ok {
				bad("rule %s: %q is not in table %s", r.Kind, v, t.Name)
				continue
			}
			out = append(out, e.Code)
		}
		return out
	}
	for ri := range b.Rules {
		r := &b.Rules[ri]
		switch r.Kind {
		case RuleIDNumberByType:
			fi, ti := idx(r, r.Field), idx(r, r.Other)
			cs := codes(r, ti)
			if fi >= 0 && ti >= 0 {
				if k := fm.fields[fi].kind; k != kIDNumber && k != kSSN {
					bad("rule %s: %s is not an ID number", r.Kind, r.Field)
				}
				fm.fields[fi].idType, fm.fields[fi].resident = ti, cs
			}
		case RuleRequiredUnless:
			wi := idx(r, r.When)
			cs := codes(r, wi)
			for _, k := range r.Fields {
				if fi := idx(r, k); fi >= 0 {
					fm.fields[fi].unlessIdx, fm.fields[fi].unlessCodes = wi, cs
				}
			}
		case RuleNotBefore, RuleBirthDateMatchesID, RuleGenderMatchesID, RuleSameAs, RuleUSCCContainsOrgCode:
			fi, oi := idx(r, r.Field), idx(r, r.Other)
			if fi < 0 || oi < 0 {
				continue
			}
			f, o := &fm.fields[fi], &fm.fields[oi]
			var okTypes bool
			switch r.Kind {
			case RuleNotBefore:
				okTypes = f.grain != gNone && o.grain != gNone || f.kind == kMonth && o.kind == kMonth
			case RuleBirthDateMatchesID:
				okTypes = f.kind == kDate && (o.kind == kIDNumber || o.kind == kSSN)
			case RuleGenderMatchesID:
				okTypes = f.kind == kEnum && f.table != nil && f.table.Name == "gender" && (o.kind == kIDNumber || o.kind == kSSN)
			case RuleSameAs:
				okTypes = true
			case RuleUSCCContainsOrgCode:
				okTypes = f.kind == kOrgCode && o.kind == kUSCC
			}
			if !okTypes {
				bad("rule %s: fields %s (%s) and %s (%s) do not fit", r.Kind, r.Field, f.def.Type, r.Other, o.def.Type)
			}
			fm.rules = append(fm.rules, crule{kind: r.Kind, field: fi, other: oi, warn: r.Warn, message: r.Message})
		default:
			bad("rule %q: unknown kind", r.Kind)
		}
	}
	for i := range fm.fields {
		if fm.fields[i].idType < 0 {
			fm.order = append(fm.order, i)
		}
	}
	for i := range fm.fields {
		if fm.fields[i].idType >= 0 {
			fm.order = append(fm.order, i)
		}
	}
	return fm, errs
}

// bounds parses the field's min/max into ordinal units and sets defaults.
func (cf *cfield) bounds() error {
	f := cf.def
	parse := func(s string) (int64, error) {
		if s == "" {
			return 0, nil
		}
		var v value
		if msg := cf.parseOrdinal(s, &v); msg != "" {
			return 0, fmt.Errorf("bound %q: %s", s, msg)
		}
		return v.ord, nil
	}
	switch cf.kind {
	case kDate:
		cf.grain = gDay
		cf.min, cf.max, cf.hasMin, cf.hasMax = 19000101, 20991231, true, true
	case kYearMonth:
		cf.grain = gMonth
		cf.min, cf.max, cf.hasMin, cf.hasMax = 19000100, 20991200, true, true
	case kYear:
		cf.grain = gYear
		cf.min, cf.hasMin = 19000000, true
	case kMonth:
		cf.min, cf.max, cf.hasMin, cf.hasMax = 1, 12, true, true
	case kMoney, kNumber:
		cf.scale = 2
	case kRatio:
		cf.scale = 4
	case kInteger:
	case kText:
		if cf.maxLen == 0 {
			cf.maxLen = 100
		}
	case kCode:
		if cf.maxLen == 0 {
			cf.maxLen = 32
		}
	}
	switch cf.kind {
	case kDate, kYearMonth, kYear, kMonth, kMoney, kNumber, kRatio, kInteger:
	default:
		if f.Min != "" || f.Max != "" {
			return fmt.Errorf("min/max on a %s field", f.Type)
		}
	}
	if f.NotFuture && cf.grain == gNone {
		return fmt.Errorf("notFuture on a %s field", f.Type)
	}
	if f.Format != "" && (f.Format != "personName" || cf.kind != kText) {
		return fmt.Errorf("format %q on a %s field", f.Format, f.Type)
	}
	if f.Min != "" {
		v, err := parse(f.Min)
		if err != nil {
			return err
		}
		cf.min, cf.hasMin = v, true
	}
	if f.Max != "" {
		v, err := parse(f.Max)
		if err != nil {
			return err
		}
		cf.max, cf.hasMax = v, true
	}
	if cf.hasMin && cf.hasMax && cf.min > cf.max {
		return fmt.Errorf("min %s above max %s", f.Min, f.Max)
	}
	return nil
}

func (fm *form) validate(in map[string]string, now time.Time) Result {
	var res Result
	sp := scratch.Get().(*[]value)
	vals := (*sp)[:0]
	vals = slices.Grow(vals, len(fm.fields))[:len(fm.fields)]
	clear(vals)
	defer func() { *sp = vals[:0]; scratch.Put(sp) }()

	unknown := 0
	for k, v := range in {
		i, ok := fm.byKey[k]
		if !ok {
			if unknown < maxUnknownKeys {
				res.fail(k, "本业务的表单没有“"+clip(k)+"”这一项，请删除后重新提交")
			}
			unknown++
			continue
		}
		vals[i].raw = strings.TrimSpace(v)
		vals[i].set = vals[i].raw != ""
	}
	now = now.In(clock.Shanghai)
	today := int64(now.Year()*10000 + int(now.Month())*100 + now.Day())

	for _, i := range fm.order {
		f, v := &fm.fields[i], &vals[i]
		if !v.set {
			if f.def.Required {
				res.fail(f.def.Key, f.requiredMessage(fm, vals))
				v.bad = true
			}
			continue
		}
		msg, warn := f.check(v, vals, fm, now, today)
		if msg != "" {
			res.fail(f.def.Key, msg)
			v.bad = true
			continue
		}
		v.ok = true
		if warn != "" {
			res.warn(f.def.Key, warn)
		}
	}
	for i := range fm.fields {
		// Required unless another field has one of some values: decided
		// once every field has been checked.
		if f := &fm.fields[i]; f.unlessIdx >= 0 && !vals[i].set && !f.def.Required && fm.requiredBecause(f, vals) {
			res.fail(f.def.Key, f.requiredMessage(fm, vals))
			vals[i].bad = true
		}
	}
	for i := range fm.rules {
		fm.apply(&fm.rules[i], vals, &res)
	}
	n := 0
	for i := range vals {
		if vals[i].ok && !vals[i].bad {
			n++
		}
	}
	if n > 0 {
		res.Values = make(map[string]string, n)
		for i := range vals {
			if vals[i].ok && !vals[i].bad {
				res.Values[fm.fields[i].def.Key] = vals[i].norm
			}
		}
	}
	return res
}

func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (r *Result) fail(key, msg string) {
	if r.Errors == nil {
		r.Errors = make(map[string]string, 4)
	}
	if _, ok := r.Errors[key]; !ok {
		r.Errors[key] = msg
	}
	delete(r.Warnings, key)
}

func (r *Result) warn(key, msg string) {
	if _, failed := r.Errors[key]; failed {
		return
	}
	if r.Warnings == nil {
		r.Warnings = make(map[string]string, 2)
	}
	if _, ok := r.Warnings[key]; !ok {
		r.Warnings[key] = msg
	}
}

// requiredBecause reports whether a requiredUnless field is required: its
// controlling field holds a valid code outside the exempt codes.
func (fm *form) requiredBecause(f *cfield, vals []value) bool {
	c := &vals[f.unlessIdx]
	return c.ok && !slices.Contains(f.unlessCodes, c.norm)
}

func (f *cfield) requiredMessage(fm *form, vals []value) string {
	verb := "请填写"
	if f.kind == kEnum || f.kind == kRegion {
		verb = "请选择"
	}
	if !f.def.Required && f.unlessIdx >= 0 {
		w := &fm.fields[f.unlessIdx]
		return w.label + "为“" + w.display(vals[f.unlessIdx].norm) + "”时，" + verb + f.label
	}
	return verb + f.label
}

// display returns the label of an enum code, or the value itself.
func (f *cfield) display(v string) string {
	if f.table != nil {
		if e, ok := f.table.Lookup(v); ok {
			return e.Label
		}
	}
	return v
}

// problem turns a checks.Problem into a field message.
func (f *cfield) problem(p *checks.Problem) string {
	if strings.Contains(p.Message, f.label) {
		return p.Message
	}
	return f.label + "：" + p.Message
}

// check validates one non-empty value, setting v.norm and v.ord. It returns
// an error message, or a warning, or neither.
func (f *cfield) check(v *value, vals []value, fm *form, now time.Time, today int64) (msg, warn string) {
	s := v.raw
	v.norm = s
	switch f.kind {
	case kText:
		if n := utf8.RuneCountInString(s); n > f.maxLen {
			return f.label + "最多" + strconv.Itoa(f.maxLen) + "个字，当前" + strconv.Itoa(n) + "个字，请精简", ""
		}
		for _, r := range s {
			switch {
			case r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == utf8.RuneError:
				return f.label + "包含无法识别的控制字符，请删除后重新填写", ""
			case f.def.Format == "personName" && (r >= '0' && r <= '9' || r >= '０' && r <= '９'):
				return f.label + "不能包含数字，请按证件上的姓名填写", ""
			case f.def.Format == "personName" && strings.ContainsRune("!@#$%^&*()_+=[]{}<>/\\|;:\"?,，。！？@#￥%……&*（）【】《》", r):
				return f.label + "不能包含符号“" + string(r) + "”，请按证件上的姓名填写", ""
			}
		}
		return "", ""
	case kCode:
		if len(s) > f.maxLen {
			return f.label + "最多" + strconv.Itoa(f.maxLen) + "位，当前" + strconv.Itoa(utf8.RuneCountInString(s)) + "位，请核对", ""
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-') {
				return f.label + "只能包含数字、字母或“-”，请核对", ""
			}
		}
		return "", ""
	case kDate, kYearMonth, kYear, kMonth:
		if m := f.parseOrdinal(s, v); m != "" {
			return m, ""
		}
		if f.hasMin && v.ord < f.min {
			return f.label + "不能早于" + f.formatOrd(f.min) + "，请核对", ""
		}
		limit, hasLimit := f.max, f.hasMax
		if f.kind == kYear && !f.hasMax {
			limit, hasLimit = int64(now.Year()+1)*10000, true
		}
		if hasLimit && v.ord > limit {
			return f.label + "不能晚于" + f.formatOrd(limit) + "，请核对", ""
		}
		if f.def.NotFuture {
			cut := today
			switch f.grain {
			case gMonth:
				cut = today / 100 * 100
			case gYear:
				cut = today / 10000 * 10000
			}
			if v.ord > cut {
				return f.label + "不能晚于今天（" + f.formatOrd(cut) + "），请核对", ""
			}
		}
		return "", ""
	case kMoney, kNumber, kRatio, kInteger:
		if m := f.parseOrdinal(s, v); m != "" {
			return m, ""
		}
		if f.hasMin && v.ord < f.min {
			return f.label + "不能小于" + f.formatOrd(f.min) + "，请核对", ""
		}
		if f.hasMax && v.ord > f.max {
			return f.label + "不能大于" + f.formatOrd(f.max) + "，请核对", ""
		}
		return "", ""
	case kEnum, kRegion:
		return f.checkCode(v)
	case kIDNumber, kSSN:
		if f.idType >= 0 {
			t := &vals[f.idType]
			if t.ok && !slices.Contains(f.resident, t.norm) {
				// Not a resident ID: any passport-like number.
				return f.checkOtherID(v, fm.fields[f.idType].display(t.norm))
			}
		}
		n, p := checks.ResidentID(s, now)
		if p != nil {
			return f.problem(p), ""
		}
		v.norm = n
		return "", ""
	case kMobile:
		n, p := checks.Mobile(s)
		if p != nil {
			return f.problem(p), ""
		}
		v.norm = n
	case kPhone:
		n, p := checks.Phone(s)
		if p != nil {
			return f.problem(p), ""
		}
		v.norm = n
	case kPostcode:
		if len(s) != 6 || !digits(s) {
			return f.label + "应为6位数字（如154600），请核对", ""
		}
	case kEmail:
		at := strings.IndexByte(s, '@')
		if len(s) > 254 || at < 1 || at != strings.LastIndexByte(s, '@') || !strings.Contains(s[at+1:], ".") ||
			strings.HasSuffix(s, ".") || strings.ContainsAny(s, " \t，。") {
			return f.label + "格式不正确，请填写如 name@example.com 的邮箱地址", ""
		}
	case kBank:
		n, p := checks.BankAccount(s)
		if p != nil {
			return f.problem(p), ""
		}
		v.norm = n
		if !checks.Luhn(n) {
			return "", f.label + "未通过银行卡号校验（Luhn），如为存折账号请忽略，否则请对照银行卡核对"
		}
	case kUSCC:
		n, p := checks.CreditCode(s)
		if p != nil {
			return f.problem(p), ""
		}
		v.norm = n
	case kOrgCode:
		n, p := checks.OrgCode(s)
		if p != nil {
			return f.problem(p), ""
		}
		v.norm = n
	}
	return "", ""
}

// checkOtherID checks an ID number whose type is not a resident ID.
func (f *cfield) checkOtherID(v *value, typ string) (string, string) {
	s := v.raw
	if len(s) < 2 || len(s) > 30 {
		return f.label + "应为2-30位，请按" + typ + "上的号码填写", ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '(' || c == ')') {
			return f.label + "只能包含字母、数字、“-”和括号，请按" + typ + "上的号码填写", ""
		}
	}
	v.norm = strings.ToUpper(s)
	return "", ""
}

// checkCode resolves an enum or region value by code or label.
func (f *cfield) checkCode(v *value) (string, string) {
	s := v.raw
	if f.kind == kRegion {
		if p := checks.RegionCodeFormat(s); p != nil {
			if e, ok := f.table.ByLabel(s); ok {
				s = e.Code
			} else {
				return f.problem(p), ""
			}
		}
	}
	e, ok := f.table.Lookup(s)
	if !ok {
		e, ok = f.table.ByLabel(s)
	}
	if !ok {
		if f.kind == kRegion {
			if strings.HasPrefix(s, "23") {
				return f.label + "“" + s + "”不是黑龙江省的行政区划代码，请从列表中重新选择", ""
			}
			v.norm = s
			return "", f.label + "“" + s + "”不在黑龙江省，请确认是否正确"
		}
		return f.label + "“" + clip(s) + "”不在可选范围内，请从下拉列表中选择", ""
	}
	v.norm = e.Code
	if e.Deprecated {
		return "", f.label + "“" + e.Label + "”（" + e.Code + "）已停用，请确认或重新选择"
	}
	return "", ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// foldDigits maps full-width digits, point and minus (from Chinese input
// methods) to ASCII.
func foldDigits(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(func(r rune) rune {
				switch {
				case r >= '０' && r <= '９':
					return r - '０' + '0'
				case r == '．' || r == '。':
					return '.'
				case r == '－':
					return '-'
				}
				return r
			}, s)
		}
	}
	return s
}

// parseOrdinal parses a date, year-month, year, month or number into
// v.ord and v.norm, returning an error message.
func (f *cfield) parseOrdinal(s string, v *value) string {
	switch f.kind {
	case kDate:
		var y, m, d int
		switch {
		case len(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:]):
			y, m, d = atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
			v.norm = s
		case len(s) == 8 && digits(s):
			y, m, d = atoi(s[:4]), atoi(s[4:6]), atoi(s[6:])
			v.norm = s[:4] + "-" + s[4:6] + "-" + s[6:]
		default:
			return f.label + "格式不正确，请按YYYY-MM-DD或YYYYMMDD填写（如2022-05-10）"
		}
		if m < 1 || m > 12 {
			return f.label + "的月份应在01-12之间，请核对"
		}
		if n := daysIn(y, m); d < 1 || d > n {
			return f.label + "不是有效日期：" + strconv.Itoa(y) + "年" + strconv.Itoa(m) + "月只有" + strconv.Itoa(n) + "天，请核对"
		}
		v.ord = int64(y*10000 + m*100 + d)
	case kYearMonth:
		var y, m int
		switch {
		case len(s) == 7 && s[4] == '-' && digits(s[:4]) && digits(s[5:]):
			y, m = atoi(s[:4]), atoi(s[5:])
			v.norm = s
		case len(s) == 6 && digits(s):
			y, m = atoi(s[:4]), atoi(s[4:])
			v.norm = s[:4] + "-" + s[4:]
		default:
			return f.label + "格式不正确，请按YYYYMM或YYYY-MM填写年月（如2022-05）"
		}
		if m < 1 || m > 12 {
			return f.label + "的月份应在01-12之间，请核对"
		}
		v.ord = int64(y*10000 + m*100)
	case kYear:
		if len(s) != 4 || !digits(s) {
			return f.label + "格式不正确，请填写4位年份（如2022）"
		}
		v.ord = int64(atoi(s) * 10000)
	case kMonth:
		if len(s) > 2 || !digits(s) {
			return f.label + "格式不正确，请填写月份01-12（如05）"
		}
		m := atoi(s)
		if m < 1 || m > 12 {
			return f.label + "的月份应在01-12之间，请核对"
		}
		v.ord = int64(m)
		if len(s) == 1 {
			v.norm = "0" + s
		}
	case kInteger:
		s = foldDigits(s)
		if !digits(s) || len(s) > 15 {
			return f.label + "应为整数（如60），请核对"
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		v.ord = n
		if s[0] == '0' && len(s) > 1 || s != v.raw {
			v.norm = strconv.FormatInt(n, 10)
		}
	case kMoney, kNumber, kRatio:
		return f.parseDecimal(foldDigits(s), v)
	}
	return ""
}

// parseDecimal parses a decimal with at most f.scale decimals into v.ord
// (scaled by 10^scale) and v.norm (money and numbers always with two
// decimals; ratios as written, trimmed).
func (f *cfield) parseDecimal(s string, v *value) string {
	what := "数字"
	if f.kind == kMoney {
		what = "金额"
	}
	neg := false
	body := s
	if strings.HasPrefix(body, "-") {
		neg, body = true, body[1:]
	}
	ip, fp, dot := strings.Cut(body, ".")
	if ip == "" || !digits(ip) || dot && (fp == "" || !digits(fp)) || len(ip) > 12 {
		return f.label + "应为" + what + "（如6000或6000.50），请核对"
	}
	if len(fp) > f.scale {
		return f.label + "最多保留" + strconv.Itoa(f.scale) + "位小数，请核对"
	}
	n, _ := strconv.ParseInt(ip, 10, 64)
	frac := 0
	if fp != "" {
		frac = atoi(fp)
	}
	for range f.scale - len(fp) {
		frac *= 10
	}
	scale := int64(1)
	for range f.scale {
		scale *= 10
	}
	v.ord = n*scale + int64(frac)
	if neg {
		v.ord = -v.ord
	}
	if f.kind == kRatio {
		if s != v.raw {
			v.norm = s
		}
		return ""
	}
	v.norm = f.formatOrd(v.ord)
	return ""
}

// formatOrd formats an ordinal in the field's units for messages.
func (f *cfield) formatOrd(o int64) string {
	switch f.kind {
	case kDate:
		return fmt.Sprintf("%04d-%02d-%02d", o/10000, o/100%100, o%100)
	case kYearMonth:
		return fmt.Sprintf("%04d-%02d", o/10000, o/100%100)
	case kYear:
		return strconv.FormatInt(o/10000, 10)
	case kMonth:
		return fmt.Sprintf("%02d", o)
	case kMoney, kNumber, kRatio:
		scale := int64(1)
		for range f.scale {
			scale *= 10
		}
		sign := ""
		if o < 0 {
			sign, o = "-", -o
		}
		frac := strconv.FormatInt(o%scale, 10)
		for len(frac) < f.scale {
			frac = "0" + frac
		}
		if f.kind == kRatio {
			frac = strings.TrimRight(frac, "0")
			if frac == "" {
				return sign + strconv.FormatInt(o/scale, 10)
			}
		}
		return sign + strconv.FormatInt(o/scale, 10) + "." + frac
	}
	return strconv.FormatInt(o, 10)
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// apply evaluates one cross-field rule on fields that passed their own
// checks.
func (fm *form) apply(r *crule, vals []value, res *Result) {
	f, o := &fm.fields[r.field], &fm.fields[r.other]
	fv, ov := &vals[r.field], &vals[r.other]
	if !fv.ok || !ov.ok {
		return
	}
	msg := ""
	switch r.kind {
	case RuleNotBefore:
		a, b := fv.ord, ov.ord
		if f.grain != o.grain {
			// Compare at the coarser of the two grains.
			g := max(f.grain, o.grain)
			a, b = coarsen(a, g), coarsen(b, g)
		}
		if a < b {
			msg = f.label + "不能早于" + o.label + "（" + ov.norm + "），请核对"
		}
	case RuleBirthDateMatchesID:
		id := ov.norm
		if o.idType >= 0 && !slices.Contains(o.resident, vals[o.idType].norm) {
			return
		}
		bd, ok := checks.IDBirthDate(id)
		if !ok {
			return
		}
		want := int64(bd.Year()*10000 + int(bd.Month())*100 + bd.Day())
		if fv.ord != want {
			msg = f.label + "与" + o.label + "中的出生日期（" + f.formatOrd(want) + "）不一致，请核对"
		}
	case RuleGenderMatchesID:
		if o.idType >= 0 && !slices.Contains(o.resident, vals[o.idType].norm) {
			return
		}
		g := checks.IDGender(ov.norm)
		if g == "" || fv.norm != "1" && fv.norm != "2" {
			return
		}
		if fv.norm != g {
			msg = f.label + "与" + o.label + "不一致：" + o.label + "第17位表示“" + f.display(g) + "”，请核对"
		}
	case RuleSameAs:
		if fv.norm != ov.norm {
			msg = f.label + "与" + o.label + "不一致，请核对"
		}
	case RuleUSCCContainsOrgCode:
		org := strings.ReplaceAll(fv.norm, "-", "")
		if len(ov.norm) == 18 && len(org) == 9 && ov.norm[8:17] != org {
			msg = f.label + "与" + o.label + "第9-17位（" + ov.norm[8:17] + "）不一致，请核对"
		}
	}
	if msg == "" {
		return
	}
	if r.message != "" {
		msg = r.message
	}
	if r.warn {
		res.warn(f.def.Key, msg)
		return
	}
	res.fail(f.def.Key, msg)
	fv.bad = true
}

func coarsen(o int64, g grain) int64 {
	switch g {
	case gMonth:
		return o / 100 * 100
	case gYear:
		return o / 10000 * 10000
	}
	return o
}
