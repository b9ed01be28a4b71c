import { describe, expect, it } from 'vitest'
import { attemptLabel, canRerun, confirmText, periodLabel, scheduleText, statusLabel, statusTag, withRun } from './reminders'
import type { ReminderJob, ReminderRun } from './types'

const run = (period: string, status: 'running' | 'done', sent = 4): ReminderRun => ({
  period,
  status,
  sent,
  skipped: 0,
  failed: 0,
  attempt: 1,
  startedAt: '2022-05-01T01:00:00Z',
  updatedAt: '2022-05-01T01:00:01Z',
})
const job = (name: string, runs: ReminderRun[]): ReminderJob => ({
  name,
  label: '每月1日9时：办理时间开始',
  schedule: 'ReminderWindowOpen',
  expression: 'cron(0 9 1 * ? *)',
  function: 'LedgerFunction',
  runs,
})

describe('words', () => {
  it.each([
    ['202206', '2022年06月'],
    ['20220601', '2022年06月01日'],
    ['2022', '2022年'],
    ['x', 'x'],
  ])('period %s → %s', (p, want) => expect(periodLabel(p)).toBe(want))
  it('names the status, the attempt and the schedule', () => {
    expect([statusLabel('running'), statusLabel('done'), statusLabel('odd')]).toEqual(['发送中', '已完成', 'odd'])
    expect([statusTag('running'), statusTag('done'), statusTag('odd')]).toEqual(['warning', 'success', 'info'])
    expect(attemptLabel(2)).toBe('第2次')
    expect(scheduleText(job('window-open', []))).toBe('cron(0 9 1 * ? *)（北京时间）')
  })
  it('asks before sending again, saying nobody gets it twice', () => {
    const t = confirmText(job('window-open', []), run('202205', 'done'))
    expect(t).toContain('2022年05月')
    expect(t).toContain('已收到提醒的人不会重复收到')
  })
})

describe('rerun', () => {
  it('is offered for finished runs only', () => {
    expect(canRerun({ status: 'done' })).toBe(true)
    expect(canRerun({ status: 'running' })).toBe(false)
  })
  it('replaces the run in its job, leaving the others', () => {
    const jobs = [job('window-open', [run('202205', 'done'), run('202204', 'done')]), job('window-closing', [run('202205', 'done')])]
    const again = { ...run('202205', 'running', 0), attempt: 2 }
    const out = withRun(jobs, 'window-open', again)
    expect(out[0]!.runs.map((r) => [r.period, r.status, r.attempt])).toEqual([
      ['202205', 'running', 2],
      ['202204', 'done', 1],
    ])
    expect(out[1]).toBe(jobs[1])
    expect(withRun(jobs, 'window-closing', run('202206', 'running'))[1]!.runs.map((r) => r.period)).toEqual(['202206', '202205'])
  })
})
