package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/blobs"
	"github.com/hljhrss/hrss/shared/blobs/scan"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Plugin is what a family adds to the shared lifecycle for its businesses.
type Plugin struct {
	// Family is the family id of the catalog.
	Family string
	// Prefill returns values to prefill beyond the catalog's (optional).
	Prefill func(ctx context.Context, b *catalog.Business, r Records) (map[string]string, error)
	// Rules checks the family's business rules at submit: problems keyed by
	// field key (or "selection", "rows"), in Chinese (optional).
	Rules func(ctx context.Context, in RuleInput) (map[string]string, error)
	// CheckFile checks the contents of an uploaded file of a material,
	// after its type, size and the malware scan passed (optional). A
	// report with errors refuses the file.
	CheckFile func(ctx context.Context, in FileInput) (*FileReport, error)
	// Effects are what an approved decision does, by business id: every
	// business of the family has one.
	Effects map[string]EffectFunc
}

// FileInput is what a file check sees.
type FileInput struct {
	Business *catalog.Business
	App      *Application
	Upload   Upload
	Ledger   *ledger.Store
	Refs     *refstore.Store
	// Open reads the whole file (at most the material's size limit).
	Open func(ctx context.Context) ([]byte, error)
	// Progress records the rows read so far (a long file: every few
	// thousand rows); nil when nobody follows.
	Progress func(ctx context.Context, rows int)
}

// FileReport is the outcome of a file check, kept with the upload and
// shown to the applicant: the rows read and, per row and column, what is
// wrong (errors refuse the file) or worth checking (warnings).
type FileReport struct {
	Rows     int          `json:"rows"`
	Errors   []CellReport `json:"errors,omitempty"`
	Warnings []CellReport `json:"warnings,omitempty"`
	// Truncated is set when there were more problems than are listed.
	Truncated bool `json:"truncated,omitempty"`
}

// CellReport is one problem of a row ("" column: the whole row).
type CellReport struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// RuleInput is what a business rule sees at submit.
type RuleInput struct {
	Business *catalog.Business
	App      *Application
	Values   map[string]string // the form's normalized values
	Records  Records
	Ledger   *recordtable.Table // the record table with the ticked rows, for businesses with one
	Today    calc.Date
	// Store reads the ledger beyond the applicant's own records (a unit's
	// employee named in the form).
	Store *ledger.Store
}

// UnitRegistered is the rule of every enterprise business but 5.9 单位参保
// 登记: the agent's unit is registered in the ledger.
func (in RuleInput) UnitRegistered() map[string]string {
	if in.Business.UserType == catalog.Enterprise && in.Records.Unit == nil {
		return map[string]string{"business": "本单位尚未在参保系统中登记，请先办理单位参保登记（5.9）"}
	}
	return nil
}

// ReviewMachine is the logical name of the review state machine in
// template.yaml.
const ReviewMachine = "ReviewStateMachine"

// Service runs the application lifecycle.
type Service struct {
	t        table.Store
	clk      clock.Clock
	cat      func() *catalog.Catalog
	ledger   *ledger.Store
	refs     *refstore.Store
	tables   *recordtable.Service
	blobs    blobs.Store
	scanner  scan.Scanner
	wf       workflow.Engine
	audit    *identity.Audit
	log      *slog.Logger
	plugins  map[string]Plugin
	quota    Quota
	hooks    Hooks
	notify   notify.Sender
	contacts ContactBook
}

// Quota bounds what one party may keep uploaded across its open
// applications.
type Quota struct {
	Files int   // files
	Bytes int64 // bytes
}

// DefaultQuota: 42 businesses × a few materials is far below this; a
// script filling the bucket is not.
var DefaultQuota = Quota{Files: 200, Bytes: 500 << 20}

// Deps are the adapters and services the lifecycle uses.
type Deps struct {
	Table    table.Store
	Clock    clock.Clock
	Catalog  func() *catalog.Catalog
	Ledger   *ledger.Store
	Refs     *refstore.Store // reference data (file checks)
	Tables   *recordtable.Service
	Blobs    blobs.Store
	Scanner  scan.Scanner
	Workflow workflow.Engine
	Audit    *identity.Audit
	Log      *slog.Logger
	Quota    Quota         // zero: DefaultQuota
	Hooks    Hooks         // tests only
	Notify   notify.Sender // the applicant's and reviewers' messages (nil: none sent)
	Contacts ContactBook
}

// New returns the lifecycle with the given family plugins (a family
// function passes its own; 用户中心 passes none).
func New(d Deps, plugins ...Plugin) *Service {
	s := &Service{t: d.Table, clk: d.Clock, cat: d.Catalog, ledger: d.Ledger, refs: d.Refs, tables: d.Tables, blobs: d.Blobs,
		scanner: d.Scanner, wf: d.Workflow, audit: d.Audit, log: d.Log, plugins: map[string]Plugin{}, quota: d.Quota, hooks: d.Hooks,
		notify: d.Notify, contacts: d.Contacts}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.quota == (Quota{}) {
		s.quota = DefaultQuota
	}
	for _, p := range plugins {
		s.plugins[p.Family] = p
	}
	return s
}

// Ledger is the ledger the lifecycle reads (a family's own routes use it).
func (s *Service) Ledger() *ledger.Store { return s.ledger }

// Clock is the lifecycle's clock.
func (s *Service) Clock() clock.Clock { return s.clk }

// Errors of the lifecycle, as the applicant reads them.
var (
	ErrNotFound    = apperr.E(apperr.NotFound, "未找到该申请，或您无权查看")
	errNotEditable = apperr.E(apperr.Conflict, "该申请已提交，不能修改；如需更改，请撤回后重新申请或等待审核结果")
	errStale       = apperr.E(apperr.Conflict, "该申请已在其他页面或设备上修改，请刷新后重试")
)

// isStale reports whether err is the lost race of an optimistic write
// itself (errStale), not any other conflict (apperr errors match by code
// under errors.Is, and a full quota is a conflict too).
func isStale(err error) bool {
	var e *apperr.Error
	return errors.As(err, &e) && e == errStale
}

func notFound(err error) bool {
	return errors.Is(err, table.ErrNotFound) || apperr.CodeOf(err) == apperr.NotFound
}

// business finds a business of the given family; a business of another
// family (or none) is not found here.
func (s *Service) business(family, id string) (*catalog.Business, error) {
	b, ok := s.cat().Business(id)
	if !ok || (family != "" && b.Family != family) {
		return nil, apperr.Field("business", "没有这项业务，请从办事中心选择")
	}
	return b, nil
}

// Create opens a draft of business for c: prefilled from the records, with
// the material slots and, for a business with a record table, its rows.
func (s *Service) Create(ctx context.Context, c identity.Caller, family, businessID string) (*Case, error) {
	b, err := s.business(family, businessID)
	if err != nil {
		return nil, apperr.E(apperr.NotFound, "没有这项业务，请从办事中心选择")
	}
	if !mayOpen(c, b) {
		return nil, apperr.E(apperr.Forbidden, "该业务由"+userTypeLabel(b.UserType)+"办理，请使用"+userTypeLabel(b.UserType)+"账号登录")
	}
	r, err := s.records(ctx, c)
	if err != nil {
		return nil, err
	}
	fields, err := s.prefill(ctx, b, r, s.plugins[b.Family])
	if err != nil {
		return nil, err
	}
	now := s.clk.Now()
	a := &Application{ID: "A" + identity.RandomHex(12), Business: b.ID, Family: b.Family, UserType: b.UserType,
		Owner: c.AccountID, Party: PartyOf(c), Status: StatusDraft, Fields: fields,
		Created: now, Updated: now, Timeline: []Event{{At: now, Status: StatusDraft, Actor: "applicant", Note: "创建草稿"}}}
	if c.Has(identity.RoleIndividual) {
		a.Person = c.PersonNumber
	} else {
		a.Unit = c.UnitNumber
	}
	it, err := encodeApp(a)
	if err != nil {
		return nil, err
	}
	if err := s.t.Put(ctx, it, table.IfAbsent()); err != nil {
		return nil, fmt.Errorf("application: create: %w", err)
	}
	a.Version++
	return &Case{App: a}, nil
}

func mayOpen(c identity.Caller, b *catalog.Business) bool {
	switch b.UserType {
	case catalog.Individual:
		return c.Has(identity.RoleIndividual)
	case catalog.Enterprise:
		return c.Has(identity.RoleAgent)
	}
	return false
}

func userTypeLabel(t string) string {
	if t == catalog.Enterprise {
		return "法人用户（单位）"
	}
	return "自然人用户（个人）"
}

// Get reads an application of c's; family "" reads any family's (用户中心).
func (s *Service) Get(ctx context.Context, c identity.Caller, family, id string) (*Case, error) {
	cs, err := load(ctx, s.t, id)
	if errors.Is(err, errNoApp) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if !Owns(c, cs.App) || (family != "" && cs.App.Family != family) {
		return nil, ErrNotFound
	}
	return cs, nil
}

// Draft is a save of an editable application.
type Draft struct {
	Version   int64
	Fields    map[string]string
	Selection []string
	Rows      []map[string]string
}

// Limits of a save, so that one draft stays far below an item's 400 KB.
const (
	maxFieldValue = 2000
	maxSelection  = 600 // 50 years of months
	maxRows       = 500
)

// Save stores a draft's values (incomplete is fine) under its version and
// returns the case with the current field errors.
func (s *Service) Save(ctx context.Context, c identity.Caller, family, id string, d Draft) (*Case, catalog.Result, error) {
	cs, err := s.Get(ctx, c, family, id)
	if err != nil {
		return nil, catalog.Result{}, err
	}
	a := cs.App
	if !a.Status.Editable() {
		return nil, catalog.Result{}, errNotEditable
	}
	if d.Version != a.Version {
		return nil, catalog.Result{}, errStale
	}
	b, err := s.business("", a.Business)
	if err != nil {
		return nil, catalog.Result{}, err
	}
	if err := checkDraft(b, d); err != nil {
		return nil, catalog.Result{}, err
	}
	fields := map[string]string{}
	for k, v := range d.Fields {
		if f, ok := b.Field(k); ok {
			if old, had := a.Fields[k]; had && v != old && v == maskValue(f, old) {
				v = old // the masked value shown, sent back unchanged
			}
		}
		if v != "" {
			fields[k] = v
		}
	}
	a.Fields, a.Selection, a.Rows = fields, d.Selection, d.Rows
	a.Updated = s.clk.Now()
	if err := s.putApp(ctx, a); err != nil {
		return nil, catalog.Result{}, err
	}
	res := b.Validate(a.Fields, a.Updated)
	if _, rowErrs := validateRows(b, a.Rows, a.Updated); len(rowErrs) > 0 {
		if res.Errors == nil {
			res.Errors = map[string]string{}
		}
		for k, v := range rowErrs {
			res.Errors[k] = v
		}
	}
	return cs, res, nil
}

func checkDraft(b *catalog.Business, d Draft) error {
	bad := map[string]string{}
	for k, v := range d.Fields {
		if _, ok := b.Field(k); !ok {
			bad["fields."+clip(k)] = "本业务没有这一项，请刷新页面后重试"
		} else if len(v) > maxFieldValue {
			bad["fields."+k] = fmt.Sprintf("内容过长，最多%d个字符", maxFieldValue)
		}
	}
	if len(d.Selection) > maxSelection {
		bad["selection"] = fmt.Sprintf("最多勾选%d个月", maxSelection)
	}
	if b.Ledger == nil && len(d.Selection) > 0 {
		bad["selection"] = "本业务没有记录一览表，无需勾选"
	}
	for i, p := range d.Selection {
		if _, err := calc.ParseYearMonth(p); err != nil {
			bad[fmt.Sprintf("selection[%d]", i)] = "年月格式应为YYYYMM"
		}
	}
	if len(d.Rows) > maxRows {
		bad["rows"] = fmt.Sprintf("最多%d行", maxRows)
	}
	if b.RepeatingRows == nil && len(d.Rows) > 0 {
		bad["rows"] = "本业务没有可新增的明细行"
	}
	if b.RepeatingRows != nil {
		for i, row := range d.Rows {
			for k := range row {
				if !hasRowField(b, k) {
					bad[fmt.Sprintf("rows[%d].%s", i, clip(k))] = "明细行没有这一项"
				}
			}
		}
	}
	if len(bad) > 0 {
		return apperr.Fields("", bad)
	}
	return nil
}

func hasRowField(b *catalog.Business, k string) bool {
	for _, f := range b.RepeatingRows.Fields {
		if f.Key == k {
			return true
		}
	}
	return false
}

// clip keeps an unknown key short in a message.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.ToValidUTF8(s, "")
}

// putApp writes a under its version; a lost race is a stale version.
func (s *Service) putApp(ctx context.Context, a *Application) error { return s.putAppWith(ctx, a) }

// putAppWith saves a as putApp does, in one transaction with extra.
func (s *Service) putAppWith(ctx context.Context, a *Application, extra ...table.Op) error {
	it, err := encodeApp(a)
	if err != nil {
		return err
	}
	if len(extra) == 0 {
		err = s.t.Put(ctx, it, table.IfVersion(a.Version))
	} else {
		err = s.t.TransactWrite(ctx, append([]table.Op{table.Put(it, table.IfVersion(a.Version))}, extra...))
	}
	if errors.Is(err, table.ErrConditionFailed) {
		return errStale
	}
	if err != nil {
		return fmt.Errorf("application: save: %w", err)
	}
	a.Version++
	return nil
}

// List lists c's applications (an agent's: its unit's), newest first:
// drafts when drafts is set, else the submitted ones; status and business
// filter. At most limit per page; cursor continues.
func (s *Service) List(ctx context.Context, c identity.Caller, drafts bool, status Status, business, cursor string, limit int) ([]*Application, string, error) {
	prefix := "S#"
	if drafts {
		prefix = "D#"
	}
	var out []*Application
	for {
		page, err := s.t.Query(ctx, table.Query{Index: table.GSI1, PK: gsiParty + PartyOf(c),
			SK: table.SKCond{Op: table.SKBeginsWith, Value: prefix}, Backward: true, Limit: limit, Cursor: cursor})
		if errors.Is(err, table.ErrInvalid) {
			return nil, "", apperr.Field("cursor", "翻页参数无效，请从第一页重新查看")
		}
		if err != nil {
			return nil, "", fmt.Errorf("application: list: %w", err)
		}
		for _, it := range page.Items {
			a, err := decodeApp(it)
			if err != nil {
				return nil, "", err
			}
			if (status == "" || a.Status == status) && (business == "" || a.Business == business) && Owns(c, a) {
				out = append(out, a)
			}
		}
		cursor = page.Cursor
		if cursor == "" || len(out) > 0 {
			return out, cursor, nil
		}
	}
}

// Withdraw takes back a submitted application before a reviewer claims it.
// A concurrent write by the workflow (recording its task token) is not the
// applicant's conflict: the withdrawal is retried on the fresh item.
func (s *Service) Withdraw(ctx context.Context, c identity.Caller, id string) (*Case, error) {
	for range 5 {
		cs, err := s.Get(ctx, c, "", id)
		if err != nil {
			return nil, err
		}
		a := cs.App
		switch {
		case a.Status == StatusWithdrawn:
			return cs, nil
		case a.Status != StatusSubmitted || a.Claimed:
			return nil, apperr.E(apperr.Conflict, "只有已提交且尚未被受理的申请可以撤回；当前状态："+a.Status.Label())
		}
		now := s.clk.Now()
		a.Status, a.Updated = StatusWithdrawn, now
		a.Timeline = append(a.Timeline, Event{At: now, Status: StatusWithdrawn, Round: a.Round, Actor: "applicant", Note: "申请人撤回"})
		token := a.ReviewToken
		a.ReviewToken = ""
		if err := s.putApp(ctx, a); isStale(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		if token != "" && s.wf != nil {
			// The review execution ends with the withdrawal; a lost call
			// leaves it to its timeout, and the application is withdrawn
			// either way.
			if err := s.wf.SendTaskFailure(ctx, token, "Hrss.Withdrawn", "withdrawn by the applicant"); err != nil {
				s.log.WarnContext(ctx, "review execution not told of withdrawal", "app", a.ID, "err", err.Error())
			}
		}
		return cs, nil
	}
	return nil, errStale
}

// AwaitReview records the task token of the review execution of an
// application's round: the review function sends the decision to it. A
// round decided already (its decision's message to the execution was
// lost, and the wait timed out and came back here) is answered at once
// with that decision.
func (s *Service) AwaitReview(ctx context.Context, id string, round int, token string) error {
	for range 5 {
		cs, err := load(ctx, s.t, id)
		if err != nil {
			return err
		}
		a := cs.App
		if d := decisionOf(a.Status); a.Round == round && d != "" && s.wf != nil {
			out, _ := json.Marshal(map[string]any{"decision": d, "round": a.Round, "late": true})
			return s.wf.SendTaskSuccess(ctx, token, out)
		}
		if a.Round != round || (a.Status != StatusSubmitted && a.Status != StatusInReview) {
			// A later round took over or the applicant withdrew: this
			// execution has nothing to wait for.
			return &workflow.TaskError{Name: "Hrss.Superseded", Cause: "application round superseded or withdrawn"}
		}
		a.ReviewToken = token
		if err := s.putApp(ctx, a); err == nil {
			return nil
		} else if !isStale(err) {
			return err
		}
	}
	return &workflow.TaskError{Name: "Hrss.Transient", Cause: "application busy"}
}

// decisionOf is the decision a decided status stands for ("" when
// undecided).
func decisionOf(st Status) string {
	switch st {
	case StatusApproved, StatusCompleted:
		return Approve
	case StatusReturned:
		return Return
	case StatusRejected:
		return Reject
	}
	return ""
}
