// What an application holds, in the words of its form: the catalog's
// field labels (GET /api/v1/services/{id}) and the labels of coded values
// (GET /api/v1/code-tables/{name}) for the values a round froze, and the
// reasons of a return keyed as the API keys them (fields.<key>,
// materials.<name>, rows[i].<key>).
import { entryLabels } from '../catalog/entries'
import type { Business, CodeTable, Field, TimelineEvent } from './types'

/** Labels maps a code table's codes to their labels. */
export type Labels = Map<string, string>

/** labelsOf is a code table as code → label (a county with its city: entryLabels). */
export function labelsOf(t: Pick<CodeTable, 'entries'>): Labels {
  return entryLabels(t.entries)
}

/** Shown is one field as the detail lists it. */
export interface Shown {
  key: string
  label: string
  value: string
}

type Def = Pick<Business, 'fields'> & Partial<Pick<Business, 'repeatingRows'>>

/** tablesNeeded are the code tables that name the coded values among values. */
export function tablesNeeded(def: Def | null, values: Record<string, string>[]): string[] {
  const out = new Set<string>()
  const fields = [...(def?.fields ?? []), ...(def?.repeatingRows?.fields ?? [])]
  for (const f of fields) {
    if (f.enum && values.some((v) => (v[f.key] ?? '') !== '')) out.add(f.enum)
  }
  return [...out].sort()
}

function valueOf(f: Field | undefined, v: string, tables: Map<string, Labels>): string {
  if (!f?.enum) return v
  const label = tables.get(f.enum)?.get(v)
  return label && label !== v ? label : v
}

/**
 * shownFields are the filled-in fields in the form's order with their
 * labels and coded values named; keys the form does not define come last
 * under their key.
 */
export function shownFields(def: Def | null, values: Record<string, string>, tables: Map<string, Labels>): Shown[] {
  const out: Shown[] = []
  const seen = new Set<string>()
  for (const f of def?.fields ?? []) {
    seen.add(f.key)
    const v = values[f.key]
    if (v === undefined || v === '') continue
    out.push({ key: f.key, label: f.label, value: valueOf(f, v, tables) })
  }
  for (const k of Object.keys(values).sort()) {
    const v = values[k]
    if (seen.has(k) || v === undefined || v === '') continue
    out.push({ key: k, label: k, value: v })
  }
  return out
}

/** RowsTable is a repeating-rows table (5.14) ready to render. */
export interface RowsTable {
  columns: string[]
  rows: string[][]
}

/** rowsTable lays out repeating rows under their fields' labels. */
export function rowsTable(def: Def | null, rows: Record<string, string>[] | undefined, tables: Map<string, Labels>): RowsTable | null {
  if (!rows?.length) return null
  const fields = def?.repeatingRows?.fields
  const keys = fields?.length ? fields.map((f) => f.key) : [...new Set(rows.flatMap((r) => Object.keys(r)))].sort()
  const columns = keys.map((k) => fields?.find((f) => f.key === k)?.label ?? k)
  return {
    columns,
    rows: rows.map((r) => keys.map((k) => valueOf(fields?.find((f) => f.key === k), r[k] ?? '', tables))),
  }
}

/** Reason is one reason of a return, under what it is about. */
export interface Reason {
  key: string
  about: string
  text: string
}

/** reasonsOf names what each reason of a return is about, in the form's words. */
export function reasonsOf(reasons: Record<string, string> | undefined, def: Def | null): Reason[] {
  const label = (key: string) => def?.fields.find((f) => f.key === key)?.label ?? key
  const rowLabel = (key: string) => def?.repeatingRows?.fields.find((f) => f.key === key)?.label ?? key
  return Object.entries(reasons ?? {}).map(([key, text]) => {
    let about = key
    let m: RegExpExecArray | null
    if ((m = /^fields\.(.+)$/.exec(key))) about = label(m[1]!)
    else if ((m = /^materials\.(.+)$/.exec(key))) about = `材料：${m[1]}`
    else if ((m = /^rows\[(\d+)\]\.(.+)$/.exec(key))) about = `第${Number(m[1]) + 1}行 ${rowLabel(m[2]!)}`
    else if (key === '' || key === 'comment') about = '说明'
    return { key, about, text }
  })
}

/** lastNote is the note of the latest timeline event with the status (a decision's reason). */
export function lastNote(timeline: TimelineEvent[], status: string): string {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i]!
    if (e.status === status) return e.note ?? ''
  }
  return ''
}

export { fileSize as formatSize } from '../ui/format'
