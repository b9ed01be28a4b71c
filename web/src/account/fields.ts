// The fields of the account forms (用户注册, 找回密码, 修改密码) as data:
// the label the manual's screens use, the key the API takes, how the
// browser should treat the input, and the check the form runs before it
// sends (the server's own rules, see rules.ts). The forms are rendered
// from these lists (components/account/AccountFields.vue).
import { PASSWORD_HINT, confirmProblem, creditCodeProblem, mobileProblem, normalId, normalMobile, passwordProblem, residentIdProblem } from './rules'

/** Check is what a field's value must be. */
export type Check =
  | 'name' // a person's or unit's name: required, at most 50 characters
  | 'id' // a 公民身份号码
  | 'account' // an enterprise 账号 ID
  | 'mobile'
  | 'credit' // a 统一社会信用代码
  | 'sms' // the SMS code (the field also gets the captcha and 获取验证码)
  | 'password' // the current password: required only
  | 'newPassword' // a new password under the password rule
  | 'confirm' // the new password again

/** FieldDef is one field of an account form. */
export interface FieldDef {
  key: string
  label: string
  check: Check
  hint?: string
  autocomplete?: string
  inputmode?: 'numeric' | 'tel' | 'text'
  maxlength?: number
  /** personal values may not appear inside the new password (ID numbers, the mobile). */
  personal?: boolean
  /** confirms is the key of the field a 'confirm' field repeats. */
  confirms?: string
  /** differsFrom is the key of the field a new password must differ from (the old one). */
  differsFrom?: string
}

const name = (key: string, label: string, autocomplete = 'off'): FieldDef => ({ key, label, check: 'name', autocomplete, maxlength: 50 })
const id = (key: string, label: string): FieldDef => ({ key, label, check: 'id', autocomplete: 'off', maxlength: 20, personal: true })
const mobile: FieldDef = { key: 'mobile', label: '手机号码', check: 'mobile', autocomplete: 'tel', inputmode: 'tel', maxlength: 20, personal: true }
const sms: FieldDef = { key: 'smsCode', label: '短信验证码', check: 'sms', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 }
const newPassword = (key: string, label: string): FieldDef => ({ key, label, check: 'newPassword', hint: PASSWORD_HINT, autocomplete: 'new-password', maxlength: 64 })
const confirm = (key: string, label: string, confirms: string): FieldDef => ({ key, label, check: 'confirm', autocomplete: 'new-password', maxlength: 64, confirms })

/** personFields are 自然人用户注册's (POST /api/v1/auth/register/person). */
export const personFields: FieldDef[] = [
  name('name', '姓名', 'name'),
  id('idNumber', '社会保障号（身份证号）'),
  mobile,
  sms,
  newPassword('password', '密码'),
  confirm('confirm', '确认密码', 'password'),
]

/** unitFields are 法人用户注册's (POST /api/v1/auth/register/unit). */
export const unitFields: FieldDef[] = [
  { key: 'uscc', label: '统一社会信用代码', check: 'credit', autocomplete: 'off', maxlength: 20 },
  name('unitName', '单位名称', 'organization'),
  name('legalRepName', '法定代表人姓名'),
  id('legalRepIdNumber', '法定代表人身份证号'),
  name('agentName', '经办人姓名', 'name'),
  id('agentIdNumber', '经办人身份证号'),
  { ...mobile, label: '经办人手机号码' },
  sms,
  newPassword('password', '密码'),
  confirm('confirm', '确认密码', 'password'),
]

/** resetFields are 找回密码's (POST /api/v1/auth/password/reset) for a user type. */
export function resetFields(userType: 'individual' | 'enterprise'): FieldDef[] {
  const username: FieldDef =
    userType === 'individual'
      ? { ...id('username', '社会保障号'), autocomplete: 'username' }
      : { key: 'username', label: '账号 ID', check: 'account', autocomplete: 'username', inputmode: 'numeric', maxlength: 20 }
  return [username, { ...mobile, hint: '请填写注册时填写的手机号码，短信验证码将发送到该号码' }, sms, newPassword('password', '新密码'), confirm('confirm', '确认新密码', 'password')]
}

/** changeFields are 修改密码's (POST /api/v1/auth/password). */
export const changeFields: FieldDef[] = [
  { key: 'oldPassword', label: '原密码', check: 'password', autocomplete: 'current-password', maxlength: 128 },
  { ...newPassword('newPassword', '新密码'), differsFrom: 'oldPassword' },
  confirm('confirm', '确认新密码', 'newPassword'),
]

/** personalValues are the values of the personal fields, as the server compares them with a password. */
export function personalValues(fields: FieldDef[], values: Record<string, string>): string[] {
  return fields
    .filter((f) => f.personal)
    .map((f) => (f.check === 'mobile' ? normalMobile(values[f.key] ?? '') : normalId(values[f.key] ?? '')))
    .filter(Boolean)
}

/** fieldProblem is what is wrong with one field of values ('' for nothing). */
export function fieldProblem(f: FieldDef, values: Record<string, string>, personal: string[] = []): string {
  const v = values[f.key] ?? ''
  const blank = v.trim() === ''
  switch (f.check) {
    case 'name':
      if (blank) return `请填写${f.label}`
      return Array.from(v.trim()).length > 50 ? `${f.label}不能超过50个字` : ''
    case 'id':
      return blank ? `请填写${f.label}` : residentIdProblem(v)
    case 'account':
      if (blank) return `请填写${f.label}`
      return /^[0-9A-Za-z]{4,20}$/.test(v.trim()) ? '' : '账号格式不正确，应为注册时获取的账号ID'
    case 'mobile':
      return blank ? `请填写${f.label}` : mobileProblem(v)
    case 'credit':
      return creditCodeProblem(v)
    case 'sms':
      return blank ? '请输入短信验证码' : ''
    case 'password':
      return v === '' ? `请输入${f.label}` : ''
    case 'newPassword':
      if (v === '') return `请输入${f.label}`
      if (f.differsFrom && v === values[f.differsFrom]) return '新密码不能与原密码相同'
      return passwordProblem(v, personal)
    case 'confirm':
      return v === '' ? `请再次输入${f.label.replace(/^确认/, '')}` : confirmProblem(values[f.confirms ?? ''] ?? '', v)
  }
}

/** checkFields runs every field's check; the result has a key for each field. */
export function checkFields(fields: FieldDef[], values: Record<string, string>): Record<string, string> {
  const personal = personalValues(fields, values)
  return Object.fromEntries(fields.map((f) => [f.key, fieldProblem(f, values, personal)]))
}
