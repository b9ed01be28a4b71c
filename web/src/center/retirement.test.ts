import { describe, expect, it } from 'vitest'
import { emptyForm, figures, ruleLabel, toRequest } from './retirement'

describe('the retirement body', () => {
  it('sends what is filled in (手册 4.22)', () => {
    const f = {
      ...emptyForm(),
      archiveBirthDate: '1969-05-18',
      gender: '男',
      personalIdentity: '工人',
      retirementDate: '2022-02-15',
      actualContributionMonths: ' 192 ',
      deemedContributionMonths: '0',
    }
    expect(toRequest(f, '2309000801')).toEqual({
      archiveBirthDate: '1969-05-18',
      gender: '男',
      personalIdentity: '工人',
      retirementDate: '2022-02-15',
      actualContributionMonths: '192',
      deemedContributionMonths: '0',
    })
  })
  it('names the person with 使用我的参保记录', () => {
    expect(toRequest({ ...emptyForm(), useRecords: true, retirementDate: '2022-02-15' }, '2309000801')).toEqual({
      retirementDate: '2022-02-15',
      personNumber: '2309000801',
    })
    expect(toRequest({ ...emptyForm(), useRecords: true }, undefined)).toEqual({})
  })
})

describe('the figures', () => {
  const r = {
    legalRetirementAge: '60岁',
    legalRetirementAgeMonths: 720,
    legalRetirementDate: '2029-05-18',
    legalRetirementMonth: '202905',
    delayMonths: 0,
    rule: 'pre-2025',
    retirementDate: '2022-02-15',
    actualContributionMonths: 192,
    deemedContributionMonths: 0,
    totalContributionMonths: 192,
    actualCountedFromLedger: false,
    earlyRetirementMonths: 87,
    minimumContributionMonths: 180,
    meetsMinimum: true,
  }
  it('are the server values under the forms labels', () => {
    expect(figures(r)).toEqual([
      { label: '法定退休年龄', value: '60岁' },
      { label: '法定退休日期', value: '2029-05-18' },
      { label: '退休日期', value: '2022-02-15' },
      { label: '提前退休月数', value: '87' },
      { label: '实际缴费月数', value: '192' },
      { label: '视同缴费月数', value: '0' },
      { label: '缴费月数合计', value: '192' },
      { label: '最低缴费月数', value: '180' },
      { label: '是否满足最低缴费月数', value: '是' },
      { label: '适用规定', value: '国发〔1978〕104号等（2025年1月1日前）' },
    ])
  })
  it('show the delay of the 2025 reform and the months counted from the records', () => {
    const f = figures({ ...r, delayMonths: 4, rule: 'gradual-2025', actualCountedFromLedger: true, meetsMinimum: false })
    expect(f[2]).toEqual({ label: '延迟退休月数', value: '4' })
    expect(f.find((x) => x.label === '实际缴费月数')?.value).toBe('192（按参保记录统计）')
    expect(f.find((x) => x.label === '是否满足最低缴费月数')?.value).toBe('否')
    expect(ruleLabel('future-rule')).toBe('future-rule')
  })
})
