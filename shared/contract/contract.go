// Package contract runs the contract suites of the ports (tabletest,
// workflowtest, notifytest): every case as a subtest named for it, and
// skips that must name a known case and say why, so an adapter can only
// opt out of a case in writing.
package contract

import (
	"strings"
	"testing"
)

// Run runs run(t, i) for each of names as a subtest named names[i]. skip
// maps case names to the reason an adapter skips them; an unknown name or
// an empty reason fails the suite. suite names the suite in messages.
func Run(t *testing.T, suite string, names []string, skip map[string]string, run func(t *testing.T, i int)) {
	t.Helper()
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	for name, reason := range skip {
		if !known[name] {
			t.Errorf("%s: Options.Skip names unknown case %q", suite, name)
		}
		if strings.TrimSpace(reason) == "" {
			t.Errorf("%s: Options.Skip[%q] has no reason", suite, name)
		}
	}
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			if reason, ok := skip[name]; ok {
				t.Skip(reason)
			}
			run(t, i)
		})
	}
}
