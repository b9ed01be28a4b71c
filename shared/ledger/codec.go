package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/table"
)

// Record is a ledger record the store can write: Person, Unit, Spell,
// Contribution, Grade or Benefit.
type Record interface {
	// Key is the record's table key, derived from its natural key.
	Key() table.Key
	encode(idKey []byte) (table.Item, error)
	version() int64
}

var (
	_ Record = Person{}
	_ Record = Unit{}
	_ Record = Spell{}
	_ Record = Contribution{}
	_ Record = Grade{}
	_ Record = Benefit{}
	_ Record = Payment{}
	_ Record = WageDeclaration{}
)

// Item type tags (attribute T).
const (
	typePerson  = "person"
	typeUnit    = "unit"
	typeSpell   = "spell"
	typeContrib = "contribution"
	typeGrade   = "grade"
	typeBenefit = "benefit"
	typePayment = "payment"
	typeWages   = "wages"
)

// Key returns the person's key.
func (p Person) Key() table.Key { return PersonKey(p.Number) }

// Key returns the unit's key.
func (u Unit) Key() table.Key { return UnitKey(u.Number) }

// Key returns the spell's key.
func (s Spell) Key() table.Key { return SpellKey(s.PersonNumber, s.UnitNumber, s.From) }

// Key returns the row's key.
func (c Contribution) Key() table.Key {
	return ContributionKey(c.PersonNumber, c.Period, c.UnitNumber, c.Kind)
}

// Key returns the grade's key.
func (g Grade) Key() table.Key { return GradeKey(g.PersonNumber, g.Year) }

// Key returns the benefit's key.
func (b Benefit) Key() table.Key { return BenefitKey(b.PersonNumber, b.Kind, b.Ref) }

// Key returns the payment's key.
func (p Payment) Key() table.Key { return PaymentKey(p.PersonNumber, p.Ref) }

// Key returns the declaration's key.
func (w WageDeclaration) Key() table.Key { return WageKey(w.UnitNumber, w.Year) }

// version returns the version the record was read with (0: new).
func (p Person) version() int64          { return p.Version }
func (u Unit) version() int64            { return u.Version }
func (s Spell) version() int64           { return s.Version }
func (c Contribution) version() int64    { return c.Version }
func (g Grade) version() int64           { return g.Version }
func (b Benefit) version() int64         { return b.Version }
func (p Payment) version() int64         { return p.Version }
func (w WageDeclaration) version() int64 { return w.Version }

// setInfo stores an attribute map as JSON (absent when empty).
func setInfo(it table.Item, name string, m map[string]string) {
	if len(m) > 0 {
		b, _ := json.Marshal(m)
		it[name] = string(b)
	}
}

// info reads an attribute map stored by setInfo.
func (d *decoder) info(name string) map[string]string {
	s := d.it.String(name)
	if s == "" {
		return nil
	}
	var m map[string]string
	if json.Unmarshal([]byte(s), &m) != nil {
		d.fail(name, "a JSON object of strings")
	}
	return m
}

// item starts an item with the key and the type tag.
func item(k table.Key, typ string) table.Item {
	return table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": typ}
}

// setStr sets a string attribute unless it is empty, so that decoding the
// item gives back the record exactly.
func setStr(it table.Item, name, v string) {
	if v != "" {
		it[name] = v
	}
}

func setRate(it table.Item, name string, r decimal.NullDecimal) {
	if r.Valid {
		it[name] = r.Decimal.String()
	}
}

func (p Person) encode(idKey []byte) (table.Item, error) {
	if !validKeyPart(p.Number) || strings.TrimSpace(p.IDNumber) == "" || strings.TrimSpace(p.Name) == "" {
		return nil, errors.New("ledger: person: 人员编号, 社会保障号 and 姓名 are required")
	}
	it := item(p.Key(), typePerson)
	it[table.AttrGSI1PK] = gsiIDHash + idHash(idKey, p.IDNumber)
	it[table.AttrGSI1SK] = "PERSON#" + p.Number
	it["Number"] = p.Number
	it["IDNumber"] = p.IDNumber
	it["Name"] = p.Name
	setStr(it, "Gender", string(p.Gender))
	setStr(it, "BirthDate", p.BirthDate.String())
	setStr(it, "Identity", string(p.Identity))
	setStr(it, "InsuredType", p.InsuredType)
	setStr(it, "Status", p.Status)
	setStr(it, "FirstInsured", p.FirstInsured.String())
	setStr(it, "WorkStart", p.WorkStart.String())
	it["AcctBalance"] = int64(p.Account.Balance)
	it["AcctPrincipal"] = int64(p.Account.Principal)
	it["AcctInterest"] = int64(p.Account.Interest)
	setStr(it, "AcctReason", p.Account.Reason)
	it["DeemedMonths"] = int64(p.DeemedMonths)
	setStr(it, "StatusFrom", p.StatusFrom.String())
	setStr(it, "Retired", p.Retired.String())
	setInfo(it, "Info", p.Info)
	return it, nil
}

func (u Unit) encode([]byte) (table.Item, error) {
	if !validKeyPart(u.Number) || strings.TrimSpace(u.Name) == "" {
		return nil, errors.New("ledger: unit: 单位编号 and 单位名称 are required")
	}
	it := item(u.Key(), typeUnit)
	if u.CreditCode != "" {
		if !validKeyPart(u.CreditCode) {
			return nil, errors.New("ledger: unit: bad credit code")
		}
		it[table.AttrGSI1PK] = gsiUSCC + u.CreditCode
		it[table.AttrGSI1SK] = "UNIT#" + u.Number
	}
	it["Number"] = u.Number
	setStr(it, "CreditCode", u.CreditCode)
	it["Name"] = u.Name
	setStr(it, "UnitType", u.Type)
	setStr(it, "PoolingArea", u.PoolingArea)
	setStr(it, "Status", u.Status)
	setInfo(it, "Info", u.Info)
	return it, nil
}

func (s Spell) encode([]byte) (table.Item, error) {
	if !validKeyPart(s.PersonNumber) || !validKeyPart(s.UnitNumber) || !s.From.Valid() ||
		(!s.To.IsZero() && (!s.To.Valid() || s.To.Before(s.From))) {
		return nil, errors.New("ledger: spell: needs person, unit and a period from..to")
	}
	it := item(s.Key(), typeSpell)
	it[table.AttrGSI1PK] = unitStaffPK(s.UnitNumber)
	it[table.AttrGSI1SK] = s.PersonNumber + "#" + s.From.String()
	it["Person"] = s.PersonNumber
	it["Unit"] = s.UnitNumber
	it["From"] = s.From.String()
	setStr(it, "To", s.To.String())
	setStr(it, "RelationID", s.RelationID)
	setStr(it, "EmploymentForm", s.EmploymentForm)
	if s.Base != 0 {
		it["Base"] = int64(s.Base)
	}
	setStr(it, "Status", s.Status)
	return it, nil
}

// partPrefixes are the attribute prefixes of the parts of a contribution
// item, indexed by calc.PartKind.
var partPrefixes = [calc.NumParts]string{calc.Unit: "U", calc.UnitToAccount: "UA", calc.Personal: "P", calc.PersonalToAccount: "PA"}

func (c Contribution) encode([]byte) (table.Item, error) {
	if !validKeyPart(c.PersonNumber) || !validKeyPart(c.UnitNumber) || !c.Period.Valid() || !c.Kind.Valid() || !c.Status.Valid() {
		return nil, errors.New("ledger: contribution: needs person, unit, period, a known kind and status")
	}
	it := item(c.Key(), typeContrib)
	it[table.AttrGSI2PK] = unitContribPK(c.UnitNumber)
	it[table.AttrGSI2SK] = c.Period.String() + "#" + c.PersonNumber + "#" + string(c.Kind)
	if owes, party := c.Owing(); owes != "" {
		it[table.AttrGSI1PK] = gsiOwing + string(owes)
		it[table.AttrGSI1SK] = party + "#" + c.Period.String() + "#" + c.PersonNumber + "#" + c.UnitNumber + "#" + string(c.Kind)
	}
	it["Person"] = c.PersonNumber
	it["Unit"] = c.UnitNumber
	it["Period"] = c.Period.String()
	it["Kind"] = string(c.Kind)
	setStr(it, "Insured", c.Insured)
	it["Status"] = string(c.Status)
	it["Base"] = int64(c.Base)
	for k, p := range c.Parts {
		prefix := partPrefixes[k]
		setRate(it, prefix+"Rate", p.Rate)
		it[prefix+"Amt"] = int64(p.Amount)
		it[prefix+"Int"] = int64(p.Interest)
	}
	setStr(it, "PaidDate", c.PaidDate.String())
	setStr(it, "PaymentRef", c.PaymentRef)
	if c.Payable != 0 {
		it["Payable"] = int64(c.Payable)
	}
	if c.Refund != 0 {
		it["Refund"] = int64(c.Refund)
	}
	return it, nil
}

func (g Grade) encode([]byte) (table.Item, error) {
	if !validKeyPart(g.PersonNumber) || g.Year < 1900 || g.Year > 9999 || !g.Ratio.IsPositive() || g.Base <= 0 {
		return nil, errors.New("ledger: grade: needs person, year, ratio and base")
	}
	it := item(g.Key(), typeGrade)
	it["Person"] = g.PersonNumber
	it["Year"] = int64(g.Year)
	it["Ratio"] = g.Ratio.String()
	it["Base"] = int64(g.Base)
	return it, nil
}

func (b Benefit) encode([]byte) (table.Item, error) {
	if !validKeyPart(b.PersonNumber) || (b.Kind != BenefitRetiree && b.Kind != BenefitSurvivor) ||
		(b.Ref != "" && !validKeyPart(b.Ref)) || (b.Kind == BenefitSurvivor && b.Ref == "") {
		return nil, errors.New("ledger: benefit: needs person, kind (and the deceased for a survivor)")
	}
	it := item(b.Key(), typeBenefit)
	it["Person"] = b.PersonNumber
	it["Kind"] = string(b.Kind)
	setStr(it, "Ref", b.Ref)
	setStr(it, "Status", b.Status)
	it["Monthly"] = int64(b.Monthly)
	setStr(it, "Start", b.Start.String())
	setStr(it, "BankName", b.Payment.BankName)
	setStr(it, "AccountName", b.Payment.AccountName)
	setStr(it, "AccountNumber", b.Payment.AccountNumber)
	setStr(it, "StatusFrom", b.StatusFrom.String())
	if b.Certified != 0 {
		it["Certified"] = int64(b.Certified)
	}
	setInfo(it, "Info", b.Info)
	if m, ok := b.CertificationMonth(); ok {
		it[table.AttrGSI1PK] = gsiCertMonth + fmt.Sprintf("%02d", int(m))
		it[table.AttrGSI1SK] = b.PersonNumber + "#" + string(b.Kind) + "#" + b.Ref
	}
	return it, nil
}

func (p Payment) encode([]byte) (table.Item, error) {
	if !validKeyPart(p.PersonNumber) || !validKeyPart(p.Ref) || p.Kind == "" {
		return nil, errors.New("ledger: payment: needs person, reference and kind")
	}
	it := item(p.Key(), typePayment)
	it["Person"] = p.PersonNumber
	it["Ref"] = p.Ref
	it["Kind"] = p.Kind
	it["Amount"] = int64(p.Amount)
	if len(p.Periods) > 0 {
		it["Periods"] = strings.Join(p.Periods, ",")
	}
	setStr(it, "Status", p.Status)
	setStr(it, "Application", p.Application)
	setStr(it, "Created", p.Created.String())
	return it, nil
}

func (w WageDeclaration) encode([]byte) (table.Item, error) {
	if !validKeyPart(w.UnitNumber) || w.Year < 1900 || w.Year > 9999 {
		return nil, errors.New("ledger: wages: needs unit and year")
	}
	it := item(w.Key(), typeWages)
	it["Unit"] = w.UnitNumber
	it["Year"] = int64(w.Year)
	rows, err := json.Marshal(w.Rows)
	if err != nil {
		return nil, err
	}
	it["Rows"] = string(rows)
	setStr(it, "Application", w.Application)
	return it, nil
}

// decodeRecord decodes an item by its type tag: the one place that maps a
// tag to its record type. ok is false for an item that is no record (a
// marker, reference data).
func decodeRecord(it table.Item) (rec Record, ok bool, err error) {
	switch it.String("T") {
	case typePerson:
		rec, err = decodePerson(it)
	case typeUnit:
		rec, err = decodeUnit(it)
	case typeSpell:
		rec, err = decodeSpell(it)
	case typeContrib:
		rec, err = decodeContribution(it)
	case typeGrade:
		rec, err = decodeGrade(it)
	case typeBenefit:
		rec, err = decodeBenefit(it)
	case typePayment:
		rec, err = decodePayment(it)
	case typeWages:
		rec, err = decodeWages(it)
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return rec, true, nil
}

// Errors of this file name the record or item type and the attribute,
// never a key or a value: keys hold 人员编号, values birth dates, and the
// errors reach the logs (a 5xx).

// decoder reads attributes of one item and remembers the first error.
type decoder struct {
	it  table.Item
	err error
}

// fail records that attribute name does not hold what it should.
func (d *decoder) fail(name, want string) {
	if d.err == nil {
		d.err = badAttr(d.it, name, want)
	}
}

// badAttr is the error of an attribute that does not decode: the item's
// type tag and the attribute's name only.
func badAttr(it table.Item, name, want string) error {
	return fmt.Errorf("ledger: %s item: %s is not %s", typeName(it), name, want)
}

// typeName is the item's type tag, for messages.
func typeName(it table.Item) string {
	if t := it.String("T"); t != "" && validKeyPart(t) && len(t) <= 16 {
		return t
	}
	return "untyped"
}

func (d *decoder) str(name string) string { return d.it.String(name) }

func (d *decoder) fen(name string) Fen { return Fen(d.it.Int(name)) }

func (d *decoder) ym(name string) calc.YearMonth {
	s := d.it.String(name)
	if s == "" {
		return calc.YearMonth{}
	}
	v, err := calc.ParseYearMonth(s)
	if err != nil {
		d.fail(name, "a month (YYYYMM)")
	}
	return v
}

func (d *decoder) date(name string) calc.Date {
	s := d.it.String(name)
	if s == "" {
		return calc.Date{}
	}
	v, err := calc.ParseDate(s)
	if err != nil {
		d.fail(name, "a date (YYYY-MM-DD)")
	}
	return v
}

func (d *decoder) rate(name string) decimal.NullDecimal {
	s := d.it.String(name)
	if s == "" {
		return decimal.NullDecimal{}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		d.fail(name, "a decimal")
	}
	return decimal.NullDecimal{Decimal: v, Valid: err == nil}
}

func decodePerson(it table.Item) (Person, error) {
	d := decoder{it: it}
	p := Person{
		Number:       d.str("Number"),
		IDNumber:     d.str("IDNumber"),
		Name:         d.str("Name"),
		Gender:       calc.Gender(d.str("Gender")),
		BirthDate:    d.date("BirthDate"),
		Identity:     calc.Identity(d.str("Identity")),
		InsuredType:  d.str("InsuredType"),
		Status:       d.str("Status"),
		FirstInsured: d.ym("FirstInsured"),
		WorkStart:    d.date("WorkStart"),
		Account: Account{
			Balance:   d.fen("AcctBalance"),
			Principal: d.fen("AcctPrincipal"),
			Interest:  d.fen("AcctInterest"),
			Reason:    d.str("AcctReason"),
		},
		DeemedMonths: int(it.Int("DeemedMonths")),
		StatusFrom:   d.ym("StatusFrom"),
		Retired:      d.date("Retired"),
		Info:         d.info("Info"),
		Version:      it.Int(table.AttrVersion),
	}
	return p, d.err
}

func decodeUnit(it table.Item) (Unit, error) {
	d := decoder{it: it}
	u := Unit{
		Number:      it.String("Number"),
		CreditCode:  it.String("CreditCode"),
		Name:        it.String("Name"),
		Type:        it.String("UnitType"),
		PoolingArea: it.String("PoolingArea"),
		Status:      it.String("Status"),
		Info:        d.info("Info"),
		Version:     it.Int(table.AttrVersion),
	}
	return u, d.err
}

func decodeSpell(it table.Item) (Spell, error) {
	d := decoder{it: it}
	s := Spell{
		PersonNumber:   d.str("Person"),
		UnitNumber:     d.str("Unit"),
		From:           d.ym("From"),
		To:             d.ym("To"),
		RelationID:     d.str("RelationID"),
		EmploymentForm: d.str("EmploymentForm"),
		Base:           d.fen("Base"),
		Status:         d.str("Status"),
		Version:        it.Int(table.AttrVersion),
	}
	return s, d.err
}

func decodeContribution(it table.Item) (Contribution, error) {
	d := decoder{it: it}
	c := Contribution{
		PersonNumber: d.str("Person"),
		UnitNumber:   d.str("Unit"),
		Period:       d.ym("Period"),
		Kind:         Kind(d.str("Kind")),
		Insured:      d.str("Insured"),
		Status:       Status(d.str("Status")),
		Base:         d.fen("Base"),
		PaidDate:     d.date("PaidDate"),
		PaymentRef:   d.str("PaymentRef"),
		Payable:      d.fen("Payable"),
		Refund:       d.fen("Refund"),
		Version:      it.Int(table.AttrVersion),
	}
	for k, prefix := range partPrefixes {
		c.Parts[k] = Part{Rate: d.rate(prefix + "Rate"), Amount: d.fen(prefix + "Amt"), Interest: d.fen(prefix + "Int")}
	}
	return c, d.err
}

func decodeGrade(it table.Item) (Grade, error) {
	r, err := decimal.NewFromString(it.String("Ratio"))
	if err != nil {
		return Grade{}, badAttr(it, "Ratio", "a decimal")
	}
	return Grade{
		PersonNumber: it.String("Person"),
		Year:         int(it.Int("Year")),
		Ratio:        r,
		Base:         Fen(it.Int("Base")),
		Version:      it.Int(table.AttrVersion),
	}, nil
}

func decodeBenefit(it table.Item) (Benefit, error) {
	d := decoder{it: it}
	b := Benefit{
		PersonNumber: d.str("Person"),
		Kind:         BenefitKind(d.str("Kind")),
		Ref:          d.str("Ref"),
		Status:       d.str("Status"),
		Monthly:      d.fen("Monthly"),
		Start:        d.ym("Start"),
		Payment: PaymentAccount{
			BankName:      d.str("BankName"),
			AccountName:   d.str("AccountName"),
			AccountNumber: d.str("AccountNumber"),
		},
		StatusFrom: d.ym("StatusFrom"),
		Certified:  int(it.Int("Certified")),
		Info:       d.info("Info"),
		Version:    it.Int(table.AttrVersion),
	}
	return b, d.err
}

func decodePayment(it table.Item) (Payment, error) {
	d := decoder{it: it}
	p := Payment{PersonNumber: d.str("Person"), Ref: d.str("Ref"), Kind: d.str("Kind"), Amount: d.fen("Amount"),
		Status: d.str("Status"), Application: d.str("Application"), Created: d.date("Created"), Version: it.Int(table.AttrVersion)}
	if s := d.str("Periods"); s != "" {
		p.Periods = strings.Split(s, ",")
	}
	return p, d.err
}

func decodeWages(it table.Item) (WageDeclaration, error) {
	w := WageDeclaration{UnitNumber: it.String("Unit"), Year: int(it.Int("Year")), Application: it.String("Application"),
		Version: it.Int(table.AttrVersion)}
	if err := json.Unmarshal([]byte(it.String("Rows")), &w.Rows); err != nil {
		return WageDeclaration{}, badAttr(it, "Rows", "a JSON list of wage rows")
	}
	return w, nil
}
