import { describe, expect, it } from 'vitest'
import { homeOf, loginLocation, safeRedirect } from './redirect'

describe('safeRedirect', () => {
  it.each([
    ['/services?category=社会保险', '/services?category=社会保险'],
    ['/services/personal-refund/guide', '/services/personal-refund/guide'],
    [['/a', '/b'], '/a'],
    ['//evil.example/x', undefined],
    ['/\\evil.example', undefined],
    ['https://evil.example/', undefined],
    ['services', undefined],
    ['/login', undefined],
    ['/login?redirect=/x', undefined],
    ['/login/staff', undefined],
    [undefined, undefined],
    [42, undefined],
  ])('%j → %j', (v, want) => expect(safeRedirect(v)).toBe(want))
})

describe('loginLocation', () => {
  it('brings the person back to where the 401 found them', () => {
    expect(loginLocation('/services?q=GR')).toEqual({ path: '/login', query: { redirect: '/services?q=GR' } })
  })
  it('does not loop on the login page', () => {
    expect(loginLocation('/login?redirect=/services')).toEqual({ path: '/login', query: {} })
  })
})

describe('homeOf', () => {
  it.each([
    ['individual', '/services'],
    ['enterprise', '/services'],
    ['staff', '/staff'],
  ])('%s → %s', (t, want) => expect(homeOf(t)).toBe(want))
})
