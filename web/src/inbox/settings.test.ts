import { describe, expect, it } from 'vitest'
import { checkSettings, formOf, mobileText, requestOf, savedText, settingsErrors } from './settings'

describe('the form', () => {
  it('is filled from the settings in force', () => {
    expect(formOf({ inApp: true, sms: true, email: false, mobile: '199****0401' })).toEqual({ sms: true, email: false, emailAddress: '' })
    expect(formOf({ inApp: true, sms: false, email: true, emailAddress: 'a@b.cn' })).toEqual({ sms: false, email: true, emailAddress: 'a@b.cn' })
  })
  it('sends the address trimmed, and none when empty', () => {
    expect(requestOf({ sms: false, email: true, emailAddress: ' zhao@example.com ' })).toEqual({ sms: false, email: true, emailAddress: 'zhao@example.com' })
    expect(requestOf({ sms: true, email: false, emailAddress: '  ' })).toEqual({ sms: true, email: false })
  })
  it('asks for an address only when 邮件提醒 is on', () => {
    expect(checkSettings({ sms: true, email: true, emailAddress: ' ' })).toEqual({ emailAddress: '选择邮件提醒时请填写电子邮箱' })
    expect(checkSettings({ sms: true, email: false, emailAddress: '' })).toEqual({})
  })
  it('maps the server’s field errors', () => {
    expect(settingsErrors({ emailAddress: '电子邮箱格式不正确', body: 'x', other: 'y' })).toEqual({
      fields: { emailAddress: '电子邮箱格式不正确' },
      other: 'x；y',
    })
  })
})

describe('texts', () => {
  it('names the mobile and the saved channels', () => {
    expect(mobileText('199****0401')).toBe('发送至注册手机号 199****0401')
    expect(mobileText(undefined)).toBe('账号未登记手机号，无法发送短信')
    expect(savedText({ inApp: true, sms: false, email: true, emailAddress: 'a@b.cn' })).toBe('提醒方式已保存：站内信、邮件（a@b.cn）')
    expect(savedText({ inApp: true, sms: true, email: false })).toBe('提醒方式已保存：站内信、短信')
  })
})
