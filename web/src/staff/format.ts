// Times and sizes as the staff console prints them. The API sends RFC 3339
// times (UTC or +08:00); the console shows them in Asia/Shanghai, the
// platform's time zone, whatever the browser's.

export { dateTime, date, fileSize } from '../ui/format'
import { date } from '../ui/format'

/** today is the date in Asia/Shanghai of now, as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return date(now.toISOString())
}


/** period prints a YYYYMM period as 2022年05月 ('' and others as they are). */
export function period(ym: string): string {
  return /^\d{6}$/.test(ym) ? `${ym.slice(0, 4)}年${ym.slice(4)}月` : ym
}
