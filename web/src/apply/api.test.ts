import { describe, expect, it } from 'vitest'
import { fileNameOf } from './api'

describe('fileNameOf', () => {
  it('reads the UTF-8 name of the unit', () => {
    const h = `attachment; filename="______________.zip"; filename*=UTF-8''%E4%B8%83%E5%8F%B0%E6%B2%B3%E5%B8%82.zip`
    expect(fileNameOf(h, 'x.zip')).toBe('七台河市.zip')
  })
  it('falls back to the plain name, or the default', () => {
    expect(fileNameOf('attachment; filename="unit.zip"', 'x.zip')).toBe('unit.zip')
    expect(fileNameOf('attachment; filename="____.zip"', 'x.zip')).toBe('x.zip')
    expect(fileNameOf(null, 'x.zip')).toBe('x.zip')
  })
})
