// Where a message of the API goes on the 立即办理 screen. Field errors
// come keyed "fields.<key>" (a submit's 422), plain "<key>" (a save's
// fieldErrors, which are the form's own), "materials.<name>",
// "selection", "rows[i].<key>" and, for 5.2's declaration file,
// "row:<n>:<column>"; a returned application's reasons use the same
// "fields." and "materials." keys.

/** Problems are messages by the part of the screen they belong under. */
export interface Problems {
  fields: Record<string, string>
  materials: Record<string, string>
  /** rows holds the repeating rows' errors by "<index>.<key>" (5.14). */
  rows: Record<string, string>
  /** selection is the record table's (记录一览表). */
  selection: string
  /** rest are messages that name no part shown: listed at the top. */
  rest: string[]
}

/** empty is no problem at all. */
export function empty(): Problems {
  return { fields: {}, materials: {}, rows: {}, selection: '', rest: [] }
}

/**
 * sortProblems puts each message under its part. fieldKeys and
 * materialNames are what the screen shows; a key naming anything else
 * goes to rest, so that no message is lost.
 */
export function sortProblems(
  errs: Readonly<Record<string, string>> | undefined,
  fieldKeys: readonly string[],
  materialNames: readonly string[],
  rowKeys: readonly string[] = [],
): Problems {
  const p = empty()
  for (const [k, msg] of Object.entries(errs ?? {})) {
    const field = k.startsWith('fields.') ? k.slice('fields.'.length) : k
    const row = /^rows\[(\d+)\]\.(.+)$/.exec(k)
    if (fieldKeys.includes(field)) p.fields[field] = msg
    else if (k.startsWith('materials.') && materialNames.includes(k.slice('materials.'.length))) p.materials[k.slice('materials.'.length)] = msg
    else if (k === 'selection' || k.startsWith('selection[')) p.selection = p.selection || msg
    else if (row && rowKeys.includes(row[2] as string)) p.rows[`${row[1]}.${row[2]}`] = msg
    else if (k.startsWith('row:')) continue // 5.2: shown by the file's report
    else p.rest.push(msg)
  }
  return p
}

/** count is how many messages there are. */
export function count(p: Problems): number {
  return (
    Object.keys(p.fields).length + Object.keys(p.materials).length + Object.keys(p.rows).length + (p.selection ? 1 : 0) + p.rest.length
  )
}

/** Line is one entry of the list of problems at the top: what it names and its words. */
export interface Line {
  /** target: "materials.<name>", "fields.<key>", "rows.<i>.<key>", "selection" or "" (nothing to go to). */
  target: string
  text: string
}

/**
 * lines lists the problems in the order the screen shows their parts
 * (上传附件, then 基本信息, its rows and the record table), each named by
 * what the person sees.
 */
export function lines(
  p: Problems,
  fieldLabel: (key: string) => string,
  rowLabel: (key: string) => string,
  selectionTitle: string,
  fieldOrder: readonly string[] = [],
  materialOrder: readonly string[] = [],
): Line[] {
  const by = (order: readonly string[]) => (a: string, b: string) => order.indexOf(a) - order.indexOf(b)
  const out: Line[] = []
  for (const m of Object.keys(p.materials).sort(by(materialOrder))) out.push({ target: `materials.${m}`, text: `${m}：${p.materials[m]}` })
  for (const k of Object.keys(p.fields).sort(by(fieldOrder))) out.push({ target: `fields.${k}`, text: `${fieldLabel(k)}：${p.fields[k]}` })
  for (const k of Object.keys(p.rows).sort()) {
    const [i, key] = k.split('.') as [string, string]
    out.push({ target: `rows.${k}`, text: `第${Number(i) + 1}行 ${rowLabel(key)}：${p.rows[k]}` })
  }
  if (p.selection) out.push({ target: 'selection', text: `${selectionTitle}：${p.selection}` })
  for (const r of p.rest) out.push({ target: '', text: r })
  return out
}
