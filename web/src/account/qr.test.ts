import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_POLL_FAILURES, QrPoller, nextPhase, pollSeconds, polling, qrStateText, type QrView } from './qr'
import type { QrStarted, QrState } from './types'
import type { User } from '../api/types'
import { toApiError } from '../api/errors'

const user = { accountId: 'individual:x', userType: 'individual', username: '230902********1218', name: '张三', roles: ['individual'], linked: true } as User
const code = (id = 'q1'): QrStarted => ({ qrId: id, image: `data:image/png;base64,${id}`, expiresAt: '2022-05-10T01:03:00Z', expiresIn: 180, pollEvery: 2 })

// harness is a poller over a fake server answering the polls in turn.
function harness(answers: (QrState | Error)[], start: () => Promise<QrStarted> = async () => code()) {
  const views: QrView[] = []
  const confirmed: User[] = []
  const polled: string[] = []
  const api = {
    start: vi.fn(start),
    poll: vi.fn(async (id: string) => {
      polled.push(id)
      const a = answers.shift() ?? { state: 'pending' as const }
      if (a instanceof Error) throw toApiError(0, undefined)
      return a
    }),
  }
  const p = new QrPoller(api, { change: (v) => views.push(v), confirmed: (u) => confirmed.push(u) })
  return { p, api, views, confirmed, polled, phases: () => views.map((v) => v.phase) }
}

describe('the QR states', () => {
  it('says them in the manual’s words', () => {
    expect(qrStateText.pending).toBe('待扫描')
    expect(qrStateText.scanned).toBe('已扫描，请在手机上确认')
    expect(qrStateText.expired).toBe('已失效')
  })
  it('polls only while the phone may still act', () => {
    expect(['loading', 'pending', 'scanned', 'confirmed', 'expired', 'unavailable', 'failed'].filter((p) => polling(p as never))).toEqual([
      'pending',
      'scanned',
    ])
  })
  it('takes a confirmed answer without the user as a used code', () => {
    expect(nextPhase('confirmed', true)).toBe('confirmed')
    expect(nextPhase('confirmed', false)).toBe('expired')
    expect(nextPhase('scanned', false)).toBe('scanned')
  })
  it('keeps the poll interval sensible', () => {
    expect(pollSeconds(2)).toBe(2)
    expect(pollSeconds(0)).toBe(2)
    expect(pollSeconds(undefined)).toBe(2)
    expect(pollSeconds(0.2)).toBe(1)
    expect(pollSeconds(600)).toBe(10)
  })
})

describe('QrPoller', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('goes pending → scanned → confirmed, polling every pollEvery seconds, and logs in once', async () => {
    const h = harness([{ state: 'pending' }, { state: 'scanned' }, { state: 'scanned' }, { state: 'confirmed', user }])
    await h.p.start()
    expect(h.phases()).toEqual(['loading', 'pending'])
    expect(h.views[1]!.image).toBe('data:image/png;base64,q1')
    await vi.advanceTimersByTimeAsync(1999)
    expect(h.polled).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(h.polled).toEqual(['q1'])
    await vi.advanceTimersByTimeAsync(6000)
    expect(h.phases()).toEqual(['loading', 'pending', 'scanned', 'confirmed'])
    expect(h.confirmed).toEqual([user])
    await vi.advanceTimersByTimeAsync(20_000)
    expect(h.polled.length).toBe(4) // no poll after the login
  })

  it('stops at expired until 刷新二维码 starts a new code', async () => {
    const h = harness([{ state: 'expired' }])
    await h.p.start()
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.phases().at(-1)).toBe('expired')
    await vi.advanceTimersByTimeAsync(20_000)
    expect(h.polled.length).toBe(1)
    h.api.start.mockImplementation(async () => code('q2'))
    await h.p.start()
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.polled).toEqual(['q1', 'q2'])
    expect(h.phases().slice(-2)).toEqual(['loading', 'pending'])
  })

  it('stops polling when stopped (panel unmounted, tab switched) and drops an answer in flight', async () => {
    const h = harness([{ state: 'confirmed', user }])
    await h.p.start()
    await vi.advanceTimersByTimeAsync(1000)
    h.p.stop()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(h.polled).toEqual([])

    let answer: (s: QrState) => void = () => {}
    const slow = harness([])
    slow.api.poll.mockImplementation(() => new Promise<QrState>((ok) => (answer = ok)))
    await slow.p.start()
    await vi.advanceTimersByTimeAsync(2000)
    slow.p.stop()
    answer({ state: 'confirmed', user })
    await vi.advanceTimersByTimeAsync(0)
    expect(slow.confirmed).toEqual([])
    expect(slow.phases()).toEqual(['loading', 'pending'])
  })

  it('rides out a failed poll but not three in a row', async () => {
    const h = harness([new Error(), { state: 'scanned' }, new Error(), new Error(), new Error()])
    await h.p.start()
    await vi.advanceTimersByTimeAsync(4000)
    expect(h.phases().at(-1)).toBe('scanned')
    await vi.advanceTimersByTimeAsync(2000 * MAX_POLL_FAILURES)
    expect(h.phases().at(-1)).toBe('failed')
    await vi.advanceTimersByTimeAsync(20_000)
    expect(h.polled.length).toBe(2 + MAX_POLL_FAILURES)
  })

  it('shows the server’s word when QR login is not available here (503)', async () => {
    const msg = '电子社保卡扫码登录暂未开通，请使用账号密码登录'
    const h = harness([], async () => {
      throw toApiError(503, { code: 'unavailable', message: msg })
    })
    await h.p.start()
    expect(h.views.at(-1)).toEqual({ phase: 'unavailable', image: '', message: msg })
    await vi.advanceTimersByTimeAsync(20_000)
    expect(h.polled).toEqual([])
  })

  it('says failed for any other refusal of a code (too many attempts: 429)', async () => {
    const h = harness([], async () => {
      throw toApiError(429, { message: '操作过于频繁，请一分钟后再试' })
    })
    await h.p.start()
    expect(h.views.at(-1)).toEqual({ phase: 'failed', image: '', message: '操作过于频繁，请一分钟后再试' })
  })
})
