import { afterEach, describe, expect, it } from 'vitest'
import { clearUnread, refreshUnread, setUnread, unread } from './unread'

afterEach(() => clearUnread())

describe('the unread count', () => {
  it('keeps the count asked for', async () => {
    await refreshUnread(async () => ({ unread: 3, unreadLabel: '3' }))
    expect(unread.value).toEqual({ unread: 3, unreadLabel: '3' })
  })
  it('forgets it without a session', async () => {
    setUnread({ unread: 1, unreadLabel: '1' })
    await refreshUnread(async () => null)
    expect(unread.value).toBeNull()
  })
  it('keeps what it showed when offline', async () => {
    setUnread({ unread: 1, unreadLabel: '1' })
    await refreshUnread(async () => Promise.reject(new TypeError('Failed to fetch')))
    expect(unread.value).toEqual({ unread: 1, unreadLabel: '1' })
  })
  it('drops an answer asked for before a read was marked', async () => {
    let release: (u: { unread: number; unreadLabel: string }) => void = () => {}
    const asking = refreshUnread(() => new Promise((ok) => (release = ok)))
    setUnread({ unread: 0, unreadLabel: '0' })
    release({ unread: 1, unreadLabel: '1' })
    await asking
    expect(unread.value).toEqual({ unread: 0, unreadLabel: '0' })
  })
  it('keeps the later of two answers', async () => {
    let first: (u: { unread: number; unreadLabel: string }) => void = () => {}
    const a = refreshUnread(() => new Promise((ok) => (first = ok)))
    const b = refreshUnread(async () => ({ unread: 2, unreadLabel: '2' }))
    await b
    first({ unread: 5, unreadLabel: '5' })
    await a
    expect(unread.value).toEqual({ unread: 2, unreadLabel: '2' })
  })
})
