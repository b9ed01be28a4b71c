import { describe, expect, it } from 'vitest'
import { displayValue, enumTables, fieldGroups, isAmount, ledgerHeader, toCodeLabels } from './snapshot'

const business = {
  fields: [
    { key: 'name', label: '姓名', type: 'text', required: true, group: '个人基本信息' },
    { key: 'idNumber', label: '身份证号码', type: 'idNumber', required: true, group: '个人基本信息' },
    { key: 'refundReason', label: '退费原因', type: 'enum', required: true, enum: 'refundReason', group: '退费信息' },
    { key: 'remark', label: '备注', type: 'text', required: false, group: '退费信息' },
  ],
  repeatingRows: { buttons: [], fields: [{ key: 'wage', label: '工资', type: 'money', required: true, enum: 'x' }] },
} as never

describe('fieldGroups', () => {
  it('labels the fields from the catalog, in its order and groups, codes with their labels, masked values as sent', () => {
    const codes = { refundReason: toCodeLabels([{ code: '01', label: '多重账户清理' }]) }
    const got = fieldGroups(business, { refundReason: '01', idNumber: '230903********0226', name: '刘桂芳', later: 'x' }, codes)
    expect(got).toEqual([
      {
        title: '个人基本信息',
        rows: [
          { key: 'name', label: '姓名', value: '刘桂芳' },
          { key: 'idNumber', label: '身份证号码', value: '230903********0226' },
        ],
      },
      { title: '退费信息', rows: [{ key: 'refundReason', label: '退费原因', value: '多重账户清理（01）' }] },
      { title: '其他', rows: [{ key: 'later', label: 'later', value: 'x' }] },
    ])
  })
  it('keeps a code without a label, and an empty value empty', () => {
    expect(displayValue({ type: 'enum', enum: 'refundReason' }, '99', {})).toBe('99')
    expect(displayValue({ type: 'enum', enum: 't' }, '', { t: { '': 'x' } })).toBe('')
    expect(displayValue({ type: 'enum', enum: 't' }, '男', { t: { 男: '男' } })).toBe('男')
  })
  it('lists the code tables a business needs once', () => {
    expect(enumTables(business)).toEqual(['refundReason', 'x'])
  })
})

describe('ledgerHeader', () => {
  it('spans a column over its sub-columns', () => {
    const h = ledgerHeader(['对应费款所属期', '缴费基数', '个人实缴.金额', '个人实缴.利息', '单位实缴.金额', '单位实缴.利息'])
    expect(h.top).toEqual([
      { label: '对应费款所属期', colspan: 1, rowspan: 2 },
      { label: '缴费基数', colspan: 1, rowspan: 2 },
      { label: '个人实缴', colspan: 2, rowspan: 1 },
      { label: '单位实缴', colspan: 2, rowspan: 1 },
    ])
    expect(h.sub).toEqual(['金额', '利息', '金额', '利息'])
    expect(h.names[2]).toBe('个人实缴 金额')
    expect(h.twoRows).toBe(true)
  })
  it('has one row without sub-columns', () => {
    const h = ledgerHeader(['对应费款所属期', '个人缴费金额'])
    expect(h.twoRows).toBe(false)
    expect(h.top.every((c) => c.rowspan === 1)).toBe(true)
  })
  it('right-aligns amounts, not periods or words', () => {
    expect(['735.34', '0', '-2.00', '199601', '企业职工'].map(isAmount)).toEqual([true, true, true, false, false])
  })
})
