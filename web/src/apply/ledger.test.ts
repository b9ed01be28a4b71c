import { describe, expect, it } from 'vitest'
import { allState, checkRange, gates, headers, sameSelection, selectionRows, setAll, toggle, yearMonth } from './ledger'
import type { RecordTable, SelectionTable } from './types'

describe('ticks', () => {
  it('toggles a period, sorted and once', () => {
    expect(toggle(['201309'], '201304', true)).toEqual(['201304', '201309'])
    expect(toggle(['201304', '201309'], '201304', true)).toEqual(['201304', '201309'])
    expect(toggle(['201304', '201309'], '201304', false)).toEqual(['201309'])
  })
  it('全选 ticks the rows shown and keeps the others', () => {
    expect(setAll(['199601'], ['202001', '202002'], true)).toEqual(['199601', '202001', '202002'])
    expect(setAll(['199601', '202001', '202002'], ['202001', '202002'], false)).toEqual(['199601'])
  })
  it('says whether all, some or none of the rows shown are ticked', () => {
    expect(allState([], ['1', '2'])).toBe('none')
    expect(allState(['1'], ['1', '2'])).toBe('some')
    expect(allState(['1', '2', '9'], ['1', '2'])).toBe('all')
    expect(allState(['1'], [])).toBe('none')
    expect(sameSelection(['2', '1'], ['1', '2'])).toBe(true)
    expect(sameSelection(['1'], ['1', '2'])).toBe(false)
  })
})

describe('checkRange', () => {
  it.each([
    [{ from: '', to: '' }, false, { from: '', to: '' }],
    [{ from: '', to: '' }, true, { from: '请选择开始年月', to: '请选择结束年月' }],
    [{ from: '2022-04', to: '2020-01' }, false, { from: '', to: '结束年月不能早于开始年月' }],
    [{ from: '2020-13', to: '' }, false, { from: '开始年月格式应为YYYY-MM', to: '' }],
    [{ from: '2020-01', to: '2022-04' }, true, { from: '', to: '' }],
  ])('%o required=%s', (r, req, want) => expect(checkRange(r, req)).toEqual(want))
  it('uses the business labels (5.5 开始属期)', () => {
    expect(checkRange({ from: '', to: '' }, true, '开始属期', '结束属期').from).toBe('请选择开始属期')
  })
  it('formats periods for month inputs', () => {
    expect(yearMonth('202001')).toBe('2020-01')
  })
})

describe('headers', () => {
  it('spans sub-columns in the first row and single columns over both', () => {
    const [top, sub] = headers({
      columns: [{ label: '对应费款所属期' }, { label: '缴费基数' }, { label: '个人实缴', sub: ['金额', '利息'] }],
    })
    expect(top).toEqual([
      { label: '对应费款所属期', colspan: 1, rowspan: 2 },
      { label: '缴费基数', colspan: 1, rowspan: 2 },
      { label: '个人实缴', colspan: 2, rowspan: 1 },
    ])
    expect(sub.map((s) => s.label)).toEqual(['金额', '利息'])
  })
  it('has one row when no column has sub-columns (4.25)', () => {
    const [top, sub] = headers({ columns: [{ label: '对应费款所属期' }, { label: '个人缴费金额' }] })
    expect(top.every((c) => c.rowspan === 1)).toBe(true)
    expect(sub).toEqual([])
  })
})

const table = {
  person: { personNumber: '2309000101', name: '刘桂芳', idNumber: '230903********0226', relationId: '2309900000102' },
  units: [
    { unitNumber: '2309900101', unitName: '宏达', from: '199601', to: '' },
    { unitNumber: '2309900401', unitName: '龙江', from: '201304', to: '202112' },
  ],
  account: { balance: '0.00', principal: '0.00', interest: '0.00', reason: '人员新参保' },
  grid: [{ year: '2013', months: ['', '', '', '', '已', '已', '已', '已', '', '', '', ''] }],
} as unknown as RecordTable

describe('selectionRows', () => {
  const defs: SelectionTable[] = [
    { title: '人员信息', columns: ['人员编号', '人员参保关系ID'], rowSelect: 'checkbox' },
    { title: '账号信息', columns: ['账户金额', '本金', '利息', '账户建立原因'], rowSelect: 'checkbox (勾选账户信息)' },
    { title: '单位信息', columns: ['单位编号', '单位名称', '开始年月', '结束年月'], rowSelect: 'radio (narrative says 复选框)' },
    { title: '(unit contribution grid, untitled)', columns: ['年度', '1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'], rowSelect: 'none' },
  ]
  it('fills each table from the record table', () => {
    const s = selectionRows(defs, table)
    expect(s[0]?.rows).toEqual([['2309000101', '2309900000102']])
    expect(s[1]?.rows).toEqual([['0.00', '0.00', '0.00', '人员新参保']])
    expect(s[2]?.rows).toEqual([
      ['2309900101', '宏达', '199601', ''],
      ['2309900401', '龙江', '201304', '202112'],
    ])
    expect(s[2]?.pick).toBe('radio')
    expect(s[3]?.rows[0]?.[5]).toBe('已')
    expect(s[3]?.title).toBe('')
    expect(s[3]?.caption).toContain('已缴费月份')
    expect(gates(s)).toEqual([0, 1, 2])
  })
  it('shows only the unit read when the table names one (an agent)', () => {
    const s = selectionRows([defs[2] as SelectionTable], { ...table, unit: table.units[1] } as RecordTable)
    expect(s[0]?.rows).toEqual([['2309900401', '龙江', '201304', '202112']])
  })
  it('has no account row when the table has no account', () => {
    const s = selectionRows([defs[1] as SelectionTable], { ...table, account: undefined } as RecordTable)
    expect(s[0]?.rows).toEqual([])
  })
})
