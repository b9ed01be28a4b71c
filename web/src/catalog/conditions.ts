// The 办事中心's conditions: the 业务类别 (enterprise: 业务种类) and 办理作用
// filters, the 搜索 box, the `您已选择: … X` chips and 清空条件. Plain
// functions over plain values, so the rules are tested without a browser;
// the API does the filtering itself (GET /api/v1/services).

/** ALL is the filters' "no filter" choice, as the manual prints it. */
export const ALL = '全部'

/** SEARCH_MAX is the API's limit on the search term, in characters. */
export const SEARCH_MAX = 50

/** Portal is whose 办事中心 is shown. */
export type Portal = 'individual' | 'enterprise'

/** Conditions are the selected filters and search; '' is 全部 / no search. */
export interface Conditions {
  category: string
  purpose: string
  q: string
}

/** Key names a condition. */
export type Key = keyof Conditions

/** EMPTY is no condition at all. */
export const EMPTY: Readonly<Conditions> = Object.freeze({ category: '', purpose: '', q: '' })

/** Group is a filter row: its label and its values (全部 not included). */
export interface Group {
  key: 'category' | 'purpose'
  label: string
  options: string[]
}

/** A code table as far as the filters need it (GET /api/v1/code-tables/{name}). */
export interface LabelTable {
  label: string
  entries: { label: string; deprecated?: boolean }[]
}

/**
 * categoryTable is the code table of the first filter: 业务类别 in the
 * individual 办事中心, 业务种类 in the enterprise one (portal.md §4.2).
 */
export function categoryTable(p: Portal): 'businessCategory' | 'businessKind' {
  return p === 'enterprise' ? 'businessKind' : 'businessCategory'
}

/** PURPOSE_TABLE is the code table of 办理作用 (both portals). */
export const PURPOSE_TABLE = 'businessPurpose'

/**
 * ENTERPRISE_PURPOSES are the 办理作用 values the enterprise 办事中心 offers
 * (portal.md §4.2, the enterprise screenshot); the code table holds the
 * union of both portals. The list API does not say which apply to which
 * portal yet: drop this once it returns its filters.
 */
export const ENTERPRISE_PURPOSES: readonly string[] = ['费用征缴', '资格认定', '关系调转', '信息变更', '待遇发放', '综合查询']

/** groupsFor builds the two filter rows of a portal from their code tables. */
export function groupsFor(p: Portal, category: LabelTable, purpose: LabelTable): Group[] {
  const labels = (t: LabelTable) => t.entries.filter((e) => !e.deprecated && e.label !== ALL).map((e) => e.label)
  let purposes = labels(purpose)
  if (p === 'enterprise') purposes = purposes.filter((v) => ENTERPRISE_PURPOSES.includes(v))
  return [
    { key: 'category', label: category.label, options: labels(category) },
    { key: 'purpose', label: purpose.label, options: purposes },
  ]
}

/** normalizeSearch trims the term, folds runs of spaces and keeps SEARCH_MAX characters. */
export function normalizeSearch(q: string): string {
  return Array.from(q.trim().replace(/\s+/g, ' ')).slice(0, SEARCH_MAX).join('')
}

/** select sets one filter; selecting 全部 clears it. */
export function select(c: Conditions, key: Group['key'], value: string): Conditions {
  return { ...c, [key]: value === ALL ? '' : value }
}

/** Chip is a condition shown after 您已选择:, removable with its X. */
export interface Chip {
  key: Key
  text: string
  /** removeLabel is the accessible name of the chip's X button. */
  removeLabel: string
}

/** chips lists the conditions in effect, filters first, then the search. */
export function chips(c: Conditions): Chip[] {
  const out: Chip[] = []
  for (const key of ['category', 'purpose'] as const) {
    if (c[key]) out.push({ key, text: c[key], removeLabel: `删除条件 ${c[key]}` })
  }
  if (c.q) out.push({ key: 'q', text: `搜索：${c.q}`, removeLabel: `删除条件 搜索：${c.q}` })
  return out
}

/** remove drops one condition (a chip's X). */
export function remove(c: Conditions, key: Key): Conditions {
  return { ...c, [key]: '' }
}

/** clear is 清空条件: every condition goes, the search included. */
export function clear(): Conditions {
  return { ...EMPTY }
}

/** isEmpty reports whether no condition is set. */
export function isEmpty(c: Conditions): boolean {
  return !c.category && !c.purpose && !c.q
}

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

const first = (v: RouteQuery[string]): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))

/**
 * fromRoute reads the conditions kept in the page's URL (so that 返回 from
 * 办理指南 and a reload keep them). Filter values not offered by groups are
 * dropped rather than sent to the API, which would refuse them.
 */
export function fromRoute(q: RouteQuery, groups?: Group[]): Conditions {
  const pick = (key: Group['key']) => {
    const v = first(q[key])
    if (v === '' || v === ALL) return ''
    const g = groups?.find((x) => x.key === key)
    return !g || g.options.includes(v) ? v : ''
  }
  return { category: pick('category'), purpose: pick('purpose'), q: normalizeSearch(first(q.q)) }
}

/** toRoute is the URL query of the conditions: only those set. */
export function toRoute(c: Conditions): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of ['category', 'purpose', 'q'] as const) if (c[key]) out[key] = c[key]
  return out
}

/** apiQuery is the query of GET /api/v1/services for a portal's conditions. */
export function apiQuery(p: Portal, c: Conditions): { userType: Portal; category?: string; purpose?: string; q?: string } {
  return { userType: p, ...toRoute(c) }
}

/** DESCRIPTION_NONE is what a row without a description says (every screenshot shows it). */
export const DESCRIPTION_NONE = '暂无描述'

/**
 * description is a row's description line. The list API gives none yet, so
 * every row says 暂无描述, as every screenshot of the manual does.
 */
export function description(item: object): string {
  const d = 'description' in item && typeof item.description === 'string' ? item.description.trim() : ''
  return d ? d : DESCRIPTION_NONE
}
