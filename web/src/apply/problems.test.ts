import { describe, expect, it } from 'vitest'
import { count, lines, sortProblems } from './problems'

describe('sortProblems', () => {
  it('puts each message under the part it names', () => {
    const p = sortProblems(
      {
        'fields.address': '请填写地址',
        mobile: '请填写手机号',
        'materials.居民身份证正面': '请上传居民身份证正面',
        selection: '请勾选需要办理的记录',
        'rows[1].wage': '工资应为金额',
        'row:2:上年度月平均工资（元）': '请填写上年度月平均工资',
        'fields.gone': '本业务没有这一项',
        business: '请选择要办理的业务',
      },
      ['address', 'mobile'],
      ['居民身份证正面'],
      ['wage'],
    )
    expect(p.fields).toEqual({ address: '请填写地址', mobile: '请填写手机号' })
    expect(p.materials).toEqual({ 居民身份证正面: '请上传居民身份证正面' })
    expect(p.selection).toBe('请勾选需要办理的记录')
    expect(p.rows).toEqual({ '1.wage': '工资应为金额' })
    expect(p.rest).toEqual(['本业务没有这一项', '请选择要办理的业务'])
    expect(count(p)).toBe(7)
  })
  it('is empty without errors', () => {
    expect(count(sortProblems(undefined, [], []))).toBe(0)
  })
})

describe('lines', () => {
  it('lists the problems in screen order with the names the person sees', () => {
    const p = sortProblems(
      {
        'fields.mobile': '请填写手机号',
        'fields.address': '请填写地址',
        'materials.居民身份证（反面）': '请上传居民身份证（反面）',
        'materials.居民身份证正面': '请上传居民身份证正面',
        selection: '请勾选',
        'rows[0].wage': '工资应为金额',
        other: '其他问题',
      },
      ['address', 'mobile'],
      ['居民身份证正面', '居民身份证（反面）'],
      ['wage'],
    )
    const labels: Record<string, string> = { address: '地址', mobile: '手机号', wage: '工资' }
    const got = lines(p, (k) => labels[k] ?? k, (k) => labels[k] ?? k, '退费记录一览表', ['address', 'mobile'], ['居民身份证正面', '居民身份证（反面）'])
    expect(got).toEqual([
      { target: 'materials.居民身份证正面', text: '居民身份证正面：请上传居民身份证正面' },
      { target: 'materials.居民身份证（反面）', text: '居民身份证（反面）：请上传居民身份证（反面）' },
      { target: 'fields.address', text: '地址：请填写地址' },
      { target: 'fields.mobile', text: '手机号：请填写手机号' },
      { target: 'rows.0.wage', text: '第1行 工资：工资应为金额' },
      { target: 'selection', text: '退费记录一览表：请勾选' },
      { target: '', text: '其他问题' },
    ])
  })
})
