// The unread count the header's 消息 badge shows, shared by the header and
// 消息中心. The header asks for it on every page change (GET
// /api/v1/me/messages?limit=1, through the passive client: a 401 there
// never sends the person to 用户登录); 消息中心 sets it from its list and
// from every 标记为已读 and 全部已读. A later answer wins: a count asked
// for before a read was marked is dropped when it comes back after it.
import { ref } from 'vue'
import { passive } from '../api/client'
import type { UnreadCount } from './types'

/** unread is the logged-in person's unread count, or null when unknown. */
export const unread = ref<UnreadCount | null>(null)

let asked = 0

/** askApi is the count as the API tells it (one message, the cheapest page); null without a session. */
async function askApi(): Promise<UnreadCount | null> {
  const r = await passive.GET('/api/v1/me/messages', { params: { query: { limit: 1 } } })
  return r.response.ok && r.data ? { unread: r.data.unread, unreadLabel: r.data.unreadLabel } : null
}

/** refreshUnread asks for the count (ask: the API, or a test's stand-in). */
export async function refreshUnread(ask: () => Promise<UnreadCount | null> = askApi): Promise<void> {
  const mine = ++asked
  try {
    const u = await ask()
    if (mine === asked) unread.value = u
  } catch {
    /* offline: the badge keeps what it showed */
  }
}

/** setUnread records a count an answer of the API carried (a list, a read). */
export function setUnread(u: UnreadCount): void {
  asked++
  unread.value = { unread: u.unread, unreadLabel: u.unreadLabel }
}

/** clearUnread forgets the count (after 退出). */
export function clearUnread(): void {
  asked++
  unread.value = null
}
