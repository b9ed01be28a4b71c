// 办理时间 (每月1-25号): outside its window a business cannot be submitted;
// the View says whether it is open now and when it opens next.
import type { WindowView } from './types'

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** opening is a time as the server words the next opening: 2022年6月1日 00:00 (Asia/Shanghai). */
export function opening(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const p = Object.fromEntries(shanghai.formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`
}

/** closedNotice is the banner of a business outside its window ('' while it is open). */
export function closedNotice(w: WindowView | undefined): string {
  if (!w || w.open) return ''
  const when = opening(w.opensAt)
  return `本业务的办理时间为${w.label}，当前不在办理时间内${when ? `，将于${when}开放办理` : ''}。现在可以填写和保存，开放后再提交。`
}
