import { describe, expect, it } from 'vitest'
import { formatSize, labelsOf, lastNote, reasonsOf, rowsTable, shownFields, tablesNeeded, type Labels } from './fields'
import type { Field } from './types'

// 4.7 个人基本信息修改, as GET /api/v1/services/personal-basic-info-change gives it (part).
const fields: Field[] = [
  { key: 'name', label: '姓名', type: 'text', required: true },
  { key: 'idNumber', label: '证件号码', type: 'idNumber', required: true },
  { key: 'maritalStatus', label: '婚姻状况', type: 'enum', required: false, enum: 'maritalStatus' },
  { key: 'personalIdentity', label: '个人身份', type: 'enum', required: true, enum: 'personalIdentity' },
  { key: 'address', label: '地址', type: 'text', required: true },
]
const def = { fields }
const tables = new Map<string, Labels>([
  ['personalIdentity', labelsOf({ entries: [{ code: '24', label: '工人' }, { code: '11', label: '国家公务员' }] })],
])

describe('the fields of a round', () => {
  const values = { address: '七台河市桃山区', idNumber: '230903********0510', name: '周宏伟', personalIdentity: '24', extra: 'x', empty: '' }
  it('needs the code tables of the coded values present', () => {
    expect(tablesNeeded(def, [values])).toEqual(['personalIdentity'])
    expect(tablesNeeded(def, [values, { maritalStatus: '10' }])).toEqual(['maritalStatus', 'personalIdentity'])
    expect(tablesNeeded(null, [values])).toEqual([])
  })
  it('lists them in the form order under their labels, codes named', () => {
    expect(shownFields(def, values, tables)).toEqual([
      { key: 'name', label: '姓名', value: '周宏伟' },
      { key: 'idNumber', label: '证件号码', value: '230903********0510' },
      { key: 'personalIdentity', label: '个人身份', value: '工人' },
      { key: 'address', label: '地址', value: '七台河市桃山区' },
      { key: 'extra', label: 'extra', value: 'x' },
    ])
  })
  it('keeps a code its table does not name', () => {
    expect(shownFields(def, { personalIdentity: '99' }, tables)).toEqual([{ key: 'personalIdentity', label: '个人身份', value: '99' }])
  })
  it('shows the raw values without a definition', () => {
    expect(shownFields(null, { b: '2', a: '1' }, tables).map((s) => s.key)).toEqual(['a', 'b'])
  })
})

describe('repeating rows', () => {
  const withRows = {
    fields,
    repeatingRows: {
      buttons: ['新增', '删除'],
      fields: [
        { key: 'startMonth', label: '开始年月', type: 'yearMonth', required: true },
        { key: 'wage', label: '工资', type: 'money', required: true },
      ] as Field[],
    },
  }
  it('lays them out under the row fields', () => {
    expect(rowsTable(withRows, [{ startMonth: '2012-01', wage: '7000' }], tables)).toEqual({
      columns: ['开始年月', '工资'],
      rows: [['2012-01', '7000']],
    })
  })
  it('is nothing without rows', () => {
    expect(rowsTable(withRows, [], tables)).toBeNull()
    expect(rowsTable(withRows, undefined, tables)).toBeNull()
  })
})

describe('reasons of a return', () => {
  it('names the field, material or row each is about', () => {
    expect(
      reasonsOf(
        { 'fields.address': '地址不完整', 'materials.居民身份证正面': '照片不清晰', 'rows[1].wage': '工资有误', other: '其他' },
        def,
      ),
    ).toEqual([
      { key: 'fields.address', about: '地址', text: '地址不完整' },
      { key: 'materials.居民身份证正面', about: '材料：居民身份证正面', text: '照片不清晰' },
      { key: 'rows[1].wage', about: '第2行 wage', text: '工资有误' },
      { key: 'other', about: 'other', text: '其他' },
    ])
    expect(reasonsOf(undefined, def)).toEqual([])
  })
})

describe('helpers', () => {
  it('finds the latest note of a status', () => {
    const t = [
      { at: '1', status: 'submitted' as const, actor: 'applicant', note: '确认提交' },
      { at: '2', status: 'rejected' as const, actor: 'reviewer', note: '材料不清晰' },
    ]
    expect(lastNote(t, 'rejected')).toBe('材料不清晰')
    expect(lastNote(t, 'returned')).toBe('')
  })
  it('formats sizes', () => {
    expect(formatSize(72)).toBe('72 B')
    expect(formatSize(1536)).toBe('1.5 KB')
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB')
  })
})
