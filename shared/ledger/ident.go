package ledger

import (
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
)

// Identifiers (ID numbers, credit codes, organisation codes) are checked,
// normalized and masked by shared/checks, the project's one implementation
// of GB 11643, GB 32100 and GB 11714. The two functions below only adapt
// what checks reads from an ID number to the calc types the ledger stores.

// IDBirthDate returns the birth date in a valid 18-character ID number
// (checks.IDBirthDate), or the zero Date when id is not one.
func IDBirthDate(id string) calc.Date {
	t, ok := checks.IDBirthDate(id)
	if !ok {
		return calc.Date{}
	}
	return calc.DateOf(t)
}

// IDGender returns the gender in an ID number (checks.IDGender: the 17th
// digit is odd for men), or "" when id is not one.
func IDGender(id string) calc.Gender {
	switch checks.IDGender(id) {
	case "1":
		return calc.Male
	case "2":
		return calc.Female
	}
	return ""
}
