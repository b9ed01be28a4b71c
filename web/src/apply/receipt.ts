// 打印回执单 (手册 §10): GET /api/v1/applications/{id}/receipt answers 303
// to the PDF once it is made and 202 (Retry-After) while the workflow
// makes it. The portal asks until it is ready, then opens the receipt's
// address in the tab it opened on the click (a tab opened later would be
// blocked as a pop-up); the browser follows the 303 to the PDF there, so
// the PDF's storage needs no CORS.

/** Probe is one answer of the receipt route, as the portal reads it. */
export interface Probe {
  /** ready: 303 (read as an opaque redirect) or the PDF itself. */
  ready: boolean
  /** making: 202, with the seconds to wait. */
  retryAfter?: number
  /** message: why it failed (Chinese), when neither. */
  message?: string
}

/** WAIT_MESSAGE is shown while the receipt is being made. */
export const WAIT_MESSAGE = '回执单正在生成，请稍候…'

/**
 * waitForReceipt asks probe until the receipt is ready, waiting as the
 * server says (1–5 s, default 2) and telling onWait; it gives up after
 * tries and throws the message to show.
 */
export async function waitForReceipt(
  probe: () => Promise<Probe>,
  sleep: (ms: number) => Promise<void>,
  onWait: (message: string) => void,
  tries = 15,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const p = await probe()
    if (p.ready) return
    if (p.retryAfter === undefined) throw new Error(p.message || '回执单暂时无法打开，请稍后在用户中心打印')
    onWait(WAIT_MESSAGE)
    await sleep(Math.min(5, Math.max(1, p.retryAfter || 2)) * 1000)
  }
  throw new Error('回执单生成时间较长，请稍后在用户中心打印')
}

/** probeReceipt reads the receipt route once, not following its redirect. */
export async function probeReceipt(url: string, fetcher: typeof fetch = fetch): Promise<Probe> {
  let r: Response
  try {
    r = await fetcher(url, { credentials: 'include', redirect: 'manual', headers: { Accept: 'application/json' } })
  } catch {
    return { ready: false, message: '网络连接失败，请检查网络后重试' }
  }
  if (r.type === 'opaqueredirect' || (r.status >= 300 && r.status < 400) || r.status === 200) return { ready: true }
  if (r.status === 202) {
    const s = Number(r.headers.get('Retry-After'))
    return { ready: false, retryAfter: Number.isFinite(s) && s > 0 ? s : 2 }
  }
  let message = ''
  try {
    const b = (await r.json()) as { message?: unknown }
    if (typeof b.message === 'string') message = b.message
  } catch {
    /* not JSON */
  }
  return { ready: false, message: message || '回执单暂时无法打开，请稍后在用户中心打印' }
}
