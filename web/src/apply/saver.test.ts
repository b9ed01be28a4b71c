import { describe, expect, it } from 'vitest'
import { Saver } from './saver'
import { toApiError } from '../api/errors'

type V = { version: number; ledger: boolean }

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((ok, no) => ((resolve = ok), (reject = no)))
  return { promise, resolve, reject }
}

describe('Saver', () => {
  it('saves under the version of the last answer', async () => {
    const seen: number[] = []
    const s = new Saver<V>(1, async (v, ledger) => (seen.push(v), { version: v + 1, ledger }))
    await s.request()
    await s.request()
    expect(seen).toEqual([1, 2])
    expect(s.version).toBe(3)
    expect(s.state).toBe('saved')
  })

  it('runs one save at a time and sends changes made meanwhile in one more save', async () => {
    const calls: { v: number; ledger: boolean; d: ReturnType<typeof deferred<V>> }[] = []
    const s = new Saver<V>(1, (v, ledger) => {
      const d = deferred<V>()
      calls.push({ v, ledger, d })
      return d.promise
    })
    const a = s.request()
    const b = s.request(true)
    const c = s.request()
    expect(calls.length).toBe(1)
    calls[0]?.d.resolve({ version: 2, ledger: false })
    await Promise.resolve()
    await Promise.resolve()
    expect(calls.length).toBe(2)
    expect(calls[1]).toMatchObject({ v: 2, ledger: true })
    calls[1]?.d.resolve({ version: 3, ledger: true })
    expect(await a).toEqual({ version: 3, ledger: true })
    expect(await b).toEqual({ version: 3, ledger: true })
    expect(await c).toEqual({ version: 3, ledger: true })
  })

  it('stops on a stale version (409) and tells why', async () => {
    const stale = toApiError(409, { code: 'conflict', message: '该申请已在其他页面或设备上修改，请刷新后重试' })
    const states: string[] = []
    const s = new Saver<V>(
      1,
      async () => {
        throw stale
      },
      (x) => states.push(x.state),
    )
    await expect(s.request()).rejects.toBe(stale)
    expect(s.state).toBe('stale')
    await expect(s.request()).rejects.toBe(stale)
    expect(states).toEqual(['saving', 'stale'])
  })

  it('tries again on the next request after a failure, asking for the table again', async () => {
    let n = 0
    const asked: boolean[] = []
    const s = new Saver<V>(1, async (v, ledger) => {
      asked.push(ledger)
      if (n++ === 0) throw toApiError(0, undefined)
      return { version: v + 1, ledger }
    })
    await expect(s.request(true)).rejects.toMatchObject({ code: 'network' })
    expect(s.state).toBe('failed')
    await s.request()
    expect(asked).toEqual([true, true])
    expect(s.state).toBe('saved')
  })
})
