// Package faults is the fault drill of issue 13 against the local runner
// binary (infra/cmd/hrss-local): it starts the runner on a free port with
// its own data directory, drives it over HTTP as the portal does (demo
// logins with the /_local/ captcha and TOTP helpers, drafts prepared as
// hrss-load prepares them, submits with Idempotency-Keys, a reviewer's
// claims and decisions), kills it with SIGKILL at random moments of the
// load and restarts it on the same data, and then counts what the data
// directory holds by opening it in-process (Check).
//
// The rules Check enforces: every acknowledged submit is present once,
// with the reference it was acknowledged with and its review execution
// waiting or done; a retried submit with the same key answers the same
// receipt; every acknowledged decision is recorded and its workflow told;
// an approval is applied whole (effect record, completed status, one
// completion message) or not at all. Used by infra/runner's
// TestKillDuringSubmissionLoad and by infra/cmd/bench-faults.
package faults
