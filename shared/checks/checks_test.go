package checks_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
)

var shanghai = clock.Shanghai

// now is the fixed "today" of the tests: the manual's date.
var now = time.Date(2022, 5, 5, 10, 0, 0, 0, shanghai)

// wantProblem fails unless p has the wanted code and a Chinese message.
func wantProblem(tb testing.TB, in string, p *checks.Problem, code string) {
	tb.Helper()
	if p == nil {
		tb.Fatalf("%q: accepted, want problem %s", in, code)
	}
	if p.Code != code {
		tb.Fatalf("%q: problem %s (%s), want %s", in, p.Code, p.Message, code)
	}
	if !hasHan(p.Message) {
		tb.Fatalf("%q: message %q is not Chinese", in, p.Message)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestProblem(t *testing.T) {
	p := &checks.Problem{Code: "id_checksum", Message: "公民身份号码校验位不正确，请核对后重新输入"}
	if got, want := p.Error(), "id_checksum: 公民身份号码校验位不正确，请核对后重新输入"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var err error = p
	if !errors.Is(err, &checks.Problem{Code: "id_checksum"}) {
		t.Error("errors.Is by code failed")
	}
	if errors.Is(err, &checks.Problem{Code: "id_length"}) {
		t.Error("errors.Is matched another code")
	}
	var nilp *checks.Problem
	if nilp.Err() != nil {
		t.Error("nil Problem's Err() is not nil")
	}
	if p.Err() == nil {
		t.Error("Err() of a problem is nil")
	}
	_, p2 := checks.ResidentID("1", now)
	var pe *checks.Problem
	if !errors.As(p2.Err(), &pe) || pe.Code != "id_length" {
		t.Errorf("errors.As: %v", p2)
	}
}

func TestRegionCodeFormat(t *testing.T) {
	for _, tc := range []struct {
		name, in, code, msgHas string
	}{
		{name: "division", in: "230000"},
		{name: "pooling area", in: "230999"},
		{name: "county", in: "230903"},
		{name: "manual 5-digit example", in: "14000", code: "region_format", msgHas: "当前为5位"},
		{name: "7 digits", in: "2309990", code: "region_format", msgHas: "当前为7位"},
		{name: "letters", in: "23O999", code: "region_format"},
		{name: "spaces", in: " 230999", code: "region_format"},
		{name: "full-width", in: "２３０９９９", code: "region_format"},
		{name: "empty", in: "", code: "region_empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := checks.RegionCodeFormat(tc.in)
			if tc.code == "" {
				if p != nil {
					t.Fatalf("RegionCodeFormat(%q) = %v", tc.in, p)
				}
				return
			}
			wantProblem(t, tc.in, p, tc.code)
			if !strings.Contains(p.Message, tc.msgHas) {
				t.Errorf("message %q does not say %q", p.Message, tc.msgHas)
			}
		})
	}
}
