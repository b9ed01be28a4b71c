// 电子社保卡扫码登录 (手册 3.1.2 单位法人扫码登录, 3.2.2): the QR code's
// state as the login page shows it, and the poller that asks the server
// (GET /api/v1/auth/qr/{qrId}) every pollEvery seconds until the code is
// confirmed on the phone, expires, or the panel goes away. The server's
// clock decides expiry (the page's clock may be another day's): the page
// only ever believes the poll.
import type { User } from '../api/types'
import type { ApiError } from '../api/errors'
import type { QrServerState, QrStarted, QrState } from './types'

/**
 * QrPhase is what the panel shows: the server's pending, scanned,
 * confirmed and expired, and its own loading (asking for a code),
 * unavailable (503: no 电子社保卡 platform here) and failed (the code or
 * its state could not be fetched).
 */
export type QrPhase = 'loading' | QrServerState | 'unavailable' | 'failed'

/** qrStateText is the state line under the QR code. */
export const qrStateText: Record<QrPhase, string> = {
  loading: '正在获取二维码…',
  pending: '待扫描',
  scanned: '已扫描，请在手机上确认',
  confirmed: '已确认，正在登录…',
  expired: '已失效',
  unavailable: '',
  failed: '二维码加载失败',
}

/** polling tells whether a phase waits for the phone (the poller keeps asking). */
export function polling(p: QrPhase): boolean {
  return p === 'pending' || p === 'scanned'
}

/**
 * nextPhase is the phase after a poll answered state: a confirmed answer
 * without the user is a code another poll already used, so expired.
 */
export function nextPhase(state: QrServerState, hasUser: boolean): QrPhase {
  return state === 'confirmed' && !hasUser ? 'expired' : state
}

/** pollSeconds keeps the server's pollEvery within 1 to 10 seconds (2 when absent). */
export function pollSeconds(every: number | undefined): number {
  if (!every || !Number.isFinite(every)) return 2
  return Math.min(10, Math.max(1, Math.round(every)))
}

/** MAX_POLL_FAILURES failed polls in a row show the code as failed. */
export const MAX_POLL_FAILURES = 3

/** QrApi is the server's side: a new code, and the state of one. */
export interface QrApi {
  start(): Promise<QrStarted>
  poll(qrId: string): Promise<QrState>
}

/** QrView is the panel's state. */
export interface QrView {
  phase: QrPhase
  image: string
  /** message is the server's word when the code could not be had (503, 429, ...). */
  message: string
}

/** Later is the one-shot timer the poller waits on. */
export type Later = (ms: number, fn: () => void) => () => void

const realLater: Later = (ms, fn) => {
  const h = setTimeout(fn, ms)
  return () => clearTimeout(h)
}

const asApiError = (e: unknown): Partial<ApiError> => (typeof e === 'object' && e !== null ? (e as Partial<ApiError>) : {})

/**
 * QrPoller gets a code and polls it. Every start (刷新二维码) begins a new
 * generation: answers of an older one, still in flight, are dropped, and
 * so is everything after stop.
 */
export class QrPoller {
  private gen = 0
  private cancel: (() => void) | null = null
  private failures = 0

  constructor(
    private readonly api: QrApi,
    private readonly on: { change(v: QrView): void; confirmed(u: User): void },
    private readonly later: Later = realLater,
  ) {}

  /** start asks for a new code and polls it. */
  async start(): Promise<void> {
    this.stop()
    const gen = ++this.gen
    this.failures = 0
    this.on.change({ phase: 'loading', image: '', message: '' })
    let q: QrStarted
    try {
      q = await this.api.start()
    } catch (e) {
      if (gen !== this.gen) return
      const err = asApiError(e)
      this.on.change({ phase: err.status === 503 ? 'unavailable' : 'failed', image: '', message: err.message ?? '' })
      return
    }
    if (gen !== this.gen) return
    const view: QrView = { phase: 'pending', image: q.image, message: '' }
    this.on.change(view)
    this.schedule(gen, q.qrId, pollSeconds(q.pollEvery) * 1000, view)
  }

  /** stop ends the polling (panel unmounted, tab or login method switched). */
  stop(): void {
    this.gen++
    this.cancel?.()
    this.cancel = null
  }

  private schedule(gen: number, id: string, ms: number, view: QrView): void {
    this.cancel = this.later(ms, () => void this.poll(gen, id, ms, view))
  }

  private async poll(gen: number, id: string, ms: number, view: QrView): Promise<void> {
    let s: QrState
    try {
      s = await this.api.poll(id)
    } catch (e) {
      if (gen !== this.gen) return
      if (++this.failures >= MAX_POLL_FAILURES) {
        this.on.change({ ...view, phase: 'failed', message: asApiError(e).message ?? '' })
        return
      }
      this.schedule(gen, id, ms, view)
      return
    }
    if (gen !== this.gen) return
    this.failures = 0
    const phase = nextPhase(s.state, !!s.user)
    const next = { ...view, phase }
    if (phase !== view.phase) this.on.change(next)
    if (phase === 'confirmed' && s.user) {
      this.stop()
      this.on.confirmed(s.user)
      return
    }
    if (polling(phase)) this.schedule(gen, id, ms, next)
  }
}
