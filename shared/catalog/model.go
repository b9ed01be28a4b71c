package catalog

import (
	"time"

	"github.com/hljhrss/hrss/shared/codetable"
)

// User types: the portal a business is offered in (个人用户 / 企业用户).
const (
	Individual = "individual"
	Enterprise = "enterprise"
)

// Catalog is the loaded, checked catalog: every business with its guide,
// materials, form and rules. It is immutable and safe for concurrent use.
type Catalog struct {
	version    string
	digest     string
	source     string
	upload     Upload
	windows    map[string]*Window
	filters    Filters
	families   []Family
	businesses []*Business
	byID       map[string]*Business
	tables     *codetable.Set
}

// Upload holds the default limits of a material slot.
type Upload struct {
	Types    []string `yaml:"types" json:"types"`
	MaxBytes int64    `yaml:"maxBytes" json:"maxBytes"`
	MaxFiles int      `yaml:"maxFiles" json:"maxFiles"`
	Basis    string   `yaml:"basis" json:"-"`
}

// Window is a period of the month in which a business can be submitted
// (每月1-25号), in a time zone.
type Window struct {
	Name     string `yaml:"name" json:"name"`
	Label    string `yaml:"label" json:"label"`
	FromDay  int    `yaml:"fromDay" json:"fromDay"`
	ToDay    int    `yaml:"toDay" json:"toDay"`
	TimeZone string `yaml:"timeZone" json:"timeZone"`
	Basis    string `yaml:"basis" json:"-"`
	loc      *time.Location
}

// Open reports whether t falls inside the window's monthly rule (days
// FromDay..ToDay of the month, inclusive, in the window's time zone).
// Dated exceptions (closure days, extensions) are not the catalog's: the
// calendar package applies them over this rule.
func (w *Window) Open(t time.Time) bool { return w.OpenOnDay(t.In(w.loc).Day()) }

// OpenOnDay reports whether the monthly rule opens day (1-31) of a month.
func (w *Window) OpenOnDay(day int) bool { return day >= w.FromDay && day <= w.ToDay }

// Location is the window's time zone.
func (w *Window) Location() *time.Location { return w.loc }

// Filters are the values of the service-center filters of each portal.
type Filters struct {
	Individual UserFilters `yaml:"individual" json:"individual"`
	Enterprise UserFilters `yaml:"enterprise" json:"enterprise"`
}

// UserFilters are one portal's filters: 业务类别 (业务种类) and 办理作用.
type UserFilters struct {
	CategoryLabel string   `yaml:"categoryLabel" json:"categoryLabel"`
	Categories    []string `yaml:"categories" json:"categories"`
	PurposeLabel  string   `yaml:"purposeLabel" json:"purposeLabel"`
	Purposes      []string `yaml:"purposes" json:"purposes"`
	Note          string   `yaml:"note" json:"-"`
}

// Family is a business family: the businesses one backend function serves.
type Family struct {
	ID          string `yaml:"id" json:"id"`
	Label       string `yaml:"label" json:"label"`
	Description string `yaml:"description" json:"description"`
}

// Business is one business (事项) of the service center.
type Business struct {
	ID           string   `yaml:"id" json:"id"`
	Section      string   `yaml:"section" json:"section"`
	Name         string   `yaml:"name" json:"name"`
	NameEn       string   `yaml:"nameEn" json:"nameEn"`
	Initials     string   `yaml:"initials" json:"initials"`
	Aliases      []string `yaml:"aliases" json:"aliases,omitempty"`
	UserType     string   `yaml:"userType" json:"userType"`
	UserTypeNote string   `yaml:"userTypeNote" json:"userTypeNote,omitempty"`
	Family       string   `yaml:"family" json:"family"`
	FourEyes     bool     `yaml:"fourEyes" json:"fourEyes,omitempty"` // two different reviewers approve it
	// ReceiptTitle is the title of the business's 回执单 where the manual
	// names one (退费回执单, 职欠费清欠回执单); see Business.Receipt.
	ReceiptTitle    string           `yaml:"receiptTitle" json:"receiptTitle,omitempty"`
	Subfamily       string           `yaml:"subfamily" json:"subfamily,omitempty"`
	Categories      []string         `yaml:"categories" json:"categories"`
	Purposes        []string         `yaml:"purposes" json:"purposes"`
	TagsNote        string           `yaml:"tagsNote" json:"-"`
	WindowName      string           `yaml:"window" json:"-"`
	Window          *Window          `yaml:"-" json:"window"`
	Hint            string           `yaml:"hint" json:"hint,omitempty"`
	Guide           Guide            `yaml:"guide" json:"-"`
	MaterialsNote   string           `yaml:"materialsNote" json:"-"`
	Materials       []Material       `yaml:"materials" json:"materials"`
	Fields          []Field          `yaml:"fields" json:"fields"`
	Rules           []Rule           `yaml:"rules" json:"rules,omitempty"`
	Ledger          *Ledger          `yaml:"ledger" json:"ledger,omitempty"`
	SelectionTables []SelectionTable `yaml:"selectionTables" json:"selectionTables,omitempty"`
	RepeatingRows   *RepeatingRows   `yaml:"repeatingRows" json:"repeatingRows,omitempty"`
	Documents       *Documents       `yaml:"documents" json:"documents,omitempty"`
	Notes           []string         `yaml:"notes" json:"-"`

	form    *form
	rowForm *form // the repeating rows' fields, when the business has them
}

// Guide is the 办理指南 of a business. Drafted guides were written by the
// project in the form of the manual's only guide (4.1).
type Guide struct {
	Drafted    bool     `yaml:"drafted"`
	ItemName   string   `yaml:"事项名称"`
	Agency     string   `yaml:"实施机构"`
	Basis      string   `yaml:"设定依据"`
	BasisItems []string `yaml:"设定依据条目"`
	Conditions string   `yaml:"受理条件"`
	Fee        string   `yaml:"是否收费"`
	Statutory  string   `yaml:"法定办结时限"`
	Promised   string   `yaml:"承诺办理时限"`
	Inspection string   `yaml:"定期检验及依据"`
	Process    string   `yaml:"办理流程"`
	Contact    string   `yaml:"咨询方式"`
	Hours      string   `yaml:"办理时间"`
	Place      string   `yaml:"办理地点"`
	Note       string   `yaml:"note"`
}

// GuideRow is one row of a guide as the portal shows it.
type GuideRow struct {
	Label string   `json:"label"`
	Value string   `json:"value"`
	Items []string `json:"items,omitempty"`
}

// Rows returns the guide's rows in the manual's order.
func (g *Guide) Rows() []GuideRow {
	return []GuideRow{
		{Label: "事项名称", Value: g.ItemName},
		{Label: "实施机构", Value: g.Agency},
		{Label: "设定依据", Value: g.Basis, Items: g.BasisItems},
		{Label: "受理条件", Value: g.Conditions},
		{Label: "是否收费", Value: g.Fee},
		{Label: "法定办结时限", Value: g.Statutory},
		{Label: "承诺办理时限", Value: g.Promised},
		{Label: "定期检验及依据", Value: g.Inspection},
		{Label: "办理流程", Value: g.Process},
		{Label: "咨询方式", Value: g.Contact},
		{Label: "办理时间", Value: g.Hours},
		{Label: "办理地点", Value: g.Place},
	}
}

// Material is an upload slot (申请材料).
type Material struct {
	Name     string   `yaml:"name" json:"name"`
	Printed  string   `yaml:"printed" json:"printed,omitempty"` // the slot label as printed, when Name completes it
	Drafted  bool     `yaml:"drafted" json:"drafted,omitempty"` // Name was completed by the project
	Required bool     `yaml:"required" json:"required"`
	OneOf    string   `yaml:"oneOf" json:"oneOf,omitempty"` // at least one material of the group needs a file
	Types    []string `yaml:"types" json:"types"`
	MaxBytes int64    `yaml:"maxBytes" json:"maxBytes"`
	MaxFiles int      `yaml:"maxFiles" json:"maxFiles"`
	Note     string   `yaml:"note" json:"note,omitempty"`
}

// Requirement is the guide's 必要性要求 of a material.
func (m *Material) Requirement() string {
	switch {
	case m.Required:
		return "必传"
	case m.OneOf != "":
		return "任选其一"
	default:
		return "非必传"
	}
}

// Field types.
const (
	TypeText                 = "text"
	TypeCode                 = "code"
	TypeDate                 = "date"
	TypeYearMonth            = "yearMonth"
	TypeYear                 = "year"
	TypeMonth                = "month"
	TypeEnum                 = "enum"
	TypeMoney                = "money"
	TypeNumber               = "number"
	TypeRatio                = "ratio"
	TypeInteger              = "integer"
	TypeIDNumber             = "idNumber"
	TypeSocialSecurityNumber = "socialSecurityNumber"
	TypeMobile               = "mobile"
	TypePhone                = "phone"
	TypePostcode             = "postcode"
	TypeEmail                = "email"
	TypeBankAccount          = "bankAccount"
	TypeUSCC                 = "uscc"
	TypeOrgCode              = "orgCode"
	TypeRegionCode           = "regionCode"
)

// Field is one form field (基本信息 item). The portal renders it and the
// engine validates it from this same definition.
type Field struct {
	Key            string   `yaml:"key" json:"key"`
	Label          string   `yaml:"label" json:"label"`
	LabelAsPrinted string   `yaml:"labelAsPrinted" json:"labelAsPrinted,omitempty"`
	LabelVariants  []string `yaml:"labelVariants" json:"labelVariants,omitempty"`
	Type           string   `yaml:"type" json:"type"`
	Required       bool     `yaml:"required" json:"required"`
	Enum           string   `yaml:"enum" json:"enum,omitempty"` // code table name
	Format         string   `yaml:"format" json:"format,omitempty"`
	MaxLength      int      `yaml:"maxLength" json:"maxLength,omitempty"`
	Min            string   `yaml:"min" json:"min,omitempty"`
	Max            string   `yaml:"max" json:"max,omitempty"`
	NotFuture      bool     `yaml:"notFuture" json:"notFuture,omitempty"`
	Group          string   `yaml:"group" json:"group,omitempty"`
	Prefill        *Prefill `yaml:"prefill" json:"prefill,omitempty"`
	ReadOnly       string   `yaml:"readOnly" json:"readOnly,omitempty"`
	Placeholder    string   `yaml:"placeholder" json:"placeholder,omitempty"`
	Widget         string   `yaml:"widget" json:"widget,omitempty"`
	Hint           string   `yaml:"hint" json:"hint,omitempty"`
	Note           string   `yaml:"note" json:"-"`
}

// Prefill says where a field's initial value comes from.
type Prefill struct {
	From     string `yaml:"from" json:"from"` // account, person, unit, default, derived
	Attr     string `yaml:"attr" json:"attr,omitempty"`
	Value    string `yaml:"value" json:"value,omitempty"`
	Inferred bool   `yaml:"inferred" json:"inferred,omitempty"`
	Basis    string `yaml:"basis" json:"-"`
}

// Rule kinds.
const (
	RuleNotBefore           = "notBefore"
	RuleBirthDateMatchesID  = "birthDateMatchesID"
	RuleGenderMatchesID     = "genderMatchesID"
	RuleIDNumberByType      = "idNumberByType"
	RuleRequiredUnless      = "requiredUnless"
	RuleSameAs              = "sameAs"
	RuleUSCCContainsOrgCode = "usccContainsOrgCode"
)

// Rule is a cross-field rule.
type Rule struct {
	Kind    string   `yaml:"kind" json:"kind"`
	Field   string   `yaml:"field" json:"field,omitempty"`
	Other   string   `yaml:"other" json:"other,omitempty"`
	Fields  []string `yaml:"fields" json:"fields,omitempty"`
	When    string   `yaml:"when" json:"when,omitempty"`
	Values  []string `yaml:"values" json:"values,omitempty"`
	Warn    bool     `yaml:"warn" json:"warn,omitempty"`
	Message string   `yaml:"message" json:"message,omitempty"`
}

// LedgerQuery is the 开始年月 / 结束年月 + 查询 period query of a ledger.
type LedgerQuery struct {
	Shown         bool     `yaml:"shown" json:"shown"`
	StartLabel    string   `yaml:"startLabel" json:"startLabel,omitempty"`
	EndLabel      string   `yaml:"endLabel" json:"endLabel,omitempty"`
	Button        string   `yaml:"button" json:"button,omitempty"`
	Required      bool     `yaml:"required" json:"required,omitempty"`
	LabelVariants []string `yaml:"labelVariants" json:"-"`
	Note          string   `yaml:"note" json:"-"`
}

// LedgerColumn is a column (with sub-columns such as 金额 / 利息).
type LedgerColumn struct {
	Label         string   `yaml:"label" json:"label"`
	Value         string   `yaml:"value" json:"-"` // what fills it (Ledger.Cells)
	Sub           []string `yaml:"sub" json:"sub,omitempty"`
	LabelVariants []string `yaml:"labelVariants" json:"-"`
}

// LedgerTotal is a total over the ticked rows: the sum of the listed flat
// columns ("column.sub").
type LedgerTotal struct {
	Label    string   `yaml:"label" json:"label"`
	Sum      []string `yaml:"sum" json:"sum"`
	Rule     string   `yaml:"rule" json:"-"`
	Inferred bool     `yaml:"inferred" json:"inferred,omitempty"`
	Check    string   `yaml:"check" json:"-"`
}

// SelectionTable is a table of records to pick from (人员信息, 单位信息 ...).
type SelectionTable struct {
	Title     string   `yaml:"title" json:"title"`
	Columns   []string `yaml:"columns" json:"columns"`
	RowSelect string   `yaml:"rowSelect" json:"rowSelect"`
	Note      string   `yaml:"note" json:"-"`
}

// RepeatingRows are rows the user adds with 新增 and removes with 删除.
type RepeatingRows struct {
	Buttons []string `yaml:"buttons" json:"buttons"`
	Fields  []Field  `yaml:"fields" json:"fields"`
	Note    string   `yaml:"note" json:"-"`
}

// Documents is 5.2's download-edit-upload document section.
type Documents struct {
	DownloadSection string `yaml:"downloadSection" json:"downloadSection"`
	DownloadNote    string `yaml:"downloadNote" json:"downloadNote"`
	UploadSection   string `yaml:"uploadSection" json:"uploadSection"`
	UploadSlot      string `yaml:"uploadSlot" json:"uploadSlot"`
}

// Receipt is the title of the business's 回执单: the manual's own where it
// names one, else the business's name + 回执单.
func (b *Business) Receipt() string {
	if b.ReceiptTitle != "" {
		return b.ReceiptTitle
	}
	return b.Name + "回执单"
}
