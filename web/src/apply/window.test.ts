import { describe, expect, it } from 'vitest'
import { closedNotice, opening, windowLabel } from './window'

const rule = { name: 'monthly-1-25', label: '每月1-25号', fromDay: 1, toDay: 25, timeZone: 'Asia/Shanghai' }

describe('window', () => {
  it('words the next opening in Asia/Shanghai as the server does', () => {
    expect(opening('2022-06-01T00:00:00+08:00')).toBe('2022年6月1日 00:00')
    expect(opening('2022-05-31T16:00:00Z')).toBe('2022年6月1日 00:00')
    expect(opening('nonsense')).toBe('')
  })
  it('says nothing while open and when it opens while closed', () => {
    expect(closedNotice(undefined)).toBe('')
    expect(closedNotice({ ...rule, open: true, opensAt: '2022-05-01T00:00:00+08:00' })).toBe('')
    expect(closedNotice({ ...rule, open: false, opensAt: '2022-06-01T00:00:00+08:00' })).toBe(
      '本业务的办理时间为每月1-25号，当前不在办理时间内，将于2022年6月1日 00:00开放办理。现在可以填写和保存，开放后再提交。',
    )
    expect(closedNotice({ ...rule, open: false, opensAt: '2022-05-11T00:00:00+08:00', note: '系统升级' })).toBe(
      '本业务的办理时间为每月1-25号，当前不在办理时间内（系统升级），将于2022年5月11日 00:00开放办理。现在可以填写和保存，开放后再提交。',
    )
    expect(closedNotice({ ...rule, open: false })).toBe('本业务的办理时间为每月1-25号，当前不在办理时间内。现在可以填写和保存，开放后再提交。')
  })
  it('names the last day of the open period', () => {
    expect(windowLabel({ ...rule, open: true, opensAt: '2022-05-01T00:00:00+08:00', closesAt: '2022-05-26T00:00:00+08:00' })).toBe(
      '每月1-25号（本期办理至2022年5月25日）',
    )
    expect(windowLabel({ ...rule, open: true, closesAt: '2023-02-01T00:00:00+08:00', note: '春节假期顺延' })).toBe(
      '每月1-25号（本期办理至2023年1月31日，春节假期顺延）',
    )
    expect(windowLabel({ ...rule, open: false, opensAt: '2022-06-01T00:00:00+08:00' })).toBe('每月1-25号')
  })
})
