import { describe, expect, it } from 'vitest'
import { NOT_CHARGED, monthsBetween, otherRowErrors, parseYearMonth, percent, resultTable, toRequest } from './backpayment'
import type { BackPaymentResult } from './types'

describe('the trial body', () => {
  it('sends the text as typed, trimmed; no date means today', () => {
    expect(
      toRequest({ insured: '企业职工', calcDate: ' ', rows: [{ period: ' 202009', base: '2800 ' }, { period: '2020-10', base: '2800.00' }] }),
    ).toEqual({ calcDate: null, insured: '企业职工', rows: [{ period: '202009', base: '2800' }, { period: '2020-10', base: '2800.00' }] })
    expect(toRequest({ insured: '灵活就业人员', calcDate: '2022-05-10', rows: [] }).calcDate).toBe('2022-05-10')
  })
})

describe('批量添加', () => {
  it('reads months', () => {
    expect(parseYearMonth('202009')).toEqual([2020, 9])
    expect(parseYearMonth('2020-12')).toEqual([2020, 12])
    expect(parseYearMonth('202013')).toBeNull()
  })
  it('lists the months of a range, across years', () => {
    expect(monthsBetween('202011', '202102')).toEqual({ months: ['202011', '202012', '202101', '202102'] })
    expect(monthsBetween('2020-09', '2020-09')).toEqual({ months: ['202009'] })
  })
  it('refuses a bad range', () => {
    expect(monthsBetween('2020', '202101')).toEqual({ error: '开始年月格式应为YYYYMM（如202009）', field: 'from' })
    expect(monthsBetween('202101', '202100')).toEqual({ error: '结束年月格式应为YYYYMM（如202012）', field: 'to' })
    expect(monthsBetween('202102', '202101')).toEqual({ error: '结束年月不能早于开始年月', field: 'to' })
    expect(monthsBetween('197001', '202101')).toEqual({ error: '一次最多计算600个月，请分批试算', field: 'to' })
    expect('months' in monthsBetween('197001', '201912')).toBe(true)
  })
})

describe('field errors of a row', () => {
  it('collects the row errors the inputs do not show', () => {
    const e = { 'rows[0].period': 'p', 'rows[0].rates.unit': 'r', 'rows[1].base': 'b', 'rows[10].rates.personal': 'x' }
    expect(otherRowErrors(e, 0)).toEqual(['r'])
    expect(otherRowErrors(e, 1)).toEqual([])
  })
})

// The answer of POST /api/v1/calculations/back-payment for 202009 and 202010 at 2800 (手册 4.6).
const res: BackPaymentResult = {
  rows: [
    {
      period: '202009',
      base: '2800.00',
      unit: { amount: '0.00', interest: '0.00' },
      personal: { amount: '224.00', interest: '19.80' },
      personalToAccount: { amount: '224.00', interest: '19.80' },
    },
    {
      period: '202010',
      base: '2800.00',
      unit: { amount: '0.00', interest: '0.00' },
      personal: { amount: '224.00', interest: '18.59', provisional: true },
    },
  ],
  totals: { unit: '0.00', personal: '486.39', total: '486.39' },
  rates: { '2021': '0.0669', '2020': '0.0604' },
}

describe('the result table', () => {
  it('shows the server figures exactly, in the manual 5.1 order', () => {
    const t = resultTable(res)
    expect(t.groups).toEqual(['单位应缴金额', '个人应缴金额', '个人应缴划入个人账户金额'])
    expect(t.rows).toEqual([
      { period: '202009', base: '2800.00', cells: ['0.00', '0.00', '224.00', '19.80', '224.00', '19.80'] },
      { period: '202010', base: '2800.00', cells: ['0.00', '0.00', '224.00', '18.59*', NOT_CHARGED, NOT_CHARGED] },
    ])
    expect(t.totals).toEqual([
      { label: '单位应缴金额', value: '0.00' },
      { label: '个人应缴金额', value: '486.39' },
      { label: '合计应缴总额', value: '486.39' },
    ])
    expect(t.rates).toEqual([
      { year: '2020', rate: '6.04%' },
      { year: '2021', rate: '6.69%' },
    ])
    expect(t.provisional).toBe(false)
  })
  it('carries the provisional note', () => {
    const t = resultTable({ ...res, totals: { ...res.totals, provisional: true }, provisionalNote: '2025年度记账利率尚未公布' })
    expect([t.provisional, t.note]).toEqual([true, '2025年度记账利率尚未公布'])
  })
})

describe('rates as percentages, on the text', () => {
  it('moves the point two places', () => {
    expect(percent('0.0604')).toBe('6.04%')
    expect(percent('0.08')).toBe('8%')
    expect(percent('0.0262')).toBe('2.62%')
    expect(percent('0.1')).toBe('10%')
    expect(percent('1')).toBe('100%')
    expect(percent('0.00125')).toBe('0.125%')
    expect(percent('0')).toBe('0%')
  })
  it('leaves other text alone', () => {
    expect(percent('abc')).toBe('abc')
    expect(percent('-0.1')).toBe('-0.1')
  })
})
