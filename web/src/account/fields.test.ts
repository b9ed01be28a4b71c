import { describe, expect, it } from 'vitest'
import { changeFields, checkFields, personFields, personalValues, resetFields, unitFields } from './fields'

const person = {
  name: '张三',
  idNumber: '11010519491231002X',
  mobile: '139 1234 5678',
  smsCode: '123456',
  password: 'Qing#Shan2026',
  confirm: 'Qing#Shan2026',
}

describe('the account forms’ fields', () => {
  it('ask what the API takes, with the labels of the screens', () => {
    expect(personFields.map((f) => f.key)).toEqual(['name', 'idNumber', 'mobile', 'smsCode', 'password', 'confirm'])
    expect(personFields.map((f) => f.label)).toEqual(['姓名', '社会保障号（身份证号）', '手机号码', '短信验证码', '密码', '确认密码'])
    expect(unitFields.map((f) => f.key)).toEqual([
      'uscc', 'unitName', 'legalRepName', 'legalRepIdNumber', 'agentName', 'agentIdNumber', 'mobile', 'smsCode', 'password', 'confirm',
    ])
    expect(resetFields('individual').map((f) => f.label)).toEqual(['社会保障号', '手机号码', '短信验证码', '新密码', '确认新密码'])
    expect(resetFields('enterprise')[0]!.label).toBe('账号 ID')
    expect(changeFields.map((f) => f.label)).toEqual(['原密码', '新密码', '确认新密码'])
  })

  it('find nothing wrong with a complete registration', () => {
    expect(Object.values(checkFields(personFields, person)).filter(Boolean)).toEqual([])
  })

  it('say what is missing, in the fields’ words', () => {
    const p = checkFields(personFields, {})
    expect(p).toEqual({
      name: '请填写姓名',
      idNumber: '请填写社会保障号（身份证号）',
      mobile: '请填写手机号码',
      smsCode: '请输入短信验证码',
      password: '请输入密码',
      confirm: '请再次输入密码',
    })
    expect(checkFields(changeFields, {})).toEqual({ oldPassword: '请输入原密码', newPassword: '请输入新密码', confirm: '请再次输入新密码' })
  })

  it('refuse a 确认密码 that differs', () => {
    expect(checkFields(personFields, { ...person, confirm: 'Qing#Shan2025' }).confirm).toBe('两次输入的密码不一致，请重新输入')
  })

  it('keep the ID number and the mobile out of the password', () => {
    expect(personalValues(personFields, person)).toEqual(['11010519491231002X', '13912345678'])
    const pw = 'Aa!13912345678'
    expect(checkFields(personFields, { ...person, password: pw, confirm: pw }).password).toBe('密码不能包含您的证件号码或手机号码')
    const unit = { legalRepIdNumber: '440524188001010014', agentIdNumber: '11010519491231002X', mobile: '13912345678' }
    expect(personalValues(unitFields, unit)).toEqual(['440524188001010014', '11010519491231002X', '13912345678'])
  })

  it('check the 账号 ID as the server does', () => {
    const f = resetFields('enterprise')
    expect(checkFields(f, { username: '93099999' }).username).toBe('')
    expect(checkFields(f, { username: '930-9999' }).username).toBe('账号格式不正确，应为注册时获取的账号ID')
  })

  it('want a new password other than the old one', () => {
    expect(checkFields(changeFields, { oldPassword: 'Qing#Shan2026', newPassword: 'Qing#Shan2026', confirm: 'Qing#Shan2026' }).newPassword).toBe(
      '新密码不能与原密码相同',
    )
  })

  it('check names, ID numbers and the credit code', () => {
    const p = checkFields(unitFields, { uscc: '91350100M000100Y44', unitName: '单'.repeat(51), legalRepIdNumber: '110105194912310021' })
    expect(p.uscc).toBe('统一社会信用代码校验位不正确，请核对后重新输入')
    expect(p.unitName).toBe('单位名称不能超过50个字')
    expect(p.legalRepIdNumber).toBe('公民身份号码校验位不正确，请核对后重新输入')
    expect(p.mobile).toBe('请填写经办人手机号码')
  })
})
