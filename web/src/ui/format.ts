// Times and sizes as the portal prints them. The API sends RFC 3339 times
// (UTC or +08:00); the portal shows them in Asia/Shanghai, the platform's
// time zone, whatever the browser's.

const TZ = 'Asia/Shanghai'

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function pieces(iso: string): Record<string, string> | null {
  const t = new Date(iso)
  if (!iso || Number.isNaN(t.getTime())) return null
  const out: Record<string, string> = {}
  for (const p of parts.formatToParts(t)) out[p.type] = p.value
  return out
}

/** dateTime prints an RFC 3339 time as 2022-05-10 09:00 (Asia/Shanghai); '' for none. */
export function dateTime(iso: string | undefined): string {
  const p = pieces(iso ?? '')
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : ''
}

/** date prints an RFC 3339 time as 2022-05-10 (Asia/Shanghai); '' for none. */
export function date(iso: string | undefined): string {
  const p = pieces(iso ?? '')
  return p ? `${p.year}-${p.month}-${p.day}` : ''
}

/** fileSize prints a byte count as 539 B, 12.5 KB or 1.2 MB. */
export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
