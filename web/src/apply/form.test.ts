import { describe, expect, it } from 'vitest'
import { cleanFields, codeOf, prefilled, control, display, enumTables, groups, inputMode, maxLength, options, placeholder, readOnly, toInput } from './form'
import type { CodeTable, Field } from './types'

const f = (key: string, over: Partial<Field> = {}): Field => ({ key, label: key, type: 'text', required: false, ...over })

const table: CodeTable = {
  name: 'refundChannel',
  label: '退费渠道',
  version: '1',
  source: 's',
  entries: [
    { code: '1', label: '社保卡金融账户', aliases: ['社保卡金额账户'] },
    { code: '2', label: '个人银行账户' },
    { code: '9', label: '旧渠道', deprecated: true },
  ],
}

describe('groups', () => {
  it('keeps the order groups first appear in and gathers their fields', () => {
    const g = groups([f('a', { group: '个人基本信息' }), f('b', { group: '退费信息' }), f('c', { group: '个人基本信息' })])
    expect(g.map((x) => [x.title, x.fields.map((y) => y.key)])).toEqual([
      ['个人基本信息', ['a', 'c']],
      ['退费信息', ['b']],
    ])
  })
  it('puts ungrouped neighbours in one untitled group', () => {
    const g = groups([f('a'), f('b'), f('c', { group: '银行信息' }), f('d')])
    expect(g.map((x) => [x.title, x.fields.map((y) => y.key)])).toEqual([
      ['', ['a', 'b']],
      ['银行信息', ['c']],
      ['', ['d']],
    ])
  })
})

describe('readOnly', () => {
  it.each([
    ['always', {}, {}, true],
    ['whenPrefilled with a prefilled value', { x: '1' }, {}, true],
    ['whenPrefilled without one', {}, { x: '1' }, false],
    ['after:establishedDate before it is given', {}, {}, false],
    ['after:establishedDate once given', {}, { establishedDate: '2022-01-01' }, true],
    ['', {}, {}, false],
  ])('%s', (name, prefilled, values, want) => {
    const ro = name.split(' ')[0] as string
    expect(readOnly(f('x', { readOnly: ro || undefined }), prefilled, values)).toBe(want)
  })
})

it('lets the person choose a derived value the server left empty (4.4 退费范围)', () => {
  const scope = f('refundScope', { readOnly: 'always', required: true, prefill: { from: 'derived', attr: 'refundReason' } })
  expect(readOnly(scope, {}, {})).toBe(false)
  expect(readOnly(scope, { refundScope: '1' }, {})).toBe(true)
})

describe('controls', () => {
  it.each<[Partial<Field>, string]>([
    [{ type: 'enum', enum: 'x' }, 'select'],
    [{ type: 'regionCode', enum: 'region' }, 'select'],
    [{ type: 'date' }, 'date'],
    [{ type: 'yearMonth' }, 'month'],
    [{ type: 'year' }, 'year'],
    [{ type: 'month' }, 'monthOfYear'],
    [{ type: 'text', maxLength: 500 }, 'textarea'],
    [{ type: 'text', maxLength: 100 }, 'text'],
    [{ type: 'money' }, 'text'],
  ])('%o → %s', (over, want) => expect(control(f('x', over))).toBe(want))

  it('asks for the right keyboard and length', () => {
    expect(inputMode(f('x', { type: 'money' }))).toBe('decimal')
    expect(inputMode(f('x', { type: 'mobile' }))).toBe('tel')
    expect(inputMode(f('x', { type: 'postcode' }))).toBe('numeric')
    expect(maxLength(f('x', { type: 'idNumber' }))).toBe(18)
    expect(maxLength(f('x', { type: 'text', maxLength: 50 }))).toBe(50)
    expect(maxLength(f('x', { type: 'code' }))).toBe(0)
    expect(placeholder(f('地址'))).toBe('请输入地址')
    expect(placeholder(f('x', { type: 'enum', enum: 'e' }))).toBe('请选择')
  })
})

describe('values', () => {
  it('turns YYYYMM and YYYYMMDD into what month and date inputs hold', () => {
    expect(toInput(f('x', { type: 'yearMonth' }), '201304')).toBe('2013-04')
    expect(toInput(f('x', { type: 'yearMonth' }), '2013-04')).toBe('2013-04')
    expect(toInput(f('x', { type: 'date' }), '20211101')).toBe('2021-11-01')
    expect(toInput(f('x', { type: 'code' }), '201304')).toBe('201304')
  })
  it('shows an enum by its label', () => {
    expect(display(f('x', { type: 'enum', enum: 'refundChannel' }), '1', table)).toBe('社保卡金融账户')
    expect(display(f('x', { type: 'enum', enum: 'refundChannel' }), '7', table)).toBe('7')
    expect(display(f('x', { type: 'yearMonth' }), '201304', undefined)).toBe('2013-04')
  })
  it('offers current entries, and a deprecated one only when it is the value', () => {
    expect(options(table).map((o) => o.value)).toEqual(['1', '2'])
    expect(options(table, '9').map((o) => o.value)).toEqual(['1', '2', '9'])
    expect(options(table, '社保卡金额账户')[0]).toEqual({ value: '社保卡金额账户', label: '社保卡金融账户' })
    expect(options(undefined, 'x')).toEqual([{ value: 'x', label: 'x' }])
  })
  it('names a county with its city, so that two of one name can be told apart', () => {
    const region: CodeTable = {
      name: 'region',
      label: '行政区划代码',
      version: '2',
      source: 's',
      entries: [
        { code: '230000', label: '黑龙江省' },
        { code: '230400', label: '鹤岗市', parent: '230000' },
        { code: '230402', label: '向阳区', parent: '230400' },
        { code: '230800', label: '佳木斯市', parent: '230000' },
        { code: '230803', label: '向阳区', parent: '230800' },
        { code: '230801', label: '市辖区', parent: '230800', deprecated: true },
      ],
    }
    expect(options(region).map((o) => o.label)).toEqual(['黑龙江省', '鹤岗市', '鹤岗市 向阳区', '佳木斯市', '佳木斯市 向阳区'])
    expect(options(region, '230801').at(-1)).toEqual({ value: '230801', label: '佳木斯市 市辖区' })
    expect(display(f('x', { type: 'regionCode', enum: 'region' }), '230803', region)).toBe('佳木斯市 向阳区')
    expect(display(f('x', { type: 'regionCode', enum: 'region' }), '230400', region)).toBe('鹤岗市')
  })
  it('finds a code by label, alias or code', () => {
    expect(codeOf(table, '个人银行账户')).toBe('2')
    expect(codeOf(table, '社保卡金额账户')).toBe('1')
    expect(codeOf(table, '1')).toBe('1')
    expect(codeOf(table, '无')).toBe('')
  })
  it('lists each code table once and trims what it sends', () => {
    expect(enumTables([f('a', { type: 'enum', enum: 't' }), f('b', { type: 'enum', enum: 't' }), f('c')])).toEqual(['t'])
    expect(cleanFields({ a: ' x ', b: '' })).toEqual({ a: 'x', b: '' })
  })
})

describe('prefilled', () => {
  const fields = [
    f('name', { prefill: { from: 'account', attr: 'name' } }),
    f('personNumber', { prefill: { from: 'person' }, readOnly: 'whenPrefilled' }),
    f('remark'),
  ]
  it('takes the values of prefilled fields', () => {
    expect(prefilled(fields, { name: '刘桂芳', personNumber: '2309000101', remark: '手填' }, false)).toEqual({
      name: '刘桂芳',
      personNumber: '2309000101',
    })
  })
  it('never counts a person field of an agent as prefilled (the agent names the employee)', () => {
    expect(prefilled(fields, { name: '单位', personNumber: '2309000501' }, true)).toEqual({ name: '单位' })
  })
})
