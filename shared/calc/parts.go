package calc

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// PartKind names one of the four money columns of a contribution ledger.
// Values index arrays of NumParts elements (PartRates, LedgerRow.Parts and
// the ledger's stored rows), so that no code maps a kind to a field with a
// switch.
type PartKind int

// The four parts. Unit and Personal are what is due; the two ToAccount
// parts are the shares of them credited to the personal account (划入个人账户)
// and are shown, never added to the totals.
const (
	Unit              PartKind = iota // 单位应缴
	Personal                          // 个人应缴
	UnitToAccount                     // 单位应缴划入个人账户
	PersonalToAccount                 // 个人应缴划入个人账户
)

// NumParts is the number of parts.
const NumParts = 4

// PartKinds lists the parts in ledger column order of 5.1.
var PartKinds = [NumParts]PartKind{Unit, UnitToAccount, Personal, PersonalToAccount}

var (
	partKeys   = [NumParts]string{Unit: "unit", Personal: "personal", UnitToAccount: "unitToAccount", PersonalToAccount: "personalToAccount"}
	partLabels = [NumParts]string{Unit: "单位应缴", Personal: "个人应缴", UnitToAccount: "单位应缴划入个人账户", PersonalToAccount: "个人应缴划入个人账户"}
)

// Valid reports whether k is one of the four parts.
func (k PartKind) Valid() bool { return k >= 0 && k < NumParts }

// String returns the key of the part: "unit", "personal", "unitToAccount",
// "personalToAccount".
func (k PartKind) String() string {
	if !k.Valid() {
		return fmt.Sprintf("PartKind(%d)", int(k))
	}
	return partKeys[k]
}

// Label returns the manual's column label of the part.
func (k PartKind) Label() string {
	if !k.Valid() {
		return k.String()
	}
	return partLabels[k]
}

// ParsePartKind returns the part with key s ("unit", "personalToAccount").
func ParsePartKind(s string) (PartKind, bool) {
	for k, key := range partKeys {
		if key == s {
			return PartKind(k), true
		}
	}
	return 0, false
}

// PartRates are the contribution rates of one period by part, as
// fractions (0.08 for 8%). Zero means nothing is due for that part:
// PartRates{calc.Personal: r} charges the personal part only.
type PartRates [NumParts]decimal.Decimal

// Equal reports whether r and o hold the same rates.
func (r PartRates) Equal(o PartRates) bool {
	for k := range r {
		if !r[k].Equal(o[k]) {
			return false
		}
	}
	return true
}
