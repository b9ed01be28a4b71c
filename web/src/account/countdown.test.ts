import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Countdown, SMS_RESEND_SECONDS, secondsLeft, smsButtonLabel } from './countdown'

describe('the 获取验证码 countdown', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('rounds the time left up to whole seconds', () => {
    expect(secondsLeft(10_000, 0)).toBe(10)
    expect(secondsLeft(10_000, 9_001)).toBe(1)
    expect(secondsLeft(10_000, 10_000)).toBe(0)
    expect(secondsLeft(10_000, 20_000)).toBe(0)
  })
  it('labels the button', () => {
    expect(smsButtonLabel(0)).toBe('获取验证码')
    expect(smsButtonLabel(59)).toBe('59秒后重新获取')
  })
  it('waits as long as the server (one code a minute)', () => expect(SMS_RESEND_SECONDS).toBe(60))

  it('counts down to 0 and stops', () => {
    const seen: number[] = []
    const c = new Countdown((n) => seen.push(n))
    c.start(3)
    expect(seen).toEqual([3])
    vi.advanceTimersByTime(1000)
    expect(seen.at(-1)).toBe(2)
    vi.advanceTimersByTime(2000)
    expect(seen.at(-1)).toBe(0)
    const n = seen.length
    vi.advanceTimersByTime(5000)
    expect(seen.length).toBe(n) // stopped
  })
  it('stops when told (the form went away)', () => {
    const seen: number[] = []
    const c = new Countdown((n) => seen.push(n))
    c.start(60)
    c.stop()
    vi.advanceTimersByTime(5000)
    expect(seen).toEqual([60])
  })
  it('follows the clock, not the ticks, when the timer runs late', () => {
    let now = 0
    let tick = () => {}
    const seen: number[] = []
    const c = new Countdown((n) => seen.push(n), { now: () => now, every: (_ms, fn) => ((tick = fn), () => {}) })
    c.start(60)
    now = 45_500 // a background tab: one tick in 45 seconds
    tick()
    expect(seen).toEqual([60, 15])
  })
})
