// Package account is the accounts of hrss and how they are opened and
// used: 自然人用户注册 and 法人用户注册 (linked to the ledger's person or
// unit), login with a captcha (shown and spoken), passwords (argon2id, the
// composition rule, common passwords refused), SMS codes, the lockout and
// the per-address throttle, staff accounts with TOTP (RFC 6238), password
// change and reset. Sessions, callers and the audit log are shared/identity's.
// The HTTP edge is functions/identity.
//
// # Access patterns
//
//  1. Log in: the account by its kind and username in one Get — an
//     individual's by an HMAC of the 社会保障号, an enterprise's by its
//     账号 ID, staff by staff ID.
//  2. Register: the account item written only if absent (one account per
//     ID number), with, for a unit, a claim item per 统一社会信用代码, in one
//     transaction.
//  3. Captcha and SMS code: Get and conditional Put/Delete of one item.
//  4. Throttle: a counter per source address and minute.
//
// # Keys
//
//	item            PK                                   SK                 GSI
//	account         IDENT#ACCT#<kind>#<username key>      PROFILE            –
//	unit claim      IDENT#USCC#<统一社会信用代码>            ACCOUNT            –
//	captcha         IDENT#CAPTCHA#<id>                   CAPTCHA            –
//	sms code        IDENT#SMS#<hmac of mobile>           CODE#<purpose>     –
//	sms counters    IDENT#SMS#<hmac of mobile>           SENT | DAY#<date>  –
//	throttle        IDENT#THROTTLE#<hmac of address>     MIN#<minute>       –
//
// # Invariants
//
//   - Passwords are stored only as argon2id hashes (PasswordParams); SMS
//     codes only as HMACs; captcha answers and codes are compared in
//     constant time and are used up by their first right answer.
//   - An unknown username and a wrong password get the same answer, and
//     take the same time (a dummy hash is checked).
//   - No personal data (ID numbers, names, mobiles, passwords, codes) is
//     logged or put in an error message.
//
// # Who may do what
//
// An individual whose ID number and name are not in the ledger registers
// unlinked: they may log in, use the 办事中心 and the public calculations,
// and (with the applications issue) the businesses that create a record,
// such as 灵活就业人员参保登记; record tables answer 404 until the ledger
// has them, and login links the account as soon as it does. An enterprise
// whose credit code is not in the ledger is likewise unlinked until 单位参保登记.
package account
