// 消息中心 (站内信, GET /api/v1/me/messages): what a message shows — its
// kind, time, whether it is read, where 查看 goes — and the header's
// 消息 badge with its accessible name. The API sends the unread count and
// the badge's text (unreadLabel, "99+" past 99); these are plain functions
// over them.
import { dateTime } from '../ui/format'
import { safeRedirect } from '../session/redirect'
import type { Message, UnreadCount } from './types'

/** KINDS name a message's kind (OpenAPI Message.kind). */
const KINDS: Record<string, string> = { application: '办件进度', reminder: '提醒' }

/** kindLabel names a message's kind; '' for one the portal does not know. */
export function kindLabel(kind: string): string {
  return KINDS[kind] ?? ''
}

/**
 * portalPath is a message's link when it is a path of this portal
 * ("/user-center/applications/A…", "/apply/…"), else null: a link is
 * followed inside the portal only, never to another site (the rule of
 * ?redirect=, session/redirect.ts).
 */
export function portalPath(link: string | undefined): string | null {
  return safeRedirect(link) ?? null
}

/** linkText says where 查看 goes, for its accessible name. */
export function linkText(link: string): string {
  if (link.startsWith('/user-center/applications/')) return '查看申请详情'
  if (link.startsWith('/apply/')) return '立即办理'
  return '查看'
}

/** MessageRow is one message as the list shows it. */
export interface MessageRow {
  id: string
  title: string
  body: string
  kind: string
  /** at is the RFC 3339 time (for <time datetime>), time as shown. */
  at: string
  time: string
  read: boolean
  link: string | null
  linkText: string
}

/** messageRow turns a message into what the list shows (time in Asia/Shanghai). */
export function messageRow(m: Message): MessageRow {
  const link = portalPath(m.link)
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    kind: kindLabel(m.kind),
    at: m.at,
    time: dateTime(m.at),
    read: m.read,
    link,
    linkText: link ? linkText(link) : '',
  }
}

/** markRead is the list with one message read (the others as they were). */
export function markRead(list: Message[], id: string, at = new Date().toISOString()): Message[] {
  return list.map((m) => (m.id === id && !m.read ? { ...m, read: true, readAt: at } : m))
}

/** markAllRead is the list with every message read. */
export function markAllRead(list: Message[], at = new Date().toISOString()): Message[] {
  return list.map((m) => (m.read ? m : { ...m, read: true, readAt: at }))
}

/** appendPage adds a further page to the list, leaving out messages it already holds. */
export function appendPage(list: Message[], page: Message[]): Message[] {
  const seen = new Set(list.map((m) => m.id))
  return [...list, ...page.filter((m) => !seen.has(m.id))]
}

/** badgeText is the badge's text: '' when nothing is unread, else the API's label ("3", "99+"). */
export function badgeText(u: UnreadCount | null): string {
  if (!u || u.unread <= 0) return ''
  return u.unreadLabel || String(u.unread)
}

/** badgeName is the accessible name of the header's 消息 link: 消息, or 消息，3条未读 (消息，99+条未读). */
export function badgeName(u: UnreadCount | null): string {
  const t = badgeText(u)
  return t ? `消息，${t}条未读` : '消息'
}

/** listStatus is what the list's live region says once it has loaded. */
export function listStatus(shown: number, u: UnreadCount | null): string {
  if (shown === 0) return '暂无消息'
  const t = badgeText(u)
  return t ? `已显示 ${shown} 条消息，${t}条未读` : `已显示 ${shown} 条消息，全部已读`
}
