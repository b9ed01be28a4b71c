import { describe, expect, it } from 'vitest'
import { checkForm, emptyForm, entryBody, entryName, formErrors, formFromEntry, originText, percent, periodText } from './refdata'

describe('percent', () => {
  it.each([
    ['0.0262', '2.62%'],
    ['0.16', '16%'],
    ['0.6', '60%'],
    ['1', '100%'],
    ['1.5', '150%'],
    ['0', '0%'],
    ['0.000123', '0.0123%'],
    ['abc', 'abc'],
    ['', ''],
  ])('%s → %s', (r, want) => expect(percent(r)).toBe(want))
})

describe('entryBody', () => {
  it('sends a 记账利率 as text, without empty values', () => {
    const f = { ...emptyForm('bookkeeping_rate'), year: '2025', rate: ' 0.0262 ', source: ' 人社厅发〔2025〕号 ' }
    expect(entryBody(f)).toEqual({ kind: 'bookkeeping_rate', entry: { year: '2025', rate: '0.0262', status: 'national' }, source: '人社厅发〔2025〕号' })
  })
  it('sends a 社平工资 with its 缴费档次 and a correction with its reason', () => {
    const f = { ...emptyForm('average_wage'), year: '2022', monthly: '5865', floor: '0.6', ceiling: '3', grades: '0.6, 0.8，1 3', flags: 'a\n\nb', source: 's', reason: '更正' }
    expect(entryBody(f)).toEqual({
      kind: 'average_wage',
      entry: { year: '2022', monthly: '5865', floor: '0.6', ceiling: '3', grades: ['0.6', '0.8', '1', '3'], flags: ['a', 'b'] },
      source: 's',
      reason: '更正',
    })
  })
  it('fills a correction from the entry in force', () => {
    const f = formFromEntry('contribution_rate', { insured: 'employee', from: '202101', to: '', unit: '0.16', personal: '0.08', flags: ['x'] })
    expect([f.insured, f.from, f.to, f.unit, f.personal, f.flags, f.source]).toEqual(['employee', '202101', '', '0.16', '0.08', 'x', ''])
    expect(entryName(f)).toBe('employee-202101')
    expect(entryName({ ...emptyForm('bookkeeping_rate'), year: '2025' })).toBe('2025')
  })
})

describe('formErrors', () => {
  it('maps the API’s keys to the inputs', () => {
    expect(
      formErrors({
        'entry.rate': '记账利率应不小于0且小于1',
        source: '请填写文件依据',
        'entry.grades[1]': '缴费档次应从低到高排列',
        entry: '与现行参考数据合并后校验未通过',
        'entry.unknown': 'x',
      }),
    ).toEqual({ rate: '记账利率应不小于0且小于1', source: '请填写文件依据', grades: '缴费档次应从低到高排列', entry: '与现行参考数据合并后校验未通过；x' })
  })
  it('asks for the 文件依据, and a reason for a correction', () => {
    expect(checkForm(emptyForm('bookkeeping_rate'), true)).toEqual({ source: '请填写文件依据', reason: '修改现行参考数据须填写修改原因' })
  })
})

describe('texts', () => {
  it('prints periods and origins', () => {
    expect(periodText('202401', '202412')).toBe('202401–202412')
    expect(periodText('202101', '')).toBe('202101 起')
    expect(originText({ origin: 'default' })).toBe('内置')
    expect(originText({ origin: 'stored', stored: { name: '2025', version: 2 } })).toBe('已保存（第2版）')
  })
})
