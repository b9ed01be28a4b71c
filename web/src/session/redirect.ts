// Where to go after login, and how to come back after a 401.

/** LOGIN is the path of 用户登录. */
export const LOGIN = '/login'

/**
 * safeRedirect returns the ?redirect value when it is a path of this
 * portal ("/..." but not "//host" or "/\host", which browsers treat as
 * another origin) and not the login page itself; else undefined.
 */
export function safeRedirect(v: unknown): string | undefined {
  const s = Array.isArray(v) ? v[0] : v
  if (typeof s !== 'string' || !s.startsWith('/') || s.startsWith('//') || s.startsWith('/\\')) return undefined
  if (s === LOGIN || s.startsWith(LOGIN + '?') || s.startsWith(LOGIN + '/')) return undefined
  return s
}

/** loginLocation is the login page that brings the person back to current. */
export function loginLocation(current: string): { path: string; query: Record<string, string> } {
  const back = safeRedirect(current)
  return back ? { path: LOGIN, query: { redirect: back } } : { path: LOGIN, query: {} }
}

/** homeOf is where a user lands after login without ?redirect: 办事中心, or the staff console. */
export function homeOf(userType: string): string {
  return userType === 'staff' ? '/staff' : '/services'
}
