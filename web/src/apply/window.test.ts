import { describe, expect, it } from 'vitest'
import { closedNotice, opening } from './window'

describe('window', () => {
  it('words the next opening in Asia/Shanghai as the server does', () => {
    expect(opening('2022-06-01T00:00:00+08:00')).toBe('2022年6月1日 00:00')
    expect(opening('2022-05-31T16:00:00Z')).toBe('2022年6月1日 00:00')
    expect(opening('nonsense')).toBe('')
  })
  it('says nothing while open and when it opens while closed', () => {
    expect(closedNotice(undefined)).toBe('')
    expect(closedNotice({ label: '每月1-25号', open: true, opensAt: '2022-05-10T09:00:00+08:00', timeZone: 'Asia/Shanghai' })).toBe('')
    expect(closedNotice({ label: '每月1-25号', open: false, opensAt: '2022-06-01T00:00:00+08:00', timeZone: 'Asia/Shanghai' })).toBe(
      '本业务的办理时间为每月1-25号，当前不在办理时间内，将于2022年6月1日 00:00开放办理。现在可以填写和保存，开放后再提交。',
    )
  })
})
