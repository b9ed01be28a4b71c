import { describe, expect, it } from 'vitest'
import { noticeForLogin, takeLoginNotice } from './flash'

describe('the notice for 用户登录', () => {
  it('is shown once', () => {
    noticeForLogin({ message: '注册成功，请登录', userType: 'enterprise', username: '9123456789' })
    expect(takeLoginNotice()).toEqual({ message: '注册成功，请登录', userType: 'enterprise', username: '9123456789' })
    expect(takeLoginNotice()).toBeNull()
  })
})
