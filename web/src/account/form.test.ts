import { describe, expect, it } from 'vitest'
import { clearErrors, emptyErrors, firstError, showServerError } from './form'
import { toApiError } from '../api/errors'

const fields = ['name', 'mobile', 'smsCode'] as const

describe('the server’s errors on a form', () => {
  it('puts field errors under their fields and shows nothing above', () => {
    const e = emptyErrors(fields)
    const msg = showServerError(e, toApiError(422, { code: 'invalid', message: '提交的信息有误', fieldErrors: { smsCode: '短信验证码错误，还可尝试4次' } }))
    expect(msg).toBe('')
    expect(e).toEqual({ name: '', mobile: '', smsCode: '短信验证码错误，还可尝试4次' })
    expect(firstError(fields, e)).toBe('smsCode')
  })
  it('shows an error of a field the form lacks above it', () => {
    const e = emptyErrors(fields)
    const msg = showServerError(e, toApiError(422, { fieldErrors: { purpose: '用途应为register（注册）或reset（找回密码）', name: '请填写姓名' } }))
    expect(msg).toBe('用途应为register（注册）或reset（找回密码）')
    expect(e.name).toBe('请填写姓名')
  })
  it('shows the message of an error without fields', () => {
    const e = emptyErrors(fields)
    expect(showServerError(e, toApiError(409, { message: '该社会保障号已注册，请直接登录；忘记密码可通过短信找回' }))).toBe(
      '该社会保障号已注册，请直接登录；忘记密码可通过短信找回',
    )
    expect(firstError(fields, e)).toBeUndefined()
  })
  it('finds the first error in the form’s order and clears them all', () => {
    const e = emptyErrors(fields)
    e.smsCode = 'x'
    e.mobile = 'y'
    expect(firstError(fields, e)).toBe('mobile')
    clearErrors(e)
    expect(Object.values(e).every((v) => v === '')).toBe(true)
  })
})
