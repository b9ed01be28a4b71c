// How an entry of a code table (GET /api/v1/code-tables/{name}) reads on
// screen, in 立即办理's selects, the applicant's 申请详情 and the staff
// console alike.

/** Entry is what naming needs of a code table's entry. */
export interface Entry {
  code: string
  label: string
  parent?: string
}

/**
 * entryLabels maps each entry's code to how it reads: its label, and for an
 * entry two levels down a hierarchy (a county of the region table, under
 * its city under the province) its parent's label first. 鹤岗市 and 佳木斯市
 * both have a 向阳区: a select of bare names would offer two the same,
 * where the manual's three-level cascade shows the city by its place.
 */
export function entryLabels(entries: readonly Entry[]): Map<string, string> {
  const byCode = new Map(entries.map((e) => [e.code, e]))
  return new Map(
    entries.map((e) => {
      const parent = e.parent ? byCode.get(e.parent) : undefined
      return [e.code, parent?.parent ? `${parent.label} ${e.label}` : e.label]
    }),
  )
}
