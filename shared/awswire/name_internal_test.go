package awswire

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzParameterName: the written-out check accepts exactly what the
// regexp it replaced accepts.
func FuzzParameterName(f *testing.F) {
	want := regexp.MustCompile(`^/[A-Za-z0-9_.\-/]{1,1000}$`)
	for _, s := range []string{"/hrss/prod/id-hash-key", "/", "", "hrss", "/a b", "/" + strings.Repeat("a", 1000), "/" + strings.Repeat("a", 1001), "/中文", "/a\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := validParameterName(s); got != want.MatchString(s) {
			t.Fatalf("%q: %v, the regexp says %v", s, got, !got)
		}
	})
}
