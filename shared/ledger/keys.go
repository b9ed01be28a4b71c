package ledger

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/table"
)

// Key prefixes (see the package doc).
const (
	pkPerson  = "LEDGER#PERSON#"
	pkUnit    = "LEDGER#UNIT#"
	pkMeta    = "LEDGER#META"
	gsiIDHash = "LEDGER#IDHASH#"
	gsiUSCC   = "LEDGER#USCC#"
	gsiOwing  = "LEDGER#OWING#"
	// gsiCertMonth indexes benefits being paid by their certification
	// month (Benefit.CertificationMonth).
	gsiCertMonth = "LEDGER#CERTMONTH#"

	skProfile = "PROFILE"
	skSpell   = "SPELL#"
	skContrib = "CONTRIB#"
	skGrade   = "GRADE#"
	skBenefit = "BENEFIT#"
)

// PersonKey is the key of a person's profile item.
func PersonKey(number string) table.Key { return table.Key{PK: pkPerson + number, SK: skProfile} }

// UnitKey is the key of a unit's profile item.
func UnitKey(number string) table.Key { return table.Key{PK: pkUnit + number, SK: skProfile} }

// SpellKey is the key of an employment spell.
func SpellKey(person, unit string, from calc.YearMonth) table.Key {
	return table.Key{PK: pkPerson + person, SK: skSpell + unit + "#" + from.String()}
}

// ContributionKey is the key of a contribution row.
func ContributionKey(person string, period calc.YearMonth, unit string, kind Kind) table.Key {
	return table.Key{PK: pkPerson + person, SK: skContrib + period.String() + "#" + unit + "#" + string(kind)}
}

// GradeKey is the key of a person's grade of a year.
func GradeKey(person string, year int) table.Key {
	return table.Key{PK: pkPerson + person, SK: fmt.Sprintf("%s%04d", skGrade, year)}
}

// BenefitKey is the key of a benefit.
func BenefitKey(person string, kind BenefitKind, ref string) table.Key {
	return table.Key{PK: pkPerson + person, SK: skBenefit + string(kind) + "#" + ref}
}

// PaymentKey returns the key of a person's payable item with reference ref.
func PaymentKey(person, ref string) table.Key {
	return table.Key{PK: pkPerson + person, SK: "PAYMENT#" + ref}
}

// WageKey returns the key of a unit's wage declaration of year.
func WageKey(unit string, year int) table.Key {
	return table.Key{PK: pkUnit + unit, SK: fmt.Sprintf("WAGE#%04d", year)}
}

// MarkerKey is the key of a seed or import marker ("SEED#demo-v4").
func MarkerKey(name string) table.Key { return table.Key{PK: pkMeta, SK: name} }

// unitStaffPK and unitContribPK are the GSI partitions of a unit's spells
// and contributions.
func unitStaffPK(unit string) string   { return pkUnit + unit + "#STAFF" }
func unitContribPK(unit string) string { return pkUnit + unit + "#CONTRIB" }

// DefaultIDHashKey is the HMAC key of the ID-number index when the store is
// given none: for local runs and tests only. Deployments set their own,
// in AWS read from the Parameter Store SecureString the template's
// IdHashKeyParameter names (awswire.Secrets, config.Config.IDHashKey),
// which the ledger function and hrss-seed pass to WithIDHashKey, so that
// the index cannot be matched against guessed numbers without it. Every
// writer and reader of one table must use the same key; changing it
// requires rewriting every person item.
var DefaultIDHashKey = []byte("hrss/ledger/id-number/v1")

// IDHashKey is the key to use given the configured one: DefaultIDHashKey
// when none is configured (local runs and tests; in AWS awswire refuses
// to start without one).
func IDHashKey(configured string) []byte {
	if configured == "" {
		return DefaultIDHashKey
	}
	return []byte(configured)
}

// idHash is the index value of an ID number: hex HMAC-SHA-256, 32 bytes.
func idHash(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(id))))
	return hex.EncodeToString(m.Sum(nil))
}

// validKeyPart reports whether s can be part of a key (table.ValidKeyPart).
func validKeyPart(s string) bool { return table.ValidKeyPart(s) }
