// Package identity is who may use hrss: accounts (自然人用户, 法人用户 and
// staff), their passwords and one-time codes, sessions, the captcha, SMS
// codes, login throttling and lockout, and the audit log of who did what
// to whose data. The HTTP edge is functions/identity (registration, login)
// and shared/access (the session cookie and the route policies every
// function applies).
//
// # Access patterns
//
//  1. Log in: the account by its kind and username in one Get — an
//     individual's by an HMAC of the 社会保障号, an enterprise's by its
//     账号 ID, staff by staff ID.
//  2. Register: the account item written only if absent (one account per
//     ID number), with, for a unit, a uniqueness item per 统一社会信用代码,
//     in one transaction.
//  3. Every request: the session by the hash of its token (Get); a slide
//     of its idle timeout at most once a minute (Put).
//  4. Log out everywhere (password change or reset): the account's sessions
//     by GSI1.
//  5. Captcha and SMS code: Get and conditional Put/Delete of one item.
//  6. Throttle: a counter per source address and minute.
//  7. Audit: append one item per event, by day; a person's "who read my
//     data" by GSI1 on the subject's 人员编号, newest first.
//
// # Keys
//
//	item            PK                                   SK               GSI1PK / GSI1SK
//	account         IDENT#ACCT#<kind>#<username key>      PROFILE          –
//	unit claim      IDENT#USCC#<统一社会信用代码>            ACCOUNT          –
//	session         IDENT#SESSION#<sha256 of token>      SESSION          IDENT#ACCTSESS#<account id> / <created>
//	captcha         IDENT#CAPTCHA#<id>                   CAPTCHA          –
//	sms code        IDENT#SMS#<hmac of mobile>           CODE#<purpose>   –
//	sms counters    IDENT#SMS#<hmac of mobile>           SENT | DAY#<date> –
//	throttle        IDENT#THROTTLE#<hmac of address>     MIN#<minute>     –
//	audit record    AUDIT#<yyyymmdd>                     <time>#<random>  AUDIT#SUBJECT#<人员编号> / <time>
//
// The username key of an individual is the hex HMAC-SHA-256 of the ID
// number (the ledger's ID-hash key), never the number itself; mobile
// numbers and addresses are keyed by HMACs too. Items that expire carry the
// table's TTL attribute and are also checked against the clock when read.
//
// # Invariants
//
//   - Passwords are stored only as argon2id hashes (Hasher); session tokens,
//     SMS codes and captcha answers are compared in constant time and
//     tokens are stored only as hashes.
//   - An unknown username and a wrong password get the same answer.
//   - No personal data (ID numbers, names, mobiles, tokens) is logged or
//     put in an error message.
package identity
