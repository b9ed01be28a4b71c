import { describe, expect, it } from 'vitest'
import { Attempt, retryable } from './submit'
import { toApiError } from '../api/errors'

describe('Attempt', () => {
  it('keeps the key across retries of a lost answer and starts a new one after a settled answer', () => {
    let n = 0
    const a = new Attempt(() => `k${++n}`)
    expect(a.key()).toBe('k1')
    a.settle(toApiError(0, undefined)) // network: the server may have it
    expect(a.key()).toBe('k1')
    a.settle(toApiError(503, { code: 'unavailable', message: '暂不可用' }))
    expect(a.key()).toBe('k1')
    a.settle(toApiError(422, { code: 'invalid', message: '提交的信息有误' }))
    expect(a.key()).toBe('k2')
    a.settle()
    expect(a.key()).toBe('k3')
  })
  it('makes UUIDs by default', () => {
    expect(new Attempt().key()).toMatch(/^[0-9a-f-]{36}$/)
  })
  it('retries only what may not have reached the server', () => {
    expect(retryable(toApiError(0, undefined))).toBe(true)
    expect(retryable(toApiError(500, {}))).toBe(true)
    expect(retryable(toApiError(409, { code: 'window_closed', message: 'x' }))).toBe(false)
    expect(retryable(toApiError(422, { code: 'invalid', message: 'x' }))).toBe(false)
  })
})
