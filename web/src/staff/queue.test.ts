import { describe, expect, it } from 'vitest'
import { apiQuery, byDue, claimState, filtersFromRoute, fourEyesText, mergePage, staffId, toRoute } from './queue'
import type { QueueItem } from './types'

const item = (id: string, dueBy?: string, extra: Partial<QueueItem> = {}): QueueItem =>
  ({
    id,
    business: 'personal-refund',
    section: '4.4',
    name: '个人退费',
    family: 'contributions-and-arrears',
    status: 'submitted',
    statusLabel: '已提交',
    round: 1,
    createdAt: '2022-05-10T01:00:00Z',
    updatedAt: '2022-05-10T01:00:00Z',
    dueBy,
    sla: 'onTime',
    approvals: 0,
    ...extra,
  }) as QueueItem

describe('filtersFromRoute', () => {
  it('reads the chosen filters', () => {
    expect(filtersFromRoute({ business: 'personal-refund', status: 'in_review', sla: 'dueSoon' })).toEqual({
      business: 'personal-refund',
      status: 'in_review',
      sla: 'dueSoon',
    })
  })
  it('drops what the API would refuse', () => {
    expect(filtersFromRoute({ business: '<x>', status: 'approved', sla: ['late'] })).toEqual({ business: '', status: '', sla: '' })
  })
  it('round-trips through the route and builds the API query', () => {
    const f = filtersFromRoute({ sla: 'overdue' })
    expect(toRoute(f)).toEqual({ sla: 'overdue' })
    expect(apiQuery(f, 'c1')).toEqual({ sla: 'overdue', cursor: 'c1' })
    expect(apiQuery(filtersFromRoute({}))).toEqual({})
  })
})

describe('byDue', () => {
  it('puts the case due first first, those without a due time last, ties as they came', () => {
    const got = byDue([item('c', '2022-05-12T03:00:00Z'), item('x'), item('a', '2022-05-11T01:00:00Z'), item('b', '2022-05-12T03:00:00Z')])
    expect(got.map((x) => x.id)).toEqual(['a', 'c', 'b', 'x'])
  })
  it('merges a next page once per case', () => {
    const got = mergePage([item('a', '2022-05-11T01:00:00Z')], [item('a', '2022-05-11T01:00:00Z'), item('b', '2022-05-10T01:00:00Z')])
    expect(got.map((x) => x.id)).toEqual(['b', 'a'])
  })
})

describe('fourEyesText', () => {
  it.each([
    [{ approvals: 0 }, '一人审核'],
    [{ fourEyes: true, approvals: 0 }, '双人审核：已通过 0/2'],
    [{ fourEyes: true, approvals: 1 }, '双人审核：已通过 1/2，待其他审核员复核'],
    [{ fourEyes: true, approvals: 2 }, '双人审核：已通过 2/2'],
  ])('%j → %s', (x, want) => expect(fourEyesText(x)).toBe(want))
})

describe('claimState', () => {
  it('tells open, mine and another reviewer’s', () => {
    expect(claimState({}, 'staff:R230999')).toBe('open')
    expect(claimState({ claimedBy: 'staff:R230999' }, 'staff:R230999')).toBe('mine')
    expect(claimState({ claimedBy: 'R230999' }, 'staff:R230999')).toBe('mine')
    expect(claimState({ claimedBy: 'staff:R230998' }, 'staff:R230999')).toBe('other')
    expect(staffId('staff:R230998')).toBe('R230998')
  })
})
