// The API answers every error as {code, message, fieldErrors}: message is
// Chinese and meant for the person, fieldErrors are keyed by form field.

/** ApiError is a failed API call as the portal shows it. */
export interface ApiError {
  status: number
  code: string
  message: string
  fieldErrors: Record<string, string>
  /** retryAfter is how many seconds the server asks to wait (429), when it knows. */
  retryAfter?: number
}

const fallback = '系统繁忙，请稍后重试'

/** toApiError reads an error body (or a network failure) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const fields: Record<string, string> = {}
  if (typeof b.fieldErrors === 'object' && b.fieldErrors !== null) {
    for (const [k, v] of Object.entries(b.fieldErrors as Record<string, unknown>)) {
      if (typeof v === 'string') fields[k] = v
    }
  }
  return {
    status,
    code: typeof b.code === 'string' ? b.code : status === 0 ? 'network' : 'internal',
    message: typeof b.message === 'string' && b.message !== '' ? b.message : status === 0 ? '网络连接失败，请检查网络后重试' : fallback,
    fieldErrors: fields,
    ...(typeof b.retryAfter === 'number' && b.retryAfter > 0 ? { retryAfter: Math.ceil(b.retryAfter) } : {}),
  }
}

/** isApiError tells an ApiError from other thrown values. */
export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && 'status' in e && 'code' in e && 'message' in e && 'fieldErrors' in e
}
