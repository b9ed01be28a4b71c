package catalog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
)

// may10 is the frozen now of the tests: a Tuesday inside the 1-25 window.
var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

// residentID completes a 17-digit body with its check character.
func residentID(body17 string) string { return body17 + string(checks.IDCheckChar(body17)) }

var (
	maleID   = residentID("23090219780111001") // born 1978-01-11, odd 17th digit: 男
	femaleID = residentID("23090219800229002") // born 1980-02-29, even 17th digit: 女
	orgCode  = "MA1BTNNC" + string(checks.OrgCodeCheckChar("MA1BTNNC"))
	uscc     = func() string { b := "91230900" + orgCode; return b + string(checks.CreditCodeCheckChar(b)) }()
)

// luhn returns body with the digit appended that makes it pass (good) or
// fail (!good) the Luhn check.
func luhn(body string, good bool) string {
	for d := '0'; d <= '9'; d++ {
		if s := body + string(d); checks.Luhn(s) == good {
			return s
		}
	}
	panic("unreachable")
}

// business returns a business of the default catalog.
func business(tb testing.TB, id string) *catalog.Business {
	tb.Helper()
	b, ok := catalog.Default().Business(id)
	if !ok {
		tb.Fatalf("no business %q", id)
	}
	return b
}

// validForm returns a value for every field of b that passes the field's
// checks and every cross-field rule: one person (maleID), one date
// (2000-01-01) for every date so that order rules hold, 本人 as receiver.
func validForm(tb testing.TB, b *catalog.Business) map[string]string {
	tb.Helper()
	tables := catalog.Default().Tables()
	out := map[string]string{}
	for _, f := range b.Fields {
		var v string
		switch f.Type {
		case catalog.TypeText:
			v = "七台河市桃山区"
			if f.Format == "personName" {
				v = "刘一"
			}
		case catalog.TypeCode:
			v = "23099923090111101656"
		case catalog.TypeDate:
			v = "2000-01-01"
			if strings.Contains(f.Key, "irthDate") {
				v = "1978-01-11"
			}
		case catalog.TypeYearMonth:
			v = "2000-01"
		case catalog.TypeYear:
			v = "2022"
		case catalog.TypeMonth:
			v = "01"
		case catalog.TypeEnum:
			t, ok := tables.Table(f.Enum)
			if !ok {
				tb.Fatalf("%s: no table %s", f.Key, f.Enum)
			}
			v = t.Current()[0].Code
		case catalog.TypeMoney, catalog.TypeNumber:
			v = "6000"
		case catalog.TypeRatio:
			v = "0.60"
		case catalog.TypeInteger:
			v = "60"
		case catalog.TypeIDNumber, catalog.TypeSocialSecurityNumber:
			v = maleID
		case catalog.TypeMobile:
			v = "13009998888"
		case catalog.TypePhone:
			v = "0464-8281234"
		case catalog.TypePostcode:
			v = "154600"
		case catalog.TypeEmail:
			v = "hr@example.com"
		case catalog.TypeBankAccount:
			v = luhn("622848006001234567", true)
		case catalog.TypeUSCC:
			v = uscc
		case catalog.TypeOrgCode:
			v = orgCode
		case catalog.TypeRegionCode:
			v = "230903"
			if f.Enum == "poolingArea" {
				v = "230999"
			}
		default:
			tb.Fatalf("%s: no sample for type %s", f.Key, f.Type)
		}
		out[f.Key] = v
	}
	if _, ok := out["gender"]; ok {
		out["gender"] = "1"
	}
	return out
}

// with returns a copy of m with the given key/value pairs set; an empty
// value deletes the key.
func with(m map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}
