import { describe, expect, it } from 'vitest'
import { entryLabels } from './entries'

describe('entryLabels', () => {
  it('names a county with its city, so that two of one name can be told apart', () => {
    const names = entryLabels([
      { code: '230000', label: '黑龙江省' },
      { code: '230400', label: '鹤岗市', parent: '230000' },
      { code: '230402', label: '向阳区', parent: '230400' },
      { code: '230800', label: '佳木斯市', parent: '230000' },
      { code: '230803', label: '向阳区', parent: '230800' },
    ])
    expect([...names.values()]).toEqual(['黑龙江省', '鹤岗市', '鹤岗市 向阳区', '佳木斯市', '佳木斯市 向阳区'])
  })
  it('keeps the label of an entry without a hierarchy, or whose parent is unknown', () => {
    const names = entryLabels([
      { code: '1', label: '男' },
      { code: '230999', label: '七台河市本级', parent: '230900' },
    ])
    expect(names.get('1')).toBe('男')
    expect(names.get('230999')).toBe('七台河市本级')
  })
})
