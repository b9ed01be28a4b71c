import { describe, expect, it } from 'vitest'
import { date, dateTime, fileSize, period, today } from './format'

describe('format', () => {
  it('prints times in Asia/Shanghai whatever the offset sent', () => {
    expect(dateTime('2022-05-10T01:02:10.445Z')).toBe('2022-05-10 09:02')
    expect(dateTime('2022-05-10T23:59:00+08:00')).toBe('2022-05-10 23:59')
    expect(date('2022-05-10T16:30:00Z')).toBe('2022-05-11')
    expect(dateTime(undefined)).toBe('')
    expect(dateTime('not a time')).toBe('')
    expect(today(new Date('2022-05-10T16:30:00Z'))).toBe('2022-05-11')
  })
  it('prints sizes and periods', () => {
    expect(fileSize(539)).toBe('539 B')
    expect(fileSize(12800)).toBe('12.5 KB')
    expect(fileSize(5 * 1024 * 1024)).toBe('5.0 MB')
    expect(period('202001')).toBe('2020年01月')
    expect(period('2020')).toBe('2020')
  })
})
