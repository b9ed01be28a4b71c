import { describe, expect, it } from 'vitest'
import { STATUS_LABELS, actorLabel, canRate, canWithdraw, editable, fromRoute, listParams, statusLabel, toRoute, tone, waiting } from './status'

describe('status labels', () => {
  it('names every status as the API does', () => {
    // The labels shared/application.Status.Label gives (statusLabel).
    expect(STATUS_LABELS).toEqual({
      draft: '草稿',
      submitted: '已提交',
      in_review: '审核中',
      approved: '审核通过',
      returned: '已退回',
      rejected: '不予受理',
      completed: '已办结',
      withdrawn: '已撤回',
    })
    expect(statusLabel('in_review')).toBe('审核中')
    expect(statusLabel('archived')).toBe('archived')
    expect(statusLabel('toString')).toBe('toString')
  })
  it('names the actors of the timeline', () => {
    expect(actorLabel('applicant')).toBe('申请人')
    expect(actorLabel('reviewer')).toBe('经办人员')
    expect(actorLabel('system')).toBe('系统')
    expect(actorLabel('robot')).toBe('robot')
    expect(actorLabel('constructor')).toBe('constructor')
  })
  it('colours by outcome', () => {
    expect(tone('submitted')).toBe('primary')
    expect(tone('returned')).toBe('warning')
    expect(tone('completed')).toBe('success')
    expect(tone('rejected')).toBe('danger')
    expect(tone('withdrawn')).toBe('info')
  })
})

describe('what the applicant may do', () => {
  const cases: [string, { waiting: boolean; withdraw: boolean; rate: boolean; edit: boolean }][] = [
    ['draft', { waiting: false, withdraw: false, rate: false, edit: true }],
    ['submitted', { waiting: true, withdraw: true, rate: false, edit: false }],
    ['in_review', { waiting: true, withdraw: false, rate: false, edit: false }],
    ['approved', { waiting: false, withdraw: false, rate: false, edit: false }],
    ['returned', { waiting: false, withdraw: false, rate: false, edit: true }],
    ['rejected', { waiting: false, withdraw: false, rate: true, edit: false }],
    ['completed', { waiting: false, withdraw: false, rate: true, edit: false }],
    ['withdrawn', { waiting: false, withdraw: false, rate: false, edit: false }],
  ]
  for (const [status, want] of cases) {
    it(status, () => {
      const a = { status }
      expect({ waiting: waiting(a), withdraw: canWithdraw(a), rate: canRate(a), edit: editable(a) }).toEqual(want)
    })
  }
  it('rates once only', () => {
    expect(canRate({ status: 'completed', rating: { grade: '5' } })).toBe(false)
  })
})

describe('list conditions in the URL', () => {
  it('defaults to 我的申请 with no filter', () => {
    expect(fromRoute({})).toEqual({ tab: 'applications', status: '', business: '' })
    expect(toRoute(fromRoute({}))).toEqual({})
  })
  it('reads and writes status and business', () => {
    const c = fromRoute({ status: 'in_review', business: 'personal-basic-info-change' })
    expect(c).toEqual({ tab: 'applications', status: 'in_review', business: 'personal-basic-info-change' })
    expect(toRoute(c)).toEqual({ status: 'in_review', business: 'personal-basic-info-change' })
    expect(listParams(c, 'abc')).toEqual({ status: 'in_review', business: 'personal-basic-info-change', cursor: 'abc' })
  })
  it('drops what is not valid', () => {
    expect(fromRoute({ status: 'draft', business: '<script>' })).toEqual({ tab: 'applications', status: '', business: '' })
    expect(fromRoute({ status: ['bogus'], tab: 'other' })).toEqual({ tab: 'applications', status: '', business: '' })
    expect(fromRoute({ status: [null] })).toEqual({ tab: 'applications', status: '', business: '' })
  })
  it('我的草稿 has no filters and lists drafts', () => {
    const c = fromRoute({ tab: 'drafts', status: 'submitted', business: 'x' })
    expect(c).toEqual({ tab: 'drafts', status: '', business: '' })
    expect(toRoute(c)).toEqual({ tab: 'drafts' })
    expect(listParams(c)).toEqual({ drafts: 'true' })
  })
})
