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

/** closedNotice is the banner of a business outside its window ('' while it is open), with the note of a 办理时间调整. */
export function closedNotice(w: WindowView | undefined): string {
  if (!w || w.open) return ''
  const when = w.opensAt ? opening(w.opensAt) : ''
  const note = w.note ? `（${w.note}）` : ''
  return `本业务的办理时间为${w.label}，当前不在办理时间内${note}${when ? `，将于${when}开放办理` : ''}。现在可以填写和保存，开放后再提交。`
}

/** windowLabel is 办理时间 as the page header shows it: the rule and, while open, the last day of this period. */
export function windowLabel(w: WindowView): string {
  if (!w.open || !w.closesAt) return w.label
  // closesAt is 00:00 of the first closed day: the period's last day is the day before.
  const last = new Date(new Date(w.closesAt).getTime() - 1000).toISOString()
  const day = opening(last).replace(/ .*$/, '')
  return day ? `${w.label}（本期办理至${day}${w.note ? `，${w.note}` : ''}）` : w.label
}
