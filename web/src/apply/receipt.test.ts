import { describe, expect, it } from 'vitest'
import { probeReceipt, waitForReceipt, WAIT_MESSAGE, type Probe } from './receipt'

describe('waitForReceipt', () => {
  it('waits as the server says while the receipt is made, then returns', async () => {
    const answers: Probe[] = [{ ready: false, retryAfter: 2 }, { ready: false, retryAfter: 9 }, { ready: true }]
    const slept: number[] = []
    const said: string[] = []
    await waitForReceipt(
      async () => answers.shift() as Probe,
      async (ms) => void slept.push(ms),
      (m) => said.push(m),
    )
    expect(slept).toEqual([2000, 5000])
    expect(said).toEqual([WAIT_MESSAGE, WAIT_MESSAGE])
  })
  it('gives up with the message of a refusal, or after its tries', async () => {
    await expect(waitForReceipt(async () => ({ ready: false, message: '该申请尚未提交' }), async () => {}, () => {})).rejects.toThrow('该申请尚未提交')
    await expect(waitForReceipt(async () => ({ ready: false, retryAfter: 1 }), async () => {}, () => {}, 3)).rejects.toThrow('用户中心')
  })
})

describe('probeReceipt', () => {
  const answer = (status: number, init: { type?: ResponseType; headers?: Record<string, string>; body?: string } = {}) =>
    (async () => {
      const r = new Response(init.body ?? null, { status: status === 0 ? 200 : status, headers: init.headers })
      if (init.type) Object.defineProperty(r, 'type', { value: init.type })
      if (status === 0) Object.defineProperty(r, 'status', { value: 0 })
      return r
    }) as unknown as typeof fetch
  it('reads the 303 (an opaque redirect) as ready', async () => {
    expect(await probeReceipt('/r', answer(0, { type: 'opaqueredirect' }))).toEqual({ ready: true })
  })
  it('reads 202 with its Retry-After', async () => {
    expect(await probeReceipt('/r', answer(202, { headers: { 'Retry-After': '3' } }))).toEqual({ ready: false, retryAfter: 3 })
    expect(await probeReceipt('/r', answer(202))).toEqual({ ready: false, retryAfter: 2 })
  })
  it('reads an error message', async () => {
    const p = await probeReceipt('/r', answer(409, { body: JSON.stringify({ code: 'conflict', message: '该申请尚未提交' }) }))
    expect(p).toEqual({ ready: false, message: '该申请尚未提交' })
  })
})
