// Names for the wire types of 用户注册, 找回密码, 修改密码 and 电子社保卡扫码
// 登录, taken from the generated OpenAPI types (src/api/schema.d.ts);
// nothing here is written by hand.
import type { components } from '../api/schema'

type S = components['schemas']

export type SmsCodeRequest = S['SmsCodeRequest']
export type SmsPurpose = SmsCodeRequest['purpose']
export type SmsCodeSent = S['SmsCodeSent']
export type RegisterPersonRequest = S['RegisterPersonRequest']
export type RegisterUnitRequest = S['RegisterUnitRequest']
export type UnitRegistered = S['UnitRegistered']
export type ResetPasswordRequest = S['ResetPasswordRequest']
export type ResetUserType = ResetPasswordRequest['userType']
export type ChangePasswordRequest = S['ChangePasswordRequest']
export type QrStartRequest = S['QrStartRequest']
export type QrUserType = QrStartRequest['userType']
export type QrStarted = S['QrStarted']
export type QrState = S['QrState']
export type QrServerState = QrState['state']
