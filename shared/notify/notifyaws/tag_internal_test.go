package notifyaws

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzTagValue: the written-out check accepts exactly what the regexp it
// replaced accepts.
func FuzzTagValue(f *testing.F) {
	want := regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	for _, s := range []string{"app-A1-r1-submitted", "", "a.b", strings.Repeat("a", 256), strings.Repeat("a", 257), "中", "a\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := validTagValue(s); got != want.MatchString(s) {
			t.Fatalf("%q: %v, the regexp says %v", s, got, !got)
		}
	})
}
