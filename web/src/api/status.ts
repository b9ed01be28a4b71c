// The application statuses as the API document names them (OpenAPI
// ApplicationStatus, word for word): for what the API sends without a label
// (filters, timeline events). 用户中心 and the staff console share them.
import type { components } from './schema'

export type ApplicationStatus = components['schemas']['ApplicationStatus']

/** STATUS_LABELS are the statuses' names. */
export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: '草稿',
  submitted: '已提交',
  in_review: '审核中',
  approved: '审核通过',
  returned: '已退回',
  rejected: '不予受理',
  completed: '已办结',
  withdrawn: '已撤回',
}

/** isStatus tells a known status code from anything else (a query value). */
export function isStatus(s: unknown): s is ApplicationStatus {
  return typeof s === 'string' && Object.hasOwn(STATUS_LABELS, s)
}

/** statusLabel names a status, falling back to its code for one the portal does not know yet. */
export function statusLabel(s: string): string {
  return isStatus(s) ? STATUS_LABELS[s] : s
}
