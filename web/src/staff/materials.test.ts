import { describe, expect, it } from 'vitest'
import { fileKind, previewList, roundMaterials } from './materials'

describe('fileKind', () => {
  it.each([
    ['image/png', 'a.png', 'image'],
    ['image/jpeg', 'a.jpg', 'image'],
    ['application/pdf', 'a.pdf', 'pdf'],
    ['application/octet-stream', 'a.PDF', 'pdf'],
    ['application/zip', 'a.zip', 'zip'],
    ['application/x-zip-compressed', 'a', 'zip'],
    ['image/svg+xml', 'a.svg', 'file'],
  ])('%s %s → %s', (t, n, want) => expect(fileKind(t, n)).toBe(want))
})

describe('roundMaterials', () => {
  const f = (material: string, uploadId: string, contentType = 'image/png') => ({
    material,
    uploadId,
    fileName: uploadId + '.png',
    contentType,
    size: 1,
    sha256: '',
  })
  it('groups by material in the business order, with the links', () => {
    const got = roundMaterials([f('乙', 'U2'), f('甲', 'U1'), f('丙', 'U3', 'application/pdf'), f('甲', 'U4')], { U1: 'http://x/1', U2: 'http://x/2' }, ['甲', '乙'])
    expect(got.map((m) => [m.material, m.files.map((x) => x.uploadId)])).toEqual([
      ['甲', ['U1', 'U4']],
      ['乙', ['U2']],
      ['丙', ['U3']],
    ])
    expect(got[0]?.files[1]?.url).toBe('')
    expect(got[2]?.files[0]?.kind).toBe('pdf')
    expect(previewList(got[0]!)).toEqual(['http://x/1'])
  })
  it('has nothing for a round without files', () => {
    expect(roundMaterials(null, {})).toEqual([])
  })
})
