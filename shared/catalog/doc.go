// Package catalog is the business catalog of hrss and its one validation
// engine: the 42 businesses of the service center (办事中心), each with its
// guide (办理指南), upload slots (申请材料), form fields (基本信息), cross-field
// rules and ledger (记录一览表) definition, as the project's own versioned
// data under data/ (embedded, loaded once at start, checked by Load and by
// the package tests; the decisions the manual leaves open are written in
// the data files' headers).
//
// The portal renders forms from the same Field definitions that
// Business.Validate checks, so a rule exists once. The definitions are the
// wire contract of GET /api/v1/services/{id} (they carry JSON tags); fields
// that only document the data (notes, bases) are not sent.
//
// # Why the engine is hand-written
//
// The rules are domain checks: GB 11643 resident ID checksums and birth
// dates, GB 32100 credit codes, GB 11714 organisation codes, Luhn as a
// warning, membership in versioned code tables by code or by label (with
// the manual's bracket variants), regions of Heilongjiang, and cross-field
// rules (birth date and gender agree with the ID number, end not before
// start, receiver fields required unless the receiver is 本人, an ID
// number checked as a resident ID only when the ID type says so). JSON
// Schema validators express none of these without custom keywords, and
// their messages are not the Chinese "what is wrong and how to fix it"
// each field needs. The engine compiles each form once at load (field
// kinds, bounds, code-table handles, rule indices) and validates with one
// pooled scratch slice and no reflection; BenchmarkValidateLargestForm
// measures the largest form (5.11, 32 fields).
//
// # Invariants
//
//   - Business ids, sections, field keys (per form) and material names
//     (per business) are unique; every enum names an existing code table;
//     every rule names fields of fitting types; categories and purposes are
//     values of the business's own portal filters.
//   - Field errors are keyed by field key and say, in Chinese, what is
//     wrong and how to fix it; warnings never block a submission.
//   - Validation is pure: the caller passes the time; all dates are in
//     Asia/Shanghai.
//
// Access patterns: Default() once at start; then Business(id), Find(q) and
// Validate per request. Nothing is stored in the table by this package.
package catalog
