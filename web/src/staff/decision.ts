// 审核决定: 通过 (approve), 退回 (return, with a reason per field or
// material — at least one) and 不予受理 (reject, with a reason). The checks
// repeat the API's (shared/application.checkDecision) so that a reviewer
// hears of a missing reason at once; the API's own field errors are mapped
// back to the row they name.
import type { ServiceDetail } from '../api/types'
import type { DecisionRequest } from './types'

/** Decision is a decision's code. */
export type Decision = DecisionRequest['decision']

/** DECISIONS are the choices, in the form's order. */
export const DECISIONS: { value: Decision; label: string }[] = [
  { value: 'approve', label: '通过' },
  { value: 'return', label: '退回' },
  { value: 'reject', label: '不予受理' },
]

/** MAX_TEXT is the API's limit on a reason and on the comment, in characters. */
export const MAX_TEXT = 500

/** ReasonTarget is what a reason of a return can name. */
export interface ReasonTarget {
  key: string
  label: string
  kind: 'field' | 'material' | 'ledger' | 'rows'
}

/**
 * reasonTargets lists what a return can name: every field ("fields.<key>"),
 * every material ("materials.<name>"), the record table ("selection") and
 * the added rows ("rows") of the business.
 */
export function reasonTargets(b: Pick<ServiceDetail, 'fields' | 'materials' | 'ledger' | 'repeatingRows'>): ReasonTarget[] {
  const out: ReasonTarget[] = []
  for (const f of b.fields) out.push({ key: `fields.${f.key}`, label: f.label, kind: 'field' })
  for (const m of b.materials) out.push({ key: `materials.${m.name}`, label: m.name, kind: 'material' })
  if (b.ledger) out.push({ key: 'selection', label: b.ledger.title, kind: 'ledger' })
  if (b.repeatingRows) out.push({ key: 'rows', label: '新增的行', kind: 'rows' })
  return out
}

/** targetLabel names a reason's target as the reviewer sees it ("材料：居民身份证正面"). */
export function targetLabel(t: ReasonTarget): string {
  switch (t.kind) {
    case 'field':
      return `项目：${t.label}`
    case 'material':
      return `材料：${t.label}`
    default:
      return t.label
  }
}

/** ReasonRow is one reason being written: its target and text. */
export interface ReasonRow {
  key: string
  text: string
}

/** DecisionDraft is the form's state. */
export interface DecisionDraft {
  decision: Decision | ''
  reasons: ReasonRow[]
  comment: string
}

/** emptyDraft is a new form. */
export function emptyDraft(): DecisionDraft {
  return { decision: '', reasons: [{ key: '', text: '' }], comment: '' }
}

const chars = (s: string) => Array.from(s).length

/**
 * checkDraft returns the form's errors, keyed "decision", "reasons",
 * "reasons.<i>.key", "reasons.<i>.text" and "comment"; none when it can be
 * sent.
 */
export function checkDraft(d: DecisionDraft): Record<string, string> {
  const bad: Record<string, string> = {}
  if (!d.decision) bad.decision = '请选择审核决定'
  if (d.decision === 'return') {
    const used = new Set<string>()
    let filled = 0
    d.reasons.forEach((r, i) => {
      const empty = !r.key && !r.text.trim()
      if (empty && d.reasons.length > 1) {
        bad[`reasons.${i}.key`] = '请选择退回的项目或材料，或删除这一行'
        return
      }
      if (empty) return
      if (!r.key) bad[`reasons.${i}.key`] = '请选择退回的项目或材料'
      else if (used.has(r.key)) bad[`reasons.${i}.key`] = '该项目已填写过原因，请合并为一条'
      used.add(r.key)
      if (!r.text.trim()) bad[`reasons.${i}.text`] = '请填写退回原因'
      else if (chars(r.text) > MAX_TEXT) bad[`reasons.${i}.text`] = `最多${MAX_TEXT}个字`
      filled++
    })
    if (filled === 0) bad.reasons = '退回时请至少填写一条原因，申请人会在对应的项目下看到'
  }
  if (d.decision === 'reject' && !d.comment.trim()) bad.comment = '不予受理时请填写理由'
  if (chars(d.comment) > MAX_TEXT) bad.comment = `最多${MAX_TEXT}个字`
  return bad
}

/** decisionBody is the request of POST …/decision for a checked form. */
export function decisionBody(d: DecisionDraft): DecisionRequest {
  const body: DecisionRequest = { decision: d.decision as Decision }
  if (d.decision === 'return') {
    body.reasons = Object.fromEntries(d.reasons.filter((r) => r.key && r.text.trim()).map((r) => [r.key, r.text.trim()]))
  }
  const comment = d.comment.trim()
  if (comment) body.comment = comment
  return body
}

/**
 * serverErrors maps the API's field errors of a decision to the form's
 * keys: "reasons.<target>" goes to the row that names that target; what
 * names no row stays under "reasons".
 */
export function serverErrors(fieldErrors: Record<string, string>, d: DecisionDraft): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(fieldErrors)) {
    if (k === 'decision' || k === 'comment' || k === 'reasons') {
      out[k] = v
      continue
    }
    const target = k.replace(/^reasons\./, '')
    const i = d.reasons.findIndex((r) => r.key === target)
    if (i >= 0) out[`reasons.${i}.text`] = v
    else out.reasons = out.reasons ? `${out.reasons}；${v}` : v
  }
  return out
}

/** reasonRows lists a returned round's reasons with their targets' names. */
export function reasonRows(reasons: Record<string, string> | undefined, targets: readonly ReasonTarget[]): { target: string; reason: string }[] {
  return Object.entries(reasons ?? {}).map(([k, reason]) => {
    const t = targets.find((x) => x.key === k)
    return { target: t ? targetLabel(t) : k, reason }
  })
}
