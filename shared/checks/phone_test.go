package checks_test

import (
	"testing"

	"github.com/hljhrss/hrss/shared/checks"
)

type phoneCase struct {
	name, in, want, code string
}

func runPhone(t *testing.T, fn func(string) (string, *checks.Problem), cases []phoneCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, p := fn(tc.in)
			if tc.code == "" {
				if p != nil || got != tc.want {
					t.Fatalf("(%q) = %q, %v; want %q", tc.in, got, p, tc.want)
				}
				again, p := fn(got)
				if p != nil || again != got {
					t.Fatalf("normalized %q does not re-validate: %q, %v", got, again, p)
				}
				return
			}
			if got != "" {
				t.Errorf("rejected input normalized to %q", got)
			}
			wantProblem(t, tc.in, p, tc.code)
		})
	}
}

func TestMobile(t *testing.T) {
	runPhone(t, checks.Mobile, []phoneCase{
		{name: "manual 5.9", in: "13009998888", want: "13009998888"},
		{name: "manual 5.9 contact", in: "13009889988", want: "13009889988"},
		{name: "spaces", in: "138 0013 8000", want: "13800138000"},
		{name: "hyphens", in: "138-0013-8000", want: "13800138000"},
		{name: "+86", in: "+86 138 0013 8000", want: "13800138000"},
		{name: "0086", in: "0086-13800138000", want: "13800138000"},
		{name: "86 without plus", in: "8613800138000", want: "13800138000"},
		{name: "(+86)", in: "(+86)13800138000", want: "13800138000"},
		{name: "full-width", in: "１９９１２３４５６７８", want: "19912345678"},
		{name: "second digit 2", in: "12800138000", code: "mobile_format"},
		{name: "10 digits", in: "1380013800", code: "mobile_format"},
		{name: "12 digits", in: "138001380001", code: "mobile_format"},
		{name: "landline", in: "0451-86123456", code: "mobile_format"},
		{name: "letter", in: "1380013800O", code: "mobile_format"},
		{name: "+86 only", in: "+86", code: "mobile_format"},
		{name: "empty", in: " ", code: "mobile_empty"},
	})
}

func TestLandline(t *testing.T) {
	runPhone(t, checks.Landline, []phoneCase{
		{name: "Harbin", in: "0451-86123456", want: "0451-86123456"},
		{name: "no hyphen", in: "045186123456", want: "0451-86123456"},
		{name: "spaces", in: "0451 8612 3456", want: "0451-86123456"},
		{name: "parentheses", in: "(0451)86123456", want: "0451-86123456"},
		{name: "full-width parentheses", in: "（0451）86123456", want: "0451-86123456"},
		{name: "Qitaihe 7 digits", in: "0464-8271234", want: "0464-8271234"},
		{name: "Qitaihe no hyphen", in: "04648271234", want: "0464-8271234"},
		{name: "Beijing", in: "010-62345678", want: "010-62345678"},
		{name: "Beijing no hyphen", in: "01062345678", want: "010-62345678"},
		{name: "Shanghai", in: "021 62345678", want: "021-62345678"},
		{name: "extension hyphen", in: "0451-86123456-801", want: "0451-86123456-801"},
		{name: "extension 转", in: "0451-86123456转801", want: "0451-86123456-801"},
		{name: "extension ext", in: "0451-86123456 ext. 801", want: "0451-86123456-801"},
		{name: "extension #", in: "045186123456#8", want: "0451-86123456-8"},
		{name: "+86", in: "+86 451 86123456", want: "0451-86123456"},
		{name: "+86 with 0", in: "+86-0451-86123456", want: "0451-86123456"},
		{name: "no area code", in: "86123456", code: "landline_area"},
		{name: "no area code with extension", in: "86123456-801", code: "landline_area"},
		{name: "area not starting 0", in: "1451-86123456", code: "landline_area"},
		{name: "area 0123", in: "0123-86123456", code: "landline_area"},
		{name: "area 5 digits", in: "04510-8612345", code: "landline_area"},
		{name: "local starts 0", in: "0451-06123456", code: "landline_number"},
		{name: "local 6 digits", in: "0451-861234", code: "landline_number"},
		{name: "local 9 digits", in: "0451-861234567", code: "landline_number"},
		{name: "only area", in: "0451", code: "landline_number"},
		{name: "extension too long", in: "0451-86123456-1234567", code: "landline_ext"},
		{name: "empty extension", in: "0451-86123456转", code: "landline_ext"},
		{name: "letters", in: "0451-8612abcd", code: "landline_format"},
		{name: "too many parts", in: "0451-8612-3456-1", code: "landline_format"},
		{name: "open parenthesis", in: "(0451 86123456", code: "landline_format"},
		{name: "mobile", in: "13800138000", code: "landline_format"},
		{name: "empty", in: "", code: "landline_empty"},
	})
}

func TestPhone(t *testing.T) {
	runPhone(t, checks.Phone, []phoneCase{
		{name: "mobile", in: "+86 130 0988 9988", want: "13009889988"},
		{name: "landline", in: "(0464)8271234", want: "0464-8271234"},
		{name: "landline with extension", in: "0451-86123456转8", want: "0451-86123456-8"},
		{name: "neither", in: "12345", code: "phone_format"},
		{name: "no area code", in: "86123456", code: "phone_format"},
		{name: "empty", in: " - ", code: "phone_empty"},
	})
}
