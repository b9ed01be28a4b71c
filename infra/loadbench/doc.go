// Package loadbench is the library of make bench-load (infra/cmd/bench-load)
// and of infra/cmd/hrss-load: portal clients of a local runner that log in
// and prepare drafts the way the portal does, the rate ladder a scenario
// climbs (a step per rate, stopping at the first step over the p99 target
// or with an error), and the Markdown of the "Load" section of
// docs/performance.md, written between BeginMarker and EndMarker.
//
// Targets are reported, never asserted.
package loadbench
