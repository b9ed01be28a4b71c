import { describe, expect, it } from 'vitest'
import {
  confirmProblem,
  creditCheckChar,
  creditCodeProblem,
  idCheckChar,
  maskMobile,
  mobileProblem,
  normalId,
  normalMobile,
  passwordProblem,
  residentIdProblem,
} from './rules'

// The expected messages are shared/checks' and shared/identity/account's,
// verbatim (the server's answers to the same inputs).
describe('residentIdProblem', () => {
  it.each([
    ['11010519491231002X', ''],
    ['11010519491231002x', ''],
    [' 1101 0519 4912 3100 2X ', ''],
    ['４４０５２４１８８００１０１００１４', ''],
    ['440524800101001', ''], // a 15-digit old number
    ['', '请填写公民身份号码'],
    ['110105194912310021', '公民身份号码校验位不正确，请核对后重新输入'],
    ['4405241880010100', '公民身份号码应为18位（或15位旧号码），当前为16位，请核对后重新输入'],
    ['44052418800101001a', '公民身份号码最后一位只能是数字或X，“A”无效，请核对后重新输入'],
    ['4405241880010A0014', '公民身份号码前17位只能是数字，第14位“A”无效，请核对后重新输入'],
    ['44052480010100A', '15位公民身份号码只能由数字组成，第15位“A”无效，请核对后重新输入'],
    ['110105194902300021', '出生日期无效：1949年2月只有28天，请核对公民身份号码第7-14位（出生日期）'],
    ['110105194913010021', '出生日期无效：月应在01-12之间，请核对公民身份号码第7-14位（出生日期）'],
    ['11010517991231002X', '出生日期无效：年份1799早于1800年，请核对公民身份号码第7-14位（出生日期）'],
  ])('%j → %j', (id, want) => expect(residentIdProblem(id)).toBe(want))

  it('computes the GB 11643 check character', () => {
    expect(idCheckChar('11010519491231002')).toBe('X')
    expect(idCheckChar('44052418800101001')).toBe('4')
    expect(idCheckChar('4405241880010100')).toBe('')
  })
  it('normalizes as the server compares', () => expect(normalId(' 11010519491231002x')).toBe('11010519491231002X'))
})

describe('mobile numbers', () => {
  it.each([
    ['13800000000', '13800000000'],
    ['+86 138-0000-0000', '13800000000'],
    ['8613800000000', '13800000000'],
    ['１３８００００００００', '13800000000'],
    ['12800000000', ''],
    ['1380000000', ''],
  ])('%j normalizes to %j', (m, want) => expect(normalMobile(m)).toBe(want))
  it('says what is wrong', () => {
    expect(mobileProblem(' ')).toBe('请填写手机号码')
    expect(mobileProblem('12800000000')).toBe('手机号码格式不正确：应为以1开头、第二位为3-9的11位数字（如13800000000），请核对后重新输入')
    expect(mobileProblem('13912345678')).toBe('')
  })
  it('masks as the server does', () => {
    expect(maskMobile('13912345678')).toBe('139****5678')
    expect(maskMobile('x')).toBe('')
  })
})

describe('creditCodeProblem', () => {
  it.each([
    ['91350100M000100Y43', ''],
    ['91350100m000100y43', ''],
    ['', '请填写统一社会信用代码'],
    ['91350100M000100Y4', '统一社会信用代码应为18位，当前为17位，请对照营业执照或登记证书核对后重新输入'],
    ['9135010OM000100Y43', '统一社会信用代码只能由数字和大写字母（不含I、O、S、V、Z）组成，第8位“O”无效，请核对后重新输入'],
    ['91AB0100M000100Y43', '统一社会信用代码第3-8位应为登记管理机关的行政区划代码（6位数字），请核对后重新输入'],
    ['91350100M000100Y44', '统一社会信用代码校验位不正确，请核对后重新输入'],
  ])('%j → %j', (c, want) => expect(creditCodeProblem(c)).toBe(want))
  it('computes the GB 32100 check character', () => {
    expect(creditCheckChar('91230902MA1C7N2Q0')).toBe('A')
    expect(creditCheckChar('91230902MA1C7N2Q1')).toBe('D')
    expect(creditCheckChar('91230902MA1C7N2QI')).toBe('')
  })
})

describe('passwordProblem', () => {
  it.each([
    ['Abcdef1!', ''],
    ['abcdef1!', ''], // lower, digit, symbol
    ['Abc1!', '密码至少8位'],
    ['Aa1' + 'x'.repeat(62), '密码不能超过64位'],
    ['abcdefgh1', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['Abcdefg\u00071', '密码不能包含控制字符'],
    ['密码Abcdef12', ''], // Chinese characters count as symbols
  ])('%j → %j', (pw, want) => expect(passwordProblem(pw)).toBe(want))
  it('refuses the person’s ID number or mobile inside the password', () => {
    expect(passwordProblem('Aa!13912345678', ['13912345678'])).toBe('密码不能包含您的证件号码或手机号码')
    expect(passwordProblem('aa!11010519491231002x', ['11010519491231002X'])).toBe('密码不能包含您的证件号码或手机号码')
    expect(passwordProblem('Aa!12345', ['12345'])).toBe('') // shorter than six: not compared
  })
})

describe('confirmProblem', () => {
  it.each([
    ['Abcdef1!', 'Abcdef1!', ''],
    ['Abcdef1!', '', '请再次输入密码'],
    ['Abcdef1!', 'Abcdef1?', '两次输入的密码不一致，请重新输入'],
  ])('%j / %j → %j', (pw, c, want) => expect(confirmProblem(pw, c)).toBe(want))
})
