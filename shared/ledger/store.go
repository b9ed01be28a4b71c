package ledger

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/table"
)

// Store reads and writes the ledger in the table. It is safe for concurrent
// use.
type Store struct {
	t     table.Store
	clk   clock.Clock
	idKey []byte
}

// Option configures a Store.
type Option func(*Store)

// WithIDHashKey sets the HMAC key of the ID-number index (see
// DefaultIDHashKey).
func WithIDHashKey(key []byte) Option {
	return func(s *Store) {
		if len(key) > 0 {
			s.idKey = append([]byte(nil), key...)
		}
	}
}

// NewStore returns the ledger store on t.
func NewStore(t table.Store, clk clock.Clock, opts ...Option) *Store {
	s := &Store{t: t, clk: clk, idKey: DefaultIDHashKey}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Table returns the underlying table (for markers written with a batch).
func (s *Store) Table() table.Store { return s.t }

// Clock returns the store's clock.
func (s *Store) Clock() clock.Clock { return s.clk }

// Today is the calendar date of the store's clock in Asia/Shanghai.
func (s *Store) Today() calc.Date { return calc.DateOf(s.clk.Now().In(clock.Shanghai)) }

// Sync writes the records that are absent or differ from what is stored, in
// one transaction together with the extra operations (a marker, say): all
// or nothing (table.Sync). Running the same Sync twice writes nothing the
// second time. More than table.MaxTransactItems records and operations is
// table.ErrTooMany; a failing extra operation wraps a
// *table.TxCanceledError whose Key is that operation's.
func (s *Store) Sync(ctx context.Context, recs []Record, extra ...table.Op) (table.SyncResult, error) {
	items := make([]table.Item, len(recs))
	seen := make(map[table.Key]bool, len(recs))
	for i, r := range recs {
		it, err := r.encode(s.idKey)
		if err != nil {
			return table.SyncResult{}, err
		}
		if seen[it.Key()] {
			return table.SyncResult{}, fmt.Errorf("ledger: sync: a %s item twice in one batch", typeName(it))
		}
		seen[it.Key()] = true
		items[i] = it
	}
	res, err := table.Sync(ctx, s.t, items, extra...)
	if err != nil {
		return table.SyncResult{}, fmt.Errorf("ledger: %w", err)
	}
	return res, nil
}

// Changes are the writes of one decision on the ledger: records as they
// were read (Version set) and changed, new records (Version 0), records to
// delete (as read), and operations of the caller's own to run in the same
// transaction.
type Changes struct {
	Put    []Record
	Delete []Record
	Extra  []table.Op
}

// ErrChanged is returned by Write when a record changed (or appeared, or
// went) since it was read: read again and decide again.
var ErrChanged = errors.New("ledger: a record changed since it was read")

// Write writes c in one transaction, each record under the version it was
// read with (a new record only if absent, a deleted one only if
// unchanged), so that a decision computed from what it read is applied
// only to exactly that. A record put unchanged is left out. More than
// table.MaxTransactItems operations is table.ErrTooMany. A failed
// condition of a record is ErrChanged; a failed condition of an extra
// operation wraps a *table.TxCanceledError whose Key is that operation's.
func (s *Store) Write(ctx context.Context, c Changes) error {
	ops := make([]table.Op, 0, len(c.Put)+len(c.Delete)+len(c.Extra))
	for _, r := range c.Put {
		it, err := r.encode(s.idKey)
		if err != nil {
			return err
		}
		v := r.version()
		if v == 0 {
			it[table.AttrVersion] = int64(1)
			ops = append(ops, table.Put(it, table.IfAbsent()))
			continue
		}
		it[table.AttrVersion] = v + 1
		ops = append(ops, table.Put(it, table.IfVersion(v)))
	}
	for _, r := range c.Delete {
		ops = append(ops, table.Delete(r.Key(), table.IfVersion(r.version())))
	}
	records := len(ops)
	ops = append(ops, c.Extra...)
	if len(ops) == 0 {
		return nil
	}
	if len(ops) > table.MaxTransactItems {
		return table.ErrTooMany
	}
	err := s.t.TransactWrite(ctx, ops)
	var tx *table.TxCanceledError
	if errors.As(err, &tx) && tx.Index < records {
		return ErrChanged
	}
	if err != nil {
		return fmt.Errorf("ledger: write: %w", err)
	}
	return nil
}

// Wages returns a unit's wage declaration of year (table.ErrNotFound when
// none).
func (s *Store) Wages(ctx context.Context, unit string, year int) (WageDeclaration, error) {
	if !validKeyPart(unit) {
		return WageDeclaration{}, table.ErrNotFound
	}
	it, err := s.t.Get(ctx, WageKey(unit, year))
	if err != nil {
		return WageDeclaration{}, err
	}
	return decodeWages(it)
}

// Put writes records with Sync, in batches of table.MaxTransactItems. It
// is not atomic across batches; rerunning it after a failure completes it.
func (s *Store) Put(ctx context.Context, recs ...Record) (table.SyncResult, error) {
	var total table.SyncResult
	for len(recs) > 0 {
		n := min(len(recs), table.MaxTransactItems)
		r, err := s.Sync(ctx, recs[:n])
		if err != nil {
			return total, err
		}
		total.Add(r)
		recs = recs[n:]
	}
	return total, nil
}

// NotFound messages.
const (
	msgPersonNotFound = "未找到该人员的参保信息，请核对人员编号"
	msgIDNotFound     = "未找到该社会保障号对应的参保人员，请核对后重试"
	msgUnitNotFound   = "未找到该单位的参保信息，请核对单位编号"
)

// Person returns the person with 人员编号 number, or an *apperr.Error with
// code NotFound.
func (s *Store) Person(ctx context.Context, number string) (Person, error) {
	return getProfile(ctx, s, number, PersonKey, decodePerson, "person", msgPersonNotFound)
}

// PersonByIDNumber finds a person by 社会保障号 through the hashed index.
func (s *Store) PersonByIDNumber(ctx context.Context, id string) (Person, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	if id == "" {
		return Person{}, apperr.E(apperr.NotFound, msgIDNotFound)
	}
	page, err := s.t.Query(ctx, table.Query{Index: table.GSI1, PK: gsiIDHash + idHash(s.idKey, id), Limit: 10})
	if err != nil {
		return Person{}, fmt.Errorf("ledger: person by id: %w", err)
	}
	for _, it := range page.Items {
		p, err := decodePerson(it)
		if err != nil {
			return Person{}, err
		}
		if strings.EqualFold(p.IDNumber, id) {
			return p, nil
		}
	}
	return Person{}, apperr.E(apperr.NotFound, msgIDNotFound)
}

// Unit returns the unit with 单位编号 number, or an *apperr.Error with code
// NotFound.
func (s *Store) Unit(ctx context.Context, number string) (Unit, error) {
	return getProfile(ctx, s, number, UnitKey, decodeUnit, "unit", msgUnitNotFound)
}

// getProfile reads the profile item of a person or unit by its number; an
// unusable number and an absent item are both NotFound with notFound.
func getProfile[T any](ctx context.Context, s *Store, number string, key func(string) table.Key,
	decode func(table.Item) (T, error), what, notFound string) (T, error) {
	var zero T
	if !validKeyPart(number) {
		return zero, apperr.E(apperr.NotFound, notFound)
	}
	it, err := s.t.Get(ctx, key(number))
	if errors.Is(err, table.ErrNotFound) {
		return zero, apperr.E(apperr.NotFound, notFound)
	}
	if err != nil {
		return zero, fmt.Errorf("ledger: get %s: %w", what, err)
	}
	return decode(it)
}

// UnitByCreditCode finds a unit by 统一社会信用代码.
func (s *Store) UnitByCreditCode(ctx context.Context, code string) (Unit, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !validKeyPart(code) {
		return Unit{}, apperr.E(apperr.NotFound, msgUnitNotFound)
	}
	page, err := s.t.Query(ctx, table.Query{Index: table.GSI1, PK: gsiUSCC + code, Limit: 10})
	if err != nil {
		return Unit{}, fmt.Errorf("ledger: unit by credit code: %w", err)
	}
	if len(page.Items) == 0 {
		return Unit{}, apperr.E(apperr.NotFound, msgUnitNotFound)
	}
	return decodeUnit(page.Items[0])
}

// Dossier is everything the ledger holds about one person.
type Dossier struct {
	Person        Person
	Spells        []Spell        // by unit, then start
	Contributions []Contribution // by period, unit, kind
	Grades        []Grade        // by year
	Benefits      []Benefit
	Payments      []Payment // payable items of approved applications
}

// UnitNumbers returns the units of the person's spells and contributions,
// in order of first appearance by period.
func (d Dossier) UnitNumbers() []string {
	var out []string
	spells := slices.Clone(d.Spells)
	slices.SortStableFunc(spells, func(a, b Spell) int { return a.From.Compare(b.From) })
	for _, sp := range spells {
		if !slices.Contains(out, sp.UnitNumber) {
			out = append(out, sp.UnitNumber)
		}
	}
	for _, c := range d.Contributions {
		if !slices.Contains(out, c.UnitNumber) {
			out = append(out, c.UnitNumber)
		}
	}
	return out
}

// Grade returns the person's grade of year.
func (d Dossier) Grade(year int) (Grade, bool) {
	for _, g := range d.Grades {
		if g.Year == year {
			return g, true
		}
	}
	return Grade{}, false
}

// queryAll returns every item of a query, following cursors.
func (s *Store) queryAll(ctx context.Context, q table.Query) ([]table.Item, error) {
	var out []table.Item
	if q.Limit == 0 {
		q.Limit = 500
	}
	for {
		page, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Cursor == "" {
			return out, nil
		}
		q.Cursor = page.Cursor
	}
}

// Dossier reads a person's partition in one query (paged): profile,
// spells, contributions, grades and benefits. An unknown person is an
// *apperr.Error with code NotFound.
func (s *Store) Dossier(ctx context.Context, number string) (Dossier, error) {
	if !validKeyPart(number) {
		return Dossier{}, apperr.E(apperr.NotFound, msgPersonNotFound)
	}
	items, err := s.queryAll(ctx, table.Query{PK: pkPerson + number})
	if err != nil {
		return Dossier{}, fmt.Errorf("ledger: dossier: %w", err)
	}
	d := Dossier{Contributions: make([]Contribution, 0, len(items))}
	found := false
	for _, it := range items {
		rec, ok, err := decodeRecord(it)
		if err != nil {
			return Dossier{}, err
		}
		if !ok {
			continue
		}
		switch r := rec.(type) {
		case Person:
			d.Person, found = r, true
		case Spell:
			d.Spells = append(d.Spells, r)
		case Contribution:
			d.Contributions = append(d.Contributions, r)
		case Grade:
			d.Grades = append(d.Grades, r)
		case Benefit:
			d.Benefits = append(d.Benefits, r)
		case Payment:
			d.Payments = append(d.Payments, r)
		}
	}
	if !found {
		return Dossier{}, apperr.E(apperr.NotFound, msgPersonNotFound)
	}
	return d, nil
}

// Contributions returns a person's contribution rows of from..to inclusive
// (a zero bound is open), by period, unit and kind.
func (s *Store) Contributions(ctx context.Context, person string, from, to calc.YearMonth) ([]Contribution, error) {
	if !validKeyPart(person) {
		return nil, apperr.E(apperr.NotFound, msgPersonNotFound)
	}
	lo, hi := skContrib, skContrib+"~"
	if !from.IsZero() {
		lo = skContrib + from.String()
	}
	if !to.IsZero() {
		hi = skContrib + to.String() + "$"
	}
	items, err := s.queryAll(ctx, table.Query{PK: pkPerson + person, SK: table.SKCond{Op: table.SKBetween, Value: lo, Value2: hi}})
	if err != nil {
		return nil, fmt.Errorf("ledger: contributions: %w", err)
	}
	return decodeAll(items, decodeContribution)
}

// UnitStaff returns the employment spells of a unit, by person and start.
func (s *Store) UnitStaff(ctx context.Context, unit string) ([]Spell, error) {
	if !validKeyPart(unit) {
		return nil, apperr.E(apperr.NotFound, msgUnitNotFound)
	}
	items, err := s.queryAll(ctx, table.Query{Index: table.GSI1, PK: unitStaffPK(unit)})
	if err != nil {
		return nil, fmt.Errorf("ledger: unit staff: %w", err)
	}
	return decodeAll(items, decodeSpell)
}

// UnitContributions returns a unit's contribution rows of from..to
// inclusive (a zero bound is open), by period, person and kind.
func (s *Store) UnitContributions(ctx context.Context, unit string, from, to calc.YearMonth) ([]Contribution, error) {
	if !validKeyPart(unit) {
		return nil, apperr.E(apperr.NotFound, msgUnitNotFound)
	}
	lo, hi := "0", "~"
	if !from.IsZero() {
		lo = from.String()
	}
	if !to.IsZero() {
		hi = to.String() + "$"
	}
	items, err := s.queryAll(ctx, table.Query{Index: table.GSI2, PK: unitContribPK(unit), SK: table.SKCond{Op: table.SKBetween, Value: lo, Value2: hi}})
	if err != nil {
		return nil, fmt.Errorf("ledger: unit contributions: %w", err)
	}
	out, err := decodeAll(items, decodeContribution)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Contribution) int {
		if c := a.Period.Compare(b.Period); c != 0 {
			return c
		}
		return cmp.Compare(a.PersonNumber, b.PersonNumber)
	})
	return out, nil
}

// Lookup returns the record stored under k, decoded: a Person, Unit,
// Spell, Contribution, Grade or Benefit (with its Version). ok is false when
// nothing is stored there. The ledger's own errors never name the key (a
// store failure is wrapped as the table adapter reports it).
func (s *Store) Lookup(ctx context.Context, k table.Key) (rec Record, ok bool, err error) {
	it, err := s.t.Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("ledger: lookup: %w", err)
	}
	rec, ok, err = decodeRecord(it)
	if err == nil && !ok {
		err = fmt.Errorf("ledger: lookup: a %s item is not a record", typeName(it))
	}
	if err != nil {
		return nil, false, err
	}
	return rec, true, nil
}

// Markers returns the seed and import markers, by name.
func (s *Store) Markers(ctx context.Context) ([]table.Item, error) {
	items, err := s.queryAll(ctx, table.Query{PK: pkMeta})
	if err != nil {
		return nil, fmt.Errorf("ledger: markers: %w", err)
	}
	return items, nil
}

// decodeAll decodes every item with decode, stopping at the first error.
func decodeAll[T any](items []table.Item, decode func(table.Item) (T, error)) ([]T, error) {
	out := make([]T, 0, len(items))
	for _, it := range items {
		v, err := decode(it)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Number series of new records.
const (
	SeriesPerson = "PERSON" // 人员编号 of persons enrolled through the portal (5.11)
	SeriesUnit   = "UNIT"   // 单位编号 of units registered through the portal (5.9)
)

// numberDigits is the width of a series' sequence; numberSkips bounds the
// numbers tried past the counter (taken by imported records).
const (
	numberDigits = 5
	numberMax    = 99999
	numberSkips  = 20
)

// NextNumber returns the first number prefix+NNNNN of a series (SeriesPerson
// or SeriesUnit) that no record has, from the series' counter
// (LEDGER#META / SEQ#<series>#<prefix>), and the write that moves the
// counter past it under the version it was read with. Put that write in
// the same transaction as the new record (written only if absent), so that
// two decisions applied at once cannot take the same number: the second
// transaction fails and its decision is computed again. ok is false when
// the series is exhausted.
func (s *Store) NextNumber(ctx context.Context, series, prefix string) (number string, counter table.Op, ok bool, err error) {
	if (series != SeriesPerson && series != SeriesUnit) || !validKeyPart(prefix) {
		return "", table.Op{}, false, fmt.Errorf("ledger: next number: bad series %q or prefix", series)
	}
	k := MarkerKey("SEQ#" + series + "#" + prefix)
	next, ver := int64(1), int64(0)
	it, err := s.t.Get(ctx, k)
	switch {
	case err == nil:
		next, ver = it.Int("Next"), it.Int(table.AttrVersion)
	case !errors.Is(err, table.ErrNotFound):
		return "", table.Op{}, false, fmt.Errorf("ledger: number counter: %w", err)
	}
	key := PersonKey
	if series == SeriesUnit {
		key = UnitKey
	}
	for range numberSkips {
		if next > numberMax {
			break
		}
		n := fmt.Sprintf("%s%0*d", prefix, numberDigits, next)
		if _, err := s.t.Get(ctx, key(n)); errors.Is(err, table.ErrNotFound) {
			item := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "sequence", "Next": next + 1, table.AttrVersion: ver + 1}
			cond := table.IfVersion(ver)
			if ver == 0 {
				cond = table.IfAbsent()
			}
			return n, table.Put(item, cond), true, nil
		} else if err != nil {
			return "", table.Op{}, false, fmt.Errorf("ledger: next number: %w", err)
		}
		next++
	}
	return "", table.Op{}, false, nil
}

// Owes is one party with its due, unpaid rows (Store.Owing).
type Owes struct {
	Party string // 人员编号 (OwingFlexible) or 单位编号 (OwingUnit)
	Rows  []Contribution
}

// Due is the sum of the rows' Due.
func (o Owes) Due() Fen {
	var f Fen
	for _, c := range o.Rows {
		f += c.Due()
	}
	return f
}

// Owing returns up to limit parties of kind that owe, in party order,
// after the party after ("" from the first), each with all its rows, and
// the party to continue after ("" at the end). One GSI1 partition of the
// due rows, read in pages; a party is never split between two answers.
func (s *Store) Owing(ctx context.Context, kind OwingKind, after string, limit int) ([]Owes, string, error) {
	if limit < 1 {
		limit = 100
	}
	q := table.Query{Index: table.GSI1, PK: gsiOwing + string(kind), Limit: 500}
	if after != "" {
		q.SK = table.SKCond{Op: table.SKGt, Value: after + "#~"}
	}
	var out []Owes
	for {
		page, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, "", fmt.Errorf("ledger: owing: %w", err)
		}
		for _, it := range page.Items {
			c, err := decodeContribution(it)
			if err != nil {
				return nil, "", err
			}
			_, party := c.Owing()
			if n := len(out); n == 0 || out[n-1].Party != party {
				if n == limit {
					return out, out[n-1].Party, nil
				}
				out = append(out, Owes{Party: party})
			}
			out[len(out)-1].Rows = append(out[len(out)-1].Rows, c)
		}
		if page.Cursor == "" {
			return out, "", nil
		}
		q.Cursor = page.Cursor
	}
}

// CertificationDue returns a page of the benefits being paid whose
// certification month is month (GSI1), and the cursor of the next page.
func (s *Store) CertificationDue(ctx context.Context, month time.Month, cursor string) ([]Benefit, string, error) {
	p, err := s.t.Query(ctx, table.Query{Index: table.GSI1, PK: gsiCertMonth + fmt.Sprintf("%02d", int(month)), Limit: 100, Cursor: cursor})
	if err != nil {
		return nil, "", fmt.Errorf("ledger: certification due: %w", err)
	}
	out, err := decodeAll(p.Items, decodeBenefit)
	if err != nil {
		return nil, "", err
	}
	return out, p.Cursor, nil
}
