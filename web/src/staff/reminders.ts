// 定时提醒 (admins, GET /api/v1/review/reminders): each scheduled reminder
// job with its schedule and its last runs, and 重新发送 of a finished run
// (POST …/runs/{period}/rerun: everyone told already is skipped). These
// are the words the table and the confirm dialog use.
import type { ReminderJob, ReminderRun } from './types'

/** STATUS names a run's status (OpenAPI ReminderRun.status). */
export const STATUS: Record<string, string> = { running: '发送中', done: '已完成' }

/** statusLabel names a run's status. */
export function statusLabel(s: string): string {
  return STATUS[s] ?? s
}

/** statusTag is the colour of a run's status tag. */
export function statusTag(s: string): 'success' | 'warning' | 'info' {
  return s === 'done' ? 'success' : s === 'running' ? 'warning' : 'info'
}

/** periodLabel prints a run's period: 202206 → 2022年06月, 20220601 → 2022年06月01日, 2022 → 2022年. */
export function periodLabel(p: string): string {
  if (/^\d{8}$/.test(p)) return `${p.slice(0, 4)}年${p.slice(4, 6)}月${p.slice(6)}日`
  if (/^\d{6}$/.test(p)) return `${p.slice(0, 4)}年${p.slice(4)}月`
  if (/^\d{4}$/.test(p)) return `${p}年`
  return p
}

/** attemptLabel says which sending a run is: 第1次. */
export function attemptLabel(n: number): string {
  return `第${n}次`
}

/** canRerun tells whether a run may be sent again (only a finished one). */
export function canRerun(r: Pick<ReminderRun, 'status'>): boolean {
  return r.status === 'done'
}

/** scheduleText prints a job's schedule expression, which runs in Beijing time. */
export function scheduleText(j: Pick<ReminderJob, 'expression'>): string {
  return `${j.expression}（北京时间）`
}

/** confirmText is the question of 重新发送 for a run. */
export function confirmText(j: Pick<ReminderJob, 'label'>, r: Pick<ReminderRun, 'period'>): string {
  return `重新发送${periodLabel(r.period)}批次的提醒（${j.label}）？已收到提醒的人不会重复收到，只发送给上次未收到的人；将在5分钟内开始。`
}

/** withRun is the jobs with one job's run replaced (or added first) by the rerun's answer. */
export function withRun(jobs: ReminderJob[], job: string, run: ReminderRun): ReminderJob[] {
  return jobs.map((j) => {
    if (j.name !== job) return j
    const has = j.runs.some((r) => r.period === run.period)
    return { ...j, runs: has ? j.runs.map((r) => (r.period === run.period ? run : r)) : [run, ...j.runs] }
  })
}
