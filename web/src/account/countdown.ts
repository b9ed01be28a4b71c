// The 获取验证码 button's countdown: the server sends one SMS code a
// minute to a number (shared/identity/account/sms.go, smsMinInterval), so
// the button waits as long before it asks again. The time left is read
// from the clock at each tick, not counted down, so a background tab whose
// timers the browser slows still shows the right number.

/** SMS_RESEND_SECONDS is how long the button waits after a code was sent. */
export const SMS_RESEND_SECONDS = 60

/** secondsLeft is the whole seconds from now to endsAt (ms), never below 0. */
export function secondsLeft(endsAt: number, now: number): number {
  return Math.max(0, Math.ceil((endsAt - now) / 1000))
}

/** smsButtonLabel is the button's text with left seconds to wait. */
export function smsButtonLabel(left: number): string {
  return left > 0 ? `${left}秒后重新获取` : '获取验证码'
}

/** Timers are the clock and the repeating timer a countdown runs on. */
export interface Timers {
  now(): number
  /** every calls fn each ms milliseconds until the returned function is called. */
  every(ms: number, fn: () => void): () => void
}

const realTimers: Timers = {
  now: () => Date.now(),
  every(ms, fn) {
    const h = setInterval(fn, ms)
    return () => clearInterval(h)
  },
}

/** Countdown tells onTick the seconds left, each second or so, until 0. */
export class Countdown {
  private endsAt = 0
  private cancel: (() => void) | null = null

  constructor(
    private readonly onTick: (left: number) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** start counts seconds down from now (again, when it was running). */
  start(seconds: number): void {
    this.stop()
    this.endsAt = this.timers.now() + seconds * 1000
    this.cancel = this.timers.every(250, () => this.tick())
    this.tick()
  }

  /** stop ends the count where it is (on unmount). */
  stop(): void {
    this.cancel?.()
    this.cancel = null
  }

  private tick(): void {
    const left = secondsLeft(this.endsAt, this.timers.now())
    this.onTick(left)
    if (left === 0) this.stop()
  }
}
