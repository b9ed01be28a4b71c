// The catalog as the staff console needs it: business names by id (GET
// /api/v1/services), one business's definition (GET /api/v1/services/{id})
// for the labels of a case, and code tables for the labels of coded
// values. Each is fetched once per page load.
import { api, must } from '../../api/client'
import type { CodeTable, ServiceDetail, ServiceItem } from '../../api/types'

let list: Promise<ServiceItem[]> | null = null

/** businesses lists the catalog's businesses (all 42, both user types). */
export function businesses(): Promise<ServiceItem[]> {
  list ??= must(api.GET('/api/v1/services')).then(
    (r) => r.items,
    (e) => {
      list = null
      throw e
    },
  )
  return list
}

/** businessNames maps a business id to its name ({} when the catalog cannot be read). */
export async function businessNames(): Promise<Record<string, string>> {
  try {
    return Object.fromEntries((await businesses()).map((b) => [b.id, b.name]))
  } catch {
    return {}
  }
}

const details = new Map<string, Promise<ServiceDetail>>()

/** business reads one business's definition: fields with their labels, materials, the record table. */
export function business(id: string): Promise<ServiceDetail> {
  let p = details.get(id)
  if (!p) {
    p = must(api.GET('/api/v1/services/{id}', { params: { path: { id } } }))
    p.catch(() => details.delete(id))
    details.set(id, p)
  }
  return p
}

const tables = new Map<string, Promise<CodeTable | null>>()

/** codeTable reads a code table, or null when it cannot be read (the codes are then shown as they are). */
export function codeTable(name: string): Promise<CodeTable | null> {
  let p = tables.get(name)
  if (!p) {
    p = must(api.GET('/api/v1/code-tables/{name}', { params: { path: { name } } })).catch(() => null)
    tables.set(name, p)
  }
  return p
}
