import { describe, expect, it } from 'vitest'
import { checkDraft, decisionBody, emptyDraft, reasonRows, reasonTargets, serverErrors, targetLabel, type DecisionDraft } from './decision'

const business = {
  fields: [{ key: 'hukouAddress', label: '户口所在地址', type: 'text', required: true }],
  materials: [{ name: '居民身份证正面', required: true, types: ['image/png'], maxBytes: 1, maxFiles: 1 }],
  ledger: { title: '退费记录一览表' },
} as never

describe('reasonTargets', () => {
  it('offers every field, every material and the record table', () => {
    const t = reasonTargets(business)
    expect(t.map((x) => x.key)).toEqual(['fields.hukouAddress', 'materials.居民身份证正面', 'selection'])
    expect(t.map(targetLabel)).toEqual(['项目：户口所在地址', '材料：居民身份证正面', '退费记录一览表'])
  })
})

describe('checkDraft', () => {
  const d = (x: Partial<DecisionDraft>): DecisionDraft => ({ ...emptyDraft(), ...x })
  it('asks for a decision', () => {
    expect(checkDraft(emptyDraft())).toEqual({ decision: '请选择审核决定' })
  })
  it('approves without more', () => {
    expect(checkDraft(d({ decision: 'approve' }))).toEqual({})
  })
  it('needs at least one reason to return, each with its target and text', () => {
    expect(checkDraft(d({ decision: 'return' }))).toEqual({ reasons: '退回时请至少填写一条原因，申请人会在对应的项目下看到' })
    expect(checkDraft(d({ decision: 'return', reasons: [{ key: 'fields.hukouAddress', text: ' ' }] }))).toEqual({ 'reasons.0.text': '请填写退回原因' })
    expect(checkDraft(d({ decision: 'return', reasons: [{ key: '', text: '看不清' }] }))).toEqual({ 'reasons.0.key': '请选择退回的项目或材料' })
    expect(
      checkDraft(
        d({
          decision: 'return',
          reasons: [
            { key: 'fields.hukouAddress', text: 'a' },
            { key: 'fields.hukouAddress', text: 'b' },
            { key: '', text: '' },
          ],
        }),
      ),
    ).toEqual({ 'reasons.1.key': '该项目已填写过原因，请合并为一条', 'reasons.2.key': '请选择退回的项目或材料，或删除这一行' })
    expect(checkDraft(d({ decision: 'return', reasons: [{ key: 'fields.hukouAddress', text: '字'.repeat(501) }] }))).toEqual({ 'reasons.0.text': '最多500个字' })
  })
  it('needs a reason to reject', () => {
    expect(checkDraft(d({ decision: 'reject' }))).toEqual({ comment: '不予受理时请填写理由' })
    expect(checkDraft(d({ decision: 'reject', comment: '材料与登记信息不符' }))).toEqual({})
  })
})

describe('decisionBody', () => {
  it('sends the reasons of a return by target, trimmed', () => {
    expect(
      decisionBody({
        decision: 'return',
        reasons: [
          { key: 'fields.hukouAddress', text: ' 与户口簿不一致 ' },
          { key: '', text: '' },
        ],
        comment: '',
      }),
    ).toEqual({ decision: 'return', reasons: { 'fields.hukouAddress': '与户口簿不一致' } })
  })
  it('sends no reasons with an approval, and the comment when there is one', () => {
    expect(decisionBody({ decision: 'approve', reasons: [{ key: 'selection', text: 'x' }], comment: ' 复核无误 ' })).toEqual({ decision: 'approve', comment: '复核无误' })
  })
})

describe('serverErrors', () => {
  it('puts an error about a target under the row that names it', () => {
    const d: DecisionDraft = { decision: 'return', reasons: [{ key: 'materials.x', text: 'a' }], comment: '' }
    expect(serverErrors({ 'reasons.materials.x': '原因应对应本业务的某一项', comment: '最多500个字', 'reasons.other': '错' }, d)).toEqual({
      'reasons.0.text': '原因应对应本业务的某一项',
      comment: '最多500个字',
      reasons: '错',
    })
  })
})

describe('reasonRows', () => {
  it('names the targets of a returned round’s reasons', () => {
    expect(reasonRows({ 'fields.hukouAddress': '不一致', rows: '缺' }, reasonTargets(business))).toEqual([
      { target: '项目：户口所在地址', reason: '不一致' },
      { target: 'rows', reason: '缺' },
    ])
  })
})
