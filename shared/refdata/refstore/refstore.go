// Package refstore keeps reference data in the table: imported rates,
// wages and corrections (rows written by the importer or staff), merged
// over the embedded defaults of shared/refdata. Everything that computes
// with reference data loads it here, so that an imported rate (the
// bookkeeping rate of a new year, say) is used by the next calculation.
//
// # Access patterns
//
//  1. The reference data in force: one Query of the partition, replayed in
//     write order over refdata.Default() (Load, cached for a TTL).
//  2. What is stored, without the defaults (Stored): exports, checks.
//  3. Store a correction (Put, PutChange): checked against what is stored
//     first; every row it changes is written together with a history item
//     of that version, in the same transaction.
//  4. The entries in force, each with where it comes from: a built-in
//     default or a stored row, and who stored it (InForce, not cached: the
//     admin screen).
//  5. The versions of one entry (History): one Query of the history
//     partition, begins_with <KIND>#<natural key>#.
//
// # Keys
//
//	item       PK                    SK
//	reference  LEDGER#REFDATA        <KIND>#<natural key>
//	version    LEDGER#REFDATA#HIST   <KIND>#<natural key>#<Seq>
//
// The partitions keep the LEDGER# prefix of the ledger they served first, so
// that data stored by earlier versions is read and the ledger function's
// IAM policy (LEDGER# leading keys) still covers them. A history item is
// never rewritten: every changing write adds one, and rows stored before
// the history existed have none (History lists them from the row).
package refstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
)

// pk is the partition of the stored rows, pkHist of their versions.
const (
	pk     = "LEDGER#REFDATA"
	pkHist = "LEDGER#REFDATA#HIST"
)

// Store reads and writes reference data in the table. It is safe for
// concurrent use.
type Store struct {
	t   table.Store
	clk clock.Clock
	ttl time.Duration

	mu     sync.Mutex
	set    *refdata.Set
	loaded time.Time
}

// Option configures a Store.
type Option func(*Store)

// WithTTL sets how long Load reuses what it loaded (1 minute by default; 0
// reloads on every call).
func WithTTL(d time.Duration) Option { return func(s *Store) { s.ttl = d } }

// New returns the reference-data store on t.
func New(t table.Store, clk clock.Clock, opts ...Option) *Store {
	s := &Store{t: t, clk: clk, ttl: time.Minute}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Row is one entry of reference data stored in the table: a bookkeeping
// rate of a year, the contribution rates of a period, an average wage, a
// retirement rule, ... with its source and effective period. Stored rows are
// merged over the embedded defaults of refdata (refdata.Set.Merge): an
// imported correction wins over the default for the same natural key.
//
// Rows are merged in the order they were written (Seq), not in key order:
// contribution rates of overlapping periods cut each other, so for every
// month the correction written last wins.
type Row struct {
	Kind   string // one of the Kind constants
	Name   string // natural key within the kind: "2021", "employee-202101", "pre-2025"
	Source string
	From   string // effective from (YYYYMM or YYYY-MM-DD); "" = always
	To     string // effective to, inclusive; "" = open
	Data   string // the refdata entry as JSON
	// Seq is the write sequence, set by Put: the store's clock in
	// UTC at the write (seqLayout, fixed width so that strings sort in time
	// order), "#", and the row's position in the write (9 digits). Rows
	// stored before the sequence existed have none and replay first, in key
	// order.
	Seq string
	// By is the account id of the staff member who wrote the row ("" for
	// the importer) and Reason why (修改原因); both describe the write,
	// not the entry: storing the same entry again keeps them.
	By     string
	Reason string
	// Version is the item's version in the table (1 when created, one
	// more per changing write), read only.
	Version int64
}

// Time is when the row was written: the time part of Seq, in
// Asia/Shanghai; zero for a row without a sequence.
func (r Row) Time() time.Time {
	if len(r.Seq) < len(seqLayout) {
		return time.Time{}
	}
	t, err := time.Parse(seqLayout, r.Seq[:len(seqLayout)])
	if err != nil {
		return time.Time{}
	}
	return t.In(clock.Shanghai)
}

// seqLayout is the time part of Row.Seq.
const seqLayout = "20060102T150405.000000000Z"

// Kinds of rows.
const (
	KindBookkeepingRate     = "bookkeeping_rate"
	KindProvisionalInterest = "provisional_interest"
	KindRateOrder           = "rate_order"
	KindInsuredType         = "insured_type"
	KindContributionRate    = "contribution_rate"
	KindAverageWage         = "average_wage"
	KindRetirementRule      = "retirement_rule"
	KindRefundScope         = "refund_scope"
	KindRefundReason        = "refund_reason"
	KindWindowException     = "window_exception"
)

// typeRef and typeHist are the items' type tags (attribute T).
const (
	typeRef  = "refdata"
	typeHist = "refdata_hist"
)

// Key returns the row's key.
func (r Row) Key() table.Key { return table.Key{PK: pk, SK: r.Kind + "#" + r.Name} }

// histKey is the key of the row's version item.
func (r Row) histKey() table.Key {
	return table.Key{PK: pkHist, SK: r.Kind + "#" + r.Name + "#" + r.Seq}
}

func (r Row) encode() (table.Item, error) {
	if r.Kind == "" || r.Name == "" || r.Data == "" {
		return nil, fmt.Errorf("refstore: row %s/%s: kind, name and data are required", r.Kind, r.Name)
	}
	k := r.Key()
	it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": typeRef, "Kind": r.Kind, "Name": r.Name, "Data": r.Data}
	for name, v := range map[string]string{"Source": r.Source, "From": r.From, "To": r.To, "Seq": r.Seq,
		"By": r.By, "Reason": r.Reason} {
		if v != "" {
			it[name] = v
		}
	}
	return it, nil
}

// encodeHist is the version item of a row written with sequence r.Seq.
func (r Row) encodeHist() (table.Item, error) {
	it, err := r.encode()
	if err != nil {
		return nil, err
	}
	k := r.histKey()
	it[table.AttrPK], it[table.AttrSK], it["T"] = k.PK, k.SK, typeHist
	return it, nil
}

// decodeRow reads a stored row or version.
func decodeRow(it table.Item) Row {
	return Row{Kind: it.String("Kind"), Name: it.String("Name"), Source: it.String("Source"),
		From: it.String("From"), To: it.String("To"), Data: it.String("Data"), Seq: it.String("Seq"),
		By: it.String("By"), Reason: it.String("Reason"), Version: it.Int(table.AttrVersion)}
}

// sameRow reports whether two rows hold the same entry, ignoring what
// describes the write (Seq, By, Reason, Version).
func sameRow(a, b Row) bool {
	a.Seq, b.Seq, a.By, b.By, a.Reason, b.Reason, a.Version, b.Version = "", "", "", "", "", "", 0, 0
	return a == b
}

// Rows splits reference data into stored rows.
func Rows(d refdata.Data) ([]Row, error) {
	var out []Row
	add := func(kind, name, source, from, to string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("refstore: row %s/%s: %w", kind, name, err)
		}
		out = append(out, Row{Kind: kind, Name: name, Source: source, From: from, To: to, Data: string(b)})
		return nil
	}
	var err error
	for _, r := range d.BookkeepingRates {
		y := strconv.Itoa(r.Year)
		err = firstErr(err, add(KindBookkeepingRate, y, r.Source, y+"01", y+"12", r))
	}
	if p := d.ProvisionalInterest; p != nil {
		err = firstErr(err, add(KindProvisionalInterest, "rule", p.Source, "", "", p))
	}
	for _, o := range d.RateOrders {
		err = firstErr(err, add(KindRateOrder, fmt.Sprintf("%d-%d", min(o.Years[0], o.Years[1]), max(o.Years[0], o.Years[1])), o.Note, "", "", o))
	}
	for _, t := range d.InsuredTypes {
		err = firstErr(err, add(KindInsuredType, t.Code, "", "", "", t))
	}
	for _, c := range d.ContributionRates {
		err = firstErr(err, add(KindContributionRate, c.Insured+"-"+c.From.String(), c.Source, c.From.String(), c.To.String(), c))
	}
	for _, w := range d.AverageWages {
		y := strconv.Itoa(w.Year)
		err = firstErr(err, add(KindAverageWage, y, w.Source, y+"01", y+"12", w))
	}
	for _, r := range d.RetirementRules {
		err = firstErr(err, add(KindRetirementRule, r.Name, r.Source, r.EffectiveFrom.String(), "", r))
	}
	for _, sc := range d.RefundScopes {
		err = firstErr(err, add(KindRefundScope, sc.Code, sc.Source, "", "", sc))
	}
	for _, rr := range d.RefundReasons {
		err = firstErr(err, add(KindRefundReason, rr.ReasonZh, rr.Source, "", "", rr))
	}
	for _, we := range d.WindowExceptions {
		day := we.Date.String()
		err = firstErr(err, add(KindWindowException, we.Key(), we.Source, day, day, we))
	}
	if err != nil {
		return nil, err
	}
	for _, r := range out {
		if !table.ValidKeyPart(r.Name) {
			return nil, fmt.Errorf("refstore: row %s: name %q cannot be part of a key", r.Kind, r.Name)
		}
	}
	return out, nil
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// addRow appends one stored row to d.
func addRow(d *refdata.Data, r Row) error {
	var err error
	switch r.Kind {
	case KindBookkeepingRate:
		err = appendJSON(&d.BookkeepingRates, r.Data)
	case KindProvisionalInterest:
		var p refdata.ProvisionalInterest
		if err = json.Unmarshal([]byte(r.Data), &p); err == nil {
			d.ProvisionalInterest = &p
		}
	case KindRateOrder:
		err = appendJSON(&d.RateOrders, r.Data)
	case KindInsuredType:
		err = appendJSON(&d.InsuredTypes, r.Data)
	case KindContributionRate:
		err = appendJSON(&d.ContributionRates, r.Data)
	case KindAverageWage:
		err = appendJSON(&d.AverageWages, r.Data)
	case KindRetirementRule:
		err = appendJSON(&d.RetirementRules, r.Data)
	case KindRefundScope:
		err = appendJSON(&d.RefundScopes, r.Data)
	case KindRefundReason:
		err = appendJSON(&d.RefundReasons, r.Data)
	case KindWindowException:
		err = appendJSON(&d.WindowExceptions, r.Data)
	default:
		return fmt.Errorf("refstore: row %s/%s: unknown kind", r.Kind, r.Name)
	}
	if err != nil {
		return fmt.Errorf("refstore: row %s/%s: %w", r.Kind, r.Name, err)
	}
	return nil
}

// appendJSON decodes one JSON entry and appends it to list.
func appendJSON[T any](list *[]T, data string) error {
	var v T
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// Stored returns the reference data stored in the table (without the
// embedded defaults), each kind's entries in the order the rows were
// written (see Row), so that merging it over the defaults gives what Put
// checked.
func (s *Store) Stored(ctx context.Context) (refdata.Data, error) {
	rows, err := s.storedRows(ctx)
	if err != nil {
		return refdata.Data{}, err
	}
	return replay(rows)
}

// storedRows returns the stored rows in key order.
func (s *Store) storedRows(ctx context.Context) ([]Row, error) {
	var rows []Row
	q := table.Query{PK: pk, Limit: 500}
	for {
		page, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("refstore: read: %w", err)
		}
		for _, it := range page.Items {
			rows = append(rows, decodeRow(it))
		}
		if page.Cursor == "" {
			return rows, nil
		}
		q.Cursor = page.Cursor
	}
}

// replay sorts rows in write order (rows without a sequence first, keeping
// their order) and decodes them into reference data.
func replay(rows []Row) (refdata.Data, error) {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b Row) int { return strings.Compare(a.Seq, b.Seq) })
	var d refdata.Data
	for _, r := range rows {
		if err := addRow(&d, r); err != nil {
			return refdata.Data{}, err
		}
	}
	return d, nil
}

// Load returns the reference data in force: refdata.Default() with the
// rows stored in the table merged over it. The result is cached for the
// store's TTL.
func (s *Store) Load(ctx context.Context) (*refdata.Set, error) {
	now := s.clk.Now()
	s.mu.Lock()
	if s.set != nil && s.ttl > 0 && now.Sub(s.loaded) < s.ttl && !now.Before(s.loaded) {
		set := s.set
		s.mu.Unlock()
		return set, nil
	}
	s.mu.Unlock()
	stored, err := s.Stored(ctx)
	if err != nil {
		return nil, err
	}
	set, err := refdata.Default().Merge(stored)
	if err != nil {
		return nil, fmt.Errorf("refstore: stored reference data does not merge over the defaults: %w", err)
	}
	s.mu.Lock()
	s.set, s.loaded = set, now
	s.mu.Unlock()
	return set, nil
}

// InvalidError reports reference data that Put refuses: it cannot be
// stored as rows, or it does not merge over the defaults together with
// what is stored (Err holds refdata's problems, in English, for logs).
// Failures to read or write the table are other errors.
type InvalidError struct{ Err error }

// Error describes the problems.
func (e *InvalidError) Error() string { return "refstore: invalid reference data: " + e.Err.Error() }

// Unwrap returns the problems.
func (e *InvalidError) Unwrap() error { return e.Err }

// Change describes a write of reference data: who made it and why, and
// operations to apply in its transaction (an audit record of it).
type Change struct {
	By     string // account id of the staff member; "" for the importer
	Reason string // 修改原因
	// Ops are written in the transaction of the first changing row, and
	// not at all when the write changes nothing. They must leave room in
	// that transaction: at most MaxChangeOps.
	Ops []table.Op
}

// MaxChangeOps is the most operations a Change may carry.
const MaxChangeOps = 10

// Put stores reference data as PutChange does, by no one in particular
// (the importer).
func (s *Store) Put(ctx context.Context, d refdata.Data) (table.SyncResult, error) {
	return s.PutChange(ctx, d, Change{})
}

// PutChange stores reference data after checking that it merges over the
// defaults together with what is already stored. The rows of d are written
// after everything stored, in the order d lists them: a row replaces the
// stored row of the same natural key and, where periods overlap, wins over
// every row written before it. The check replays exactly the rows that will
// be stored, in that order, so what it approves is what Load returns
// afterwards. Data that fails the check is an *InvalidError. Rows are
// written with table.Sync, each changed row with a version item (History)
// and ch.Ops in the same transaction; a row stored unchanged keeps its
// place in the order, its version and who wrote it, so storing the same
// data twice writes nothing.
//
// Concurrent Put calls are not serialised: each one's rows follow
// what it read, and two writes at the same instant order by key.
func (s *Store) PutChange(ctx context.Context, d refdata.Data, ch Change) (table.SyncResult, error) {
	if len(ch.Ops) > MaxChangeOps {
		return table.SyncResult{}, fmt.Errorf("refstore: %d operations with a change, at most %d", len(ch.Ops), MaxChangeOps)
	}
	rows, err := Rows(d)
	if err != nil {
		return table.SyncResult{}, &InvalidError{Err: err}
	}
	stored, err := s.storedRows(ctx)
	if err != nil {
		return table.SyncResult{}, err
	}
	changed, err := sequence(rows, stored, s.clk.Now(), ch)
	if err != nil {
		return table.SyncResult{}, &InvalidError{Err: err}
	}
	written := make(map[table.Key]bool, len(rows))
	for _, r := range rows {
		written[r.Key()] = true
	}
	after := slices.DeleteFunc(stored, func(r Row) bool { return written[r.Key()] })
	after = append(after, rows...)
	merged, err := replay(after)
	if err != nil {
		return table.SyncResult{}, &InvalidError{Err: err}
	}
	if _, err := refdata.Default().Merge(merged); err != nil {
		return table.SyncResult{}, &InvalidError{Err: err}
	}
	batches, err := batch(rows, changed, ch.Ops)
	if err != nil {
		return table.SyncResult{}, err
	}
	var res table.SyncResult
	for _, b := range batches {
		var r table.SyncResult
		r, err = table.Sync(ctx, s.t, b.items, b.extra...)
		res.Add(r)
		if err != nil {
			break
		}
	}
	s.mu.Lock()
	s.set = nil
	s.mu.Unlock()
	if err != nil {
		return res, fmt.Errorf("refstore: %w", err)
	}
	return res, nil
}

// sequence gives each row its place in the write order: a row stored
// unchanged becomes the stored row (its sequence, author and reason), every
// other one the next sequence at now and ch's author and reason. It
// reports which rows change.
func sequence(rows, stored []Row, now time.Time, ch Change) ([]bool, error) {
	byKey := make(map[table.Key]Row, len(stored))
	last := ""
	for _, r := range stored {
		byKey[r.Key()] = r
		last = max(last, r.Seq)
	}
	stamp := nextSeqTime(now, last)
	seen := make(map[table.Key]bool, len(rows))
	changed := make([]bool, len(rows))
	for i := range rows {
		k := rows[i].Key()
		if seen[k] {
			return nil, fmt.Errorf("refstore: row %s/%s: listed twice", rows[i].Kind, rows[i].Name)
		}
		seen[k] = true
		if cur, ok := byKey[k]; ok && sameRow(cur, rows[i]) {
			rows[i] = cur // unchanged: keeps its place
			continue
		}
		rows[i].Seq = fmt.Sprintf("%s#%09d", stamp, i)
		rows[i].By, rows[i].Reason, rows[i].Version = ch.By, ch.Reason, 0
		changed[i] = true
	}
	return changed, nil
}

// syncBatch is one table.Sync call: rows and the operations written with
// them.
type syncBatch struct {
	items []table.Item
	extra []table.Op
}

// batch splits rows into transactions of at most table.MaxTransactItems
// operations: each row, the version item of each changed row, and ops
// with the first changed row.
func batch(rows []Row, changed []bool, ops []table.Op) ([]syncBatch, error) {
	var out []syncBatch
	var cur syncBatch
	for i, r := range rows {
		it, err := r.encode()
		if err != nil {
			return nil, err
		}
		var extra []table.Op
		if changed[i] {
			h, err := r.encodeHist()
			if err != nil {
				return nil, err
			}
			extra = append(extra, table.Put(h, table.IfAbsent()))
			extra, ops = append(extra, ops...), nil
		}
		if len(cur.items)+len(cur.extra)+1+len(extra) > table.MaxTransactItems {
			out, cur = append(out, cur), syncBatch{}
		}
		cur.items = append(cur.items, it)
		cur.extra = append(cur.extra, extra...)
	}
	if len(cur.items) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// nextSeqTime is the time part of the sequence of a write at now: now in
// UTC, or just after the latest stored sequence when the clock does not
// read later than that (a frozen clock, another instance's clock ahead), so
// that a write always sorts after what it read.
func nextSeqTime(now time.Time, last string) string {
	t := now.UTC()
	if len(last) >= len(seqLayout) {
		if prev, err := time.Parse(seqLayout, last[:len(seqLayout)]); err == nil && !t.After(prev) {
			t = prev.Add(time.Nanosecond)
		}
	}
	return t.Format(seqLayout)
}
