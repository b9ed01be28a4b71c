// Where an application is, as 用户中心 shows it, and what the applicant may
// do with it there. The API names each application's status in Chinese
// (statusLabel); the labels below are only for what it sends no label
// with: the 办理状态 filter's choices and the timeline's events. They are
// the ApplicationStatus description of the OpenAPI document, word for word.
import type { ApplicationStatus } from './types'

export { STATUS_LABELS, statusLabel, isStatus } from '../api/status'
import { isStatus } from '../api/status'

/** FILTER_STATUSES are the 办理状态 choices of 我的申请 (drafts have their own tab). */
export const FILTER_STATUSES: ApplicationStatus[] = ['submitted', 'in_review', 'returned', 'approved', 'completed', 'rejected', 'withdrawn']



type HasStatus = { status: string }

/** waiting: submitted and not decided yet, so the 48-hour clock runs. */
export function waiting(a: HasStatus): boolean {
  return a.status === 'submitted' || a.status === 'in_review'
}

/** canWithdraw: only before a reviewer claims it (受理 turns it to 审核中). */
export function canWithdraw(a: HasStatus): boolean {
  return a.status === 'submitted'
}

/** canRate: 好差评 once the case is 已办结 or 不予受理, and only once. */
export function canRate(a: HasStatus & { rating?: unknown }): boolean {
  return (a.status === 'completed' || a.status === 'rejected') && !a.rating
}

/** editable: a draft, or a returned case before it is submitted again (立即办理 opens it). */
export function editable(a: HasStatus): boolean {
  return a.status === 'draft' || a.status === 'returned'
}

/** Tone is the colour family of a status badge. */
export type Tone = 'info' | 'primary' | 'warning' | 'success' | 'danger'

/** tone is how a status is coloured: waiting blue, returned amber, done green, refused red. */
export function tone(s: string): Tone {
  switch (s) {
    case 'submitted':
    case 'in_review':
    case 'approved':
      return 'primary'
    case 'returned':
      return 'warning'
    case 'completed':
      return 'success'
    case 'rejected':
      return 'danger'
  }
  return 'info'
}

const ACTORS = new Map([
  ['applicant', '申请人'],
  ['reviewer', '经办人员'],
  ['system', '系统'],
])

/** actorLabel names who caused a timeline event. */
export function actorLabel(actor: string): string {
  return ACTORS.get(actor) ?? actor
}

/** Tab is a tab of 用户中心. */
export type Tab = 'applications' | 'drafts'

/** ListQuery is what 用户中心 shows, kept in the URL. */
export interface ListQuery {
  tab: Tab
  status: ApplicationStatus | ''
  business: string
}

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

function one(v: RouteQuery[string]): string {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s : ''
}

/** fromRoute reads the list's conditions from the URL, dropping what is not valid. */
export function fromRoute(q: RouteQuery): ListQuery {
  const tab: Tab = one(q.tab) === 'drafts' ? 'drafts' : 'applications'
  const status = one(q.status)
  const business = one(q.business).trim()
  if (tab === 'drafts') return { tab, status: '', business: '' }
  return {
    tab,
    status: isStatus(status) && status !== 'draft' ? status : '',
    business: /^[a-z0-9-]{1,80}$/.test(business) ? business : '',
  }
}

/** toRoute writes the conditions back, leaving out the defaults. */
export function toRoute(c: ListQuery): Record<string, string> {
  const out: Record<string, string> = {}
  if (c.tab === 'drafts') {
    out.tab = 'drafts'
    return out
  }
  if (c.status) out.status = c.status
  if (c.business) out.business = c.business
  return out
}

/** listParams is the GET /api/v1/applications query of the conditions and a page's cursor. */
export function listParams(c: ListQuery, cursor = ''): { drafts?: 'true'; status?: ApplicationStatus; business?: string; cursor?: string } {
  const p: { drafts?: 'true'; status?: ApplicationStatus; business?: string; cursor?: string } = {}
  if (c.tab === 'drafts') p.drafts = 'true'
  else {
    if (c.status) p.status = c.status
    if (c.business) p.business = c.business
  }
  if (cursor) p.cursor = cursor
  return p
}
