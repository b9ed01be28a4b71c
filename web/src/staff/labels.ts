// The staff console's Chinese words for the API's codes. Where the manual or
// the API document has a word it is used as it is (状态 from
// ApplicationStatus, 时限状态 from the brief); the others are this
// portal's own and listed in the staff console's report.
import type { SLA } from './types'

/** SLA_LABELS are the 时限状态 of a queued case (API: onTime, dueSoon, overdue). */
export const SLA_LABELS: Record<SLA, string> = {
  onTime: '正常',
  dueSoon: '即将超时',
  overdue: '已超时',
}

/** SLA_HINTS say what each 时限状态 means (the API document's SLA). */
export const SLA_HINTS: Record<SLA, string> = {
  onTime: '剩余8小时以上',
  dueSoon: '8小时内到期',
  overdue: '已超过48小时',
}

/** slaLabel is the 时限状态 of a case; '' (never submitted) is empty. */
export function slaLabel(s: string | undefined): string {
  return s && s in SLA_LABELS ? SLA_LABELS[s as SLA] : ''
}

/** slaTone is the tag colour of a 时限状态. */
export function slaTone(s: string | undefined): 'success' | 'warning' | 'danger' | 'info' {
  switch (s) {
    case 'onTime':
      return 'success'
    case 'dueSoon':
      return 'warning'
    case 'overdue':
      return 'danger'
  }
  return 'info'
}

export { STATUS_LABELS, statusLabel } from '../api/status'


/** ACTOR_LABELS name who made a timeline event. */
export const ACTOR_LABELS: Record<string, string> = {
  applicant: '申请人',
  reviewer: '审核员',
  system: '系统',
}

/** actorLabel names who made a timeline event. */
export function actorLabel(a: string): string {
  return ACTOR_LABELS[a] ?? a
}

/**
 * STEP_LABELS name the steps of the review workflow
 * (infra/statemachine/review.asl.json) that can fail and wait for staff.
 */
export const STEP_LABELS: Record<string, string> = {
  GenerateReceipt: '生成回执单',
  NotifySubmitted: '发送提交通知',
  AwaitReview: '等待审核',
  Escalate: '超时提醒',
  ApplyDecision: '执行审核决定',
  MarkReturned: '退回申请',
  NotifyResult: '发送办理结果',
}

/** stepLabel names a workflow step; Apply<Family> steps write the business's result. */
export function stepLabel(step: string): string {
  if (STEP_LABELS[step]) return STEP_LABELS[step]
  if (/^Apply[A-Z]/.test(step)) return '写入办理结果'
  return step
}
