import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, hoursMinutes, offsetOf, sla } from './clock'

const H = 3_600_000
const M = 60_000

describe('times in Asia/Shanghai', () => {
  it('formats UTC and offset times alike', () => {
    expect(formatDateTime('2022-05-10T01:01:22.369862308Z')).toBe('2022-05-10 09:01')
    expect(formatDateTime('2022-05-10T09:01:22+08:00')).toBe('2022-05-10 09:01')
    expect(formatDateTime('2022-05-10T16:30:00Z')).toBe('2022-05-11 00:30')
    expect(formatDate('2022-05-10T16:30:00Z')).toBe('2022-05-11')
  })
  it('gives nothing for no time', () => {
    expect(formatDateTime(undefined)).toBe('')
    expect(formatDateTime('soon')).toBe('')
  })
})

describe('the 48-hour clock', () => {
  const due = '2022-05-12T01:00:00Z'
  const at = (ms: number) => Date.parse(due) - ms
  it('counts down while there is time', () => {
    expect(sla(due, at(48 * H))).toEqual({ kind: 'onTime', text: '剩余48小时', due: '2022-05-12 09:00' })
    expect(sla(due, at(47 * H + 59 * M + 30_000))?.text).toBe('剩余47小时59分钟')
    expect(sla(due, at(8 * H + M))?.kind).toBe('onTime')
  })
  it('turns amber in the last 8 hours', () => {
    expect(sla(due, at(8 * H))).toMatchObject({ kind: 'dueSoon', text: '剩余8小时' })
    expect(sla(due, at(45 * M))).toMatchObject({ kind: 'dueSoon', text: '剩余45分钟' })
    expect(sla(due, at(30_000))).toMatchObject({ kind: 'dueSoon', text: '剩余不足1分钟' })
  })
  it('shows how late once overdue', () => {
    expect(sla(due, at(0))).toMatchObject({ kind: 'overdue', text: '已超时0分钟' })
    expect(sla(due, at(-(3 * H + 5 * M)))).toMatchObject({ kind: 'overdue', text: '已超时3小时5分钟' })
  })
  it('has no clock without a due time', () => {
    expect(sla(undefined, 0)).toBeNull()
  })
  it('formats durations', () => {
    expect(hoursMinutes(-5)).toBe('0分钟')
    expect(hoursMinutes(2 * H)).toBe('2小时')
  })
})

describe('the server clock', () => {
  it('is the server time against the middle of the request', () => {
    const local = Date.parse('2026-12-02T05:26:06Z')
    expect(offsetOf('2022-05-10T09:00:59+08:00', local - 100, local + 100)).toBe(Date.parse('2022-05-10T01:00:59Z') - local)
  })
  it('is 0 when the answer has no time', () => {
    expect(offsetOf(undefined, 1, 2)).toBe(0)
    expect(offsetOf('x', 1, 2)).toBe(0)
  })
})
