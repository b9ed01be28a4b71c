// 退休测算 (POST /api/v1/calculations/retirement): the inputs of the
// retirement forms (4.22, 4.24, 5.3) under their labels, and the server's
// figures (法定退休年龄 and 日期, 提前退休月数, the contribution months)
// as it sends them. With 使用我的参保记录 the server reads what is left out
// (birth date, gender, identity, the months paid) from the person's ledger.
import type { RetirementRequest, RetirementResult } from './types'

/** GENDERS and IDENTITIES are the choices the API takes. */
export const GENDERS = ['男', '女'] as const
export const IDENTITIES = ['工人', '干部'] as const

/** RetirementForm is the form as typed. */
export interface RetirementForm {
  archiveBirthDate: string
  gender: string
  personalIdentity: string
  retirementDate: string
  actualContributionMonths: string
  deemedContributionMonths: string
  /** useRecords sends the caller's 人员编号: the server fills in what is left out. */
  useRecords: boolean
}

/** emptyForm is a new form. */
export function emptyForm(): RetirementForm {
  return {
    archiveBirthDate: '',
    gender: '',
    personalIdentity: '',
    retirementDate: '',
    actualContributionMonths: '',
    deemedContributionMonths: '',
    useRecords: false,
  }
}

/** toRequest is the API body: what is filled in, as text; personNumber with useRecords. */
export function toRequest(f: RetirementForm, personNumber?: string): RetirementRequest {
  const out: RetirementRequest = {}
  const put = <K extends keyof RetirementRequest>(k: K, v: string) => {
    const t = v.trim()
    if (t) out[k] = t as RetirementRequest[K]
  }
  put('archiveBirthDate', f.archiveBirthDate)
  put('gender', f.gender)
  put('personalIdentity', f.personalIdentity)
  put('retirementDate', f.retirementDate)
  put('actualContributionMonths', f.actualContributionMonths)
  put('deemedContributionMonths', f.deemedContributionMonths)
  if (f.useRecords && personNumber) out.personNumber = personNumber
  return out
}

// The rules of reference data (shared/refdata/data/retirement.yaml) by name.
const RULES = new Map([
  ['pre-2025', '国发〔1978〕104号等（2025年1月1日前）'],
  ['gradual-2025', '渐进式延迟法定退休年龄办法（2025年1月1日起）'],
])

/** ruleLabel names the rule the figures follow, or gives its name as it is. */
export function ruleLabel(rule: string): string {
  return RULES.get(rule) ?? rule
}

/** Figure is one line of the answer. */
export interface Figure {
  label: string
  value: string
}

/** figures are the answer in the order the forms print them, every value as the server sent it. */
export function figures(r: RetirementResult): Figure[] {
  const out: Figure[] = [
    { label: '法定退休年龄', value: r.legalRetirementAge },
    { label: '法定退休日期', value: r.legalRetirementDate },
    { label: '退休日期', value: r.retirementDate },
    { label: '提前退休月数', value: String(r.earlyRetirementMonths) },
    { label: '实际缴费月数', value: String(r.actualContributionMonths) + (r.actualCountedFromLedger ? '（按参保记录统计）' : '') },
    { label: '视同缴费月数', value: String(r.deemedContributionMonths) },
    { label: '缴费月数合计', value: String(r.totalContributionMonths) },
    { label: '最低缴费月数', value: String(r.minimumContributionMonths) },
    { label: '是否满足最低缴费月数', value: r.meetsMinimum ? '是' : '否' },
  ]
  if (r.delayMonths > 0) out.splice(2, 0, { label: '延迟退休月数', value: String(r.delayMonths) })
  out.push({ label: '适用规定', value: ruleLabel(r.rule) })
  return out
}

/** FIELD_KEYS are the form's inputs in order, for focusing the first field with an error. */
export const FIELD_KEYS = [
  'archiveBirthDate',
  'gender',
  'personalIdentity',
  'retirementDate',
  'actualContributionMonths',
  'deemedContributionMonths',
] as const
