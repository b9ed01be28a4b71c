import { describe, expect, it } from 'vitest'
import { logRow, objectName } from './accesslog'

const names = new Map([
  ['personal-basic-info-change', '个人基本信息修改'],
  ['employee-back-payment', '职工个人补缴'],
])

describe('谁查看了我的信息', () => {
  it('puts a reviewer read of a case into words', () => {
    expect(
      logRow(
        {
          time: '2022-05-10T09:01:29+08:00',
          actorRole: 'reviewer',
          actor: '经办人员',
          action: 'read',
          business: 'personal-basic-info-change/A2ccde05b5bd0b8be7d642ed4',
          result: 'ok',
        },
        names,
      ),
    ).toEqual({ time: '2022-05-10 09:01', actor: '经办人员', role: '经办人员', action: '查看', business: '个人基本信息修改', result: '成功' })
  })
  it('puts a unit submit about the person into words', () => {
    const r = logRow(
      { time: '2022-05-10T01:00:00Z', actorRole: 'agent', actor: '七台河市宏达机械制造有限公司', action: 'submit', business: 'employee-back-payment', result: 'denied' },
      names,
    )
    expect([r.role, r.action, r.business, r.result]).toEqual(['单位经办人', '办理涉及本人的业务', '职工个人补缴', '已拒绝'])
  })
  it('names the retirement figures and leaves the unknown as sent', () => {
    expect(objectName('retirement-figures', names)).toBe('退休测算')
    expect(objectName('something/else', names)).toBe('something/else')
  })
})
