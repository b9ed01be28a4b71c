import { describe, expect, it } from 'vitest'
import { isApiError, toApiError } from './errors'

describe('toApiError', () => {
  it('keeps the API message and the string field errors', () => {
    const e = toApiError(422, {
      code: 'invalid',
      message: '提交的信息有误，请按提示修改后重新提交',
      fieldErrors: { captchaAnswer: '验证码错误或已过期，请刷新验证码后重新输入', bad: 3 },
    })
    expect(e).toEqual({
      status: 422,
      code: 'invalid',
      message: '提交的信息有误，请按提示修改后重新提交',
      fieldErrors: { captchaAnswer: '验证码错误或已过期，请刷新验证码后重新输入' },
    })
    expect(isApiError(e)).toBe(true)
  })
  it('says something useful for a body that is not ours', () => {
    expect(toApiError(502, '<html>').message).toBe('系统繁忙，请稍后重试')
    expect(toApiError(0, undefined)).toMatchObject({ code: 'network', message: '网络连接失败，请检查网络后重试' })
  })
})

describe('retryAfter', () => {
  it('reads the wait of a 429, rounded up, and leaves it out otherwise', () => {
    expect(toApiError(429, { code: 'rate_limited', message: '请稍后再试', retryAfter: 42 }).retryAfter).toBe(42)
    expect(toApiError(429, { code: 'rate_limited', message: '请稍后再试', retryAfter: 1.2 }).retryAfter).toBe(2)
    expect(toApiError(429, { code: 'rate_limited', message: '请稍后再试' }).retryAfter).toBeUndefined()
    expect(toApiError(429, { code: 'rate_limited', message: 'x', retryAfter: 'soon' }).retryAfter).toBeUndefined()
  })
})
