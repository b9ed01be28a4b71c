// 确认提交 (手册 §9): each attempt to submit carries an Idempotency-Key; a
// retry after a lost answer (network, 5xx) sends the same key, so that the
// server answers with the one receipt instead of submitting twice. An
// answer that settles the attempt (the receipt, or a refusal the person
// must act on) ends it: the next attempt gets a new key.
import type { ApiError } from '../api/errors'

/** retryable tells a lost or failed answer, worth sending again with the same key, from a refusal. */
export function retryable(e: ApiError): boolean {
  return e.status === 0 || e.status >= 500 || e.code === 'rate_limited'
}

/** Attempt holds the key of the submit being tried. */
export class Attempt {
  private current = ''
  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  /** key is the attempt's key: the same until the attempt is settled. */
  key(): string {
    if (!this.current) this.current = this.newKey()
    return this.current
  }

  /** settle ends the attempt after an answer: a receipt, or an error that is not worth retrying. */
  settle(e?: ApiError): void {
    if (!e || !retryable(e)) this.current = ''
  }
}
