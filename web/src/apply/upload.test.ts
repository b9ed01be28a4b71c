import { describe, expect, it } from 'vitest'
import { checkFile, contentType, formData, held, kinds, note, rule, shown, size } from './upload'
import type { MaterialView } from './types'

const m: MaterialView = { name: '居民身份证正面', required: true, types: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024, maxFiles: 2, files: [] }
const zipSlot: MaterialView = { ...m, name: '缴费申报文件', types: ['application/zip', 'application/x-zip-compressed'], maxFiles: 1 }

describe('slot words', () => {
  it('names types, size and count', () => {
    expect(kinds(['image/jpeg', 'image/png'])).toBe('JPG、PNG')
    expect(kinds(zipSlot.types)).toBe('ZIP')
    expect(size(5 * 1024 * 1024)).toBe('5MB')
    expect(size(1536)).toBe('1.5KB')
    expect(size(300)).toBe('300B')
    expect(rule(m)).toBe('支持JPG、PNG格式，单个文件不超过5MB，最多2个')
  })
})

describe('checkFile', () => {
  it.each([
    [{ name: 'a.png', type: 'image/png', size: 100 }, 0, ''],
    [{ name: 'a.gif', type: 'image/gif', size: 100 }, 0, '“a.gif”的格式不支持，请上传JPG、PNG格式的文件'],
    [{ name: 'a.png', type: 'image/png', size: 0 }, 0, '“a.png”是空文件，请重新选择'],
    [{ name: 'a.png', type: 'image/png', size: 6 * 1024 * 1024 }, 0, '“a.png”超过5MB，请压缩后重新上传'],
    [{ name: 'a.png', type: 'image/png', size: 100 }, 2, '“居民身份证正面”最多上传2个文件，请删除后再上传'],
  ])('%o with %i held', (file, n, want) => expect(checkFile(m, file, n)).toBe(want))

  it('takes a ZIP the browser gave no type, by its extension', () => {
    expect(contentType({ name: '单位.zip', type: '', size: 9 }, zipSlot.types)).toBe('application/zip')
    expect(contentType({ name: '单位.zip', type: 'application/x-zip-compressed', size: 9 }, zipSlot.types)).toBe('application/x-zip-compressed')
    expect(checkFile(zipSlot, { name: '单位.zip', type: '', size: 9 }, 0)).toBe('')
    expect(contentType({ name: 'a.JPG', type: '', size: 9 }, m.types)).toBe('image/jpeg')
  })
})

describe('formData', () => {
  it('puts the presigned fields first, in order, and the file last', () => {
    const fd = formData({ key: 'pending/A/U', 'Content-Type': 'image/png', policy: 'p', signature: 's' }, new Blob(['x']), 'a.png')
    expect([...fd.keys()]).toEqual(['key', 'Content-Type', 'policy', 'signature', 'file'])
    expect((fd.get('file') as File).name).toBe('a.png')
  })
})

describe('files of a slot', () => {
  const files: MaterialView['files'] = [
    { uploadId: '1', fileName: 'a', contentType: 'image/png', size: 1, status: 'accepted' },
    { uploadId: '2', fileName: 'b', contentType: 'image/png', size: 1, status: 'rejected', reason: '文件内容与格式不符' },
    { uploadId: '3', fileName: 'c', contentType: 'image/png', size: 1, status: 'pending' },
    { uploadId: '4', fileName: 'd', contentType: 'image/png', size: 1, status: 'superseded', round: 1 },
  ]
  it('counts accepted and pending files against the limit, and hides superseded ones', () => {
    expect(held({ files })).toBe(2)
    expect(shown({ files }).map((f) => f.uploadId)).toEqual(['1', '2', '3'])
  })
})

describe('note', () => {
  it('keeps the Chinese sentences of a material note and drops the English remarks', () => {
    expect(note('补缴期间劳动关系的证明，任选其一。 Second screenshot labels the slot 劳动合同.')).toBe('补缴期间劳动关系的证明，任选其一。')
    expect(note('Line-wrapped in the first screenshot.')).toBe('')
    expect(note('按退费原因上传。')).toBe('按退费原因上传。')
    expect(note('上传文档：下载“文档材料”中的 ZIP 文件，修改人员工资信息并保存后上传。')).toBe('上传文档：下载“文档材料”中的 ZIP 文件，修改人员工资信息并保存后上传。')
    expect(note(undefined)).toBe('')
  })
})
