import { describe, expect, it } from 'vitest'
import { answerState, canAnswer, checkAnswer, checkRange, ratingQuery, satisfaction, statRow } from './ratings'

describe('ratings', () => {
  it('builds the list query', () => {
    expect(ratingQuery({ negative: true, unanswered: false })).toEqual({ negative: 'true' })
    expect(ratingQuery({ negative: false, unanswered: true }, 'c')).toEqual({ unanswered: 'true', cursor: 'c' })
  })
  it('answers a 差评 once', () => {
    expect(canAnswer({ negative: true })).toBe(true)
    expect(canAnswer({ negative: true, answer: '已整改' })).toBe(false)
    expect(canAnswer({ negative: false })).toBe(false)
  })
  it('tells where an answer stands, by the times the API recorded', () => {
    const by = '2022-05-31T01:00:00Z'
    expect(answerState({ negative: false })).toBe('none')
    expect(answerState({ negative: true, answerBy: '2000-01-01T00:00:00Z' })).toBe('due')
    expect(answerState({ negative: true, answerBy: by, answer: 'a', answeredAt: '2022-05-12T00:00:00Z' })).toBe('answered')
    expect(answerState({ negative: true, answerBy: by, answer: 'a', answeredAt: '2022-06-01T00:00:00Z' })).toBe('answeredLate')
  })
  it('checks an answer', () => {
    expect(checkAnswer('  ')).toBe('请填写答复内容')
    expect(checkAnswer('字'.repeat(501))).toBe('最多500个字')
    expect(checkAnswer('已联系申请人说明退回原因')).toBe('')
  })
  it('checks the period as the API does', () => {
    expect(checkRange('2022-01-01', '2022-05-10')).toEqual({})
    expect(checkRange('2022-05-10', '2022-01-01')).toEqual({ to: '结束日期不能早于开始日期' })
    expect(checkRange('2021-01-01', '2022-05-10')).toEqual({ from: '统计区间最长一年' })
    expect(checkRange('2022-02-30', '')).toEqual({ from: '日期格式应为YYYY-MM-DD' })
    expect(checkRange('', '')).toEqual({})
  })
  it('lays out a row of the statistics', () => {
    const r = statRow(
      { business: 'personal-refund', count: 3, grades: { 非常满意: 2, 非常不满意: 1 }, positive: 2, satisfaction: '66.67', negative: 1, unanswered: 1, late: 0 },
      '个人退费',
    )
    expect(r).toEqual({ business: 'personal-refund', name: '个人退费', count: 3, grades: [2, 0, 0, 0, 1], satisfaction: '66.67%', negative: 1, unanswered: 1, late: 0 })
    expect(satisfaction('')).toBe('—')
  })
})
