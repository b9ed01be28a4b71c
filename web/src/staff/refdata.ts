// 参考数据维护 (admins): the reference data in force — 记账利率, 缴费比例,
// 社平工资 with its 缴费档次 — each with its 文件依据, and the form that adds
// or corrects one entry (POST /api/v1/review/refdata). Numbers stay text
// from the input to the API (never floats); the API checks them and its
// field errors ("entry.rate", "source", …) are mapped back to the inputs.
import type { RefdataEntry, RefdataKind, RefdataPut } from './types'

/** KINDS are the kinds in the API's order with their Chinese names. */
export const KINDS: { kind: RefdataKind; label: string }[] = [
  { kind: 'bookkeeping_rate', label: '记账利率' },
  { kind: 'contribution_rate', label: '缴费比例' },
  { kind: 'average_wage', label: '社平工资' },
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

/** period prints an entry's period: 202401–202412, 202101 起. */
export function periodText(from?: string, to?: string): string {
  if (!from && !to) return ''
  if (!to) return `${from} 起`
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
  }
  const body = { kind: f.kind, entry: e, source: f.source.trim() } as RefdataPut
  if (f.reason.trim()) body.reason = f.reason.trim()
  return body
}

/** FormKey names an input of the form (or "entry" for the entry as a whole). */
export type FormKey = keyof RefdataForm | 'entry'

/**
 * formErrors maps the API's field errors to the form's inputs:
 * "entry.rate" → rate, "entry.grades[2]" → grades, "entry.flags[0]" →
 * flags, "source", "reason", "kind"; anything else about the entry →
 * entry.
 */
export function formErrors(fieldErrors: Record<string, string>): Partial<Record<FormKey, string>> {
  const out: Partial<Record<FormKey, string>> = {}
  const keys = new Set<string>(Object.keys(emptyForm('bookkeeping_rate')))
  for (const [k, v] of Object.entries(fieldErrors)) {
    const name = k.replace(/^entry\./, '').replace(/\[\d+\]$/, '')
    const key = (k.startsWith('entry.') || k === 'source' || k === 'reason' || k === 'kind') && keys.has(name) ? (name as FormKey) : 'entry'
    out[key] = out[key] ? `${out[key]}；${v}` : v
  }
  return out
}

/** checkForm returns the form's own errors before it is sent (文件依据 is required). */
export function checkForm(f: RefdataForm, correcting: boolean): Partial<Record<FormKey, string>> {
  const bad: Partial<Record<FormKey, string>> = {}
  if (!f.source.trim()) bad.source = '请填写文件依据'
  if (correcting && !f.reason.trim()) bad.reason = '修改现行参考数据须填写修改原因'
  return bad
}

/** entryName is the name an entry of the form will have (年度, or 参保身份-起始年月). */
export function entryName(f: Pick<RefdataForm, 'kind' | 'year' | 'insured' | 'from'>): string {
  return f.kind === 'contribution_rate' ? `${f.insured.trim()}-${f.from.trim()}` : f.year.trim()
}

/** originText says where an entry in force comes from: built in, or stored (version, by whom, when). */
export function originText(e: Pick<RefdataEntry, 'origin' | 'stored'>): string {
  if (e.origin !== 'stored' || !e.stored) return '内置'
  return `已保存（第${e.stored.version}版）`
}
