package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
)

// RefRow is one entry of reference data stored in the table: a bookkeeping
// rate of a year, the contribution rates of a period, an average wage, a
// retirement rule, ... with its source and effective period. Stored rows are
// merged over the embedded defaults of refdata (refdata.Set.Merge): an
// imported correction wins over the default for the same natural key.
//
// Rows are merged in the order they were written (Seq), not in key order:
// contribution rates of overlapping periods cut each other, so for every
// month the correction written last wins.
type RefRow struct {
	Kind   string // bookkeeping_rate, rate_order, insured_type, contribution_rate, average_wage, retirement_rule, refund_scope, refund_reason
	Name   string // natural key within the kind: "2021", "employee-202101", "pre-2025"
	Source string
	From   string // effective from (YYYYMM or YYYY-MM-DD); "" = always
	To     string // effective to, inclusive; "" = open
	Data   string // the refdata entry as JSON
	// Seq is the write sequence, set by PutRefData: the store's clock in
	// UTC at the write (seqLayout, fixed width so that strings sort in time
	// order), "#", and the row's position in the write (9 digits). Rows
	// stored before the sequence existed have none and replay first, in key
	// order.
	Seq string
}

// seqLayout is the time part of RefRow.Seq.
const seqLayout = "20060102T150405.000000000Z"

// Reference kinds.
const (
	RefBookkeepingRate  = "bookkeeping_rate"
	RefRateOrder        = "rate_order"
	RefInsuredType      = "insured_type"
	RefContributionRate = "contribution_rate"
	RefAverageWage      = "average_wage"
	RefRetirementRule   = "retirement_rule"
	RefRefundScope      = "refund_scope"
	RefRefundReason     = "refund_reason"
)

const typeRef = "refdata"

// Key returns the row's key.
func (r RefRow) Key() table.Key { return table.Key{PK: pkRefData, SK: r.Kind + "#" + r.Name} }

func (r RefRow) encode([]byte) (table.Item, error) {
	if r.Kind == "" || r.Name == "" || r.Data == "" {
		return nil, fmt.Errorf("ledger: reference row %s/%s: kind, name and data are required", r.Kind, r.Name)
	}
	it := item(r.Key(), typeRef)
	it["Kind"] = r.Kind
	it["Name"] = r.Name
	setStr(it, "Source", r.Source)
	setStr(it, "From", r.From)
	setStr(it, "To", r.To)
	it["Data"] = r.Data
	setStr(it, "Seq", r.Seq)
	return it, nil
}

// decodeRefRow reads a stored row.
func decodeRefRow(it table.Item) RefRow {
	return RefRow{Kind: it.String("Kind"), Name: it.String("Name"), Source: it.String("Source"),
		From: it.String("From"), To: it.String("To"), Data: it.String("Data"), Seq: it.String("Seq")}
}

// sameRow reports whether two rows hold the same entry, ignoring Seq.
func sameRow(a, b RefRow) bool {
	a.Seq, b.Seq = "", ""
	return a == b
}

// RefRows splits reference data into stored rows.
func RefRows(d refdata.Data) ([]RefRow, error) {
	var out []RefRow
	add := func(kind, name, source, from, to string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("ledger: reference row %s/%s: %w", kind, name, err)
		}
		out = append(out, RefRow{Kind: kind, Name: name, Source: source, From: from, To: to, Data: string(b)})
		return nil
	}
	var err error
	for _, r := range d.BookkeepingRates {
		y := strconv.Itoa(r.Year)
		err = firstErr(err, add(RefBookkeepingRate, y, r.Source, y+"01", y+"12", r))
	}
	for _, o := range d.RateOrders {
		err = firstErr(err, add(RefRateOrder, fmt.Sprintf("%d-%d", min(o.Years[0], o.Years[1]), max(o.Years[0], o.Years[1])), o.Note, "", "", o))
	}
	for _, t := range d.InsuredTypes {
		err = firstErr(err, add(RefInsuredType, t.Code, "", "", "", t))
	}
	for _, c := range d.ContributionRates {
		err = firstErr(err, add(RefContributionRate, c.Insured+"-"+c.From.String(), c.Source, c.From.String(), c.To.String(), c))
	}
	for _, w := range d.AverageWages {
		y := strconv.Itoa(w.Year)
		err = firstErr(err, add(RefAverageWage, y, w.Source, y+"01", y+"12", w))
	}
	for _, r := range d.RetirementRules {
		err = firstErr(err, add(RefRetirementRule, r.Name, r.Source, r.EffectiveFrom.String(), "", r))
	}
	for _, sc := range d.RefundScopes {
		err = firstErr(err, add(RefRefundScope, sc.Code, sc.Source, "", "", sc))
	}
	for _, rr := range d.RefundReasons {
		err = firstErr(err, add(RefRefundReason, rr.ReasonZh, rr.Source, "", "", rr))
	}
	if err != nil {
		return nil, err
	}
	for _, r := range out {
		if !validKeyPart(r.Name) {
			return nil, fmt.Errorf("ledger: reference row %s: name %q cannot be part of a key", r.Kind, r.Name)
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
func addRow(d *refdata.Data, r RefRow) error {
	var err error
	switch r.Kind {
	case RefBookkeepingRate:
		err = appendJSON(&d.BookkeepingRates, r.Data)
	case RefRateOrder:
		err = appendJSON(&d.RateOrders, r.Data)
	case RefInsuredType:
		err = appendJSON(&d.InsuredTypes, r.Data)
	case RefContributionRate:
		err = appendJSON(&d.ContributionRates, r.Data)
	case RefAverageWage:
		err = appendJSON(&d.AverageWages, r.Data)
	case RefRetirementRule:
		err = appendJSON(&d.RetirementRules, r.Data)
	case RefRefundScope:
		err = appendJSON(&d.RefundScopes, r.Data)
	case RefRefundReason:
		err = appendJSON(&d.RefundReasons, r.Data)
	default:
		return fmt.Errorf("ledger: reference row %s/%s: unknown kind", r.Kind, r.Name)
	}
	if err != nil {
		return fmt.Errorf("ledger: reference row %s/%s: %w", r.Kind, r.Name, err)
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

// StoredRefData returns the reference data stored in the table (without
// the embedded defaults), each kind's entries in the order the rows were
// written (see RefRow), so that merging it over the defaults gives what
// PutRefData checked.
func (s *Store) StoredRefData(ctx context.Context) (refdata.Data, error) {
	rows, err := s.storedRefRows(ctx)
	if err != nil {
		return refdata.Data{}, err
	}
	return replay(rows)
}

// storedRefRows returns the stored rows in key order.
func (s *Store) storedRefRows(ctx context.Context) ([]RefRow, error) {
	items, err := s.queryAll(ctx, table.Query{PK: pkRefData})
	if err != nil {
		return nil, fmt.Errorf("ledger: reference data: %w", err)
	}
	rows := make([]RefRow, len(items))
	for i, it := range items {
		rows[i] = decodeRefRow(it)
	}
	return rows, nil
}

// replay sorts rows in write order (rows without a sequence first, keeping
// their order) and decodes them into reference data.
func replay(rows []RefRow) (refdata.Data, error) {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b RefRow) int { return strings.Compare(a.Seq, b.Seq) })
	var d refdata.Data
	for _, r := range rows {
		if err := addRow(&d, r); err != nil {
			return refdata.Data{}, err
		}
	}
	return d, nil
}

// RefData returns the reference data in force: refdata.Default() with the
// rows stored in the table merged over it. The result is cached for the
// store's reference-data TTL.
func (s *Store) RefData(ctx context.Context) (*refdata.Set, error) {
	now := s.clk.Now()
	s.refMu.Lock()
	if s.refSet != nil && s.refTTL > 0 && now.Sub(s.refLoaded) < s.refTTL && !now.Before(s.refLoaded) {
		set := s.refSet
		s.refMu.Unlock()
		return set, nil
	}
	s.refMu.Unlock()
	stored, err := s.StoredRefData(ctx)
	if err != nil {
		return nil, err
	}
	set, err := refdata.Default().Merge(stored)
	if err != nil {
		return nil, fmt.Errorf("ledger: stored reference data does not merge over the defaults: %w", err)
	}
	s.refMu.Lock()
	s.refSet, s.refLoaded = set, now
	s.refMu.Unlock()
	return set, nil
}

// PutRefData stores reference data after checking that it merges over the
// defaults together with what is already stored. The rows of d are written
// after everything stored, in the order d lists them: a row replaces the
// stored row of the same natural key and, where periods overlap, wins over
// every row written before it. The check replays exactly the rows that will
// be stored, in that order, so what it approves is what RefData returns
// afterwards. Rows are written with Sync; a row stored unchanged keeps its
// place in the order, so storing the same data twice writes nothing.
//
// Concurrent PutRefData calls are not serialised: each one's rows follow
// what it read, and two writes at the same instant order by key.
func (s *Store) PutRefData(ctx context.Context, d refdata.Data) (SyncResult, error) {
	rows, err := RefRows(d)
	if err != nil {
		return SyncResult{}, err
	}
	stored, err := s.storedRefRows(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	byKey := make(map[table.Key]RefRow, len(stored))
	last := ""
	for _, r := range stored {
		byKey[r.Key()] = r
		last = max(last, r.Seq)
	}
	stamp := nextSeqTime(s.clk.Now(), last)
	written := make(map[table.Key]bool, len(rows))
	for i := range rows {
		k := rows[i].Key()
		if written[k] {
			return SyncResult{}, fmt.Errorf("ledger: reference row %s/%s: listed twice", rows[i].Kind, rows[i].Name)
		}
		written[k] = true
		if cur, ok := byKey[k]; ok && sameRow(cur, rows[i]) {
			rows[i].Seq = cur.Seq // unchanged: keeps its place
		} else {
			rows[i].Seq = fmt.Sprintf("%s#%09d", stamp, i)
		}
	}
	after := slices.DeleteFunc(stored, func(r RefRow) bool { return written[r.Key()] })
	after = append(after, rows...)
	merged, err := replay(after)
	if err != nil {
		return SyncResult{}, err
	}
	if _, err := refdata.Default().Merge(merged); err != nil {
		return SyncResult{}, err
	}
	recs := make([]Record, len(rows))
	for i, r := range rows {
		recs[i] = r
	}
	res, err := s.Put(ctx, recs...)
	s.refMu.Lock()
	s.refSet = nil
	s.refMu.Unlock()
	return res, err
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
