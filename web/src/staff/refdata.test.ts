import { describe, expect, it } from 'vitest'
import {
  checkForm,
  dayText,
  emptyForm,
  entryBody,
  entryName,
  entryTitle,
  formErrors,
  formFromEntry,
  kindLabel,
  needsReason,
  originText,
  percent,
  periodText,
  weekday,
} from './refdata'

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
    expect(periodText('201304', '201304')).toBe('201304')
    expect(originText({ origin: 'default' })).toBe('内置')
    expect(originText({ origin: 'stored', stored: { name: '2025', version: 2 } })).toBe('已保存（第2版）')
  })
})

describe('办理时间调整', () => {
  it('is a kind of its own', () => expect(kindLabel('window_exception')).toBe('办理时间调整'))
  it('sends a closure day with its 说明 as the entry’s kind', () => {
    const f = { ...emptyForm('window_exception'), date: '2022-05-11', note: ' 系统升级，暂停办理 ', source: ' 黑人社办〔2022〕1号 ' }
    expect(entryBody(f)).toEqual({
      kind: 'window_exception',
      entry: { window: 'monthly-1-25', date: '2022-05-11', kind: 'closed', note: '系统升级，暂停办理' },
      source: '黑人社办〔2022〕1号',
    })
    expect(entryName(f)).toBe('monthly-1-25-2022-05-11')
  })
  it('restores the rule without a 说明', () => {
    const f = { ...emptyForm('window_exception'), date: '2022-06-11', adjust: 'regular', source: 's', reason: '撤回' }
    expect(entryBody(f)).toEqual({ kind: 'window_exception', entry: { window: 'monthly-1-25', date: '2022-06-11', kind: 'regular' }, source: 's', reason: '撤回' })
    expect(checkForm(f, true)).toEqual({})
  })
  it('asks for the date and, unless it restores the rule, the 说明', () => {
    expect(checkForm({ ...emptyForm('window_exception'), adjust: 'open', source: 's' }, false)).toEqual({ date: '请选择日期', note: '请填写说明' })
  })
  it('fills a correction from the entry in force', () => {
    const f = formFromEntry('window_exception', { window: 'monthly-1-25', date: '2023-01-26', kind: 'open', note: '春节假期顺延', source: 'x' })
    expect([f.window, f.date, f.adjust, f.note, f.source]).toEqual(['monthly-1-25', '2023-01-26', 'open', '春节假期顺延', ''])
  })
  it('maps the entry’s kind to 调整方式 and its window to the entry', () => {
    expect(formErrors({ 'entry.kind': '调整方式应为…', 'entry.window': '办理时段应为…', 'entry.date': '日期格式…', 'entry.note': '请填写说明', kind: '类别' })).toEqual({
      adjust: '调整方式应为…',
      entry: '办理时段应为…',
      date: '日期格式…',
      note: '请填写说明',
      kind: '类别',
    })
  })
  it('needs a 修改原因 for a date already in force', () => {
    const f = { ...emptyForm('window_exception'), date: '2022-05-11' }
    expect(needsReason(f, false, ['monthly-1-25-2022-05-11'])).toBe(true)
    expect(needsReason(f, false, ['monthly-1-25-2022-05-12'])).toBe(false)
    expect(needsReason(f, true, [])).toBe(true)
    expect(needsReason({ ...emptyForm('bookkeeping_rate'), year: '2024' }, false, ['2023', '2024'])).toBe(true)
  })
  it('prints the day with its weekday, and names the entry by its date', () => {
    expect(dayText('2022-05-11')).toBe('2022-05-11（星期三）')
    expect(dayText('2023-01-22')).toBe('2023-01-22（星期日）')
    expect(dayText('x')).toBe('x')
    expect([weekday('2022-05-11'), weekday('2022-5-11'), weekday(undefined)]).toEqual(['星期三', '', ''])
    expect(dayText(undefined)).toBe('')
    expect(entryTitle('window_exception', 'monthly-1-25-2022-05-11', { date: '2022-05-11' })).toBe('2022-05-11')
    expect(entryTitle('bookkeeping_rate', '2025', { year: 2025 })).toBe('2025')
  })
})
