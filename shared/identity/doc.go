// Package identity is who makes a request and what was done: the kinds of
// account and their roles, the caller a session stands for, the sessions
// themselves, the audit log, and the keyed hashes that keep personal
// identifiers out of table keys. Every function uses it (through
// shared/access) to resolve the session cookie, so it is kept small; the
// accounts, passwords, captcha, SMS codes, lockout and staff TOTP live in
// shared/identity/account, used by the identity function alone.
//
// # Access patterns
//
//  1. Every request: the session by the hash of its token (Get); a slide
//     of its idle timeout at most once a minute (Put).
//  2. Log out everywhere (password change or reset): the account's sessions
//     by GSI1.
//  3. Audit: append one item per event, by day; a person's "who read my
//     data" by GSI1 on the subject's 人员编号, newest first.
//
// # Keys
//
//	item            PK                                   SK               GSI1PK / GSI1SK
//	session         IDENT#SESSION#<sha256 of token>      SESSION          IDENT#ACCTSESS#<account id> / <created>
//	audit record    AUDIT#<yyyymmdd>                     <time>#<random>  AUDIT#SUBJECT#<人员编号> / <time>
//
// (shared/identity/account lists the keys of accounts, captchas, SMS codes
// and throttles, all under IDENT#.)
//
// # Invariants
//
//   - A session token has 256 random bits and is stored only as its
//     SHA-256; a session ends 30 minutes after its last request or 12
//     hours after login, whichever comes first, checked against the clock
//     (the table's TTL removes the item later).
//   - Personal identifiers are keyed by HMACs (Keys): an individual's
//     account by an HMAC of the 社会保障号, never the number itself.
//   - Audit records hold no personal data beyond the subject's 人员编号 and
//     the actor's masked name; source addresses are stored as HMACs.
package identity
