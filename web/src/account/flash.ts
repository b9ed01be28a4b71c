// What a page tells 用户登录 it is sent to: 注册成功 or 密码已重置, the tab
// to open and the username to fill in. Held in memory for the next login
// page only, so that a reload or a bookmark of /login never repeats it.
import type { QrUserType } from './types'

/** LoginNotice is the message 用户登录 shows once, above its form. */
export interface LoginNotice {
  message: string
  userType: QrUserType
  /** username fills the form's 社会保障号 or 账号 ID. */
  username?: string
}

let pending: LoginNotice | null = null

/** noticeForLogin leaves n for the next 用户登录 page. */
export function noticeForLogin(n: LoginNotice): void {
  pending = n
}

/** takeLoginNotice returns the notice left for this page, once. */
export function takeLoginNotice(): LoginNotice | null {
  const n = pending
  pending = null
  return n
}
