// Times as 用户中心 shows them: in Asia/Shanghai whatever the browser's
// zone, and the 48-hour clock of a submitted application (工作人员会在48小时
// 之内处理) counted against the server's time, not the browser's: a
// computer's clock can be wrong, and the server's is the one that decides
// when a case is overdue.

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** DUE_SOON is when the clock turns amber: 8 hours left (OpenAPI SLA dueSoon). */
export const DUE_SOON = 8 * HOUR

// formatDateTime ("2022-05-10 09:01") and formatDate ("2022-05-10"), in
// Asia/Shanghai; "" when it is not a time.
export { dateTime as formatDateTime, date as formatDate } from '../ui/format'
import { dateTime as formatDateTime } from '../ui/format'

/** hoursMinutes is a duration as "47小时5分钟" (whole minutes, rounded down). */
export function hoursMinutes(ms: number): string {
  const mins = Math.floor(Math.max(0, ms) / MINUTE)
  const h = Math.floor(mins / 60)
  const m = mins % 60
  if (h === 0) return `${m}分钟`
  return m === 0 ? `${h}小时` : `${h}小时${m}分钟`
}

/** Sla is the 48-hour clock of a waiting application. */
export interface Sla {
  kind: 'onTime' | 'dueSoon' | 'overdue'
  /** text is what the badge says: 剩余…, or 已超时…. */
  text: string
  /** due is the deadline, formatted. */
  due: string
}

/** sla is the clock of an application due by dueBy, at the server's time now (ms). */
export function sla(dueBy: string | undefined, now: number): Sla | null {
  const due = dueBy ? Date.parse(dueBy) : NaN
  if (Number.isNaN(due)) return null
  const left = due - now
  if (left <= 0) return { kind: 'overdue', text: `已超时${hoursMinutes(-left)}`, due: formatDateTime(dueBy) }
  const text = left < MINUTE ? '剩余不足1分钟' : `剩余${hoursMinutes(left)}`
  return { kind: left <= DUE_SOON ? 'dueSoon' : 'onTime', text, due: formatDateTime(dueBy) }
}

/**
 * offsetOf is how far the server's clock is ahead of the browser's: its
 * time as it answered (serverIso) against the browser's time halfway
 * through the request. 0 when the answer carries no time.
 */
export function offsetOf(serverIso: string | undefined, sentAt: number, receivedAt: number): number {
  const server = serverIso ? Date.parse(serverIso) : NaN
  if (Number.isNaN(server)) return 0
  return server - (sentAt + receivedAt) / 2
}
