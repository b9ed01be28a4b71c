// Command gen bootstraps the catalog data files (shared/catalog/data) from
// the structured reading of the manual (shared/spec/businesses.yaml).
//
// It was run once to create the data; from then on the data files are the
// project's own, versioned data and are edited by hand (the runtime never
// reads the spec). The program is kept so that the decisions it encodes —
// user types, material requiredness, the monthly window, prefill sources,
// read-only rules, cross-field rules, drafted guides — are reviewable in one
// place, and so that a new reading of the manual can be diffed against the
// data. It refuses to overwrite existing files unless -force is given. The
// record-table bindings (ledger rows, blocks and each column's value, read
// by shared/recordtable) were added to the data by hand afterwards: a
// regenerated file lacks them and does not load until they are added.
//
//	go run ./shared/catalog/internal/gen -spec ../shared/spec/businesses.yaml -out shared/catalog/data
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

func main() {
	specPath := flag.String("spec", "../shared/spec/businesses.yaml", "path of businesses.yaml")
	out := flag.String("out", "shared/catalog/data", "data directory to write")
	force := flag.Bool("force", false, "overwrite existing data files")
	flag.Parse()
	if err := run(*specPath, *out, *force); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(specPath, out string, force bool) error {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	var sp specDoc
	if err := yaml.Unmarshal(raw, &sp); err != nil {
		return fmt.Errorf("parse spec: %w", err)
	}
	if len(sp.Businesses) != 42 {
		return fmt.Errorf("spec has %d businesses, want 42", len(sp.Businesses))
	}
	files := map[string][]byte{}
	idx, err := buildIndex(&sp)
	if err != nil {
		return err
	}
	files["catalog.yaml"] = idx
	for i := range sp.Businesses {
		b := &sp.Businesses[i]
		data, err := buildBusiness(&sp, b)
		if err != nil {
			return fmt.Errorf("%s %s: %w", b.Section, b.ID, err)
		}
		files[filepath.Join("businesses", fileName(b))] = data
	}
	if !force {
		for name := range files {
			if _, err := os.Stat(filepath.Join(out, name)); err == nil {
				return fmt.Errorf("%s exists; the data files are hand-maintained now (use -force to overwrite)", filepath.Join(out, name))
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(out, "businesses"), 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(out, n), files[n], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d files under %s\n", len(files), out)
	return nil
}

// fileName is "<chapter>.<two-digit section>-<id>.yaml", so that a
// directory listing is in manual order.
func fileName(b *specBusiness) string {
	ch, sec, _ := strings.Cut(b.Section, ".")
	n, _ := strconv.Atoi(sec)
	return fmt.Sprintf("%s.%02d-%s.yaml", ch, n, b.ID)
}

// ---- the spec (input) ----

type specDoc struct {
	Families             []specFamily        `yaml:"families"`
	ServiceCenterFilters specFilters         `yaml:"service_center_filters"`
	EnumCatalog          map[string]specEnum `yaml:"enum_catalog"`
	Businesses           []specBusiness      `yaml:"businesses"`
}

type specFamily struct {
	ID          string   `yaml:"id"`
	Label       string   `yaml:"group_label_zh"`
	Description string   `yaml:"description"`
	Businesses  []string `yaml:"businesses"`
}

type specFilterValues struct {
	Label  string   `yaml:"label_zh"`
	Values []string `yaml:"values"`
	Other  []string `yaml:"values_other_screenshot"`
}

type specFilters struct {
	Individual map[string]specFilterValues `yaml:"individual"`
	Enterprise map[string]specFilterValues `yaml:"enterprise"`
}

type specEnum struct {
	Labels []string `yaml:"labels_zh"`
}

type specTagged struct {
	Value    string `yaml:"value"`
	Inferred bool   `yaml:"inferred"`
	Alt      string `yaml:"alt"`
	Evidence string `yaml:"evidence"`
}

type specMaterial struct {
	Name          string   `yaml:"name_zh"`
	Source        string   `yaml:"source"`
	Truncated     bool     `yaml:"truncated"`
	NarrativeName string   `yaml:"narrative_name_zh"`
	Notes         string   `yaml:"notes"`
	LabelVariants []string `yaml:"label_variants_zh"`
}

type specField struct {
	Label          string   `yaml:"label_zh"`
	Key            string   `yaml:"key"`
	Type           string   `yaml:"type"`
	Required       bool     `yaml:"required"`
	Prefill        string   `yaml:"prefill"`
	PrefillBasis   string   `yaml:"prefill_basis"`
	Default        string   `yaml:"default"`
	Readonly       string   `yaml:"readonly"`
	ReadonlyBasis  string   `yaml:"readonly_basis"`
	Group          string   `yaml:"group"`
	Placeholder    string   `yaml:"placeholder"`
	Widget         string   `yaml:"widget"`
	Notes          string   `yaml:"notes"`
	LabelVariants  []string `yaml:"label_variants_zh"`
	LabelAsPrinted string   `yaml:"label_as_printed_zh"`
	Callout        string   `yaml:"callout_zh"`
	Examples       []string `yaml:"examples"`
}

type specColumn struct {
	Label         string   `yaml:"label_zh"`
	Sub           []string `yaml:"sub"`
	LabelVariants []string `yaml:"label_variants_zh"`
}

type specLedger struct {
	Title     string `yaml:"title_zh"`
	SelectAll bool   `yaml:"select_all"`
	RowSelect string `yaml:"row_select"`
	Query     struct {
		Shown         bool     `yaml:"shown"`
		StartLabel    string   `yaml:"start_label_zh"`
		EndLabel      string   `yaml:"end_label_zh"`
		Button        string   `yaml:"button_zh"`
		Required      bool     `yaml:"required"`
		LabelVariants []string `yaml:"label_variants_zh"`
		Note          string   `yaml:"note"`
	} `yaml:"query"`
	Columns     []specColumn `yaml:"columns"`
	FlatColumns []string     `yaml:"flat_columns"`
	Totals      []struct {
		Label    string `yaml:"label_zh"`
		Rule     string `yaml:"rule"`
		Inferred bool   `yaml:"formula_inferred"`
		Check    string `yaml:"check"`
	} `yaml:"totals"`
	Notes string `yaml:"notes"`
}

type specSelection struct {
	Title     string   `yaml:"title_zh"`
	Columns   []string `yaml:"columns"`
	RowSelect string   `yaml:"row_select"`
	Note      string   `yaml:"note"`
}

type specBusiness struct {
	ID                 string            `yaml:"id"`
	Section            string            `yaml:"section"`
	Name               string            `yaml:"name_zh"`
	NameEn             string            `yaml:"name_en"`
	UserType           string            `yaml:"user_type"`
	AlsoListedFor      []string          `yaml:"also_listed_for"`
	AlsoListedNote     string            `yaml:"also_listed_note"`
	Family             string            `yaml:"family"`
	Subfamily          string            `yaml:"subfamily"`
	Category           specTagged        `yaml:"category"`
	Purpose            specTagged        `yaml:"purpose"`
	Materials          []specMaterial    `yaml:"materials"`
	MaterialsNote      string            `yaml:"materials_note"`
	MaterialsUnknown   bool              `yaml:"materials_unknown"`
	Fields             []specField       `yaml:"fields"`
	Ledger             *specLedger       `yaml:"ledger"`
	SelectionTables    []specSelection   `yaml:"selection_tables"`
	RepeatingRows      *specRepeating    `yaml:"repeating_rows"`
	Documents          map[string]string `yaml:"documents"`
	Guide              map[string]any    `yaml:"guide"`
	FormTitle          string            `yaml:"form_title_zh"`
	FormTitleVariants  []string          `yaml:"form_title_variants_zh"`
	ListingName        string            `yaml:"listing_name_zh"`
	NarrativeName      string            `yaml:"narrative_name_zh"`
	Hint               string            `yaml:"hint_zh"`
	HintVariants       []string          `yaml:"hint_variants_zh"`
	SameNameAs         string            `yaml:"same_name_as"`
	NarrativeMaterials []string          `yaml:"narrative_materials_zh"`
}

type specRepeating struct {
	Buttons   []string    `yaml:"buttons_zh"`
	RowFields []specField `yaml:"row_fields"`
	Note      string      `yaml:"note"`
}

// ---- the data files (output) ----

type outIndex struct {
	Version  string      `yaml:"version"`
	Source   string      `yaml:"source"`
	Upload   outUpload   `yaml:"upload"`
	Windows  []outWindow `yaml:"windows"`
	Filters  outFilters  `yaml:"filters"`
	Families []outFamily `yaml:"families"`
}

type outUpload struct {
	Types    []string `yaml:"types"`
	MaxBytes int64    `yaml:"maxBytes"`
	MaxFiles int      `yaml:"maxFiles"`
	Basis    string   `yaml:"basis"`
}

type outWindow struct {
	Name     string `yaml:"name"`
	Label    string `yaml:"label"`
	FromDay  int    `yaml:"fromDay"`
	ToDay    int    `yaml:"toDay"`
	TimeZone string `yaml:"timeZone"`
	Basis    string `yaml:"basis"`
}

type outUserFilters struct {
	CategoryLabel string   `yaml:"categoryLabel"`
	Categories    []string `yaml:"categories"`
	PurposeLabel  string   `yaml:"purposeLabel"`
	Purposes      []string `yaml:"purposes"`
	Note          string   `yaml:"note,omitempty"`
}

type outFilters struct {
	Individual outUserFilters `yaml:"individual"`
	Enterprise outUserFilters `yaml:"enterprise"`
}

type outFamily struct {
	ID          string `yaml:"id"`
	Label       string `yaml:"label"`
	Description string `yaml:"description"`
}

type outBusiness struct {
	ID              string         `yaml:"id"`
	Section         string         `yaml:"section"`
	Name            string         `yaml:"name"`
	NameEn          string         `yaml:"nameEn"`
	Initials        string         `yaml:"initials"`
	Aliases         []string       `yaml:"aliases,omitempty"`
	UserType        string         `yaml:"userType"`
	UserTypeNote    string         `yaml:"userTypeNote,omitempty"`
	Family          string         `yaml:"family"`
	Subfamily       string         `yaml:"subfamily,omitempty"`
	Categories      []string       `yaml:"categories"`
	Purposes        []string       `yaml:"purposes"`
	TagsNote        string         `yaml:"tagsNote,omitempty"`
	Window          string         `yaml:"window,omitempty"`
	Hint            string         `yaml:"hint,omitempty"`
	Guide           outGuide       `yaml:"guide"`
	MaterialsNote   string         `yaml:"materialsNote,omitempty"`
	Materials       []outMaterial  `yaml:"materials"`
	Fields          []outField     `yaml:"fields"`
	Rules           []outRule      `yaml:"rules,omitempty"`
	Ledger          *outLedger     `yaml:"ledger,omitempty"`
	SelectionTables []outSelection `yaml:"selectionTables,omitempty"`
	RepeatingRows   *outRepeating  `yaml:"repeatingRows,omitempty"`
	Documents       *outDocuments  `yaml:"documents,omitempty"`
	Notes           []string       `yaml:"notes,omitempty"`
}

type outGuide struct {
	Drafted    bool     `yaml:"drafted"`
	ItemName   string   `yaml:"事项名称"`
	Agency     string   `yaml:"实施机构"`
	Basis      string   `yaml:"设定依据"`
	BasisItems []string `yaml:"设定依据条目,omitempty"`
	Conditions string   `yaml:"受理条件"`
	Fee        string   `yaml:"是否收费"`
	Statutory  string   `yaml:"法定办结时限"`
	Promised   string   `yaml:"承诺办理时限"`
	Inspection string   `yaml:"定期检验及依据"`
	Process    string   `yaml:"办理流程"`
	Contact    string   `yaml:"咨询方式"`
	Hours      string   `yaml:"办理时间"`
	Place      string   `yaml:"办理地点"`
	Note       string   `yaml:"note,omitempty"`
}

type outMaterial struct {
	Name     string   `yaml:"name"`
	Printed  string   `yaml:"printed,omitempty"`
	Drafted  bool     `yaml:"drafted,omitempty"`
	Required bool     `yaml:"required"`
	OneOf    string   `yaml:"oneOf,omitempty"`
	Types    []string `yaml:"types,omitempty"`
	MaxBytes int64    `yaml:"maxBytes,omitempty"`
	MaxFiles int      `yaml:"maxFiles,omitempty"`
	Note     string   `yaml:"note,omitempty"`
}

type outPrefill struct {
	From     string `yaml:"from"`
	Attr     string `yaml:"attr,omitempty"`
	Value    string `yaml:"value,omitempty"`
	Inferred bool   `yaml:"inferred,omitempty"`
	Basis    string `yaml:"basis,omitempty"`
}

type outField struct {
	Key            string      `yaml:"key"`
	Label          string      `yaml:"label"`
	LabelAsPrinted string      `yaml:"labelAsPrinted,omitempty"`
	LabelVariants  []string    `yaml:"labelVariants,omitempty"`
	Type           string      `yaml:"type"`
	Required       bool        `yaml:"required"`
	Enum           string      `yaml:"enum,omitempty"`
	Format         string      `yaml:"format,omitempty"`
	MaxLength      int         `yaml:"maxLength,omitempty"`
	Min            string      `yaml:"min,omitempty"`
	Max            string      `yaml:"max,omitempty"`
	NotFuture      bool        `yaml:"notFuture,omitempty"`
	Group          string      `yaml:"group,omitempty"`
	Prefill        *outPrefill `yaml:"prefill,omitempty"`
	ReadOnly       string      `yaml:"readOnly,omitempty"`
	Placeholder    string      `yaml:"placeholder,omitempty"`
	Widget         string      `yaml:"widget,omitempty"`
	Hint           string      `yaml:"hint,omitempty"`
	Note           string      `yaml:"note,omitempty"`
}

type outRule struct {
	Kind    string   `yaml:"kind"`
	Field   string   `yaml:"field,omitempty"`
	Other   string   `yaml:"other,omitempty"`
	Fields  []string `yaml:"fields,omitempty"`
	When    string   `yaml:"when,omitempty"`
	Values  []string `yaml:"values,omitempty"`
	Warn    bool     `yaml:"warn,omitempty"`
	Message string   `yaml:"message,omitempty"`
}

type outColumn struct {
	Label         string   `yaml:"label"`
	Sub           []string `yaml:"sub,omitempty"`
	LabelVariants []string `yaml:"labelVariants,omitempty"`
}

type outTotal struct {
	Label    string   `yaml:"label"`
	Sum      []string `yaml:"sum"`
	Rule     string   `yaml:"rule"`
	Inferred bool     `yaml:"inferred,omitempty"`
	Check    string   `yaml:"check,omitempty"`
}

type outQuery struct {
	Shown         bool     `yaml:"shown"`
	StartLabel    string   `yaml:"startLabel,omitempty"`
	EndLabel      string   `yaml:"endLabel,omitempty"`
	Button        string   `yaml:"button,omitempty"`
	Required      bool     `yaml:"required,omitempty"`
	LabelVariants []string `yaml:"labelVariants,omitempty"`
	Note          string   `yaml:"note,omitempty"`
}

type outLedger struct {
	Title       string      `yaml:"title"`
	SelectAll   bool        `yaml:"selectAll"`
	RowSelect   string      `yaml:"rowSelect"`
	Query       outQuery    `yaml:"query"`
	Columns     []outColumn `yaml:"columns"`
	FlatColumns []string    `yaml:"flatColumns"`
	Totals      []outTotal  `yaml:"totals"`
	Note        string      `yaml:"note,omitempty"`
}

type outSelection struct {
	Title     string   `yaml:"title"`
	Columns   []string `yaml:"columns"`
	RowSelect string   `yaml:"rowSelect"`
	Note      string   `yaml:"note,omitempty"`
}

type outRepeating struct {
	Buttons []string   `yaml:"buttons"`
	Fields  []outField `yaml:"fields"`
	Note    string     `yaml:"note,omitempty"`
}

type outDocuments struct {
	DownloadSection string `yaml:"downloadSection"`
	DownloadNote    string `yaml:"downloadNote"`
	UploadSection   string `yaml:"uploadSection"`
	UploadSlot      string `yaml:"uploadSlot"`
}

// ---- building ----

func marshal(header string, v any) ([]byte, error) {
	var buf bytes.Buffer
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		if l == "" {
			buf.WriteString("#\n")
		} else {
			buf.WriteString("# " + l + "\n")
		}
	}
	buf.WriteString("\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func buildIndex(sp *specDoc) ([]byte, error) {
	ind := sp.ServiceCenterFilters.Individual
	ent := sp.ServiceCenterFilters.Enterprise
	purposes := union(ind["办理作用"].Values, ind["办理作用"].Other)
	idx := outIndex{
		Version: catalogVersion,
		Source:  "黑龙江省人力资源和社会保障 公共服务平台系统 操作手册 (2022-5-5), read through shared/spec/businesses.yaml (spec_version 1)",
		Upload: outUpload{
			Types:    []string{"image/jpeg", "image/png"},
			MaxBytes: 5 << 20,
			MaxFiles: 5,
			Basis:    "The manual only says materials are 图片 (images) and that a material slot can hold several (portal.md §6, §8); it gives no size or count limit. Decision: JPEG or PNG, at most 5 MiB each (a phone photo of an A4 page), at most 5 files per material. A material may override these (5.2's declaration file is a ZIP).",
		},
		Windows: []outWindow{{
			Name: "monthly-1-25", Label: "每月1-25号", FromDay: 1, ToDay: 25, TimeZone: "Asia/Shanghai",
			Basis: "办理时间 每月1-25号 is stated in the only guide the manual shows (4.1, a 费用征缴 business). Decision (inferred): the window applies to every business whose purpose is 费用征缴, because those post or change contribution records and the month's contributions are assessed after the 25th; information changes, benefit payments and qualification businesses have no window.",
		}},
		Filters: outFilters{
			Individual: outUserFilters{
				CategoryLabel: ind["业务类别"].Label, Categories: drop(ind["业务类别"].Values, "全部"),
				PurposeLabel: ind["办理作用"].Label, Purposes: drop(purposes, "全部"),
				Note: "办理作用 is the union of the two screenshots (4.15 and 4.23), which disagree; 全部 is the portal's 'no filter' and is accepted by the API as such.",
			},
			Enterprise: outUserFilters{
				CategoryLabel: ent["业务种类"].Label, Categories: drop(ent["业务种类"].Values, "全部"),
				PurposeLabel: ent["办理作用"].Label, Purposes: drop(ent["办理作用"].Values, "全部"),
				Note: "The enterprise list labels the first filter 业务种类 (individual: 业务类别).",
			},
		},
	}
	for _, f := range sp.Families {
		idx.Families = append(idx.Families, outFamily{ID: f.ID, Label: f.Label, Description: f.Description})
	}
	return marshal(indexHeader, idx)
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func drop(vs []string, v string) []string {
	return slices.DeleteFunc(slices.Clone(vs), func(s string) bool { return s == v })
}

func buildBusiness(sp *specDoc, b *specBusiness) ([]byte, error) {
	ini, err := initials(b.Name)
	if err != nil {
		return nil, err
	}
	o := outBusiness{
		ID: b.ID, Section: b.Section, Name: b.Name, NameEn: b.NameEn, Initials: ini,
		UserType: b.UserType, Family: b.Family, Subfamily: b.Subfamily,
		Categories: []string{b.Category.Value}, Purposes: []string{b.Purpose.Value},
		Hint: b.Hint,
	}
	for _, a := range append([]string{b.FormTitle, b.ListingName, b.NarrativeName}, b.FormTitleVariants...) {
		if a != "" && a != b.Name && !slices.Contains(o.Aliases, a) {
			o.Aliases = append(o.Aliases, a)
		}
	}
	if d, ok := userTypeDecisions[b.ID]; ok {
		if d.userType != b.UserType {
			o.UserType = d.userType
		}
		o.UserTypeNote = d.note
	} else if len(b.AlsoListedFor) > 0 {
		return nil, fmt.Errorf("listed for both user types but no decision recorded")
	}
	if extra, ok := extraCategories[b.ID]; ok {
		o.Categories = append(o.Categories, extra...)
	}
	var tagNotes []string
	if b.Category.Inferred {
		tagNotes = append(tagNotes, "业务类别 inferred")
	} else if b.Category.Evidence != "" {
		tagNotes = append(tagNotes, "业务类别 seen: "+b.Category.Evidence)
	}
	if b.Category.Alt != "" {
		tagNotes = append(tagNotes, b.Category.Alt)
	}
	tagNotes = append(tagNotes, "办理作用 inferred (the manual never shows a 办理作用 filter applied)")
	o.TagsNote = strings.Join(tagNotes, "; ")
	if slices.Contains(o.Purposes, "费用征缴") {
		o.Window = "monthly-1-25"
	}

	// Materials.
	mats, err := materials(b)
	if err != nil {
		return nil, err
	}
	o.Materials = mats
	o.MaterialsNote = b.MaterialsNote
	if b.MaterialsUnknown {
		o.MaterialsNote = strings.TrimSpace(o.MaterialsNote + " No material is required until the manual's slots are known.")
	}

	// Fields and rules.
	for _, f := range b.Fields {
		o.Fields = append(o.Fields, field(b, f))
	}
	o.Rules = rules(b, o.Fields)

	// Guide.
	o.Guide = guide(b, o.Window != "")

	// Ledger and the other parts of the form.
	if l := b.Ledger; l != nil {
		ol := &outLedger{Title: l.Title, SelectAll: l.SelectAll, RowSelect: l.RowSelect, FlatColumns: l.FlatColumns, Note: l.Notes}
		ol.Query = outQuery{Shown: l.Query.Shown, StartLabel: l.Query.StartLabel, EndLabel: l.Query.EndLabel, Button: l.Query.Button,
			Required: l.Query.Required, LabelVariants: l.Query.LabelVariants, Note: l.Query.Note}
		for _, c := range l.Columns {
			ol.Columns = append(ol.Columns, outColumn(c))
		}
		sums := ledgerSums[b.ID]
		if len(sums) != len(l.Totals) {
			return nil, fmt.Errorf("ledger has %d totals, %d sums decided", len(l.Totals), len(sums))
		}
		for i, t := range l.Totals {
			ol.Totals = append(ol.Totals, outTotal{Label: t.Label, Sum: sums[i], Rule: t.Rule, Inferred: t.Inferred, Check: t.Check})
		}
		o.Ledger = ol
	}
	for _, s := range b.SelectionTables {
		o.SelectionTables = append(o.SelectionTables, outSelection(s))
	}
	if r := b.RepeatingRows; r != nil {
		or := &outRepeating{Buttons: r.Buttons, Note: r.Note}
		for _, f := range r.RowFields {
			or.Fields = append(or.Fields, field(b, f))
		}
		o.RepeatingRows = or
	}
	if d := b.Documents; d != nil {
		o.Documents = &outDocuments{DownloadSection: d["download_section_zh"], DownloadNote: d["download_note"], UploadSection: d["upload_section_zh"], UploadSlot: d["upload_slot_zh"]}
	}
	if b.SameNameAs != "" {
		o.Notes = append(o.Notes, "Same name as "+b.SameNameAs+".")
	}
	if len(b.NarrativeMaterials) > 0 {
		o.Notes = append(o.Notes, "The narrative lists other materials ("+strings.Join(b.NarrativeMaterials, "、")+"); the screenshot's slots are used.")
	}

	header := fmt.Sprintf("%s %s (%s)\n\nGenerated once from shared/spec/businesses.yaml by shared/catalog/internal/gen;\nnow the project's own data: edit here. Rules for every file: ../catalog.yaml.", b.Section, b.Name, b.ID)
	return marshal(header, o)
}

// ---- fields ----

// personNameKeys are fields holding a person's name.
var personNameKeys = map[string]bool{"name": true, "dependantName": true, "receiverName": true, "legalRepName": true, "contactName": true}

// notFutureKeys are dates that cannot lie after today.
var notFutureKeys = map[string]bool{
	"birthDate": true, "archiveBirthDate": true, "workStartDate": true, "establishedDate": true,
	"businessLicenseIssueDate": true, "approvalDate": true, "techTitleAppointDate": true,
}

// accountKeys are prefilled from the login account: the person's own
// identity for individual businesses, the unit's for enterprise ones.
var accountKeys = map[string]map[string]bool{
	"individual": {"name": true, "socialSecurityNumber": true},
	"enterprise": {"unitNumber": true, "unitName": true, "uscc": true},
}

// identityKeys identify a person or unit; only the key-information
// businesses change them.
var identityKeys = map[string]bool{
	"name": true, "socialSecurityNumber": true, "idNumber": true, "idType": true, "personNumber": true,
	"dependantName": true, "dependantIdNumber": true, "unitNumber": true, "unitName": true, "uscc": true, "orgCode": true,
}

// keyInfoChange are the businesses that correct identity keys.
var keyInfoChange = map[string]bool{"personal-key-info-change": true, "unit-key-info-maintenance": true}

// loginKeys identify the account itself.
var loginKeys = map[string]bool{"socialSecurityNumber": true, "unitNumber": true}

// selectsUnit reports whether the form picks the unit from a 单位信息 table.
func selectsUnit(b *specBusiness) bool {
	for _, s := range b.SelectionTables {
		if s.Title == "单位信息" {
			return true
		}
	}
	return false
}

var unitKeys = map[string]bool{"unitNumber": true, "unitName": true, "uscc": true, "orgCode": true, "publicRegionCode": true}

func field(b *specBusiness, f specField) outField {
	o := outField{
		Key: f.Key, Label: f.Label, LabelAsPrinted: f.LabelAsPrinted, LabelVariants: f.LabelVariants,
		Type: f.Type, Required: f.Required, Group: f.Group, Placeholder: f.Placeholder, Widget: f.Widget,
		Hint: f.Callout, Note: f.Notes,
	}
	switch f.Type {
	case "enum":
		o.Enum = f.Key
	case "phone":
		if strings.Contains(f.Label, "手机") {
			o.Type = "mobile"
		}
	case "regionCode":
		o.Enum = "region"
		if f.Key == "publicRegionCode" {
			o.Enum = "poolingArea"
		}
	case "text":
		switch {
		case personNameKeys[f.Key]:
			o.Format, o.MaxLength = "personName", 50
		case strings.Contains(strings.ToLower(f.Key), "address"):
			o.MaxLength = 200
		case f.Key == "remark":
			o.MaxLength = 500
		default:
			o.MaxLength = 100
		}
	case "code":
		o.MaxLength = 32
	case "integer":
		o.Min, o.Max = "0", "1200"
		if f.Key == "businessLicenseValidYears" {
			o.Max = "100"
		}
	case "ratio":
		o.Min, o.Max = "0", "1"
		if f.Key == "contributionGrade" {
			o.Max = "3"
		}
	case "money", "number":
		o.Min, o.Max = "0", "99999999.99"
		if f.Key == "differenceFromStandard" {
			o.Min = "-99999999.99"
		}
	}
	if f.Key == "hukouAddress" || f.Key == "registeredAddress" || f.Key == "receiverAddress" || f.Key == "address" {
		o.MaxLength = 200
	}
	o.NotFuture = notFutureKeys[f.Key]

	// Prefill source.
	switch f.Prefill {
	case "default":
		o.Prefill = &outPrefill{From: "default", Value: f.Default, Basis: f.PrefillBasis}
	case "derived":
		o.Prefill = &outPrefill{From: "derived", Attr: "refundReason", Basis: f.PrefillBasis}
		o.ReadOnly = "always"
	case "auto", "auto-inferred":
		from := "person"
		switch {
		case unitKeys[f.Key] && selectsUnit(b):
			// 5.1, 5.5: the unit is picked in 单位信息 (old employers too).
			from = "unit"
		case accountKeys[b.UserType][f.Key]:
			from = "account"
		case unitKeys[f.Key]:
			from = "unit"
		}
		o.Prefill = &outPrefill{From: from, Attr: f.Key, Inferred: f.Prefill == "auto-inferred", Basis: f.PrefillBasis}
		switch {
		case from == "account" && loginKeys[f.Key]:
			// The login identity is never edited in a form.
			o.ReadOnly = "always"
		case keyInfoChange[b.ID]:
			// Key information is what these businesses correct.
		case b.Purpose.Value == "信息变更" && identityKeys[f.Key]:
			o.ReadOnly = "always"
		case b.Purpose.Value == "信息变更":
			// The prefilled values are what the user changes.
		case from == "account":
			o.ReadOnly = "always"
		default:
			o.ReadOnly = "whenPrefilled"
		}
	}
	if f.Default != "" && o.Prefill == nil {
		o.Prefill = &outPrefill{From: "default", Value: f.Default}
	}
	if b.ID == "flexible-employment-suspend" && f.Key == "contributionStatus" {
		// The form shows the status this business sets, not one to choose.
		o.Prefill = &outPrefill{From: "default", Value: "暂停缴费 (中断)", Basis: "the status this business sets (spec note)"}
		o.ReadOnly = "always"
	}
	if f.Readonly != "" {
		o.ReadOnly = strings.Replace(f.Readonly, "after-", "after:", 1)
		o.Note = strings.TrimSpace(o.Note + " Read-only: " + f.ReadonlyBasis)
	}
	return o
}

// ---- cross-field rules ----

func rules(b *specBusiness, fields []outField) []outRule {
	has := map[string]bool{}
	for _, f := range fields {
		has[f.Key] = true
	}
	var rs []outRule
	add := func(r outRule) { rs = append(rs, r) }

	// ID numbers follow their ID type.
	for _, p := range [][2]string{{"idNumber", "idType"}, {"receiverIdNumber", "receiverIdType"}, {"legalRepIdNumber", "legalRepIdType"}} {
		if has[p[0]] && has[p[1]] {
			add(outRule{Kind: "idNumberByType", Field: p[0], Other: p[1], Values: []string{"居民身份证（户口簿）"}})
		}
	}
	if has["socialSecurityNumber"] && has["idType"] {
		add(outRule{Kind: "idNumberByType", Field: "socialSecurityNumber", Other: "idType", Values: []string{"居民身份证（户口簿）"}})
	}
	id := ""
	switch {
	case has["idNumber"]:
		id = "idNumber"
	case has["socialSecurityNumber"]:
		id = "socialSecurityNumber"
	}
	if id != "" {
		if has["birthDate"] {
			add(outRule{Kind: "birthDateMatchesID", Field: "birthDate", Other: id})
		}
		if has["archiveBirthDate"] {
			add(outRule{Kind: "birthDateMatchesID", Field: "archiveBirthDate", Other: id, Warn: true,
				Message: "档案出生日期与证件号码中的出生日期不一致，请确认以档案记载为准"})
		}
		if has["gender"] {
			add(outRule{Kind: "genderMatchesID", Field: "gender", Other: id})
		}
	}
	if has["idNumber"] && has["socialSecurityNumber"] && b.UserType == "individual" {
		add(outRule{Kind: "sameAs", Field: "socialSecurityNumber", Other: "idNumber", Warn: true,
			Message: "社会保障号通常与公民身份号码相同，请核对"})
	}
	if has["socialSecurityNumber2"] {
		add(outRule{Kind: "sameAs", Field: "socialSecurityNumber2", Other: "socialSecurityNumber",
			Message: "两次填写的社会保障号不一致，请核对后重新填写"})
	}
	if has["receiverRelation"] {
		var fs []string
		for _, k := range []string{"receiverName", "receiverIdType", "receiverIdNumber", "receiverPhone"} {
			if has[k] {
				fs = append(fs, k)
			}
		}
		add(outRule{Kind: "requiredUnless", When: "receiverRelation", Values: []string{"本人"}, Fields: fs})
	}
	order := [][2]string{
		{"endYearMonth", "startYearMonth"}, {"endMonth", "startMonth"},
		{"workStartDate", "birthDate"}, {"workStartDate", "archiveBirthDate"},
		{"insuredDate", "birthDate"}, {"retirementDate", "archiveBirthDate"}, {"retirementDate", "birthDate"},
		{"insuranceEndDate", "insuredDate"}, {"benefitStartYearMonth", "retirementDate"},
		{"retirementDate", "workStartDate"},
	}
	for _, p := range order {
		if has[p[0]] && has[p[1]] {
			add(outRule{Kind: "notBefore", Field: p[0], Other: p[1]})
		}
	}
	if has["uscc"] && has["orgCode"] {
		add(outRule{Kind: "usccContainsOrgCode", Field: "orgCode", Other: "uscc", Warn: true})
	}
	return rs
}

// ---- guide ----

func guide(b *specBusiness, window bool) outGuide {
	if b.Guide != nil {
		// 4.1: verbatim from the manual.
		s := func(k string) string { v, _ := b.Guide[k].(string); return v }
		g := outGuide{
			ItemName: s("事项名称"), Agency: s("实施机构"), Basis: s("设定依据"), Conditions: s("受理条件"),
			Fee: s("是否收费"), Statutory: s("法定办结时限"), Promised: s("承诺办理时限"), Inspection: s("定期检验及依据"),
			Process: s("办理流程"), Contact: s("咨询方式"), Hours: s("办理时间"), Place: s("办理地点"),
			Note: "Verbatim from the manual (4.1), blanks and truncation (七台河人力资...楼) included; its material table (序号/材料名称/必要性要求) is printed empty, so the portal lists the materials below.",
		}
		if items, ok := b.Guide["设定依据_items"].([]any); ok {
			for _, it := range items {
				g.BasisItems = append(g.BasisItems, fmt.Sprint(it))
			}
		}
		return g
	}
	cond, ok := conditions[b.ID]
	if !ok {
		panic("no drafted 受理条件 for " + b.ID)
	}
	basis := familyBasis[b.Family]
	if extra, ok := extraBasis[b.ID]; ok {
		basis = extra
	}
	var sb strings.Builder
	for i, it := range basis {
		if i > 0 {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "%d. %s", i+1, it)
	}
	who := "参保人"
	if b.UserType == "enterprise" {
		who = "参保单位"
	}
	hours := "网上全天可提交，工作人员于工作日审核"
	if window {
		hours = "每月1-25号"
	}
	return outGuide{
		Drafted:    true,
		ItemName:   b.Name,
		Agency:     "参保地社会保险经办机构",
		Basis:      sb.String(),
		BasisItems: basis,
		Conditions: cond,
		Fee:        "不收费",
		Statutory:  "即时办理",
		Promised:   "提交后48小时内处理",
		Inspection: "",
		Process:    who + "线上申请并上传材料→社保窗口审核材料→办理业务→办理结果反馈。 注： 1. 审核不通过退回第一环节，由申请人重新提交材料。",
		Contact:    "12333人力资源和社会保障服务热线",
		Hours:      hours,
		Place:      "黑龙江省人力资源和社会保障公共服务平台（网上办理）",
		Note:       "Drafted in the form of the 4.1 guide (the manual shows no other guide). 承诺办理时限 follows the success dialog (工作人员会在48小时之内处理).",
	}
}

// ---- materials ----

func materials(b *specBusiness) ([]outMaterial, error) {
	decided := materialDecisions[b.ID]
	var out []outMaterial
	seen := map[string]bool{}
	for _, m := range b.Materials {
		o := outMaterial{Name: m.Name}
		switch {
		case m.Truncated && m.NarrativeName != "":
			o.Name, o.Printed = m.NarrativeName, m.Name
		case m.Truncated:
			full, ok := completedNames[m.Name]
			if !ok {
				return nil, fmt.Errorf("truncated material %q has no completed name", m.Name)
			}
			o.Name, o.Printed, o.Drafted = full, m.Name, true
		}
		if m.Notes != "" {
			o.Note = m.Notes
		}
		d, ok := decided[m.Name]
		if !ok {
			d = defaultMaterial(m.Name)
		}
		o.Required, o.OneOf = d.required, d.oneOf
		if d.note != "" {
			o.Note = strings.TrimSpace(d.note + " " + o.Note)
		}
		seen[m.Name] = true
		out = append(out, o)
	}
	for name := range decided {
		if !seen[name] && !strings.HasPrefix(name, "+") {
			return nil, fmt.Errorf("material decision for unknown material %q", name)
		}
	}
	out = append(out, addedMaterials[b.ID]...)
	return out, nil
}

// defaultMaterial applies the catalog.yaml rule to a material with no
// business-specific decision: both sides of the resident ID card are
// required, everything else is optional.
func defaultMaterial(name string) materialDecision {
	if strings.HasPrefix(name, "居民身份证") && (strings.Contains(name, "正面") || strings.Contains(name, "反面")) {
		return materialDecision{required: true}
	}
	return materialDecision{}
}

// ---- pinyin initials ----

func initials(name string) (string, error) {
	var sb strings.Builder
	for _, r := range name {
		c, ok := pinyinInitial[r]
		if !ok {
			return "", fmt.Errorf("no pinyin initial for %q in %q", r, name)
		}
		sb.WriteByte(c)
	}
	return sb.String(), nil
}
