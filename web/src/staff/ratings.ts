// 好差评: the area's ratings (filters 只看差评, 只看未答复), the answer to a
// 差评 (once), and the statistics per business for a period of at most a
// year (GET /api/v1/review/ratings/stats).
import type { BusinessRatings, Rating } from './types'

/** RatingFilters are the list's filters. */
export interface RatingFilters {
  negative: boolean
  unanswered: boolean
}

/** ratingQuery is the query of GET /api/v1/review/ratings. */
export function ratingQuery(f: RatingFilters, cursor = ''): { negative?: 'true'; unanswered?: 'true'; cursor?: string } {
  const out: ReturnType<typeof ratingQuery> = {}
  if (f.negative) out.negative = 'true'
  if (f.unanswered) out.unanswered = 'true'
  if (cursor) out.cursor = cursor
  return out
}

/** canAnswer tells a 差评 still without the agency's answer (answered once only). */
export function canAnswer(r: Pick<Rating, 'negative' | 'answer'>): boolean {
  return r.negative && !r.answer
}

/** AnswerState is where a rating stands as to the agency's answer. */
export type AnswerState = 'none' | 'answered' | 'answeredLate' | 'due'

/**
 * answerState tells a positive rating (none), an answered 差评 (on time or
 * late, by the times the API recorded) and an open one (due by answerBy).
 * Whether an open one is late is the server's to say (its clock, which a
 * local run sets to the manual's date, is not the browser's): the
 * statistics count those as late.
 */
export function answerState(r: Pick<Rating, 'negative' | 'answer' | 'answerBy' | 'answeredAt'>): AnswerState {
  if (!r.negative) return 'none'
  if (!r.answer) return 'due'
  const by = r.answerBy ? Date.parse(r.answerBy) : Number.NaN
  const at = r.answeredAt ? Date.parse(r.answeredAt) : Number.NaN
  return at > by ? 'answeredLate' : 'answered'
}

/** ANSWER_STATE_LABELS name the answer states. */
export const ANSWER_STATE_LABELS: Record<AnswerState, string> = {
  none: '无需答复',
  answered: '已答复',
  answeredLate: '已答复（逾期）',
  due: '待答复',
}

/** MAX_ANSWER is the API's limit on an answer, in characters. */
export const MAX_ANSWER = 500

/** checkAnswer returns the answer's error, '' when it can be sent. */
export function checkAnswer(s: string): string {
  if (!s.trim()) return '请填写答复内容'
  if (Array.from(s).length > MAX_ANSWER) return `最多${MAX_ANSWER}个字`
  return ''
}

/** GRADES are the five grades of the national 好差评 (code table serviceRating), best first. */
export const GRADES = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const

const DAY = 24 * 60 * 60 * 1000
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function dayOf(s: string): number {
  if (!ISO_DATE.test(s)) return Number.NaN
  const t = Date.parse(s + 'T00:00:00Z')
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? Number.NaN : t
}

/** checkRange returns the errors of a statistics period (keys from, to), as the API words them. */
export function checkRange(from: string, to: string): Record<string, string> {
  const bad: Record<string, string> = {}
  const f = dayOf(from)
  const t = dayOf(to)
  if (from && Number.isNaN(f)) bad.from = '日期格式应为YYYY-MM-DD'
  if (to && Number.isNaN(t)) bad.to = '日期格式应为YYYY-MM-DD'
  if (Object.keys(bad).length || !from || !to) return bad
  if (t < f) bad.to = '结束日期不能早于开始日期'
  else if (t - f > 366 * DAY) bad.from = '统计区间最长一年'
  return bad
}

/** satisfaction prints the satisfaction rate ("96.55" → "96.55%"; none → "—"). */
export function satisfaction(s: string | undefined): string {
  return s ? `${s}%` : '—'
}

/** StatRow is one row of the statistics table. */
export interface StatRow {
  business: string
  name: string
  count: number
  grades: number[]
  satisfaction: string
  negative: number
  unanswered: number
  late: number
}

/** statRow lays out a business's (or the total's) figures in the table's columns. */
export function statRow(b: BusinessRatings, name: string): StatRow {
  return {
    business: b.business ?? '',
    name,
    count: b.count,
    grades: GRADES.map((g) => b.grades[g] ?? 0),
    satisfaction: satisfaction(b.satisfaction),
    negative: b.negative,
    unanswered: b.unanswered,
    late: b.late,
  }
}
