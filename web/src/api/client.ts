// The API client: openapi-fetch over the generated paths, same origin,
// cookies included (the session is an HttpOnly cookie). A 401 from any
// call but the login and session probes sends the person to 用户登录 with
// ?redirect=<the page they were on>.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { toApiError, type ApiError } from './errors'
import { loginLocation } from '../session/redirect'

type Unauthorized = () => void

let unauthorized: Unauthorized = () => {
  const to = loginLocation(window.location.pathname + window.location.search)
  window.location.assign(to.path + (to.query.redirect ? '?redirect=' + encodeURIComponent(to.query.redirect) : ''))
}

/** onUnauthorized replaces what a 401 does (the router sets it in main.ts). */
export function onUnauthorized(fn: Unauthorized): void {
  unauthorized = fn
}

// Routes whose 401 is an answer, not an expired session.
const probes = ['/api/v1/auth/login', '/api/v1/auth/me']

/** session is the middleware that turns a 401 into 用户登录. */
export const session: Middleware = {
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !probes.includes(schemaPath)) unauthorized()
    return undefined
  },
}

/** api is the portal's one client. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'include' })
api.use(session)

/**
 * passive is for calls no page depends on (the header's unread count): a
 * 401 there is not the person's to act on, so it does not take them to
 * 用户登录; the page they are on decides.
 */
export const passive = createClient<paths>({ baseUrl: '', credentials: 'include' })

/**
 * must returns the data of an openapi-fetch result or throws its error as an
 * ApiError (network failures too), so views can await one value.
 */
export async function must<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response }
  try {
    r = await p
  } catch {
    throw toApiError(0, undefined) satisfies ApiError
  }
  if (!r.response.ok) throw toApiError(r.response.status, r.error)
  return r.data as T
}
