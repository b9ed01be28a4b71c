import { describe, expect, it } from 'vitest'
import {
  ALL,
  apiQuery,
  categoryTable,
  chips,
  clear,
  description,
  fromRoute,
  groupsFor,
  isEmpty,
  normalizeSearch,
  remove,
  select,
  toRoute,
  type Conditions,
  type LabelTable,
} from './conditions'

// The code tables as GET /api/v1/code-tables/{name} serves them.
const businessCategory: LabelTable = {
  label: '业务类别',
  entries: ['社保卡', '社会保险', '人脸认证', '就业创业', '人事人才'].map((label) => ({ label })),
}
const businessKind: LabelTable = {
  label: '业务种类',
  entries: ['社会保险', '劳动关系', '就业创业', '人事人才'].map((label) => ({ label })),
}
const businessPurpose: LabelTable = {
  label: '办理作用',
  entries: ['费用征缴', '技能提升', '合同备案', '资格认定', '劳动纠纷', '关系调转', '补贴领取', '信息变更', '求职招聘', '待遇发放', '综合查询'].map(
    (label) => ({ label }),
  ),
}

describe('groupsFor', () => {
  it('individual: 业务类别 and the whole 办理作用 table', () => {
    const g = groupsFor('individual', businessCategory, businessPurpose)
    expect(g.map((x) => x.label)).toEqual(['业务类别', '办理作用'])
    expect(g[0]!.options).toEqual(['社保卡', '社会保险', '人脸认证', '就业创业', '人事人才'])
    expect(g[1]!.options).toHaveLength(11)
  })
  it('enterprise: 业务种类 and the enterprise screenshot 办理作用, in table order', () => {
    const g = groupsFor('enterprise', businessKind, businessPurpose)
    expect(g.map((x) => x.label)).toEqual(['业务种类', '办理作用'])
    expect(g[0]!.options).toEqual(['社会保险', '劳动关系', '就业创业', '人事人才'])
    expect(g[1]!.options).toEqual(['费用征缴', '资格认定', '关系调转', '信息变更', '待遇发放', '综合查询'])
  })
  it('leaves out deprecated entries and a stray 全部', () => {
    const t: LabelTable = { label: '业务类别', entries: [{ label: ALL }, { label: '社保卡' }, { label: '旧类别', deprecated: true }] }
    expect(groupsFor('individual', t, businessPurpose)[0]!.options).toEqual(['社保卡'])
  })
  it('names the first filter table per portal', () => {
    expect(categoryTable('individual')).toBe('businessCategory')
    expect(categoryTable('enterprise')).toBe('businessKind')
  })
})

describe('select, chips, remove, clear', () => {
  const none: Conditions = { category: '', purpose: '', q: '' }
  it('selecting 全部 clears the filter', () => {
    const c = select(select(none, 'category', '社会保险'), 'category', ALL)
    expect(c).toEqual(none)
  })
  it('您已选择 lists filters first, then the search', () => {
    const c: Conditions = { category: '社会保险', purpose: '费用征缴', q: 'GR' }
    expect(chips(c).map((x) => [x.key, x.text, x.removeLabel])).toEqual([
      ['category', '社会保险', '删除条件 社会保险'],
      ['purpose', '费用征缴', '删除条件 费用征缴'],
      ['q', '搜索：GR', '删除条件 搜索：GR'],
    ])
  })
  it('no chips without conditions', () => {
    expect(chips(none)).toEqual([])
    expect(isEmpty(none)).toBe(true)
  })
  it('X removes only its own condition', () => {
    const c: Conditions = { category: '社会保险', purpose: '费用征缴', q: '退费' }
    expect(remove(c, 'category')).toEqual({ category: '', purpose: '费用征缴', q: '退费' })
    expect(remove(c, 'q')).toEqual({ category: '社会保险', purpose: '费用征缴', q: '' })
    expect(c.category).toBe('社会保险') // not mutated
  })
  it('清空条件 clears everything', () => {
    expect(clear()).toEqual(none)
    expect(isEmpty(clear())).toBe(true)
  })
})

describe('normalizeSearch', () => {
  it.each([
    ['  个人退费 ', '个人退费'],
    ['个人   退费', '个人 退费'],
    ['\tgr\n', 'gr'],
    ['', ''],
  ])('%j → %j', (in_, want) => expect(normalizeSearch(in_)).toBe(want))
  it('keeps at most 50 characters, counting CJK as one each', () => {
    expect(Array.from(normalizeSearch('退'.repeat(60)))).toHaveLength(50)
    expect(Array.from(normalizeSearch('𠀀'.repeat(60)))).toHaveLength(50)
  })
})

describe('route and API queries', () => {
  const groups = groupsFor('enterprise', businessKind, businessPurpose)
  it('round-trips the set conditions only', () => {
    const c: Conditions = { category: '社会保险', purpose: '', q: 'ZG' }
    expect(toRoute(c)).toEqual({ category: '社会保险', q: 'ZG' })
    expect(fromRoute(toRoute(c), groups)).toEqual(c)
  })
  it('drops values the portal does not offer, and 全部', () => {
    expect(fromRoute({ category: '社保卡', purpose: '技能提升', q: ' x ' }, groups)).toEqual({ category: '', purpose: '', q: 'x' })
    expect(fromRoute({ category: ALL }, groups).category).toBe('')
  })
  it('takes the first of repeated parameters and ignores nulls', () => {
    expect(fromRoute({ category: ['社会保险', '劳动关系'], purpose: null }, groups)).toEqual({ category: '社会保险', purpose: '', q: '' })
  })
  it('keeps values while the groups are not loaded yet', () => {
    expect(fromRoute({ category: '社会保险' }).category).toBe('社会保险')
  })
  it('asks the API for the portal and the set conditions', () => {
    expect(apiQuery('individual', { category: '', purpose: '费用征缴', q: '' })).toEqual({ userType: 'individual', purpose: '费用征缴' })
  })
})

describe('description', () => {
  it.each([
    [{}, '暂无描述'],
    [{ description: null }, '暂无描述'],
    [{ description: '  ' }, '暂无描述'],
    [{ description: '按月领取' }, '按月领取'],
  ])('%j → %s', (item, want) => expect(description(item)).toBe(want))
})
