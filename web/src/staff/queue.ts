// 待审核: the filters of the reviewer's queue (业务, 状态, 时限状态) as the
// route's query and the API's, the order (due first), and what a row says
// about 受理 and the four-eyes rule (双人审核).
import type { LocationQuery } from 'vue-router'
import type { QueueItem, SLA } from './types'
import { SLA_LABELS } from './labels'

/** QueueFilters are the chosen filters; '' is 全部. */
export interface QueueFilters {
  business: string
  status: '' | 'submitted' | 'in_review'
  sla: '' | SLA
}

/** STATUS_OPTIONS are the statuses a queued case can have, in the filter's order. */
export const STATUS_OPTIONS: { value: QueueFilters['status']; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'submitted', label: '已提交' },
  { value: 'in_review', label: '审核中' },
]

/** SLA_OPTIONS are the 时限状态 filter's choices. */
export const SLA_OPTIONS: { value: QueueFilters['sla']; label: string }[] = [
  { value: '', label: '全部' },
  ...(Object.keys(SLA_LABELS) as SLA[]).map((v) => ({ value: v, label: SLA_LABELS[v] })),
]

const BUSINESS_ID = /^[a-z0-9-]{1,64}$/

function one(v: LocationQuery[string] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s : ''
}

/** filtersFromRoute reads the filters from the route's query, dropping unknown values. */
export function filtersFromRoute(q: LocationQuery): QueueFilters {
  const business = one(q.business)
  const status = one(q.status)
  const sla = one(q.sla)
  return {
    business: BUSINESS_ID.test(business) ? business : '',
    status: STATUS_OPTIONS.some((o) => o.value === status) ? (status as QueueFilters['status']) : '',
    sla: SLA_OPTIONS.some((o) => o.value === sla) ? (sla as QueueFilters['sla']) : '',
  }
}

/** toRoute is the query of the filters (only the chosen ones). */
export function toRoute(f: QueueFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.business) out.business = f.business
  if (f.status) out.status = f.status
  if (f.sla) out.sla = f.sla
  return out
}

/** apiQuery is the query of GET /api/v1/review/queue for the filters. */
export function apiQuery(f: QueueFilters, cursor = ''): { business?: string; status?: 'submitted' | 'in_review'; sla?: SLA; cursor?: string } {
  const out: ReturnType<typeof apiQuery> = {}
  if (f.business) out.business = f.business
  if (f.status) out.status = f.status
  if (f.sla) out.sla = f.sla
  if (cursor) out.cursor = cursor
  return out
}

/** byDue orders cases by their due time, the one due first first (those without one last). */
export function byDue<T extends { dueBy?: string }>(items: readonly T[]): T[] {
  const at = (x: T) => (x.dueBy ? Date.parse(x.dueBy) : Number.POSITIVE_INFINITY)
  return items
    .map((x, i) => ({ x, i }))
    .sort((a, b) => at(a.x) - at(b.x) || a.i - b.i)
    .map((p) => p.x)
}

/** mergePage adds a next page to the rows shown, once per case, still due first. */
export function mergePage(shown: readonly QueueItem[], page: readonly QueueItem[]): QueueItem[] {
  const seen = new Set(shown.map((x) => x.id))
  return byDue([...shown, ...page.filter((x) => !seen.has(x.id))])
}

/** FOUR_EYES is how many different reviewers approve a four-eyes business. */
export const FOUR_EYES = 2

/** fourEyesText says where a case stands under the four-eyes rule. */
export function fourEyesText(x: { fourEyes?: boolean; approvals: number }): string {
  if (!x.fourEyes) return '一人审核'
  if (x.approvals <= 0) return `双人审核：已通过 0/${FOUR_EYES}`
  if (x.approvals < FOUR_EYES) return `双人审核：已通过 ${x.approvals}/${FOUR_EYES}，待其他审核员复核`
  return `双人审核：已通过 ${x.approvals}/${FOUR_EYES}`
}

/** staffId is the 工号 in an account id ("staff:R230999" → "R230999"). */
export function staffId(accountId: string | undefined): string {
  return (accountId ?? '').replace(/^staff:/, '')
}

/** ClaimState is what the reviewer can do with a queued case. */
export type ClaimState = 'open' | 'mine' | 'other'

/** claimState tells a case nobody has claimed, one the reviewer claimed, and one another reviewer claimed. */
export function claimState(x: { claimedBy?: string }, me: string | undefined): ClaimState {
  if (!x.claimedBy) return 'open'
  return staffId(x.claimedBy) === staffId(me) ? 'mine' : 'other'
}
