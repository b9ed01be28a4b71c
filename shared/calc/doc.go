// Package calc is the contribution and interest calculation engine of hrss:
// pure Go, no I/O, exact decimals (github.com/shopspring/decimal), never
// float. It reproduces to the cent every amount and interest figure of the
// 2022 user manual (../shared/spec/calculations.md; the 116 cases of
// testdata/golden-manual.json, a copy of ../shared/spec/golden-manual.json).
//
// Every figure the platform shows goes through this package: the 试算 route
// (POST /api/v1/calculations/back-payment), the record tables read from the
// ledger (shared/recordtable) and, later, the amounts frozen at submission.
// There is one function for each step, and nothing else computes them:
//
//	amounts    BackPayment (round_half_up(base × rate) per month and part), FlexibleDue (4.25)
//	interest   Accrue (on given amounts; BackPayment calls it)
//	range      InRange (开始年月/结束年月 + 查询)
//	selection  Select (the ticked periods)
//	totals     Sum, Totals.Of (单位应缴金额, 个人应缴金额, 合计应缴总额 / 合计金额)
//
// # Rules
//
//   - Monthly amount (§1): MonthlyAmount = round_half_up(base × rate, 0.01),
//     separately for every period and part (unit, personal and the two
//     划入个人账户 shares). Totals are sums of rounded figures; the 划入个人账户
//     shares are never added.
//   - Interest (§2): the bookkeeping rate (记账利率), simple from the due
//     month to December, then compounded yearly through 31 December of
//     E = calc year − 1, rounded half-up once at the end; current-year
//     arrears carry none. Rates come through the RateTable interface
//     (refdata.Set, or RateMap).
//   - Provisional interest: a year after the latest published rate (its
//     rate is published in the middle of the following year) is charged at
//     the latest published rate when the table says so (RateTable.StandIn);
//     every part so charged, and every total summing one, is marked
//     Provisional, and Result.Provisional names the years, the stand-in
//     rate and the Chinese note (Provisional.Note). A missing year before
//     the latest published one is never guessed: it is a Problem naming it.
//   - Rounding is half away from zero to cents (RoundHalfUp2); money is
//     formatted with two decimals (FormatMoney: "243.80").
//
// # Businesses
//
//	4.4  个人退费              stored rows with their recorded interest; Sum
//	4.6  职工缴费基数调整补缴    stored rows (base = adjusted − paid); Accrue
//	4.9  职工缴费比例调整补缴    stored rows (rates = due − paid); Accrue
//	4.25 灵活就业人员应缴核定    GradeBase, FlexibleDue (20% personal, 8% to the account)
//	4.26 应缴核定撤销           stored assessed rows; InRange + Select + Sum
//	5.1  职工个人补缴           stored back-payment rows; Accrue
//	5.5  职工欠费清欠           stored arrears rows; Accrue
//	4.22/4.24/5.3 退休          RuleAt + RetirementRule.Legal, EarlyRetirementMonths,
//	                            CountContributionMonths
//
// # Errors
//
// Bad input is reported as Problems: each names the Input it is about (the
// calculation date, a row's period, base or one part's rate, the range,
// the ticked periods, a retirement figure) with a Chinese message, all
// problems of a request at once, inside an *apperr.Error with code Invalid.
// The names are the domain's: the HTTP edge maps them to its field keys.
//
// # Types
//
// YearMonth ("202009"; parses "2020-09") and Date ("2022-05-10") are plain
// calendar values without zones and marshal as text. Parts are indexed by
// PartKind (PartRates, LedgerRow.Parts). Wire types belong to the HTTP
// edge; these domain types carry no JSON tags.
package calc
