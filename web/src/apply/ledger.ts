// 记录一览表 (手册 §11): the ticked periods, 全选, the 开始年月/结束年月
// query, the two header rows of the table and the selection tables shown
// above it (人员信息, 账号信息, 单位信息, the paid-month grid). Money is never
// computed here: the totals are the server's, read again after every
// change of the ticks.
import type { LedgerDefinition, RecordTable, SelectionTable } from './types'

/** toggle ticks or unticks a period; the result is sorted and has each period once. */
export function toggle(selection: readonly string[], period: string, on: boolean): string[] {
  const s = new Set(selection)
  if (on) s.add(period)
  else s.delete(period)
  return [...s].sort()
}

/** setAll is 全选 over the rows shown: it ticks (or unticks) them all and keeps the other ticks. */
export function setAll(selection: readonly string[], shown: readonly string[], on: boolean): string[] {
  const s = new Set(selection)
  for (const p of shown) {
    if (on) s.add(p)
    else s.delete(p)
  }
  return [...s].sort()
}

/** allState is the 全选 box's state for the rows shown. */
export function allState(selection: readonly string[], shown: readonly string[]): 'all' | 'some' | 'none' {
  const s = new Set(selection)
  const n = new Set(shown.filter((p) => s.has(p))).size
  const total = new Set(shown).size
  if (total === 0 || n === 0) return 'none'
  return n === total ? 'all' : 'some'
}

/** sameSelection compares two selections as sets. */
export function sameSelection(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort()
  const y = [...new Set(b)].sort()
  return x.length === y.length && x.every((p, i) => p === y[i])
}

/** Range is the query's 开始年月 and 结束年月 as month inputs hold them (YYYY-MM or ''). */
export interface Range {
  from: string
  to: string
}

/** RangeErrors are the query's problems, by input. */
export interface RangeErrors {
  from: string
  to: string
}

/**
 * checkRange checks a query before it is sent: both bounds where the
 * business requires them (4.26), well-formed, the start not after the end.
 */
export function checkRange(r: Range, required: boolean, startLabel = '开始年月', endLabel = '结束年月'): RangeErrors {
  const e: RangeErrors = { from: '', to: '' }
  const ym = /^\d{4}-(0[1-9]|1[0-2])$/
  if (!r.from && required) e.from = `请选择${startLabel}`
  else if (r.from && !ym.test(r.from)) e.from = `${startLabel}格式应为YYYY-MM`
  if (!r.to && required) e.to = `请选择${endLabel}`
  else if (r.to && !ym.test(r.to)) e.to = `${endLabel}格式应为YYYY-MM`
  if (!e.from && !e.to && r.from && r.to && r.from > r.to) e.to = `${endLabel}不能早于${startLabel}`
  return e
}

/** yearMonth is a period (YYYYMM) as a month input holds it. */
export function yearMonth(period: string): string {
  return /^\d{6}$/.test(period) ? `${period.slice(0, 4)}-${period.slice(4)}` : period
}

/** HeaderCell is one cell of the table's two header rows. */
export interface HeaderCell {
  label: string
  colspan: number
  rowspan: number
}

/**
 * headers are the two header rows: a column with sub-columns (金额 / 利息)
 * spans them in the first row; one without spans both rows.
 */
export function headers(def: Pick<LedgerDefinition, 'columns'>): [HeaderCell[], HeaderCell[]] {
  const top: HeaderCell[] = []
  const sub: HeaderCell[] = []
  const twoRows = def.columns.some((c) => c.sub && c.sub.length)
  for (const c of def.columns) {
    if (c.sub && c.sub.length) {
      top.push({ label: c.label, colspan: c.sub.length, rowspan: 1 })
      for (const s of c.sub) sub.push({ label: s, colspan: 1, rowspan: 1 })
    } else {
      top.push({ label: c.label, colspan: 1, rowspan: twoRows ? 2 : 1 })
    }
  }
  return [top, sub]
}

/** SelectionRows is a selection table with its rows, ready to show. */
export interface SelectionRows {
  title: string
  columns: string[]
  rows: string[][]
  /** pick is how a row is chosen: checkbox, radio, or none (the paid-month grid). */
  pick: 'checkbox' | 'radio' | 'none'
  /** caption names a table the manual shows without a title. */
  caption: string
}

const byColumn: Record<string, (t: RecordTable, u?: RecordTable['units'][number]) => string | undefined> = {
  人员编号: (t) => t.person.personNumber,
  人员参保关系ID: (t) => t.person.relationId,
  账户金额: (t) => t.account?.balance,
  本金: (t) => t.account?.principal,
  利息: (t) => t.account?.interest,
  账户建立原因: (t) => t.account?.reason,
  单位编号: (_, u) => u?.unitNumber,
  单位名称: (_, u) => u?.unitName,
  开始年月: (_, u) => u?.from,
  结束年月: (_, u) => u?.to,
}

/**
 * selectionRows fills the catalog's selection tables from a record
 * table: 人员信息 from its person, 账号信息 from its account, 单位信息 from
 * its units (the unit read, else every unit), the paid-month grid
 * (年度, 1月 … 12月) from its grid.
 */
export function selectionRows(defs: readonly SelectionTable[], t: RecordTable): SelectionRows[] {
  return defs.map((d) => {
    const pick = d.rowSelect.startsWith('radio') ? 'radio' : d.rowSelect.startsWith('checkbox') ? 'checkbox' : 'none'
    const untitled = d.title.startsWith('(')
    const base = { title: untitled ? '' : d.title, columns: d.columns, pick, caption: untitled ? '已缴费月份（已：已缴费）' : d.title } as const
    if (d.columns[0] === '年度') {
      return { ...base, rows: (t.grid ?? []).map((g) => [g.year, ...g.months]) }
    }
    if (d.columns.includes('单位编号')) {
      const units = t.unit ? [t.unit] : t.units
      return { ...base, rows: units.map((u) => d.columns.map((c) => byColumn[c]?.(t, u) ?? '')) }
    }
    if (d.columns.some((c) => c in byColumn && byColumn[c]?.(t) !== undefined)) {
      return { ...base, rows: [d.columns.map((c) => byColumn[c]?.(t) ?? '')] }
    }
    return { ...base, rows: [] }
  })
}

/** gates are the selection tables whose row must be chosen before the record table shows (4.4, 5.1, 5.5). */
export function gates(tables: readonly SelectionRows[]): number[] {
  return tables.flatMap((t, i) => (t.pick === 'none' ? [] : [i]))
}
