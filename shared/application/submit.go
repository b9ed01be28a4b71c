package application

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/calendar"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/workflow"
)

// Receipt is the answer to a submit, stored with its idempotency key so
// that the same key returns it again.
type Receipt struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	Status    Status    `json:"status"`
	Round     int       `json:"round"`
	Submitted time.Time `json:"submittedAt"`
	DueBy     time.Time `json:"dueBy"`
}

// Meta is where a submit comes from, for its audit record: the source
// address (stored as an HMAC) and the request id.
type Meta struct {
	Address   string
	RequestID string
}

// MaxIdempotencyKey bounds the Idempotency-Key header.
const MaxIdempotencyKey = 200

// Hooks let tests inject faults between the steps of a submit.
type Hooks struct {
	// AfterWrite runs after the submit's transaction and before the review
	// execution starts; an error aborts the submit there, as a crash would.
	AfterWrite func(a *Application) error
	// BeforeEffect runs before a decision's effect is computed; an error
	// fails the ApplyDecision step as a storage failure would.
	BeforeEffect func(a *Application) error
}

// Submit (确认提交) validates everything, freezes the snapshot of the next
// round and writes it with the idempotency record, the reference, the
// unstarted marker and the audit record in one transaction; then starts
// the review execution named after the application and round. The same
// key again returns the same receipt; a different key on an application
// already submitted is a conflict.
func (s *Service) Submit(ctx context.Context, c identity.Caller, family, id, key string, meta Meta) (Receipt, error) {
	if key == "" || len(key) > MaxIdempotencyKey {
		return Receipt{}, apperr.E(apperr.BadRequest, "缺少或无效的 Idempotency-Key 请求头（1-200个字符），请刷新页面后重试")
	}
	for attempt := 0; ; attempt++ {
		if err := table.Backoff(ctx, attempt); err != nil { // a lost race: spread out
			return Receipt{}, err
		}
		r, retry, err := s.submitOnce(ctx, c, family, id, key, meta)
		if !retry || attempt >= 4 {
			return r, err
		}
	}
}

func (s *Service) submitOnce(ctx context.Context, c identity.Caller, family, id, key string, meta Meta) (Receipt, bool, error) {
	cs, err := s.Get(ctx, c, family, id)
	if err != nil {
		return Receipt{}, false, err
	}
	ik := idemKey(id, key)
	if it, ok := cs.idem[ik.SK]; ok {
		var r Receipt
		if err := json.Unmarshal([]byte(it.String("Receipt")), &r); err != nil {
			return Receipt{}, false, fmt.Errorf("application: corrupt idempotency record: %w", err)
		}
		return r, false, s.ensureStarted(ctx, cs.App)
	}
	a := cs.App
	if !a.Status.Editable() {
		return Receipt{}, false, apperr.E(apperr.Conflict, "该申请已提交（受理编号"+a.Reference+"），请勿重复提交")
	}
	b, err := s.business("", a.Business)
	if err != nil {
		return Receipt{}, false, err
	}
	now := s.clk.Now()
	if b.Window != nil {
		refs, err := s.refData(ctx)
		if err != nil {
			return Receipt{}, false, err
		}
		if st := calendar.Of(b.Window, refs, now); !st.Open {
			return Receipt{}, false, windowClosed(b, st)
		}
	}
	snap, err := s.validate(ctx, c, b, cs, now)
	if err != nil {
		return Receipt{}, false, err
	}
	round := a.Round + 1
	ref := a.Reference
	newRef := ref == ""
	if newRef {
		ref = newReference(now)
	}
	a.Status, a.Round, a.Reference, a.Submitted, a.DueBy, a.Updated = StatusSubmitted, round, ref, now, now.Add(ReviewSLA), now
	a.Reasons, a.ReviewToken, a.Claimed, a.ClaimedBy, a.Approvals, a.Area = nil, "", false, "", nil, snap.Area
	a.Timeline = append(a.Timeline, Event{At: now, Status: StatusSubmitted, Round: round, Actor: "applicant", Note: "确认提交"})
	snap.Round, snap.Submitted, snap.Reference = round, now, ref
	receipt := Receipt{ID: a.ID, Reference: ref, Status: StatusSubmitted, Round: round, Submitted: now.UTC(), DueBy: a.DueBy.UTC()}

	appItem, err := encodeApp(a)
	if err != nil {
		return Receipt{}, false, err
	}
	snapBody, _ := json.Marshal(snap)
	rb, _ := json.Marshal(receipt)
	sk := snapKey(a.ID, round)
	ops := []table.Op{
		table.Put(appItem, table.IfVersion(a.Version)),
		table.Put(table.Item{table.AttrPK: sk.PK, table.AttrSK: sk.SK, "T": "snapshot", "Doc": string(snapBody)}, table.IfAbsent()),
		table.Put(table.Item{table.AttrPK: ik.PK, table.AttrSK: ik.SK, "T": "idempotency", "Receipt": string(rb),
			table.AttrTTL: now.Add(IdemRetention).Unix()}, table.IfAbsent()),
	}
	uk := unstartedKey(a)
	ops = append(ops, table.Put(table.Item{table.AttrPK: uk.PK, table.AttrSK: uk.SK, "T": "unstarted", "App": a.ID, "Round": int64(round)}, table.IfAbsent()))
	if newRef {
		rk := refKey(ref)
		ops = append(ops, table.Put(table.Item{table.AttrPK: rk.PK, table.AttrSK: rk.SK, "T": "reference", "App": a.ID}, table.IfAbsent()))
	}
	files, bytes := 0, int64(0)
	for _, u := range cs.Uploads {
		if u.Status == UploadAccepted && u.Round == 0 {
			u.Round = round
			ops = append(ops, table.Put(encodeUpload(&u), table.IfExists()))
			files, bytes = files+1, bytes+u.Size
		}
	}
	if files > 0 {
		ops = append(ops, s.quotaOp(a.Party, -files, -bytes))
	}
	if s.audit != nil {
		// An agent's submit about an employee is a use of the employee's
		// data: it goes into that person's access log (the subject). A
		// person's own submit does not.
		// The actor's name is kept for a unit only (a person's is personal
		// data; the account id names them).
		subject, actorName := "", ""
		if c.Has(identity.RoleAgent) {
			subject, actorName = snap.Fields["personNumber"], c.Name
		}
		ops = append(ops, s.audit.Op(identity.AuditRecord{Time: now, Actor: c.AccountID, ActorRole: roleOf(c), Action: ActionSubmit,
			ActorName: actorName, Object: a.Business + "/" + a.ID, Subject: subject, Result: "ok", RequestID: meta.RequestID}, meta.Address))
	}
	if len(ops) > table.MaxTransactItems {
		return Receipt{}, false, apperr.E(apperr.Invalid, "材料文件过多，无法一次提交，请删除部分文件")
	}
	if err := s.t.TransactWrite(ctx, ops); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			// Another submit (maybe with this key) or a save won the race:
			// read again, and answer from its idempotency record if any.
			return Receipt{}, true, errStale
		}
		return Receipt{}, false, fmt.Errorf("application: submit: %w", err)
	}
	a.Version++
	if s.hooks.AfterWrite != nil {
		if err := s.hooks.AfterWrite(a); err != nil {
			return Receipt{}, false, err
		}
	}
	s.start(ctx, a)
	return receipt, false, nil
}

func roleOf(c identity.Caller) identity.Role {
	if c.Has(identity.RoleAgent) {
		return identity.RoleAgent
	}
	return identity.RoleIndividual
}

// start starts the review execution of a's current round; it reports
// whether it started it (false: it ran already, or the start failed). A
// fresh start leaves the unstarted marker to the execution's first task
// (StartReceipt), so that a submit pays one write and one start, not a third
// call. An execution already started is fine (its name is the key) and
// its marker goes here: a retried submit or the sweep found it. A start
// that fails is logged and leaves the marker for the sweep.
func (s *Service) start(ctx context.Context, a *Application) bool {
	in, _ := json.Marshal(map[string]any{"applicationId": a.ID, "round": a.Round, "family": a.Family, "business": a.Business})
	_, err := s.wf.Start(ctx, workflow.StartInput{StateMachine: ReviewMachine, Name: ExecutionName(a.ID, a.Round), Input: in})
	if err == nil {
		return true
	}
	if !errors.Is(err, workflow.ErrExecutionExists) {
		s.log.ErrorContext(ctx, "review execution not started; the sweep will retry", "app", a.ID, "err", err.Error())
		return false
	}
	s.clearUnstarted(ctx, a)
	return false
}

func (s *Service) clearUnstarted(ctx context.Context, a *Application) {
	if err := s.t.Delete(ctx, unstartedKey(a), table.Cond{}); err != nil {
		s.log.WarnContext(ctx, "unstarted marker left; the sweep clears it", "app", a.ID, "err", err.Error())
	}
}

// awaitsStart reports whether a's marker for round still asks for a start:
// the round is current and not withdrawn. A round claimed or decided
// before its execution started (a reviewer was quicker than the retry or
// the sweep after a crash) still needs it: AwaitReview answers with the
// decision at once and the effect follows. Dropping its marker left an
// approved case that was never applied (issue 13's kill -9 drill).
func awaitsStart(a *Application, round int) bool {
	return a.Round == round && a.Status != StatusWithdrawn && a.Status != StatusDraft
}

// ActionSubmit is the audit action of a submit.
const ActionSubmit = "submit"

// ExecutionName is the review execution's name: one per application round.
func ExecutionName(id string, round int) string { return fmt.Sprintf("%s-r%d", id, round) }

// ensureStarted starts the review execution of a's current round if its
// marker says it may not have started (a retried submit after a crash).
func (s *Service) ensureStarted(ctx context.Context, a *Application) error {
	if a.Round == 0 || !awaitsStart(a, a.Round) {
		return nil
	}
	if _, err := s.t.Get(ctx, unstartedKey(a)); errors.Is(err, table.ErrNotFound) {
		return nil
	}
	s.start(ctx, a)
	return nil
}

// Sweep finishes what a crash or a failed call left undone, for markers
// older than grace: it starts the review executions of submits whose
// start was lost (between the submit's write and the start; markers of
// rounds withdrawn or superseded meanwhile are dropped), and tells review
// executions the decisions they were not told (after the decision's
// write). It returns how many executions it started or told.
func (s *Service) Sweep(ctx context.Context, grace time.Duration) (int, error) {
	cutoff := stamp(s.clk.Now().Add(-grace))
	n, err := s.sweepUnstarted(ctx, cutoff)
	if err != nil {
		return n, err
	}
	told, err := s.sweepUntold(ctx, cutoff)
	return n + told, err
}

// sweepUntold sends the decisions recorded before cutoff whose review
// execution was not told (a crash or a failed call after the decision's
// write), and removes their markers.
func (s *Service) sweepUntold(ctx context.Context, cutoff string) (int, error) {
	if s.wf == nil {
		return 0, nil
	}
	n, cursor := 0, ""
	for {
		page, err := s.t.Query(ctx, table.Query{PK: pkUntold, SK: table.SKCond{Op: table.SKLt, Value: cutoff}, Cursor: cursor})
		if err != nil {
			return n, fmt.Errorf("application: sweep decisions: %w", err)
		}
		for _, it := range page.Items {
			if s.tell(ctx, it.Key(), it.String("App"), it.String("Token"), json.RawMessage(it.String("Output"))) {
				n++
			}
		}
		if page.Cursor == "" {
			return n, nil
		}
		cursor = page.Cursor
	}
}

func (s *Service) sweepUnstarted(ctx context.Context, cutoff string) (int, error) {
	n, cursor := 0, ""
	for {
		page, err := s.t.Query(ctx, table.Query{PK: pkUnstarted, SK: table.SKCond{Op: table.SKLt, Value: cutoff}, Cursor: cursor})
		if err != nil {
			return n, fmt.Errorf("application: sweep: %w", err)
		}
		for _, it := range page.Items {
			id, round := it.String("App"), int(it.Int("Round"))
			cs, err := load(ctx, s.t, id)
			if errors.Is(err, errNoApp) || (err == nil && !awaitsStart(cs.App, round)) {
				_ = s.t.Delete(ctx, it.Key(), table.Cond{})
				continue
			}
			if err != nil {
				return n, err
			}
			if s.start(ctx, cs.App) {
				n++
			}
		}
		if page.Cursor == "" {
			return n, nil
		}
		cursor = page.Cursor
	}
}

// windowClosed is the refusal outside the monthly window, naming the next
// opening (and the note of an exception that closed it).
func windowClosed(b *catalog.Business, st calendar.State) error {
	msg := fmt.Sprintf("%s只能在%s办理，%s", b.Name, b.Window.Label, st.Closed())
	if st.Note != "" {
		msg += "（" + st.Note + "）"
	}
	return apperr.E(apperr.WindowClosed, msg)
}

// refData is the reference data in force (the window exceptions among
// it): the lifecycle's store, cached; the embedded defaults without one.
func (s *Service) refData(ctx context.Context) (*refdata.Set, error) {
	if s.refs == nil {
		return refdata.Default(), nil
	}
	return s.refs.Load(ctx)
}

// validate checks everything a submit needs and builds the snapshot:
// the form, read-only fields against the records, materials, the ledger
// selection and the family's rules. Problems come back as one 422 with
// every field error.
func (s *Service) validate(ctx context.Context, c identity.Caller, b *catalog.Business, cs *Case, now time.Time) (Snapshot, error) {
	a := cs.App
	res := b.Validate(a.Fields, now)
	bad := map[string]string{}
	for k, v := range res.Errors {
		bad["fields."+k] = v
	}
	// Read-only fields equal the records they were prefilled from, as the
	// records are now.
	recs, err := s.records(ctx, c)
	if err != nil {
		return Snapshot{}, err
	}
	current, err := s.prefill(ctx, b, recs, s.plugins[b.Family])
	if err != nil {
		return Snapshot{}, err
	}
	for _, f := range b.Fields {
		if f.ReadOnly == "" || strings.HasPrefix(f.ReadOnly, "after:") {
			continue
		}
		want, prefilled := current[f.Key]
		if f.ReadOnly == "whenPrefilled" && !prefilled {
			continue
		}
		if got := res.Values[f.Key]; prefilled && got != want && a.Fields[f.Key] != want {
			bad["fields."+f.Key] = f.Label + "不可修改，应与参保记录一致，请刷新页面后重试"
		}
	}
	// Materials: accepted files only, every required one.
	counts := map[string]int{}
	var mats []SnapMaterial
	for _, u := range cs.Uploads {
		// The files of this round: new ones and those of earlier rounds the
		// applicant kept (a returned application).
		if u.Status == UploadAccepted {
			counts[u.Material]++
			mats = append(mats, SnapMaterial{Material: u.Material, Upload: u.ID, FileName: u.FileName, ContentType: u.ContentType,
				Size: u.Size, Digest: u.Digest})
		}
		if u.Status == UploadPending && u.Round == 0 {
			bad["materials."+u.Material] = "“" + u.FileName + "”尚未上传完成或未通过检查，请完成上传或删除后重新上传"
		}
	}
	for k, v := range b.CheckMaterials(counts) {
		if _, dup := bad["materials."+k]; !dup {
			bad["materials."+k] = v
		}
	}
	// The ledger: a non-empty selection of rows the table offers.
	var tbl *recordtable.Table
	if b.Ledger != nil {
		tbl, err = s.selected(ctx, c, b, a, res.Values)
		if err != nil {
			var ae *apperr.Error
			if errors.As(err, &ae) && ae.Code == apperr.Invalid {
				for k, v := range ae.Fields {
					bad[k] = v
				}
				if len(ae.Fields) == 0 {
					bad["selection"] = ae.Message
				}
			} else {
				return Snapshot{}, err
			}
		}
	}
	if p := s.plugins[b.Family]; p.Rules != nil && len(bad) == 0 {
		probs, err := p.Rules(ctx, RuleInput{Business: b, App: a, Values: res.Values, Records: recs, Ledger: tbl,
			Today: calc.DateOf(now.In(clock.Shanghai)), Store: s.ledger})
		if err != nil {
			return Snapshot{}, err
		}
		for k, v := range probs {
			bad[k] = v
		}
	}
	rows, rowErrs := validateRows(b, a.Rows, now)
	for k, v := range rowErrs {
		bad[k] = v
	}
	if b.RepeatingRows != nil && len(a.Rows) == 0 && len(bad) == 0 {
		bad["rows"] = "请至少新增一行"
	}
	if len(bad) > 0 {
		return Snapshot{}, apperr.Fields("提交的信息有误，请按提示修改后重新提交", bad)
	}
	cat := s.cat()
	snap := Snapshot{Fields: res.Values, Rows: rows, Materials: mats, CatalogVersion: cat.Version(), CatalogDigest: cat.Digest(),
		Warnings: res.Warnings, Area: recs.Area(res.Values)}
	if snap.Materials == nil {
		snap.Materials = []SnapMaterial{}
	}
	if tbl != nil {
		snap.Ledger = ledgerSnapshot(tbl)
	}
	return snap, nil
}

// validateRows checks each repeating row (5.14's 新增 rows) against the
// rows' field definitions: the normalized rows, and errors keyed
// "rows[i].<key>".
func validateRows(b *catalog.Business, rows []map[string]string, now time.Time) ([]map[string]string, map[string]string) {
	var out []map[string]string
	errs := map[string]string{}
	for i, row := range rows {
		res := b.ValidateRow(row, now)
		for k, v := range res.Errors {
			errs[fmt.Sprintf("rows[%d].%s", i, k)] = v
		}
		out = append(out, res.Values)
	}
	return out, errs
}

// selected reads the record table with the draft's ticked periods; none
// ticked, or a period the table does not offer, is a field error.
func (s *Service) selected(ctx context.Context, c identity.Caller, b *catalog.Business, a *Application, values map[string]string) (*recordtable.Table, error) {
	if len(a.Selection) == 0 {
		return nil, apperr.Field("selection", "请在"+b.Ledger.Title+"中至少勾选一条记录")
	}
	q := recordtable.Query{Business: b.ID, SelectionGiven: true, Fresh: true}
	if c.Has(identity.RoleAgent) {
		q.Person, q.Unit = values["personNumber"], c.UnitNumber
		if q.Person == "" {
			return nil, apperr.Field("fields.personNumber", "请填写职工的人员编号")
		}
	} else {
		q.Person = c.PersonNumber
	}
	if q.Person == "" {
		return nil, apperr.Field("selection", "未找到您的参保记录，无法办理本业务")
	}
	for _, p := range a.Selection {
		ym, _ := calc.ParseYearMonth(p)
		q.Selected = append(q.Selected, ym)
	}
	q.From, q.To = queryRange(b, q.Selected, s.clk.Now())
	t, err := s.tables.Read(ctx, q)
	if apperr.CodeOf(err) == apperr.NotFound {
		if c.Has(identity.RoleAgent) {
			return nil, apperr.Field("fields.personNumber", "该人员不是本单位职工，或在本单位没有相关记录")
		}
		return nil, apperr.Field("selection", "未找到您的参保记录，无法办理本业务")
	}
	if err != nil {
		if ps := calc.ProblemsOf(err); ps != nil {
			return nil, apperr.Field("selection", ps[0].Message)
		}
		return nil, err
	}
	offered := map[string]bool{}
	n := 0
	for i, r := range t.Rows {
		offered[r.Period.String()] = true
		if t.Ticked[i] {
			n++
		}
	}
	for i, p := range a.Selection {
		ym, _ := calc.ParseYearMonth(p)
		if !offered[ym.String()] {
			return nil, apperr.Field(fmt.Sprintf("selection[%d]", i), ym.String()+"不在"+b.Ledger.Title+"可选的记录中")
		}
	}
	if n == 0 {
		return nil, apperr.Field("selection", "请在"+b.Ledger.Title+"中至少勾选一条记录")
	}
	return &t, nil
}

// ledgerSnapshot keeps the ticked rows with their cells as computed now.
func ledgerSnapshot(t *recordtable.Table) *LedgerSnapshot {
	ls := &LedgerSnapshot{Title: t.Definition.Ledger.Title, Columns: t.Definition.Ledger.FlatColumns,
		CalcDate: t.CalcDate.String()}
	for i, r := range t.Rows {
		if !t.Ticked[i] {
			continue
		}
		cells := t.Cells(i)
		row := LedgerSnapRow{Period: r.Period.String(), Unit: r.Unit}
		for _, c := range cells {
			row.Cells = append(row.Cells, c.Text)
		}
		ls.Rows = append(ls.Rows, row)
	}
	for _, tot := range t.Totals {
		ls.Totals = append(ls.Totals, LedgerSnapTotal{Label: tot.Label, Value: tot.Value.StringFixed(2)})
	}
	if t.Provisional != nil {
		ls.Provisional, ls.Note = true, t.Provisional.Note()
	}
	return ls
}

// Reference numbers: HL, the date in Asia/Shanghai and six characters of
// an alphabet without the ambiguous 0/O and 1/I: 32^6 ≈ 10^9 a day,
// unique by a conditional write.
const refAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func newReference(now time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	out := []byte("HL" + now.In(clock.Shanghai).Format("20060102") + "-")
	for _, x := range b {
		out = append(out, refAlphabet[x&31])
	}
	return string(out)
}

// ByReference finds the application with a reference number for c.
func (s *Service) ByReference(ctx context.Context, c identity.Caller, ref string) (*Case, error) {
	if !table.ValidKeyPart(ref) {
		return nil, ErrNotFound
	}
	it, err := s.t.Get(ctx, refKey(strings.ToUpper(ref)))
	if errors.Is(err, table.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("application: reference: %w", err)
	}
	return s.Get(ctx, c, "", it.String("App"))
}
