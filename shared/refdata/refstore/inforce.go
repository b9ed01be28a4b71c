package refstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/table"
)

// Entry is one entry of the reference data in force, with where it comes
// from.
type Entry struct {
	// Row is the entry as it is in force: its kind, natural key, source,
	// period and data (no sequence).
	Row
	// Stored is the stored row the entry comes from; nil for a built-in
	// default.
	Stored *Row
	// Cut is set for a contribution rate whose period a later entry
	// shortened or split: Row's period is part of its origin's.
	Cut bool
}

// InForce is the reference data in force (what Load returns) with each
// entry's origin.
type InForce struct {
	Set     *refdata.Set
	Entries []Entry // in the order of Rows: by kind, then the data's order
}

// InForce reads the stored rows (not cached) and returns the reference
// data in force with the origin of each entry.
func (s *Store) InForce(ctx context.Context) (InForce, error) {
	stored, err := s.storedRows(ctx)
	if err != nil {
		return InForce{}, err
	}
	d, err := replay(stored)
	if err != nil {
		return InForce{}, err
	}
	set, err := refdata.Default().Merge(d)
	if err != nil {
		return InForce{}, fmt.Errorf("refstore: stored reference data does not merge over the defaults: %w", err)
	}
	contrib, err := contributionOrigins(stored, d)
	if err != nil {
		return InForce{}, err
	}
	rows, err := Rows(set.Data())
	if err != nil {
		return InForce{}, err
	}
	byKey := make(map[table.Key]Row, len(stored))
	for _, r := range stored {
		byKey[r.Key()] = r
	}
	out := InForce{Set: set, Entries: make([]Entry, 0, len(rows))}
	for _, r := range rows {
		e := Entry{Row: r}
		if r.Kind == KindContributionRate {
			o, ok := contrib[r.Key()]
			if !ok {
				return InForce{}, fmt.Errorf("refstore: contribution rate %s: no origin", r.Name)
			}
			e.Stored, e.Cut = o.row, o.cut
		} else if st, ok := byKey[r.Key()]; ok {
			e.Stored = &st
		}
		out.Entries = append(out.Entries, e)
	}
	return out, nil
}

// origin is where a contribution rate in force comes from.
type origin struct {
	row *Row // the stored row; nil for a built-in default
	cut bool // its period was shortened or split
}

// tagPrefix marks the source of a contribution rate traced through Merge:
// no source in the data starts with a NUL.
const tagPrefix = "\x00origin:"

// contributionOrigins merges the stored contribution rates d (replayed
// from stored) over the defaults with each entry's source replaced by a
// tag, so that every period in force, cut or not, names the entry it comes
// from. The result is keyed by the row key of the period in force.
func contributionOrigins(stored []Row, d refdata.Data) (map[table.Key]origin, error) {
	type source struct {
		entry refdata.ContributionRate
		row   *Row
	}
	var sources []source
	tag := func(list []refdata.ContributionRate, rows []Row) []refdata.ContributionRate {
		out := slices.Clone(list)
		for i, c := range out {
			o := source{entry: c}
			if rows != nil {
				o.row = &rows[i]
			}
			out[i].Source = tagPrefix + strconv.Itoa(len(sources))
			sources = append(sources, o)
		}
		return out
	}
	base := refdata.Default().Data()
	base.ContributionRates = tag(base.ContributionRates, nil)
	// replay decodes the contribution rows in write order, one entry each.
	ordered := slices.Clone(stored)
	slices.SortStableFunc(ordered, func(a, b Row) int { return strings.Compare(a.Seq, b.Seq) })
	ordered = slices.DeleteFunc(ordered, func(r Row) bool { return r.Kind != KindContributionRate })
	if len(ordered) != len(d.ContributionRates) {
		return nil, fmt.Errorf("refstore: %d contribution rows decoded to %d entries", len(ordered), len(d.ContributionRates))
	}
	over := refdata.Data{ContributionRates: tag(d.ContributionRates, ordered)}
	tagged, err := refdata.New(base)
	if err == nil {
		tagged, err = tagged.Merge(over)
	}
	if err != nil {
		return nil, fmt.Errorf("refstore: trace contribution rates: %w", err)
	}
	out := map[table.Key]origin{}
	for _, c := range tagged.Data().ContributionRates {
		n, err := strconv.Atoi(strings.TrimPrefix(c.Source, tagPrefix))
		if err != nil || !strings.HasPrefix(c.Source, tagPrefix) || n >= len(sources) {
			return nil, fmt.Errorf("refstore: trace contribution rates: untagged source %q", c.Source)
		}
		o := sources[n]
		c.Source = o.entry.Source
		rows, err := Rows(refdata.Data{ContributionRates: []refdata.ContributionRate{c}})
		if err != nil {
			return nil, err
		}
		out[rows[0].Key()] = origin{row: o.row, cut: c.From != o.entry.From || c.To != o.entry.To}
	}
	return out, nil
}

// Replaces reports whether storing r changes an entry in force: one with
// r's natural key or, for a contribution rate, one of the same insured
// type whose period overlaps r's.
func (f InForce) Replaces(r Row) bool {
	for _, e := range f.Entries {
		if e.Kind != r.Kind {
			continue
		}
		if e.Name == r.Name {
			return true
		}
		if r.Kind == KindContributionRate && insuredOf(e.Row) == insuredOf(r) && overlap(e.From, e.To, r.From, r.To) {
			return true
		}
	}
	return false
}

// insuredOf is the insured type of a contribution-rate row.
func insuredOf(r Row) string {
	var c struct {
		Insured string `json:"insured"`
	}
	_ = json.Unmarshal([]byte(r.Data), &c)
	return c.Insured
}

// overlap reports whether two periods of YYYYMM text overlap ("" from:
// always, "" to: open).
func overlap(aFrom, aTo, bFrom, bTo string) bool {
	aEndsBefore := aTo != "" && aTo < bFrom
	bEndsBefore := bTo != "" && bTo < aFrom
	return !aEndsBefore && !bEndsBefore
}

// History is the versions of one entry of reference data.
type History struct {
	Default  *Row  // the built-in default of the same natural key, if any
	Versions []Row // every stored write of the entry, oldest first
}

// History returns the built-in default and the stored versions of the
// entry kind/name. A row stored before versions were kept is listed from
// the row itself, in its place by sequence.
func (s *Store) History(ctx context.Context, kind, name string) (History, error) {
	var h History
	if !table.ValidKeyPart(kind) || !table.ValidKeyPart(name) {
		return h, nil
	}
	defaults, err := Rows(refdata.Default().Data())
	if err != nil {
		return h, err
	}
	for _, r := range defaults {
		if r.Kind == kind && r.Name == name {
			h.Default = &r
			break
		}
	}
	q := table.Query{PK: pkHist, SK: table.SKCond{Op: table.SKBeginsWith, Value: kind + "#" + name + "#"}, Limit: 500}
	for {
		page, err := s.t.Query(ctx, q)
		if err != nil {
			return h, fmt.Errorf("refstore: read history: %w", err)
		}
		for _, it := range page.Items {
			h.Versions = append(h.Versions, decodeRow(it))
		}
		if page.Cursor == "" {
			break
		}
		q.Cursor = page.Cursor
	}
	it, err := s.t.Get(ctx, Row{Kind: kind, Name: name}.Key())
	switch {
	case err == nil:
		cur := decodeRow(it)
		if !slices.ContainsFunc(h.Versions, func(v Row) bool { return v.Seq == cur.Seq }) {
			h.Versions = append(h.Versions, cur)
		}
	case !errors.Is(err, table.ErrNotFound):
		return h, fmt.Errorf("refstore: read history: %w", err)
	}
	slices.SortStableFunc(h.Versions, func(a, b Row) int { return strings.Compare(a.Seq, b.Seq) })
	return h, nil
}
