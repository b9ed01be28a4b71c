// The state of one 立即办理 screen and its calls: open (or reopen) the
// draft, save it as the person works (one PUT at a time, under the
// version), read the record table, refresh the materials after an upload,
// and submit. The screen's components only show this state and report
// what the person did.
import { computed, reactive, ref, shallowRef } from 'vue'
import { isApiError, toApiError, type ApiError } from '../api/errors'
import * as calls from './api'
import { codeOf, cleanFields, control, enumTables, prefilled as prefilledOf } from './form'
import { gates, selectionRows, setAll, toggle, type Range } from './ledger'
import { empty, sortProblems, type Problems } from './problems'
import { Saver, type SaverState } from './saver'
import { Attempt, retryable } from './submit'
import type { AppView, Business, CodeTable, DraftLedger, LedgerRow, MaterialView, RecordTable, SubmitReceipt } from './types'

/** EDITABLE are the statuses a person can still change (a draft, a returned application). */
export const EDITABLE = ['draft', 'returned']

const messageOf = (e: unknown, fallback: string) => (isApiError(e) ? e.message : fallback)

/** useDraft holds one application of one business for the screen. */
export function useDraft(agent: () => boolean) {
  const biz = shallowRef<Business | null>(null)
  const view = shallowRef<AppView | null>(null)
  const tables = reactive<Record<string, CodeTable>>({})
  const values = reactive<Record<string, string>>({})
  const prefilled = ref<Record<string, string>>({})
  const selection = ref<string[]>([])
  const rows = ref<Record<string, string>[]>([])
  const materials = ref<MaterialView[]>([])
  const ledger = shallowRef<DraftLedger | null>(null)
  const record = shallowRef<RecordTable | null>(null)
  const queried = ref(false)
  const recordLoading = ref(false)
  const recordError = ref('')
  const picked = ref<number[]>([])
  const touched = reactive<Record<string, boolean>>({})
  const saveErrors = ref<Record<string, string>>({})
  const problems = ref<Problems>(empty())
  const topMessage = ref('')
  const attempted = ref(false)
  const saveState = ref<SaverState>('idle')
  const saveMessage = ref('')
  const totalsBusy = ref(false)
  let saver: Saver<AppView> | null = null

  const editable = computed(() => !!view.value && EDITABLE.includes(view.value.status) && saveState.value !== 'stale')
  const fieldKeys = computed(() => biz.value?.fields.map((f) => f.key) ?? [])
  const materialNames = computed(() => biz.value?.materials.map((m) => m.name) ?? [])
  const rowKeys = computed(() => biz.value?.repeatingRows?.fields.map((f) => f.key) ?? [])
  const reasons = computed(() => sortProblems(view.value?.reasons, fieldKeys.value, materialNames.value, rowKeys.value))
  const savedProblems = computed(() => sortProblems(saveErrors.value, fieldKeys.value, materialNames.value, rowKeys.value))

  /** fieldError is the message under a field: the submit's, else the last save's once the field was touched. */
  function fieldError(key: string): string {
    return problems.value.fields[key] || (attempted.value || touched[key] ? (savedProblems.value.fields[key] ?? '') : '')
  }
  const rowErrors = computed(() => ({ ...(attempted.value || touched.rows ? savedProblems.value.rows : {}), ...problems.value.rows }))
  /** shownProblems are the messages on the screen now, for the list at the top (after a 提交办理). */
  const shownProblems = computed<Problems>(() => {
    const fields: Record<string, string> = {}
    for (const k of fieldKeys.value) {
      const m = fieldError(k)
      if (m) fields[k] = m
    }
    return { ...problems.value, fields, rows: rowErrors.value }
  })

  function reset() {
    biz.value = view.value = ledger.value = record.value = null
    for (const k of Object.keys(values)) delete values[k]
    for (const k of Object.keys(touched)) delete touched[k]
    prefilled.value = {}
    selection.value = rows.value = materials.value = []
    picked.value = []
    queried.value = attempted.value = false
    saveErrors.value = {}
    problems.value = empty()
    topMessage.value = recordError.value = saveMessage.value = ''
    saveState.value = 'idle'
    saver = null
  }

  // adopt takes an answer of the API: the first one fills the form. The
  // materials come from the reads after an upload or a 删除, never from a
  // save's answer, which may be older than the last upload.
  function adopt(v: AppView, first: boolean, withLedger: boolean) {
    view.value = v
    if (withLedger) ledger.value = v.ledger ?? null
    if (!first) return
    materials.value = v.materials ?? []
    const b = biz.value as Business
    for (const f of b.fields) values[f.key] = v.fields[f.key] ?? ''
    prefilled.value = prefilledOf(b.fields, v.fields, agent())
    selection.value = [...v.selection]
    rows.value = (v.rows ?? []).map((r) => ({ ...r }))
    saver = new Saver<AppView>(v.version, (version, l) => calls.saveDraft(b.family, v.id, body(version), l), onSaved)
  }

  function body(version: number) {
    return {
      version,
      fields: cleanFields(values),
      selection: biz.value?.ledger ? selection.value : null,
      rows: biz.value?.repeatingRows ? rows.value : null,
    }
  }

  function onSaved(s: Saver<AppView>, saved?: AppView, withLedger?: boolean) {
    saveState.value = s.state
    if (saved) {
      saveErrors.value = saved.fieldErrors ?? {}
      adopt(saved, false, !!withLedger)
      if (withLedger) totalsBusy.value = false
      saveMessage.value = ''
    }
    if (s.state === 'failed' || s.state === 'stale') {
      saveMessage.value = messageOf(s.error, '保存失败，请稍后重试')
      totalsBusy.value = false
    }
  }

  /** open reads the business, then opens a new draft or reads application id (用户中心's 修改后重新提交). */
  async function open(businessId: string, id: string): Promise<string> {
    reset()
    const b = await calls.business(businessId)
    biz.value = b
    const v = id ? await calls.getDraft(b.family, id, true) : await calls.createDraft(b.family, b.id)
    if (v.business !== b.id) throw toApiError(404, { code: 'not_found', message: '该申请不是本业务的申请，请从用户中心重新打开' })
    adopt(v, true, true)
    await Promise.all(
      enumTables([...b.fields, ...(b.repeatingRows?.fields ?? [])]).map(async (n) => {
        try {
          tables[n] = await calls.codeTable(n)
        } catch {
          /* the select shows the value's code; the server still checks it */
        }
      }),
    )
    // The selection tables (人员信息, 账号信息, 单位信息) come from the record
    // table; the rows to tick come with the draft.
    if (b.ledger && b.selectionTables?.length && (!agent() || values.personNumber)) void readRecord()
    return v.id
  }

  /** save saves now (the record table's totals come back with ledger). */
  function save(withLedger = false): Promise<AppView | undefined> {
    if (!saver || !editable.value) return Promise.resolve(undefined)
    if (withLedger) totalsBusy.value = true
    return saver.request(withLedger).catch(() => undefined)
  }

  /** edited records a change of a field: its submit error goes, it shows its own errors from now on. */
  function edited(key: string) {
    touched[key] = true
    if (problems.value.fields[key]) {
      const p = { ...problems.value, fields: { ...problems.value.fields } }
      delete p.fields[key]
      problems.value = p
    }
  }

  /** readRecord reads the record table: the selection tables' data, and the rows of a query. */
  async function readRecord(range?: Range) {
    const b = biz.value
    if (!b?.ledger) return
    recordLoading.value = true
    recordError.value = ''
    try {
      const t = await calls.recordTable(b.id, {
        person: agent() ? values.personNumber?.trim() : undefined,
        from: range?.from,
        to: range?.to,
        selected: selection.value,
      })
      record.value = t
      if (range) queried.value = true
      if (picked.value.length !== (b.selectionTables?.length ?? 0)) {
        // A draft opened again with ticked rows had its choices made.
        picked.value = (b.selectionTables ?? []).map(() => (selection.value.length ? 0 : -1))
      }
      if (agent()) fillFromRecord(t)
    } catch (e) {
      record.value = null
      recordError.value = messageOf(e, '记录加载失败，请重试')
    } finally {
      recordLoading.value = false
    }
  }

  // fillFromRecord fills an agent's empty fields from the employee's
  // record (姓名, 首次参保年月, 个人缴费状态, 用工形式) and the unit read
  // (单位编号, 单位名称); the ID number comes masked and is typed by the agent.
  function fillFromRecord(t: RecordTable) {
    const src: Record<string, string | undefined> = {
      ...(t.person as unknown as Record<string, string | undefined>),
      unitNumber: t.unit?.unitNumber,
      unitName: t.unit?.unitName,
    }
    let changed = false
    for (const f of biz.value?.fields ?? []) {
      const v = src[f.key]
      if (!v || values[f.key] || f.key === 'idNumber' || f.key === 'personNumber' || v.includes('*')) continue
      const value = control(f) === 'select' ? codeOf(f.enum ? tables[f.enum] : undefined, v) : v
      if (value) {
        values[f.key] = value
        changed = true
      }
    }
    if (changed) void save(true)
  }

  const selectionTables = computed(() => (biz.value?.selectionTables && record.value ? selectionRows(biz.value.selectionTables, record.value) : []))
  const gatesOpen = computed(() => gates(selectionTables.value).every((i) => (picked.value[i] ?? -1) >= 0))
  const ledgerRows = computed<LedgerRow[]>(() => (queried.value && record.value ? record.value.rows : (ledger.value?.rows ?? record.value?.rows ?? [])))

  function pick(table: number, row: number) {
    const p = [...picked.value]
    p[table] = row
    picked.value = p
  }

  function tick(period: string, on: boolean) {
    selection.value = toggle(selection.value, period, on)
    problems.value = { ...problems.value, selection: '' }
    void save(true)
  }

  function tickAll(on: boolean) {
    selection.value = setAll(
      selection.value,
      ledgerRows.value.map((r) => r.period),
      on,
    )
    problems.value = { ...problems.value, selection: '' }
    void save(true)
  }

  /** refreshMaterials reads the slots again after an upload or a 删除. */
  async function refreshMaterials() {
    const b = biz.value
    const v = view.value
    if (!b || !v) return
    try {
      const fresh = await calls.getDraft(b.family, v.id, false)
      materials.value = fresh.materials ?? []
    } catch {
      /* the slot said what went wrong */
    }
  }

  /** uploaded clears the submit's message of a material once a file went in. */
  function uploaded(name: string) {
    if (!problems.value.materials[name]) return
    const p = { ...problems.value, materials: { ...problems.value.materials } }
    delete p.materials[name]
    problems.value = p
  }

  // ------------------------------------------------------------ submit
  const attempt = new Attempt()
  const confirming = ref(false)
  const submitting = ref(false)
  const submitError = ref('')
  const receipt = ref<SubmitReceipt | null>(null)

  /** ready saves and says whether the form can go to 确认提交 (no field error the last save found). */
  async function ready(): Promise<boolean> {
    attempted.value = true
    topMessage.value = ''
    await save(!!biz.value?.ledger)
    if (saveState.value === 'failed' || saveState.value === 'stale') {
      topMessage.value = saveMessage.value
      return false
    }
    const p = savedProblems.value
    if (Object.keys(p.fields).length || Object.keys(p.rows).length) {
      problems.value = { ...empty(), fields: p.fields, rows: p.rows }
      return false
    }
    return true
  }

  /** confirm is 确认提交: the submit with the attempt's Idempotency-Key. */
  async function confirm(): Promise<boolean> {
    const b = biz.value
    const v = view.value
    if (!b || !v) return false
    submitting.value = true
    submitError.value = ''
    try {
      receipt.value = await calls.submit(b.family, v.id, attempt.key())
      attempt.settle()
      confirming.value = false
      problems.value = empty()
      try {
        view.value = await calls.getDraft(b.family, v.id, false)
      } catch {
        view.value = { ...v, status: receipt.value.status, reference: receipt.value.reference, round: receipt.value.round }
      }
      return true
    } catch (e) {
      const err: ApiError = isApiError(e) ? e : toApiError(0, undefined)
      attempt.settle(err)
      if (retryable(err)) {
        submitError.value = `${err.message}。请点击“确认提交”重试`
        return false
      }
      confirming.value = false
      problems.value = sortProblems(err.fieldErrors, fieldKeys.value, materialNames.value, rowKeys.value)
      // An invalid form is told by its list of problems; anything else
      // (不在办理时间, a business rule) by the server's words.
      if (err.code !== 'invalid' || !Object.keys(err.fieldErrors).length) topMessage.value = err.message
      void refreshMaterials()
      return false
    } finally {
      submitting.value = false
    }
  }

  return {
    biz,
    view,
    tables,
    values,
    prefilled,
    selection,
    rows,
    materials,
    ledger,
    record,
    recordLoading,
    recordError,
    picked,
    touched,
    problems,
    topMessage,
    attempted,
    saveState,
    saveMessage,
    totalsBusy,
    editable,
    reasons,
    rowErrors,
    shownProblems,
    selectionTables,
    gatesOpen,
    ledgerRows,
    confirming,
    submitting,
    submitError,
    receipt,
    fieldError,
    open,
    save,
    edited,
    readRecord,
    pick,
    tick,
    tickAll,
    refreshMaterials,
    uploaded,
    ready,
    confirm,
  }
}
