// 基本信息: the form of a business, rendered from the catalog's field
// definitions (GET /api/v1/services/{id}), the same ones the server
// validates with. Plain functions: groups, grey read-only fields, the
// control of each type, values between the API and the browser's inputs,
// and the options of a code table.
import { entryLabels } from '../catalog/entries'
import type { CodeEntry, CodeTable, Field } from './types'

/** Group is one titled part of 基本信息 (个人基本信息, 退费信息, 银行信息 …). */
export interface Group {
  title: string
  fields: Field[]
}

/**
 * groups splits the fields by their group, in the order the groups first
 * appear; fields without a group form an untitled group where they stand.
 */
export function groups(fields: readonly Field[]): Group[] {
  const out: Group[] = []
  for (const f of fields) {
    const title = f.group ?? ''
    const last = out[out.length - 1]
    const same = title ? out.find((g) => g.title === title) : last && last.title === '' ? last : undefined
    if (same) same.fields.push(f)
    else out.push({ title, fields: [f] })
  }
  return out
}

/**
 * readOnly reports whether a field is shown grey and not edited: always;
 * whenPrefilled when the draft came with a value for it from the records;
 * after:<key> once that other field has a value (5.9).
 */
export function readOnly(f: Field, prefilled: Readonly<Record<string, string>>, values: Readonly<Record<string, string>>): boolean {
  const ro = f.readOnly ?? ''
  // A value derived from another field (4.4 退费范围 from 退费原因) is grey
  // once the server gives it; the API derives none yet, so until it does
  // the person chooses it rather than being unable to submit.
  if (ro === 'always') return f.prefill?.from !== 'derived' || !!prefilled[f.key]
  if (ro === 'whenPrefilled') return !!prefilled[f.key]
  if (ro.startsWith('after:')) return !!values[ro.slice('after:'.length)]
  return false
}

/**
 * prefilled are the draft's values that came from the records: the
 * values a new draft is opened with, where the server can prefill them.
 * An agent's draft is prefilled from the unit and the account, never from
 * a person (the employee is named in the form), so its person fields stay
 * editable when the draft is opened again.
 */
export function prefilled(fields: readonly Field[], values: Readonly<Record<string, string>>, agent: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const v = values[f.key]
    if (!v || !f.prefill) continue
    if (agent && f.prefill.from === 'person') continue
    out[f.key] = v
  }
  return out
}

/** Control is how a field is entered. */
export type Control = 'text' | 'select' | 'date' | 'month' | 'year' | 'monthOfYear' | 'textarea'

/** control is the input a field's type needs. */
export function control(f: Field): Control {
  if (f.enum || f.type === 'enum' || f.type === 'regionCode') return 'select'
  switch (f.type) {
    case 'date':
      return 'date'
    case 'yearMonth':
      return 'month'
    case 'year':
      return 'year'
    case 'month':
      return 'monthOfYear'
    case 'text':
      return (f.maxLength ?? 0) > 200 ? 'textarea' : 'text'
    default:
      return 'text'
  }
}

/** inputMode is the on-screen keyboard a text field wants. */
export function inputMode(f: Field): 'numeric' | 'decimal' | 'tel' | 'email' | 'text' {
  switch (f.type) {
    case 'integer':
    case 'postcode':
    case 'year':
    case 'bankAccount':
      return 'numeric'
    case 'money':
    case 'number':
    case 'ratio':
      return 'decimal'
    case 'mobile':
    case 'phone':
      return 'tel'
    case 'email':
      return 'email'
    default:
      return 'text'
  }
}

const fixedLength: Partial<Record<Field['type'], number>> = {
  idNumber: 18,
  socialSecurityNumber: 18,
  uscc: 18,
  mobile: 11,
  postcode: 6,
  year: 4,
}

/** maxLength is the most characters a text field takes (none: 0). */
export function maxLength(f: Field): number {
  return f.maxLength ?? fixedLength[f.type] ?? 0
}

/** placeholder is the hint inside an empty field. */
export function placeholder(f: Field): string {
  if (f.placeholder) return f.placeholder
  switch (control(f)) {
    case 'select':
    case 'monthOfYear':
      return '请选择'
    case 'year':
      return '如2022'
    default:
      return `请输入${f.label}`
  }
}

/**
 * toInput is the value a browser input shows for an API value: year-months
 * and dates the API keeps as YYYYMM / YYYYMMDD go into month and date
 * inputs as YYYY-MM / YYYY-MM-DD (the server takes both).
 */
export function toInput(f: Field, v: string): string {
  const c = control(f)
  if (c === 'month' && /^\d{6}$/.test(v)) return `${v.slice(0, 4)}-${v.slice(4)}`
  if (c === 'date' && /^\d{8}$/.test(v)) return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`
  return v
}

/** Option is one choice of a select. */
export interface Option {
  value: string
  label: string
}

/**
 * options are a code table's current entries; a deprecated code is kept
 * only when it is the value already there, so that it still shows. Each is
 * named as entryLabels names it (a county with its city).
 */
export function options(t: CodeTable | undefined, current = ''): Option[] {
  if (!t) return current ? [{ value: current, label: current }] : []
  const keep = (e: CodeEntry) => !e.deprecated || e.code === current
  const names = entryLabels(t.entries)
  const out = t.entries.filter(keep).map((e) => ({ value: e.code, label: names.get(e.code) ?? e.label }))
  if (current && !out.some((o) => o.value === current)) {
    const byLabel = t.entries.find((e) => e.label === current || e.aliases?.includes(current))
    out.unshift({ value: current, label: byLabel ? (names.get(byLabel.code) ?? byLabel.label) : current })
  }
  return out
}

/** codeOf finds the code of a label (or alias, or code) in a table: '' when it has none. */
export function codeOf(t: CodeTable | undefined, labelOrCode: string): string {
  if (!t || !labelOrCode) return ''
  const e = t.entries.find((x) => x.code === labelOrCode || x.label === labelOrCode || x.aliases?.includes(labelOrCode))
  return e?.code ?? ''
}

/** display is how a read-only value reads: an enum's label, a year-month as YYYY-MM. */
export function display(f: Field, v: string, t: CodeTable | undefined): string {
  if (!v) return ''
  if (control(f) === 'select') return (t && entryLabels(t.entries).get(v)) || v
  return toInput(f, v)
}

/** MONTHS are the choices of a month-of-year field (01-12). */
export const MONTHS: Option[] = Array.from({ length: 12 }, (_, i) => {
  const m = String(i + 1).padStart(2, '0')
  return { value: m, label: `${i + 1}月` }
})

/** enumTables lists the code tables the fields need, once each. */
export function enumTables(fields: readonly Field[]): string[] {
  return [...new Set(fields.filter((f) => control(f) === 'select' && f.enum).map((f) => f.enum as string))]
}

/** cleanFields is what a save sends: every value the form holds, trimmed. */
export function cleanFields(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'string' ? v.trim() : ''
  return out
}
