package application

import (
	"context"
	"slices"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/calendar"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/recordtable"
)

// View is a case as the applicant sees it (the wire shape of the family
// routes and of 用户中心's detail).
type View struct {
	ID          string              `json:"id"`
	Business    string              `json:"business"`
	Section     string              `json:"section"`
	Name        string              `json:"name"`
	Family      string              `json:"family"`
	Status      Status              `json:"status"`
	StatusLabel string              `json:"statusLabel"`
	Version     int64               `json:"version"`
	Round       int                 `json:"round"`
	Reference   string              `json:"reference,omitempty"`
	Fields      map[string]string   `json:"fields"`
	FieldErrors map[string]string   `json:"fieldErrors,omitempty"`
	Warnings    map[string]string   `json:"warnings,omitempty"`
	Selection   []string            `json:"selection"`
	Rows        []map[string]string `json:"rows,omitempty"`
	Materials   []MaterialView      `json:"materials"`
	Ledger      *LedgerView         `json:"ledger,omitempty"`
	Reasons     map[string]string   `json:"reasons,omitempty"`
	Timeline    []Event             `json:"timeline"`
	Rounds      []Snapshot          `json:"rounds,omitempty"`
	Created     time.Time           `json:"createdAt"`
	Updated     time.Time           `json:"updatedAt"`
	Submitted   *time.Time          `json:"submittedAt,omitempty"`
	DueBy       *time.Time          `json:"dueBy,omitempty"`
	Window      *calendar.View      `json:"window,omitempty"`
	ExpiresAt   *time.Time          `json:"expiresAt,omitempty"` // a draft's end, 30 days after its last change
	Rating      *Rating             `json:"rating,omitempty"`    // 好差评 and the agency's answer
	Result      string              `json:"result,omitempty"`    // 办理结果, once completed
	Completed   *time.Time          `json:"completedAt,omitempty"`
	Escalated   bool                `json:"escalated,omitempty"` // passed its 48 hours undecided
	// Receipt is where the current round's 回执单 is printed from.
	Receipt string `json:"receipt,omitempty"`
}

// MaterialView is a material slot with its files.
type MaterialView struct {
	Name     string     `json:"name"`
	Required bool       `json:"required"`
	OneOf    string     `json:"oneOf,omitempty"`
	Types    []string   `json:"types"`
	MaxBytes int64      `json:"maxBytes"`
	MaxFiles int        `json:"maxFiles"`
	Files    []FileView `json:"files"`
}

// FileView is one uploaded file.
type FileView struct {
	UploadID    string       `json:"uploadId"`
	FileName    string       `json:"fileName"`
	ContentType string       `json:"contentType"`
	Size        int64        `json:"size"`
	Status      UploadStatus `json:"status"`
	Reason      string       `json:"reason,omitempty"`
	Round       int          `json:"round,omitempty"`
	Report      *FileReport  `json:"report,omitempty"`
	Checked     int          `json:"checkedRows,omitempty"` // rows a running file check has read
}

// LedgerView is the record table a draft picks rows from.
type LedgerView struct {
	Title       string            `json:"title"`
	FlatColumns []string          `json:"flatColumns"`
	Rows        []LedgerRowView   `json:"rows"`
	Totals      []LedgerSnapTotal `json:"totals"`
	CalcDate    string            `json:"calcDate"`
	Provisional string            `json:"provisionalNote,omitempty"`
}

// LedgerRowView is one row with its tick.
type LedgerRowView struct {
	Period   string   `json:"period"`
	Unit     string   `json:"unitNumber,omitempty"`
	Selected bool     `json:"selected"`
	Cells    []string `json:"cells"`
}

// View builds what the applicant sees of cs; res, when given, carries the
// field errors of a save. Identifiers are masked. With withLedger, for an
// editable case of a business with a record table, the table is read with
// the ticked rows (an agent's once the employee's 人员编号 is filled in):
// that costs the ledger's reads, so only a new draft and a request that
// asks for it get it.
func (s *Service) View(ctx context.Context, c identity.Caller, cs *Case, res *catalog.Result, withLedger bool) (View, error) {
	a := cs.App
	b, err := s.business("", a.Business)
	if err != nil {
		return View{}, err
	}
	v := View{ID: a.ID, Business: a.Business, Section: b.Section, Name: b.Name, Family: a.Family, Status: a.Status,
		StatusLabel: a.Status.Label(), Version: a.Version, Round: a.Round, Reference: a.Reference,
		Selection: a.Selection, Rows: a.Rows, Reasons: a.Reasons, Timeline: a.Timeline, Rounds: slices.Clone(cs.Snapshots),
		Created: a.Created, Updated: a.Updated, Rating: cs.Rating, Result: a.Result, Escalated: a.Escalated}
	if !a.Completed.IsZero() {
		t := a.Completed
		v.Completed = &t
	}
	if a.Round > 0 {
		v.Receipt = "/api/v1/applications/" + a.ID + "/receipt"
	}
	if v.Selection == nil {
		v.Selection = []string{}
	}
	v.Fields = maskFields(b, a.Fields)
	for i := range v.Rounds {
		v.Rounds[i].Fields = maskFields(b, v.Rounds[i].Fields)
	}
	if res != nil {
		v.FieldErrors, v.Warnings = res.Errors, res.Warnings
	}
	v.Submitted, v.DueBy, v.ExpiresAt = times(a)
	for i := range b.Materials {
		m := &b.Materials[i]
		mv := MaterialView{Name: m.Name, Required: m.Required, OneOf: m.OneOf, Types: m.Types, MaxBytes: m.MaxBytes,
			MaxFiles: m.MaxFiles, Files: []FileView{}}
		for _, u := range cs.Uploads {
			if u.Material == m.Name {
				mv.Files = append(mv.Files, FileView{UploadID: u.ID, FileName: u.FileName, ContentType: u.ContentType,
					Size: u.Size, Status: u.Status, Reason: u.Reason, Round: u.Round, Report: u.Report, Checked: u.Checked})
			}
		}
		v.Materials = append(v.Materials, mv)
	}
	if b.Window != nil {
		refs, err := s.refData(ctx)
		if err != nil {
			return View{}, err
		}
		v.Window = calendar.ViewOf(b.Window, refs, s.clk.Now())
	}
	if withLedger && b.Ledger != nil && a.Status.Editable() {
		lv, err := s.ledgerView(ctx, c, b, a)
		if err != nil {
			return View{}, err
		}
		v.Ledger = lv
	}
	return v, nil
}

// ledgerView reads the record table of an editable case; nil when there is
// no person to read yet (an agent's draft before the employee is named, an
// account not linked to the ledger).
func (s *Service) ledgerView(ctx context.Context, c identity.Caller, b *catalog.Business, a *Application) (*LedgerView, error) {
	q := recordtable.Query{Business: b.ID, Person: c.PersonNumber, SelectionGiven: true}
	if c.Has(identity.RoleAgent) {
		q.Person, q.Unit = a.Fields["personNumber"], c.UnitNumber
	}
	if q.Person == "" {
		return nil, nil
	}
	for _, p := range a.Selection {
		if ym, err := calc.ParseYearMonth(p); err == nil {
			q.Selected = append(q.Selected, ym)
		}
	}
	q.From, q.To = queryRange(b, q.Selected, s.clk.Now())
	t, err := s.tables.Read(ctx, q)
	if apperr.CodeOf(err) == apperr.NotFound || calc.ProblemsOf(err) != nil {
		return nil, nil // shown as no rows; the submit names the problem
	}
	if err != nil {
		return nil, err
	}
	lv := &LedgerView{Title: b.Ledger.Title, FlatColumns: b.Ledger.FlatColumns, Rows: []LedgerRowView{}, CalcDate: t.CalcDate.String()}
	for i, r := range t.Rows {
		row := LedgerRowView{Period: r.Period.String(), Unit: r.Unit, Selected: t.Ticked[i]}
		for _, cell := range t.Cells(i) {
			row.Cells = append(row.Cells, cell.Text)
		}
		lv.Rows = append(lv.Rows, row)
	}
	for _, tot := range t.Totals {
		lv.Totals = append(lv.Totals, LedgerSnapTotal{Label: tot.Label, Value: tot.Value.StringFixed(2)})
	}
	if t.Provisional != nil {
		lv.Provisional = t.Provisional.Note()
	}
	return lv, nil
}

// SummaryView is one row of 用户中心's list.
type SummaryView struct {
	ID          string     `json:"id"`
	Business    string     `json:"business"`
	Section     string     `json:"section"`
	Name        string     `json:"name"`
	Family      string     `json:"family"`
	Status      Status     `json:"status"`
	StatusLabel string     `json:"statusLabel"`
	Round       int        `json:"round"`
	Reference   string     `json:"reference,omitempty"`
	Created     time.Time  `json:"createdAt"`
	Updated     time.Time  `json:"updatedAt"`
	Submitted   *time.Time `json:"submittedAt,omitempty"`
	DueBy       *time.Time `json:"dueBy,omitempty"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
}

// Summarize is a's row in 用户中心.
func Summarize(cat *catalog.Catalog, a *Application) SummaryView {
	v := SummaryView{ID: a.ID, Business: a.Business, Family: a.Family, Status: a.Status, StatusLabel: a.Status.Label(),
		Round: a.Round, Reference: a.Reference, Created: a.Created, Updated: a.Updated}
	if b, ok := cat.Business(a.Business); ok {
		v.Section, v.Name = b.Section, b.Name
	}
	v.Submitted, v.DueBy, v.ExpiresAt = times(a)
	return v
}

// queryRange is the 开始年月/结束年月 a draft's table is read with where
// the business requires the query (4.26): the span of the ticked periods,
// or with none ticked the current year. Elsewhere the whole table (zero).
func queryRange(b *catalog.Business, sel []calc.YearMonth, now time.Time) (from, to calc.YearMonth) {
	if !b.Ledger.Query.Required {
		return calc.YearMonth{}, calc.YearMonth{}
	}
	if len(sel) == 0 {
		y := now.In(clock.Shanghai).Year()
		from, _ = calc.NewYearMonth(y, time.January)
		to, _ = calc.NewYearMonth(y, time.December)
		return from, to
	}
	from, to = sel[0], sel[0]
	for _, p := range sel[1:] {
		if p.Before(from) {
			from = p
		}
		if p.After(to) {
			to = p
		}
	}
	return from, to
}

// times are a's submit and due times once submitted, and a draft's end.
func times(a *Application) (submitted, dueBy, expires *time.Time) {
	if !a.Submitted.IsZero() {
		sub, due := a.Submitted, a.DueBy
		submitted, dueBy = &sub, &due
	}
	if a.Status == StatusDraft {
		exp := a.Updated.Add(DraftTTL)
		expires = &exp
	}
	return submitted, dueBy, expires
}

// maskFields is fields with the identifiers masked, as every answer shows
// them (a copy: the case keeps its values).
func maskFields(b *catalog.Business, fields map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if f, ok := b.Field(k); ok {
			v = maskValue(f, v)
		}
		out[k] = v
	}
	return out
}
