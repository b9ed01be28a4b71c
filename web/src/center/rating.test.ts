import { describe, expect, it } from 'vitest'
import { GRADES, isNegative, ratingProblems } from './rating'

describe('好差评', () => {
  it('has the five grades, best first', () => {
    expect(GRADES).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意'])
  })
  it('不满意 and 非常不满意 are 差评', () => {
    expect(GRADES.filter(isNegative)).toEqual(['不满意', '非常不满意'])
  })
  it('needs a grade', () => {
    expect(ratingProblems('', '')).toEqual({ grade: '请选择评价：非常满意、满意、基本满意、不满意或非常不满意' })
  })
  it('needs a comment for a 差评 only', () => {
    expect(ratingProblems('非常不满意', '  ')).toEqual({ comment: '选择“非常不满意”时请填写原因，以便我们改进' })
    expect(ratingProblems('不满意', '等了太久')).toEqual({})
    expect(ratingProblems('满意', '')).toEqual({})
  })
  it('takes at most 500 characters', () => {
    expect(ratingProblems('满意', '好'.repeat(500))).toEqual({})
    expect(ratingProblems('满意', '好'.repeat(501))).toEqual({ comment: '最多500个字' })
  })
})
