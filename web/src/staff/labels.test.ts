import { describe, expect, it } from 'vitest'
import { actorLabel, slaLabel, slaTone, statusLabel, stepLabel } from './labels'

describe('labels', () => {
  it('names the 时限状态 as 正常 / 即将超时 / 已超时', () => {
    expect(['onTime', 'dueSoon', 'overdue', '', undefined].map(slaLabel)).toEqual(['正常', '即将超时', '已超时', '', ''])
    expect(['onTime', 'dueSoon', 'overdue', ''].map(slaTone)).toEqual(['success', 'warning', 'danger', 'info'])
  })
  it('names statuses, actors and workflow steps, keeping unknown codes', () => {
    expect(statusLabel('rejected')).toBe('不予受理')
    expect(statusLabel('later')).toBe('later')
    expect(actorLabel('reviewer')).toBe('审核员')
    expect(stepLabel('ApplyDecision')).toBe('执行审核决定')
    expect(stepLabel('ApplyContributionsAndArrears')).toBe('写入办理结果')
    expect(stepLabel('Other')).toBe('Other')
  })
})
