// 打印回执单: the receipt route answers 303 to a short-lived link to the
// PDF once it is made, and 202 (Retry-After) while the workflow's first
// step is still making it. The portal asks without following the
// redirect, waits while it is being made, and then opens the route in a
// new tab, where the browser follows the redirect to the PDF and offers
// its 打印 (the link is made fresh for that request, so it cannot expire
// in between).
import { toApiError, type ApiError } from '../api/errors'

/** ReceiptState is one answer of the receipt route. */
export type ReceiptState =
  | { kind: 'ready' }
  | { kind: 'making'; wait: number; message: string }
  | { kind: 'error'; error: ApiError }

/** MAKING is what the portal says while it waits (the server's message when it sends one). */
export const MAKING = '回执单正在生成，请稍候…'

/** retryAfter reads Retry-After in seconds as ms, within 1–10 s (2 s when absent or odd). */
export function retryAfter(v: string | null): number {
  const n = v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : 2
  return Math.min(10, Math.max(1, n)) * 1000
}

/** Answer is the part of a fetch Response the state is read from. */
export interface Answer {
  type: string
  status: number
  headers: { get(name: string): string | null }
}

/** receiptState reads an answer got with redirect: 'manual' (body: its parsed JSON, if any). */
export function receiptState(r: Answer, body: unknown): ReceiptState {
  if (r.type === 'opaqueredirect' || r.status === 303) return { kind: 'ready' }
  if (r.status === 200 && (r.headers.get('Content-Type') ?? '').startsWith('application/pdf')) return { kind: 'ready' }
  if (r.status === 202) {
    const b = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown }
    const message = typeof b.message === 'string' && b.message ? b.message : MAKING
    return { kind: 'making', wait: retryAfter(r.headers.get('Retry-After')), message }
  }
  return { kind: 'error', error: toApiError(r.status, body) }
}

/** GIVE_UP is how many answers of 202 the portal waits through (about half a minute). */
export const GIVE_UP = 15

/**
 * waitForReceipt asks until the receipt is ready or an error comes,
 * sleeping as each 202 says; after GIVE_UP answers of 202 it reports the
 * last one, so the person can try again later.
 */
export async function waitForReceipt(
  ask: () => Promise<ReceiptState>,
  sleep: (ms: number) => Promise<void>,
  onMaking: (s: Extract<ReceiptState, { kind: 'making' }>) => void = () => {},
  tries = GIVE_UP,
): Promise<ReceiptState> {
  let s = await ask()
  for (let i = 1; s.kind === 'making' && i < tries; i++) {
    onMaking(s)
    await sleep(s.wait)
    s = await ask()
  }
  return s
}
