package checks

import "fmt"

// RegionCodeFormat checks that s is a 行政区划代码 in the GB/T 2260 format:
// exactly 6 ASCII digits, nothing else (no spaces). It checks the format
// only: whether the code names a division, or one of the portal's own
// pooling areas such as 230999, is a codetable lookup. The manual's 5-digit
// example 14000 is rejected.
//
// Problem codes: region_empty, region_format.
func RegionCodeFormat(s string) *Problem {
	switch {
	case s == "":
		return problem("region_empty", "请选择行政区划代码")
	case len(s) == 6 && allDigits(s):
		return nil
	case allDigits(s):
		return problem("region_format", fmt.Sprintf("行政区划代码应为6位数字，当前为%d位，请重新选择", len(s)))
	}
	return problem("region_format", "行政区划代码应为6位数字，不能包含其他字符，请重新选择")
}
