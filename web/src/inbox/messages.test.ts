import { describe, expect, it } from 'vitest'
import { appendPage, badgeName, badgeText, listStatus, markAllRead, markRead, messageRow, portalPath } from './messages'
import type { Message } from './types'

const msg = (id: string, read = false, extra: Partial<Message> = {}): Message => ({
  id,
  kind: 'reminder',
  title: '缴费提醒：本月办理时间已开始',
  body: '合计2815.20元',
  at: '2022-05-10T01:00:30Z',
  read,
  ...extra,
})

describe('portalPath', () => {
  it.each([
    ['/apply/flexible-employment-due-assessment', '/apply/flexible-employment-due-assessment'],
    ['/user-center/applications/A1', '/user-center/applications/A1'],
    ['https://example.com/x', null],
    ['//example.com/x', null],
    ['/\\example.com', null],
    ['javascript:alert(1)', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (link, want) => expect(portalPath(link)).toBe(want))
})

describe('messageRow', () => {
  it('shows the time in Asia/Shanghai, the kind and where 查看 goes', () => {
    expect(messageRow(msg('a', false, { link: '/apply/x' }))).toEqual({
      id: 'a',
      title: '缴费提醒：本月办理时间已开始',
      body: '合计2815.20元',
      kind: '提醒',
      at: '2022-05-10T01:00:30Z',
      time: '2022-05-10 09:00',
      read: false,
      link: '/apply/x',
      linkText: '立即办理',
    })
    const r = messageRow(msg('b', true, { kind: 'application', link: '/user-center/applications/A1' }))
    expect([r.kind, r.linkText]).toEqual(['办件进度', '查看申请详情'])
    expect(messageRow(msg('c', true, { kind: 'other', link: 'https://x' }))).toMatchObject({ kind: '', link: null, linkText: '' })
  })
})

describe('reading', () => {
  it('marks one message read, leaving the others', () => {
    const out = markRead([msg('a'), msg('b'), msg('c', true, { readAt: 'before' })], 'b', 'now')
    expect(out.map((m) => [m.id, m.read, m.readAt])).toEqual([
      ['a', false, undefined],
      ['b', true, 'now'],
      ['c', true, 'before'],
    ])
  })
  it('marks all read, keeping earlier read times', () => {
    const out = markAllRead([msg('a'), msg('c', true, { readAt: 'before' })], 'now')
    expect(out.map((m) => m.readAt)).toEqual(['now', 'before'])
  })
  it('adds a page without repeating a message', () => {
    expect(appendPage([msg('a'), msg('b')], [msg('b'), msg('c')]).map((m) => m.id)).toEqual(['a', 'b', 'c'])
  })
})

describe('the badge', () => {
  it.each([
    [null, '', '消息'],
    [{ unread: 0, unreadLabel: '0' }, '', '消息'],
    [{ unread: 3, unreadLabel: '3' }, '3', '消息，3条未读'],
    [{ unread: 100, unreadLabel: '99+' }, '99+', '消息，99+条未读'],
    [{ unread: 2, unreadLabel: '' }, '2', '消息，2条未读'],
  ])('%j → %s, %s', (u, text, name) => {
    expect(badgeText(u)).toBe(text)
    expect(badgeName(u)).toBe(name)
  })
  it('says how many are shown and unread', () => {
    expect(listStatus(0, null)).toBe('暂无消息')
    expect(listStatus(3, { unread: 1, unreadLabel: '1' })).toBe('已显示 3 条消息，1条未读')
    expect(listStatus(3, { unread: 0, unreadLabel: '0' })).toBe('已显示 3 条消息，全部已读')
  })
})
