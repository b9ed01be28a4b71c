// 谁查看了我的信息 (GET /api/v1/me/access-log): each entry says who (masked
// name or unit), in which role, did what (read or submit) about which
// business, and whether it was allowed. The API sends codes; these are
// their words (OpenAPI AccessLog and Role).
import type { AccessEntry } from './types'
import { formatDateTime } from './clock'

const ROLES = new Map([
  ['individual', '本人'],
  ['agent', '单位经办人'],
  ['reviewer', '经办人员'],
  ['admin', '系统管理员'],
])
const ACTIONS = new Map([
  ['read', '查看'],
  ['submit', '办理涉及本人的业务'],
])
const RESULTS = new Map([
  ['ok', '成功'],
  ['denied', '已拒绝'],
])
// What an entry can name besides a business of the catalog.
const OBJECTS = new Map([['retirement-figures', '退休测算']])

/** LogRow is one entry as the table shows it. */
export interface LogRow {
  time: string
  actor: string
  role: string
  action: string
  business: string
  result: string
}

/**
 * objectName names what an entry was about: a business of the catalog
 * (its id, or "<business>/<application id>" for a case) by its name.
 */
export function objectName(object: string, names: Map<string, string>): string {
  const id = object.split('/')[0] ?? ''
  return names.get(id) ?? OBJECTS.get(id) ?? object
}

/** logRow is an entry in words, its time in Asia/Shanghai. */
export function logRow(e: AccessEntry, names: Map<string, string>): LogRow {
  return {
    time: formatDateTime(e.time),
    actor: e.actor,
    role: ROLES.get(e.actorRole) ?? e.actorRole,
    action: ACTIONS.get(e.action) ?? e.action,
    business: objectName(e.business, names),
    result: RESULTS.get(e.result) ?? e.result,
  }
}
