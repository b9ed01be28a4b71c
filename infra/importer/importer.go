// Package importer is the bulk import of the ledger and its reference data
// from what a province exports from its core system: CSV (UTF-8, a header
// row with the column keys or their Chinese headers) or JSON (an array of
// objects, or one object per line), one kind of record per file.
//
// Guarantees:
//
//   - Idempotent: every record's key is derived from its natural key (人员编号,
//     人员编号 × 费款所属期 × 单位编号 × 类型, ...) and records are written with
//     ledger.Store.Sync, which skips what is already stored unchanged.
//     Re-importing the same file writes nothing.
//   - Nothing lost: accepted rows are written in transactions of at most
//     table.MaxTransactItems; after a crash, rerunning the import writes what
//     is missing and skips the rest.
//   - Rejected rows are reported with their line number, field and a Chinese
//     message; the rest of the file is imported. A row whose natural key
//     repeats an earlier row of the file is rejected, not merged.
//   - Rows refer only to what exists: contributions, spells, grades and
//     benefits need their person (and unit) in the ledger, so import units
//     and persons first (Kinds gives the order).
//   - A row updates, it does not replace: a row whose record is already
//     stored is merged onto it, column by column (see below), so a file
//     with fewer columns loses nothing.
//
// # Missing columns and empty cells
//
// Required columns must have a value on every row. For the other columns:
//
//   - A column the file does not have (a CSV header without it, a JSON
//     object without the name, a CSV row that ends before it) keeps the
//     stored value; for a new record it is the column's default.
//   - An empty cell (or JSON null) follows the column's EmptyRule, which
//     `hrss-seed kinds` prints: text, dates and months are cleared, a rate
//     becomes unknown, a period end becomes open (EmptyClears); amounts
//     and counts that have no "unknown" — account balance, principal and
//     interest, deemed months, interest of a contribution — keep the
//     stored value, so write 0 to zero them (EmptyKeeps); a value with a
//     default — gender and birth date from the ID number, insured type,
//     contribution amounts (base × rate) — gets its default again
//     (EmptyDefault). Columns that are part of the key (a contribution's
//     kind, a survivor's deceased person) never take a stored value.
//   - Reference-data rows merge onto the entry in force for the same
//     natural key (the year; the insured type and start month) in the same
//     way, except the source, which every row gives (or Options.Source),
//     and the flags of contribution-rate and average-wage entries, which
//     are no column and question the value the row replaces.
//
// Re-importing the same file therefore writes nothing.
//
// A marker item (LEDGER#META / IMPORT#<kind>#<hash of the name>) records
// each file: written when the import starts, so the ledger no longer counts
// as empty for the demo seed, and completed with the file's SHA-256 and
// counts at the end.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
)

// Options configure one import.
type Options struct {
	Kind   Kind
	Format string // csv, json or jsonl; "" = from Name's extension
	Name   string // the file's name, for the marker and messages
	// Source is the source recorded on reference-data rows that carry none.
	Source string
	// DryRun checks every row and reports, writing nothing.
	DryRun bool
	// Progress, when set, is called every ProgressEvery rows (1000 by
	// default) and once at the end.
	Progress      func(Progress)
	ProgressEvery int
}

// Progress is the state of a running import.
type Progress struct {
	Rows     int // data rows read
	Accepted int
	Rejected int // rows rejected
	Written  table.SyncResult
}

// Rejection is one problem of one rejected row.
type Rejection struct {
	Line    int    // line of the file where the row starts (the header is line 1)
	Field   string // column key, "" for the whole row
	Message string // Chinese, for the people who fix the file
	// Cause is the internal error behind Message, in English, when there
	// is one (a reference-data row refdata refuses): for logs only, never
	// shown as the message. It holds no personal data.
	Cause error
}

// String formats the rejection for people: 第12行 idNumber：公民身份号码校验位错误.
func (r Rejection) String() string {
	if r.Field == "" {
		return fmt.Sprintf("第%d行：%s", r.Line, r.Message)
	}
	return fmt.Sprintf("第%d行 %s：%s", r.Line, r.Field, r.Message)
}

// Report is the outcome of an import.
type Report struct {
	Kind           Kind
	Name           string
	Digest         string // sha256:<hex> of the file
	Rows           int    // data rows read
	Accepted       int
	RejectedRows   int
	Rejected       []Rejection // every problem of every rejected row
	Written        table.SyncResult
	UnknownColumns []string // columns ignored
	DryRun         bool
}

// importer is the state of one import.
type importer struct {
	ls       *ledger.Store
	refStore *refstore.Store
	opt      Options
	now      time.Time // the store's clock at the start (ID numbers' birth dates)
	today    calc.Date
	refs     *refdata.Set
	data     *refdata.Data // refs.Data(), read once when needed
	seed     maphash.Seed
	keys     map[uint64]int    // natural key hash → line of its first row
	ids      map[string]string // ID number → person number, in this file
	known    map[string]bool   // "P"/"U" + number → exists in the ledger
	fatal    error             // a store failure met while checking a row
	recs     []ledger.Record   // pending ledger records
	ref      refdata.Data      // pending reference data
	nref     int               // pending reference rows
	rep      Report
	prog     Progress
	hash     hash.Hash
	line     int // line of the last row read
}

// ImportFile imports the file at path (see Import); the format defaults to
// the file's extension.
func ImportFile(ctx context.Context, ls *ledger.Store, path string, opt Options) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	if opt.Name == "" {
		opt.Name = filepath.Base(path)
	}
	return Import(ctx, ls, f, opt)
}

// Import reads one file of opt.Kind from r and writes its accepted rows.
// The error is for what stops the import (an unreadable file, a store
// failure); rejected rows are in the report.
func Import(ctx context.Context, ls *ledger.Store, r io.Reader, opt Options) (Report, error) {
	def, ok := kinds[opt.Kind]
	if !ok {
		return Report{}, fmt.Errorf("importer: unknown kind %q (one of %s)", opt.Kind, kindList())
	}
	format := strings.ToLower(opt.Format)
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(opt.Name)), ".")
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = 1000
	}
	// Reference data lives in the same table (shared/refdata/refstore).
	refStore := refstore.New(ls.Table(), ls.Clock(), refstore.WithTTL(0))
	refs, err := refStore.Load(ctx)
	if err != nil {
		return Report{}, err
	}
	im := &importer{
		ls: ls, refStore: refStore, opt: opt, now: ls.Clock().Now(), today: ls.Today(), refs: refs, seed: maphash.MakeSeed(),
		keys: map[uint64]int{}, ids: map[string]string{}, known: map[string]bool{},
		rep:  Report{Kind: opt.Kind, Name: opt.Name, DryRun: opt.DryRun},
		hash: sha256.New(),
	}
	src, err := newSource(io.TeeReader(r, im.hash), format, def.cols)
	if err != nil {
		return im.rep, err
	}
	if !opt.DryRun {
		if err := im.startMarker(ctx); err != nil {
			return im.rep, err
		}
	}
	for {
		rec, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return im.rep, err
		}
		if err := ctx.Err(); err != nil {
			return im.rep, err
		}
		im.prog.Rows++
		im.line = rec.line
		im.row(ctx, def, rec)
		if im.fatal != nil {
			return im.rep, im.fatal
		}
		if len(im.recs) == table.MaxTransactItems || im.nref == table.MaxTransactItems {
			if err := im.flush(ctx); err != nil {
				return im.rep, err
			}
		}
		if opt.Progress != nil && im.prog.Rows%opt.ProgressEvery == 0 {
			opt.Progress(im.prog)
		}
	}
	if err := im.flush(ctx); err != nil {
		return im.rep, err
	}
	_, _ = io.Copy(im.hash, r) // a JSON array may end before the reader does
	im.rep.Rows, im.rep.Accepted, im.rep.RejectedRows = im.prog.Rows, im.prog.Accepted, im.prog.Rejected
	im.rep.Written = im.prog.Written
	im.rep.Digest = "sha256:" + hex.EncodeToString(im.hash.Sum(nil))
	im.rep.UnknownColumns = src.unknownColumns()
	if opt.Progress != nil {
		opt.Progress(im.prog)
	}
	if !opt.DryRun {
		if err := im.finishMarker(ctx); err != nil {
			return im.rep, err
		}
	}
	return im.rep, nil
}

// row checks one row and queues it, or records why it is rejected.
func (im *importer) row(ctx context.Context, def kindDef, rec record) {
	if rec.bad != "" {
		im.reject([]Rejection{{Line: rec.line, Message: rec.bad}})
		return
	}
	p := &rowParser{ctx: ctx, im: im, values: rec.values, line: rec.line}
	out := def.parse(p)
	if im.fatal != nil {
		return
	}
	if len(p.errs) == 0 && out.rec == nil {
		if _, err := im.refs.Merge(out.ref); err != nil {
			p.errs = append(p.errs, Rejection{Line: rec.line, Message: refRejection(im.opt.Kind), Cause: err})
		}
	}
	if len(p.errs) > 0 {
		im.reject(p.errs)
		return
	}
	h := maphash.String(im.seed, out.key)
	if first, dup := im.keys[h]; dup {
		im.reject([]Rejection{{Line: rec.line, Message: fmt.Sprintf("与第%d行重复（同一记录出现两次）", first)}})
		return
	}
	im.keys[h] = rec.line
	im.prog.Accepted++
	if out.rec != nil {
		im.recs = append(im.recs, out.rec)
		return
	}
	im.ref = appendRef(im.ref, out.ref)
	im.nref++
}

// refData returns the reference data in force at the start of the import
// (a file's rows are checked against it, not against each other).
func (im *importer) refData() *refdata.Data {
	if im.data == nil {
		d := im.refs.Data()
		im.data = &d
	}
	return im.data
}

// refRejection is the message of a reference-data row that the column
// checks passed and refdata's validation refused: what the rules are.
func refRejection(k Kind) string {
	switch k {
	case BookkeepingRates:
		return "记账利率数据校验不通过：年度应在1990到2100之间，记账利率应在0到1之间，且须注明来源"
	case ContributionRates:
		return "缴费比例数据校验不通过：参保身份应为已知类型，结束年月不能早于开始年月，各项比例应在0到1之间，且须注明来源"
	case AverageWages:
		return "社平工资数据校验不通过：社平工资应大于0，下限比例应大于0且不大于上限比例，缴费档次应在上下限之间"
	}
	return "参考数据校验不通过，请核对该行各项数值"
}

func (im *importer) reject(errs []Rejection) {
	im.prog.Rejected++
	im.rep.Rejected = append(im.rep.Rejected, errs...)
}

// flush writes the pending rows in one transaction.
func (im *importer) flush(ctx context.Context) error {
	if im.opt.DryRun {
		im.recs, im.ref, im.nref = im.recs[:0], refdata.Data{}, 0
		return nil
	}
	if len(im.recs) > 0 {
		res, err := im.ls.Sync(ctx, im.recs)
		if err != nil {
			return fmt.Errorf("importer: write rows before line %d: %w", im.line, err)
		}
		im.prog.Written.Add(res)
		im.recs = im.recs[:0]
	}
	if im.nref > 0 {
		res, err := im.refStore.Put(ctx, im.ref)
		if err != nil {
			return fmt.Errorf("importer: write reference data before line %d: %w", im.line, err)
		}
		im.prog.Written.Add(res)
		im.ref, im.nref = refdata.Data{}, 0
	}
	return nil
}

// exists reports, with a cache, whether a person or unit is in the ledger.
// Both answers are cached: one file holds one kind of record, so a file of
// contributions cannot add the person it refers to.
func (im *importer) exists(ctx context.Context, kind, number string, get func() error) (bool, error) {
	k := kind + number
	if v, ok := im.known[k]; ok {
		return v, nil
	}
	err := get()
	switch {
	case err == nil:
		im.known[k] = true
		return true, nil
	case isNotFound(err):
		im.known[k] = false
		return false, nil
	default:
		return false, err
	}
}

func (im *importer) markerKey() table.Key {
	sum := sha256.Sum256([]byte(im.opt.Name))
	return ledger.MarkerKey("IMPORT#" + string(im.opt.Kind) + "#" + hex.EncodeToString(sum[:8]))
}

// startMarker records that the import began (kept if it exists).
func (im *importer) startMarker(ctx context.Context) error {
	k := im.markerKey()
	err := im.ls.Table().Put(ctx, table.Item{
		table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "import", "Kind": string(im.opt.Kind), "Name": im.opt.Name,
		"Status": "running", "StartedAt": im.ls.Clock().Now().Format(time.RFC3339),
	}, table.IfAbsent())
	if err != nil && !errors.Is(err, table.ErrConditionFailed) {
		return fmt.Errorf("importer: marker: %w", err)
	}
	return nil
}

// finishMarker records the file's digest and counts, unless the marker
// already says exactly that (a re-import of the same file).
func (im *importer) finishMarker(ctx context.Context) error {
	k := im.markerKey()
	cur, err := im.ls.Table().Get(ctx, k)
	if err != nil && !errors.Is(err, table.ErrNotFound) {
		return fmt.Errorf("importer: marker: %w", err)
	}
	if err == nil && cur.String("Status") == "done" && cur.String("Digest") == im.rep.Digest &&
		cur.Int("Accepted") == int64(im.rep.Accepted) && cur.Int("RejectedRows") == int64(im.rep.RejectedRows) {
		return nil
	}
	it := table.Item{
		table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "import", "Kind": string(im.opt.Kind), "Name": im.opt.Name,
		"Status": "done", "Digest": im.rep.Digest, "Rows": int64(im.rep.Rows), "Accepted": int64(im.rep.Accepted),
		"RejectedRows": int64(im.rep.RejectedRows), "FinishedAt": im.ls.Clock().Now().Format(time.RFC3339),
	}
	if err == nil {
		if s := cur.String("StartedAt"); s != "" {
			it["StartedAt"] = s
		}
	}
	if err := im.ls.Table().Put(ctx, it, table.Cond{}); err != nil {
		return fmt.Errorf("importer: marker: %w", err)
	}
	return nil
}

func appendRef(a, b refdata.Data) refdata.Data {
	a.BookkeepingRates = append(a.BookkeepingRates, b.BookkeepingRates...)
	a.ContributionRates = append(a.ContributionRates, b.ContributionRates...)
	a.AverageWages = append(a.AverageWages, b.AverageWages...)
	return a
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
