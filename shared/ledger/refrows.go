package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
)

// RefRow is one entry of reference data stored in the table: a bookkeeping
// rate of a year, the contribution rates of a period, an average wage, a
// retirement rule, ... with its source and effective period. Stored rows are
// merged over the embedded defaults of refdata (refdata.Set.Merge): an
// imported correction wins over the default for the same natural key.
type RefRow struct {
	Kind   string // bookkeeping_rate, rate_order, insured_type, contribution_rate, average_wage, retirement_rule, refund_scope, refund_reason
	Name   string // natural key within the kind: "2021", "employee#202101", "pre-2025"
	Source string
	From   string // effective from (YYYYMM or YYYY-MM-DD); "" = always
	To     string // effective to, inclusive; "" = open
	Data   string // the refdata entry as JSON
}

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
	return it, nil
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
		var v refdata.BookkeepingRate
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.BookkeepingRates = append(d.BookkeepingRates, v)
		}
	case RefRateOrder:
		var v refdata.RateOrder
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.RateOrders = append(d.RateOrders, v)
		}
	case RefInsuredType:
		var v refdata.InsuredType
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.InsuredTypes = append(d.InsuredTypes, v)
		}
	case RefContributionRate:
		var v refdata.ContributionRate
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.ContributionRates = append(d.ContributionRates, v)
		}
	case RefAverageWage:
		var v refdata.AverageWage
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.AverageWages = append(d.AverageWages, v)
		}
	case RefRetirementRule:
		var v refdata.RetirementRule
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.RetirementRules = append(d.RetirementRules, v)
		}
	case RefRefundScope:
		var v refdata.RefundScope
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.RefundScopes = append(d.RefundScopes, v)
		}
	case RefRefundReason:
		var v refdata.RefundReason
		if err = json.Unmarshal([]byte(r.Data), &v); err == nil {
			d.RefundReasons = append(d.RefundReasons, v)
		}
	default:
		return fmt.Errorf("ledger: reference row %s/%s: unknown kind", r.Kind, r.Name)
	}
	if err != nil {
		return fmt.Errorf("ledger: reference row %s/%s: %w", r.Kind, r.Name, err)
	}
	return nil
}

// StoredRefData returns the reference data stored in the table (without
// the embedded defaults).
func (s *Store) StoredRefData(ctx context.Context) (refdata.Data, error) {
	items, err := s.queryAll(ctx, table.Query{PK: pkRefData})
	if err != nil {
		return refdata.Data{}, fmt.Errorf("ledger: reference data: %w", err)
	}
	var d refdata.Data
	for _, it := range items {
		r := RefRow{Kind: it.String("Kind"), Name: it.String("Name"), Source: it.String("Source"),
			From: it.String("From"), To: it.String("To"), Data: it.String("Data")}
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
// defaults together with what is already stored. Rows are written with
// Sync, so storing the same data twice writes nothing.
func (s *Store) PutRefData(ctx context.Context, d refdata.Data) (SyncResult, error) {
	stored, err := s.StoredRefData(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	base, err := refdata.Default().Merge(stored)
	if err != nil {
		return SyncResult{}, fmt.Errorf("ledger: stored reference data does not merge over the defaults: %w", err)
	}
	if _, err := base.Merge(d); err != nil {
		return SyncResult{}, err
	}
	rows, err := RefRows(d)
	if err != nil {
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
