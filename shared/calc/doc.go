// Package calc is the contribution and interest calculation engine of hrss:
// pure Go, no I/O, exact decimals (github.com/shopspring/decimal), never
// float. It reproduces to the cent every amount and interest figure of the
// 2022 user manual (shared/spec/calculations.md; the 116 cases of
// testdata/golden-manual.json).
//
// # Rules
//
//   - Monthly amount (§1): MonthlyAmount = round_half_up(base × rate, 0.01),
//     separately for every period and part (unit, personal and the two
//     划入个人账户 shares). Totals are sums of rounded figures.
//   - Interest (§2): the bookkeeping rate (记账利率), simple from the due
//     month to December, then compounded yearly through 31 December of
//     E = calc year − 1, rounded half-up once at the end; current-year
//     arrears carry none. See Accrual. Rates come through the RateTable
//     interface (refdata.Set, or RateMap); a missing year fails with a
//     *MissingRateError naming it, never a guess.
//   - Rounding is half away from zero to cents (RoundHalfUp2); money is
//     formatted with two decimals (FormatMoney: "243.80").
//
// # Businesses
//
//	4.4  个人退费              Assess (records) + RefundOf(rows, scope); scope from the reason is refdata
//	4.6  职工缴费基数调整补缴    BaseDifference (base = adjusted − paid)
//	4.9  职工缴费比例调整补缴    RateDifference (rate = due − paid)
//	4.25 灵活就业人员应缴核定    GradeBase, FlexibleDue (20% personal, 8% to the account)
//	4.26 应缴核定撤销           InRange + Select + Sum over the assessed rows
//	5.1  职工个人补缴           UnpaidMonths + BackPayment
//	5.5  职工欠费清欠           BackPayment over the arrears months
//	4.22/4.24/5.3 退休          RuleAt + RetirementRule.Legal, EarlyRetirementMonths,
//	                            CountContributionMonths
//	POST /api/v1/calculations/back-payment: ParseCalcDate + ParseRows + BackPayment
//
// Totals (Sum) follow 5.1/5.5: 单位应缴金额 = Σ unit amount + interest,
// 个人应缴金额 = Σ personal amount + interest, 合计应缴总额 = both; the
// 划入个人账户 shares are never added. Selection (the ticked rows) is the
// caller's: pass the selected rows, or use InRange and Select.
//
// # Retirement
//
// Legal retirement ages are data (refdata): before 2025 men 60, women cadres
// 55, women workers 50; from 2025-01-01 the gradual reform of the
// 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13):
// men 60→63 and women cadres 55→58 by one month every four birth months
// from births in 1965-01 and 1970-01, women workers 50→55 by one month
// every two birth months from 1975-01. RuleAt picks the rule in force on a
// date, so the manual's 2022 figures (提前退休月数 87 and 97) still follow
// the old ages.
//
// # Errors
//
// Bad input is an *apperr.Error with code Invalid and field errors keyed as
// the API body ("calcDate", "rows[0].period", "rows[0].base",
// "rows[0].rates.personal"), with Chinese messages; the HTTP edge maps it
// to 422. All field problems of a request are reported at once.
//
// # Types
//
// YearMonth ("202009"; parses "2020-09") and Date ("2022-05-10") are plain
// calendar values without zones and marshal as text. Wire types belong to
// the HTTP edge; these domain types carry no JSON tags.
package calc
