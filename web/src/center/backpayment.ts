// 补缴试算 (POST /api/v1/calculations/back-payment): the months and bases
// a person enters, sent as text, and the server's figures laid out as the
// manual's record tables lay them out (对应费款所属期, 缴费基数, 单位应缴金额
// and 个人应缴金额 with their 利息, the shares 划入个人账户, and 单位应缴金额 /
// 个人应缴金额 / 合计应缴总额). Nothing here computes money: every amount
// shown is a string the server sent.
import type { BackPaymentRequest, BackPaymentResult } from './types'

/** INSURED are the 参保身份 the trial takes (they choose the reference rates). */
export const INSURED = ['企业职工', '灵活就业人员'] as const

/** MAX_ROWS is the most months one trial takes (the API's limit). */
export const MAX_ROWS = 600

/** TrialRow is one month as typed. */
export interface TrialRow {
  period: string
  base: string
}

/** TrialForm is the form as typed. */
export interface TrialForm {
  insured: string
  calcDate: string
  rows: TrialRow[]
}

/** toRequest is the API body of the form: text as typed, trimmed; no 计算日期 means today. */
export function toRequest(f: TrialForm): BackPaymentRequest {
  return {
    calcDate: f.calcDate.trim() || null,
    insured: f.insured,
    rows: f.rows.map((r) => ({ period: r.period.trim(), base: r.base.trim() })),
  }
}

const YM = /^(\d{4})-?(0[1-9]|1[0-2])$/

/** parseYearMonth reads "202009" or "2020-09" as [year, month], or null. */
export function parseYearMonth(s: string): [number, number] | null {
  const m = YM.exec(s.trim())
  return m ? [Number(m[1]), Number(m[2])] : null
}

/**
 * monthsBetween lists the months from..to as YYYYMM (both included), for
 * 批量添加; an error in Chinese when a bound is not a month, the range is
 * backwards or longer than MAX_ROWS.
 */
export function monthsBetween(from: string, to: string): { months: string[] } | { error: string; field: 'from' | 'to' } {
  const a = parseYearMonth(from)
  if (!a) return { error: '开始年月格式应为YYYYMM（如202009）', field: 'from' }
  const b = parseYearMonth(to)
  if (!b) return { error: '结束年月格式应为YYYYMM（如202012）', field: 'to' }
  const start = a[0] * 12 + a[1] - 1
  const end = b[0] * 12 + b[1] - 1
  if (end < start) return { error: '结束年月不能早于开始年月', field: 'to' }
  if (end - start + 1 > MAX_ROWS) return { error: `一次最多计算${MAX_ROWS}个月，请分批试算`, field: 'to' }
  const months: string[] = []
  for (let i = start; i <= end; i++) months.push(`${Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}`)
  return { months }
}

/** rowKey is the API's field-error key of a row's input. */
export function rowKey(i: number, field: 'period' | 'base'): string {
  return `rows[${i}].${field}`
}

/** rowErrors are the messages of one row's inputs other than period and base (its rates). */
export function otherRowErrors(errors: Record<string, string>, i: number): string[] {
  const prefix = `rows[${i}].`
  return Object.entries(errors)
    .filter(([k]) => k.startsWith(prefix) && k !== rowKey(i, 'period') && k !== rowKey(i, 'base'))
    .map(([, v]) => v)
}

/** Cell is one amount of the result table. */
export type Cell = string

/** ResultTable is the trial's answer ready to render. */
export interface ResultTable {
  /** groups are the column groups (each with 金额 and 利息 under it). */
  groups: string[]
  rows: { period: string; base: string; cells: Cell[] }[]
  totals: { label: string; value: string }[]
  provisional: boolean
  note: string
  rates: { year: string; rate: string }[]
}

type Part = { amount: string; interest: string; provisional?: boolean }
type Row = BackPaymentResult['rows'][number]

const GROUPS: { label: string; part: (r: Row) => Part | undefined }[] = [
  { label: '单位应缴金额', part: (r) => r.unit },
  { label: '单位应缴划入个人账户金额', part: (r) => r.unitToAccount },
  { label: '个人应缴金额', part: (r) => r.personal },
  { label: '个人应缴划入个人账户金额', part: (r) => r.personalToAccount },
]

/** NOT_CHARGED marks a share the server did not charge for a month (it sends none). */
export const NOT_CHARGED = '—'

/**
 * resultTable lays the answer out: the account shares only when some month
 * has them, a share the server left out of a month as NOT_CHARGED, and the
 * totals under the manual's 5.1 labels.
 */
export function resultTable(res: BackPaymentResult): ResultTable {
  const groups = GROUPS.filter((g, i) => i === 0 || i === 2 || res.rows.some((r) => g.part(r)))
  return {
    groups: groups.map((g) => g.label),
    rows: res.rows.map((r) => ({
      period: r.period,
      base: r.base,
      cells: groups.flatMap((g) => {
        const p = g.part(r)
        return p ? [p.amount, p.provisional ? `${p.interest}*` : p.interest] : [NOT_CHARGED, NOT_CHARGED]
      }),
    })),
    totals: [
      { label: '单位应缴金额', value: res.totals.unit },
      { label: '个人应缴金额', value: res.totals.personal },
      { label: '合计应缴总额', value: res.totals.total },
    ],
    provisional: !!res.totals.provisional,
    note: res.provisionalNote ?? '',
    rates: Object.keys(res.rates)
      .sort()
      .map((year) => ({ year, rate: percent(res.rates[year] ?? '') })),
  }
}

/**
 * percent writes a decimal rate as a percentage by moving its point two
 * places ("0.0604" → "6.04%"), on the text, so nothing is rounded; text
 * that is not a plain decimal comes back as it is.
 */
export function percent(rate: string): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim())
  if (!m) return rate
  const frac = (m[2] ?? '').padEnd(2, '0')
  const whole = (m[1]! + frac.slice(0, 2)).replace(/^0+(?=\d)/, '')
  const rest = frac.slice(2).replace(/0+$/, '')
  return `${whole}${rest ? '.' + rest : ''}%`
}
