// 消息提醒设置 (GET/PUT /api/v1/me/notification-settings): 站内信 is always
// on; 短信提醒 goes to the registered mobile (shown masked); 邮件提醒 needs
// an 电子邮箱. The server checks the address; the form only asks for one
// when 邮件提醒 is on, in the server's words, and shows the server's field
// errors under the field they name.
import type { NotificationSettings, NotificationSettingsRequest } from './types'

/** SettingsForm is the form as the person sets it. */
export interface SettingsForm {
  sms: boolean
  email: boolean
  emailAddress: string
}

/** SettingsKey names a field of the form. */
export type SettingsKey = keyof SettingsForm

/** formOf fills the form from the settings in force. */
export function formOf(s: NotificationSettings): SettingsForm {
  return { sms: s.sms, email: s.email, emailAddress: s.emailAddress ?? '' }
}

/** requestOf is the PUT body: the address trimmed, and left out when empty. */
export function requestOf(f: SettingsForm): NotificationSettingsRequest {
  const body: NotificationSettingsRequest = { sms: f.sms, email: f.email }
  const a = f.emailAddress.trim()
  if (a) body.emailAddress = a
  return body
}

/** checkSettings is the form's own check before it is sent. */
export function checkSettings(f: SettingsForm): Partial<Record<SettingsKey, string>> {
  return f.email && !f.emailAddress.trim() ? { emailAddress: '选择邮件提醒时请填写电子邮箱' } : {}
}

/** settingsErrors maps the API's field errors to the form's fields (others to "" for the form as a whole). */
export function settingsErrors(fieldErrors: Record<string, string>): { fields: Partial<Record<SettingsKey, string>>; other: string } {
  const fields: Partial<Record<SettingsKey, string>> = {}
  const other: string[] = []
  for (const [k, v] of Object.entries(fieldErrors)) {
    if (k === 'sms' || k === 'email' || k === 'emailAddress') fields[k] = v
    else other.push(v)
  }
  return { fields, other: other.join('；') }
}

/** mobileText says where SMS goes: 发送至注册手机号 199****0401, or that none is registered. */
export function mobileText(mobile: string | undefined): string {
  return mobile ? `发送至注册手机号 ${mobile}` : '账号未登记手机号，无法发送短信'
}

/** savedText sums up the saved settings for the success message. */
export function savedText(s: NotificationSettings): string {
  const on = ['站内信']
  if (s.sms) on.push('短信')
  if (s.email) on.push(`邮件（${s.emailAddress ?? ''}）`)
  return `提醒方式已保存：${on.join('、')}`
}
