// The logged-in user, as GET /api/v1/auth/me tells it. The session itself
// is an HttpOnly cookie the portal never sees.
import { ref } from 'vue'
import { api, must } from '../api/client'
import type { User } from '../api/types'

/** user is the logged-in user, or null. */
export const user = ref<User | null>(null)

let probed: Promise<User | null> | null = null

/** loadSession asks the API once who is logged in (again when force). */
export function loadSession(force = false): Promise<User | null> {
  if (!probed || force) {
    probed = api.GET('/api/v1/auth/me').then(
      (r) => (user.value = r.response.ok && r.data ? r.data.user : null),
      () => (user.value = null),
    )
  }
  return probed
}

/** signedIn records the user a successful login returned. */
export function signedIn(u: User): void {
  user.value = u
  probed = Promise.resolve(u)
}

/** logout ends the session (POST /api/v1/auth/logout) and forgets the user. */
export async function logout(): Promise<void> {
  try {
    await must(api.POST('/api/v1/auth/logout'))
  } finally {
    user.value = null
    probed = Promise.resolve(null)
  }
}
