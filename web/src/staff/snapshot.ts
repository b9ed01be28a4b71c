// A submitted round (Snapshot) as the reviewer reads it: the fields with
// the catalog's labels (GET /api/v1/services/{id}) in the form's order and
// groups, code values with their code table's label, and the record table
// (记录一览表) with its two header rows. Values are shown as the API gives
// them: identifiers arrive masked.
import { entryLabels, type Entry } from '../catalog/entries'
import type { ServiceDetail } from '../api/types'
import type { SnapshotLedger } from './types'

/** CodeLabels maps a code table's name to its code → label. */
export type CodeLabels = Record<string, Record<string, string>>

/** FieldRow is one field of a round as shown. */
export interface FieldRow {
  key: string
  label: string
  value: string
}

/** FieldGroup is a titled group of rows ('' for a form without groups). */
export interface FieldGroup {
  title: string
  rows: FieldRow[]
}

type Field = ServiceDetail['fields'][number]

/** displayValue is a field's value as shown: an enum's code with its label. */
export function displayValue(f: Pick<Field, 'enum' | 'type'> | undefined, value: string, codes: CodeLabels): string {
  if (value === '') return ''
  const table = f?.enum ? codes[f.enum] : undefined
  const label = table?.[value]
  return label ? (label === value ? label : `${label}（${value}）`) : value
}

/**
 * fieldGroups lays out a round's fields in the catalog's order and groups.
 * Fields the catalog no longer has (a later catalog version) come last,
 * named by their key, so nothing submitted is hidden.
 */
export function fieldGroups(business: Pick<ServiceDetail, 'fields'>, values: Record<string, string>, codes: CodeLabels): FieldGroup[] {
  const groups: FieldGroup[] = []
  const byTitle = new Map<string, FieldGroup>()
  const add = (title: string, row: FieldRow) => {
    let g = byTitle.get(title)
    if (!g) {
      g = { title, rows: [] }
      byTitle.set(title, g)
      groups.push(g)
    }
    g.rows.push(row)
  }
  const known = new Set<string>()
  for (const f of business.fields) {
    known.add(f.key)
    if (!(f.key in values)) continue
    add(f.group ?? '', { key: f.key, label: f.label, value: displayValue(f, values[f.key] ?? '', codes) })
  }
  for (const k of Object.keys(values).sort()) {
    if (!known.has(k)) add('其他', { key: k, label: k, value: values[k] ?? '' })
  }
  return groups
}

/** enumTables lists the code tables a business's fields use. */
export function enumTables(business: Pick<ServiceDetail, 'fields' | 'repeatingRows'>): string[] {
  const all = [...business.fields, ...(business.repeatingRows?.fields ?? [])]
  return [...new Set(all.map((f) => f.enum).filter((e): e is string => !!e))]
}

/** toCodeLabels turns a code table's entries into code → label (a county with its city: entryLabels). */
export function toCodeLabels(entries: readonly Entry[]): Record<string, string> {
  return Object.fromEntries(entryLabels(entries))
}

/** HeaderCell is a cell of the record table's first header row. */
export interface HeaderCell {
  label: string
  colspan: number
  rowspan: number
}

/** LedgerHeader is the record table's two header rows: groups over their sub-columns. */
export interface LedgerHeader {
  top: HeaderCell[]
  sub: string[]
  /** names are the columns' accessible names ("个人实缴 金额"), one per cell. */
  names: string[]
  twoRows: boolean
}

/**
 * ledgerHeader builds the header of the frozen record table from its flat
 * columns ("对应费款所属期", "个人实缴.金额", "个人实缴.利息", …): a column
 * with sub-columns spans them in the first row.
 */
export function ledgerHeader(columns: readonly string[]): LedgerHeader {
  const top: HeaderCell[] = []
  const sub: string[] = []
  const names: string[] = []
  let twoRows = false
  for (const c of columns) {
    const dot = c.indexOf('.')
    const group = dot > 0 ? c.slice(0, dot) : ''
    const leaf = dot > 0 ? c.slice(dot + 1) : c
    const last = top[top.length - 1]
    if (group) {
      twoRows = true
      if (last && last.label === group && last.rowspan === 1) last.colspan++
      else top.push({ label: group, colspan: 1, rowspan: 1 })
      sub.push(leaf)
      names.push(`${group} ${leaf}`)
    } else {
      top.push({ label: c, colspan: 1, rowspan: 2 })
      names.push(c)
    }
  }
  if (!twoRows) for (const t of top) t.rowspan = 1
  return { top, sub, names, twoRows }
}

/** isAmount tells the money and number cells, which are right-aligned. */
export function isAmount(cell: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(cell) && !/^\d{6}$/.test(cell)
}

/** ledgerSummary says how many rows a round ticked and when its amounts were computed. */
export function ledgerSummary(l: SnapshotLedger): string {
  const n = l.rows?.length ?? 0
  return `已勾选${n}条记录（计算日期${l.calcDate}）`
}
