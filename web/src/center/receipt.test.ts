import { describe, expect, it } from 'vitest'
import { MAKING, receiptState, retryAfter, waitForReceipt, type ReceiptState } from './receipt'

const answer = (type: string, status: number, headers: Record<string, string> = {}) => ({
  type,
  status,
  headers: { get: (n: string) => headers[n] ?? null },
})

describe('receipt answers', () => {
  it('a redirect (not followed) means the PDF is ready', () => {
    expect(receiptState(answer('opaqueredirect', 0), '')).toEqual({ kind: 'ready' })
    expect(receiptState(answer('basic', 303), '')).toEqual({ kind: 'ready' })
    expect(receiptState(answer('basic', 200, { 'Content-Type': 'application/pdf' }), '')).toEqual({ kind: 'ready' })
  })
  it('202 waits as Retry-After says', () => {
    expect(receiptState(answer('basic', 202, { 'Retry-After': '2' }), { status: 'making', message: '回执单正在生成' })).toEqual({
      kind: 'making',
      wait: 2000,
      message: '回执单正在生成',
    })
    expect(receiptState(answer('basic', 202), {})).toEqual({ kind: 'making', wait: 2000, message: MAKING })
  })
  it('keeps waits between 1 and 10 seconds', () => {
    expect(retryAfter('0')).toBe(1000)
    expect(retryAfter('120')).toBe(10000)
    expect(retryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(2000)
    expect(retryAfter(null)).toBe(2000)
  })
  it('any other answer is an error in Chinese', () => {
    const s = receiptState(answer('basic', 409), { code: 'conflict', message: '该申请尚未提交' })
    expect(s).toEqual({ kind: 'error', error: { status: 409, code: 'conflict', message: '该申请尚未提交', fieldErrors: {} } })
  })
})

describe('waiting for the receipt', () => {
  it('asks again after each 202 until ready', async () => {
    const answers: ReceiptState[] = [
      { kind: 'making', wait: 2000, message: 'a' },
      { kind: 'making', wait: 1000, message: 'b' },
      { kind: 'ready' },
    ]
    const slept: number[] = []
    const seen: string[] = []
    const s = await waitForReceipt(
      async () => answers.shift()!,
      async (ms) => void slept.push(ms),
      (m) => void seen.push(m.message),
    )
    expect(s).toEqual({ kind: 'ready' })
    expect(slept).toEqual([2000, 1000])
    expect(seen).toEqual(['a', 'b'])
  })
  it('gives up after the last try and says it is still being made', async () => {
    let asked = 0
    const s = await waitForReceipt(
      async () => (asked++, { kind: 'making', wait: 1000, message: 'm' }),
      async () => {},
      undefined,
      3,
    )
    expect(asked).toBe(3)
    expect(s.kind).toBe('making')
  })
})
