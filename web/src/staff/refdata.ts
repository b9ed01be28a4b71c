// 参考数据维护 (admins): the reference data in force — 记账利率, 缴费比例,
// 社平工资 with its 缴费档次, 办理时间调整 (a day of the monthly window closed,
// opened or back to the rule) — each with its 文件依据, and the form that adds
// or corrects one entry (POST /api/v1/review/refdata). Numbers stay text
// from the input to the API (never floats); the API checks them and its
// field errors ("entry.rate", "source", …) are mapped back to the inputs.
import type { RefdataEntry, RefdataKind, RefdataPut } from './types'

/** KINDS are the kinds in the API's order with their Chinese names. */
export const KINDS: { kind: RefdataKind; label: string }[] = [
  { kind: 'bookkeeping_rate', label: '记账利率' },
  { kind: 'contribution_rate', label: '缴费比例' },
  { kind: 'average_wage', label: '社平工资' },
  { kind: 'window_exception', label: '办理时间调整' },
]

/** kindLabel names a kind. */
export function kindLabel(k: string): string {
  return KINDS.find((x) => x.kind === k)?.label ?? k
}

/** isKind tells a kind from other text. */
export function isKind(k: unknown): k is RefdataKind {
  return KINDS.some((x) => x.kind === k)
}

/** RATE_STATUS names a 记账利率's 公布口径. */
export const RATE_STATUS: Record<string, string> = { national: '全国统一', provincial: '本省' }

/** INSURED names a 缴费比例's 参保身份. */
export const INSURED: Record<string, string> = { employee: '企业职工', flexible: '灵活就业人员' }

/** ADJUST names a 办理时间调整's 调整方式 (OpenAPI WindowException.kind). */
export const ADJUST: Record<string, string> = { closed: '当日不办理', open: '当日开放办理', regular: '恢复每月规则' }

/** WINDOWS names the windows a 办理时间调整 may change (the catalog's monthly-1-25). */
export const WINDOWS: Record<string, string> = { 'monthly-1-25': '每月1-25号' }

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']

/** weekday names the weekday of a YYYY-MM-DD date (星期三); '' for other text. */
export function weekday(d: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d ?? '')
  if (!m) return ''
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return Number.isNaN(t.getTime()) ? '' : (WEEKDAYS[t.getUTCDay()] ?? '')
}

/** dayText prints a YYYY-MM-DD date with its weekday: 2022-05-11（星期三）; other text as it is. */
export function dayText(d: string | undefined): string {
  const w = weekday(d)
  return w ? `${d}（${w}）` : (d ?? '')
}

/**
 * percent prints a decimal rate as a percentage by moving its point
 * ("0.0262" → "2.62%", "0.16" → "16%"), exactly; other text as it is.
 */
export function percent(rate: string | undefined): string {
  if (rate === undefined || rate === '') return ''
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(rate.trim())
  if (!m) return rate
  const [, sign, int = '0', frac = ''] = m
  const digits = int + frac.padEnd(2, '0')
  const point = int.length + 2
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '')
  const rest = digits.slice(point).replace(/0+$/, '')
  return `${sign}${whole}${rest ? '.' + rest : ''}%`
}

/** period prints an entry's period: 202401–202412, 202101 起, or 201304 for one month (one day). */
export function periodText(from?: string, to?: string): string {
  if (!from && !to) return ''
  if (!to) return `${from} 起`
  if (from === to) return to
  return `${from}–${to}`
}

/** RefdataForm is the add/correct form: every value as typed. */
export interface RefdataForm {
  kind: RefdataKind
  year: string
  rate: string
  status: string
  flag: string
  insured: string
  from: string
  to: string
  unit: string
  personal: string
  unitToAccount: string
  personalToAccount: string
  monthly: string
  floor: string
  ceiling: string
  grades: string
  flags: string
  window: string
  date: string
  /** adjust is a 办理时间调整's kind (closed, open, regular): the entry's "kind". */
  adjust: string
  note: string
  source: string
  reason: string
}

/** emptyForm is a new entry of a kind. */
export function emptyForm(kind: RefdataKind): RefdataForm {
  return {
    kind,
    year: '',
    rate: '',
    status: 'national',
    flag: '',
    insured: 'employee',
    from: '',
    to: '',
    unit: '',
    personal: '',
    unitToAccount: '',
    personalToAccount: '',
    monthly: '',
    floor: '',
    ceiling: '',
    grades: '',
    flags: '',
    window: 'monthly-1-25',
    date: '',
    adjust: 'closed',
    note: '',
    source: '',
    reason: '',
  }
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v))

/** formFromEntry fills the form from an entry in force, for a correction (文件依据 and 修改原因 left to the admin). */
export function formFromEntry(kind: RefdataKind, entry: Record<string, unknown>): RefdataForm {
  const f = emptyForm(kind)
  for (const k of ['year', 'rate', 'status', 'flag', 'insured', 'from', 'to', 'unit', 'personal', 'unitToAccount', 'personalToAccount', 'monthly', 'floor', 'ceiling'] as const) {
    if (entry[k] !== undefined) f[k] = text(entry[k])
  }
  if (Array.isArray(entry.grades)) f.grades = entry.grades.map(text).join(', ')
  if (Array.isArray(entry.flags)) f.flags = entry.flags.map(text).join('\n')
  if (kind === 'window_exception') {
    for (const k of ['window', 'date', 'note'] as const) if (entry[k] !== undefined) f[k] = text(entry[k])
    if (entry.kind !== undefined) f.adjust = text(entry.kind)
  }
  return f
}

const list = (s: string, sep: RegExp) =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter((x) => x !== '')

/** entryBody is the request of POST /api/v1/review/refdata for the form (empty values left out). */
export function entryBody(f: RefdataForm): RefdataPut {
  const put = (o: Record<string, unknown>, k: string, v: string) => {
    if (v.trim() !== '') o[k] = v.trim()
  }
  const e: Record<string, unknown> = {}
  switch (f.kind) {
    case 'bookkeeping_rate':
      put(e, 'year', f.year)
      put(e, 'rate', f.rate)
      put(e, 'status', f.status)
      put(e, 'flag', f.flag)
      break
    case 'contribution_rate':
      put(e, 'insured', f.insured)
      put(e, 'from', f.from)
      put(e, 'to', f.to)
      put(e, 'unit', f.unit)
      put(e, 'personal', f.personal)
      put(e, 'unitToAccount', f.unitToAccount)
      put(e, 'personalToAccount', f.personalToAccount)
      if (list(f.flags, /\n/).length) e.flags = list(f.flags, /\n/)
      break
    case 'average_wage':
      put(e, 'year', f.year)
      put(e, 'monthly', f.monthly)
      put(e, 'floor', f.floor)
      put(e, 'ceiling', f.ceiling)
      if (list(f.grades, /[,，、\s]+/).length) e.grades = list(f.grades, /[,，、\s]+/)
      if (list(f.flags, /\n/).length) e.flags = list(f.flags, /\n/)
      break
    case 'window_exception':
      put(e, 'window', f.window)
      put(e, 'date', f.date)
      put(e, 'kind', f.adjust)
      put(e, 'note', f.note)
      break
  }
  const body = { kind: f.kind, entry: e, source: f.source.trim() } as RefdataPut
  if (f.reason.trim()) body.reason = f.reason.trim()
  return body
}

/** FormKey names an input of the form (or "entry" for the entry as a whole). */
export type FormKey = keyof RefdataForm | 'entry'

// The entry's keys whose input has another name (a 办理时间调整's "kind" is
// its 调整方式; its window has no input, so its errors are the entry's).
const ENTRY_INPUTS: Record<string, FormKey> = { kind: 'adjust', window: 'entry' }

/**
 * formErrors maps the API's field errors to the form's inputs:
 * "entry.rate" → rate, "entry.grades[2]" → grades, "entry.flags[0]" →
 * flags, "entry.kind" → adjust, "source", "reason", "kind"; anything else
 * about the entry → entry.
 */
export function formErrors(fieldErrors: Record<string, string>): Partial<Record<FormKey, string>> {
  const out: Partial<Record<FormKey, string>> = {}
  const keys = new Set<string>(Object.keys(emptyForm('bookkeeping_rate')))
  for (const [k, v] of Object.entries(fieldErrors)) {
    const inEntry = k.startsWith('entry.')
    const bare = k.replace(/^entry\./, '').replace(/\[\d+\]$/, '')
    const name = inEntry ? (ENTRY_INPUTS[bare] ?? bare) : bare
    const key = (inEntry || k === 'source' || k === 'reason' || k === 'kind') && keys.has(name) ? (name as FormKey) : 'entry'
    out[key] = out[key] ? `${out[key]}；${v}` : v
  }
  return out
}

/**
 * checkForm returns the form's own errors before it is sent, in the
 * server's words: 文件依据 is required, 修改原因 for a correction, and a
 * 办理时间调整 needs its date and, unless it restores the rule, its 说明.
 */
export function checkForm(f: RefdataForm, correcting: boolean): Partial<Record<FormKey, string>> {
  const bad: Partial<Record<FormKey, string>> = {}
  if (f.kind === 'window_exception') {
    if (!f.date.trim()) bad.date = '请选择日期'
    if (f.adjust !== 'regular' && !f.note.trim()) bad.note = '请填写说明'
  }
  if (!f.source.trim()) bad.source = '请填写文件依据'
  if (correcting && !f.reason.trim()) bad.reason = '修改现行参考数据须填写修改原因'
  return bad
}

/** entryName is the name an entry of the form will have (年度, 参保身份-起始年月, or 办理时段-日期). */
export function entryName(f: Pick<RefdataForm, 'kind' | 'year' | 'insured' | 'from' | 'window' | 'date'>): string {
  if (f.kind === 'contribution_rate') return `${f.insured.trim()}-${f.from.trim()}`
  if (f.kind === 'window_exception') return `${f.window.trim()}-${f.date.trim()}`
  return f.year.trim()
}

/**
 * needsReason tells whether the form changes data in force, which needs a
 * 修改原因: a correction, or a new entry whose name (a year, a date) is
 * already in force.
 */
export function needsReason(f: RefdataForm, correcting: boolean, inForce: readonly string[]): boolean {
  return correcting || inForce.includes(entryName(f))
}

/** entryTitle names an entry for people: its name, or a 办理时间调整's date. */
export function entryTitle(kind: RefdataKind, name: string, entry?: Record<string, unknown>): string {
  if (kind === 'window_exception' && typeof entry?.date === 'string') return entry.date
  return name
}

/** originText says where an entry in force comes from: built in, or stored (version, by whom, when). */
export function originText(e: Pick<RefdataEntry, 'origin' | 'stored'>): string {
  if (e.origin !== 'stored' || !e.stored) return '内置'
  return `已保存（第${e.stored.version}版）`
}
