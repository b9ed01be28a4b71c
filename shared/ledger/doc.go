// Package ledger is the social-insurance ledger of hrss on the table port
// (shared/table): its model and store. It holds insured persons, units
// (employers), employment spells, the monthly contribution ledger,
// flexible-employment grades and assessed dues, and retiree and survivor
// benefits. What is computed from the ledger lives elsewhere: the record
// tables (记录一览表) and the 试算 in shared/recordtable, retirement figures in
// shared/retirement, every amount and interest in shared/calc; reference
// data in shared/refdata (stored corrections: shared/refdata/refstore). The
// demo data and the bulk importer are tools of infra/ (infra/demo,
// infra/importer).
//
// # Access patterns
//
// Written down before the keys; every key below serves one of them.
//
//  1. A person by 人员编号 (prefill of every form): Get.
//  2. A person by 社会保障号 = 公民身份号码 (login, 5.1/5.5 "录入姓名及身份证号"):
//     GSI1 on an HMAC-SHA-256 of the number. The raw number is an attribute
//     of the person item only, never part of a key or index value.
//  3. A person's whole dossier — profile, employment spells, contributions of
//     every unit in period order, grades, benefits — for one record table:
//     one Query of the person's partition (paged), filtered in memory. A
//     person has at most a few hundred months, so this is one or two pages.
//  4. A person's contributions of a period range: Query of the person's
//     partition with SK between CONTRIB#<from> and CONTRIB#<to>$.
//  5. A unit by 单位编号: Get; by 统一社会信用代码: GSI1.
//  6. A unit's staff (employment spells of a unit): GSI1.
//  7. A unit's contribution ledger by period (declarations, arrears lists):
//     GSI2, sorted by period then person.
//  8. Seed and import markers: Query of one partition (is the ledger empty?
//     which files were imported?).
//  9. Who owes (the reminders of the monthly window): the due, unpaid rows
//     of every flexible worker or every unit, grouped by party: GSI1 on a
//     sparse entry only those rows carry (Owing).
//  10. Whose benefit is certified this month (the yearly 资格认证
//     reminders): GSI1 on benefits being paid, by certification month
//     (CertificationDue).
//
// # Keys
//
// Every partition key starts with LEDGER# so that nothing collides with the
// other packages sharing the table (the workflow engine's WFOPEN#, the
// platform's PLATFORM, applications, ...). LEDGER#REFDATA belongs to
// shared/refdata/refstore.
//
//	item          PK                        SK                                GSI1PK / GSI1SK                               GSI2PK / GSI2SK
//	person        LEDGER#PERSON#<人员编号>   PROFILE                           LEDGER#IDHASH#<hmac hex> / PERSON#<人员编号>   –
//	spell         LEDGER#PERSON#<人员编号>   SPELL#<单位编号>#<from YYYYMM>     LEDGER#UNIT#<单位编号>#STAFF / <人员编号>#<from> –
//	contribution  LEDGER#PERSON#<人员编号>   CONTRIB#<YYYYMM>#<单位编号>#<kind>  due rows: LEDGER#OWING#<flexible|unit> /       LEDGER#UNIT#<单位编号>#CONTRIB / <YYYYMM>#<人员编号>#<kind>
//	                                                                             <party>#<YYYYMM>#<人员编号>#<单位编号>#<kind>
//	grade         LEDGER#PERSON#<人员编号>   GRADE#<YYYY>                       –                                             –
//	benefit       LEDGER#PERSON#<人员编号>   BENEFIT#<kind>#<ref>               paying: LEDGER#CERTMONTH#<MM> /               –
//	                                                                             <人员编号>#<kind>#<ref>
//	payment       LEDGER#PERSON#<人员编号>   PAYMENT#<reference>                –                                             –
//	unit          LEDGER#UNIT#<单位编号>     PROFILE                           LEDGER#USCC#<统一社会信用代码> / UNIT#<单位编号> –
//	wages         LEDGER#UNIT#<单位编号>     WAGE#<YYYY>                        –                                             –
//	marker        LEDGER#META               SEED#demo-v4 | IMPORT#<kind>#<h>   –                                             –
//
// <h> is 16 hex digits of the SHA-256 of the imported file's name (the
// marker holds the name and the file's own SHA-256). The contribution key
// is person × month × unit × kind: besides the regular
// monthly row a month may carry a base-difference (4.6) or rate-difference
// (4.9) row, or a back-payment declared by a base change (5.1). Keys are
// derived from natural keys only, so writing the same record twice writes
// one item (imports and the demo seed are idempotent).
//
// # Invariants
//
//   - Money is integer fen (Fen); rates are exact decimals stored as strings
//     ("0.08"); an unknown rate is absent, not zero. No float anywhere.
//   - Amounts are stored as the core system recorded them (the 1996 rows of
//     4.4 follow a rule that is not reproduced); interest on unpaid rows is
//     not stored but accrued at read time on the calculation date
//     (../shared/spec/calculations.md §2, shared/recordtable), so a read on
//     another day gives that day's figure.
//   - Every item carries Version; Write applies a decision's changes under
//     the versions they were read with (ErrChanged otherwise); Sync writes only what changed, with
//     IfAbsent / IfVersion conditions (table.Sync), in transactions of at
//     most table.MaxTransactItems operations.
//   - A contribution's parts are an array indexed by calc.PartKind; an
//     item's type tag is mapped to its record type in one place
//     (decodeRecord), for every read.
//   - Identifiers leave the package masked (checks.MaskID,
//     checks.MaskAccount) in every view; they are never logged.
package ledger
