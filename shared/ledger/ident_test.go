package ledger_test

import (
	"testing"

	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/ledger"
)

// The checks themselves are shared/checks' (and tested there); these tests
// pin down the adaptation to calc.Date and calc.Gender.
func TestIDBirthDateAndGender(t *testing.T) {
	id := "11010519491231002X"
	if got := ledger.IDBirthDate(id); got != calc.MustDate("1949-12-31") {
		t.Errorf("IDBirthDate = %v", got)
	}
	if got := ledger.IDGender(id); got != calc.Female {
		t.Errorf("IDGender = %v, want 女 (17th digit 2 is even)", got)
	}
	if got := ledger.IDGender("440524188001010014"); got != calc.Male {
		t.Errorf("IDGender = %v, want 男", got)
	}
	for _, bad := range []string{"123", "", "110105194912310021" /* bad check character */} {
		if !ledger.IDBirthDate(bad).IsZero() {
			t.Errorf("IDBirthDate(%q) = %v, want the zero date", bad, ledger.IDBirthDate(bad))
		}
	}
	if ledger.IDGender("123") != "" {
		t.Error("malformed ids must give no gender")
	}
}
