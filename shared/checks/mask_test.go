package checks_test

import (
	"testing"

	"github.com/hljhrss/hrss/shared/checks"
)

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"ID 18", checks.MaskID, "230827196905181219", "230827********1219"},
		{"ID 18 with X", checks.MaskID, "11010519491231002X", "110105********002X"},
		{"ID 15", checks.MaskID, "230102690518121", "230102*****8121"},
		{"ID 11", checks.MaskID, "12345678901", "123456*8901"},
		{"ID passport", checks.MaskID, "E12345678", "E1*****78"},
		{"ID 6", checks.MaskID, "123456", "******"},
		{"ID empty", checks.MaskID, "", ""},
		{"ID Han", checks.MaskID, "港澳通行证一二三四五六七", "港澳通行证一**四五六七"},
		{"account card", checks.MaskAccount, "6222021001116245702", "***************5702"},
		{"account spaced", checks.MaskAccount, "6222 0210 0111 6245 702", "***************5702"},
		{"account 16", checks.MaskAccount, "6222021001111234", "************1234"},
		{"account 4", checks.MaskAccount, "1234", "****"},
		{"mobile", checks.MaskPhone, "13812341234", "138****1234"},
		{"mobile +86", checks.MaskPhone, "+86 138 1234 1234", "138****1234"},
		{"landline", checks.MaskPhone, "0451-86123456", "0451-****3456"},
		{"landline 7 with extension", checks.MaskPhone, "0464-8271234转801", "0464-***1234"},
		{"other", checks.MaskPhone, "86123456", "861*3456"},
		{"short", checks.MaskPhone, "1234567", "*******"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
