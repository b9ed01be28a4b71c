import { describe, expect, it } from 'vitest'
import { FALLBACK, RULES, kindOf, sampleOf, titleLines, type SampleKind } from '.'

// The catalog's businesses (GET /api/v1/services/{id} answers their
// materials by these names), read as text: each file's `materials:` list
// up to the next top-level key.
const businesses = import.meta.glob<string>('../../../../shared/catalog/data/businesses/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
})

function materialNames(yaml: string): string[] {
  const block = /^materials:[^\n]*\n((?:[ \t]+[^\n]*\n|\n)*)/m.exec(yaml)?.[1] ?? ''
  return [...block.matchAll(/^ {2}- name: *(.+?) *$/gm)].map((m) => m[1]!.replace(/^(['"])(.*)\1$/, '$2'))
}

const catalog = [...new Set(Object.values(businesses).flatMap(materialNames))]
const IMAGES = ['image/jpeg', 'image/png']
const svgs = import.meta.glob<string>('./*.svg', { query: '?raw', import: 'default', eager: true })

describe('the catalog', () => {
  it('is read: its businesses and their material names', () => {
    expect(Object.keys(businesses).length).toBeGreaterThanOrEqual(42)
    expect(catalog.length).toBeGreaterThan(50)
    expect(catalog).toContain('居民身份证正面')
    expect(catalog).toContain('解除劳动合同证明书')
  })

  describe.each(catalog)('%s', (name) => {
    const s = sampleOf(name, IMAGES)
    it('has a sample picture with its accessible name', () => {
      expect(s.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="[\d ]+" role="img" aria-label="/)
      expect(s.label.startsWith(`${name}示例图：`)).toBe(true)
      expect(s.svg).toContain(`aria-label="${s.label}"`)
      expect(s.svg).not.toMatch(/__[A-Z0-9]+__/)
    })
    it('has guidance on how to take it', () => {
      expect(s.guidance.length).toBeGreaterThan(0)
      expect(s.guidance.join('')).toMatch(/原件照片或扫描件|拍照上传/)
    })
    it('shows its whole name when the picture has a title', () => {
      const title = /<g data-part="title"[^>]*>([\s\S]*?)<\/g>/.exec(s.svg)?.[1]
      expect(title !== undefined).toBe(['form', 'certificate', 'death', 'contract', 'card'].includes(s.kind))
      if (title !== undefined) expect(title.replace(/<[^>]+>|\s/g, '')).toBe(name)
    })
  })
})

const cases: [string, SampleKind][] = [
  ['居民身份证正面', 'idFront'],
  ['法人居民身份证（正反面）', 'idFront'],
  ['居民身份证（反面）', 'idBack'],
  ['居民身份证反面', 'idBack'],
  ['居民身份证（户口簿）', 'hukou'],
  ['银行卡', 'bankCard'],
  ['领取人银行信息', 'bankCard'],
  ['银行存折', 'passbook'],
  ['工商营业执照', 'license'],
  ['变更后的成立证件（营业执照或批准成立文件）', 'license'],
  ['居民死亡医学证明书', 'death'],
  ['居民死亡殡葬证明', 'death'],
  ['劳动用工合同', 'contract'],
  ['解除劳动合同证明书', 'certificate'],
  ['经劳动部门认定的解除劳动关系证明材料', 'certificate'],
  ['劳动合同电子备案表', 'form'],
  ['人员增减变动表', 'form'],
  ['黑龙江省参加基本养老保险人员基本养老核定表', 'form'],
  ['职工个人缴费工资申报表', 'form'],
  ['异地居住人员领取社会保险待遇资格协助认证表', 'form'],
  ['福利待遇发放明细', 'form'],
  ['缴费申报文件', 'form'],
  ['外国人护照', 'card'],
  ['居住证', 'card'],
  ['外省户籍人员在我省灵活就业的参保地居住证原件及复印件', 'card'],
  ['户口销户证明', 'certificate'],
  ['个人信息拟修改内容的说明', 'certificate'],
  ['其他', 'certificate'],
  ['用工证明', 'certificate'],
  ['法院判决书', FALLBACK],
  ['转移手续', FALLBACK],
]

describe('kindOf', () => {
  it.each(cases)('%s → %s', (name, kind) => {
    expect(kindOf(name)).toBe(kind)
  })

  it('gives a name no keyword matches the generic letter, titled with the name', () => {
    expect(RULES.some((r) => r.any.some((k) => '一份从未见过的材料'.includes(k)))).toBe(false)
    const s = sampleOf('一份从未见过的材料', IMAGES)
    expect(s.kind).toBe(FALLBACK)
    expect(s.svg).toContain('>一份从未见过的材料</text>')
  })
})

describe('sampleOf', () => {
  it('escapes the name in the picture', () => {
    const s = sampleOf('A&B <i>"证明"</i>', IMAGES)
    expect(s.svg).not.toContain('<i>')
    expect(s.svg).toContain('A&amp;B &lt;i&gt;&quot;证明&quot;&lt;/i&gt;')
  })
  it('asks for a card photographed whole, without glare', () => {
    expect(sampleOf('居民身份证正面', IMAGES).guidance).toContain('拍摄时证件四角完整、文字清晰、无反光遮挡；请上传原件照片或扫描件。')
  })
  it('asks for a form filled in, signed and stamped', () => {
    expect(sampleOf('人员增减变动表', IMAGES).guidance[0]).toBe('请下载或按要求填写并签字盖章后拍照上传。')
  })
  it('asks for both sides of a card wanted 正反面', () => {
    expect(sampleOf('法人居民身份证（正反面）', IMAGES).guidance).toContain('人像面和国徽面各拍一张，分别上传。')
  })
  it('does not ask for a photograph of a file that is not an image', () => {
    expect(sampleOf('缴费申报文件', ['application/zip']).guidance).toEqual(['请按要求填写后上传原文件，无需拍照。'])
  })
})

describe('titleLines', () => {
  it('keeps a short name on one line', () => {
    expect(titleLines('人员增减变动表', 17)).toEqual(['人员增减变动表', ''])
  })
  it('balances a long name over two lines', () => {
    expect(titleLines('相关责任部门、参保单位或个人的情况说明及佐证材料', 15)).toEqual(['相关责任部门、参保单位或', '个人的情况说明及佐证材料'])
  })
  it('ends a name too long for two lines with …', () => {
    expect(titleLines('一二三四五六七八九十', 4)).toEqual(['一二三四', '五六七…'])
  })
})

describe('the pictures', () => {
  it.each(Object.entries(svgs))('%s is small, in system CJK fonts, watermarked 示例', (_, svg) => {
    expect(new TextEncoder().encode(svg).length).toBeLessThan(4096)
    expect(svg).toContain(`font-family="'Noto Sans CJK SC', sans-serif"`)
    expect(svg).toMatch(/fill-opacity="[.\d]+"[^>]*>示例<\/text>/)
    expect(svg).not.toMatch(/<image|href=|@import|url\(/)
  })
  it('are one per kind, and every one is used', () => {
    const example = new Map(cases.map(([name, kind]) => [kind, name]))
    const kinds: SampleKind[] = ['idFront', 'idBack', 'hukou', 'bankCard', 'passbook', 'license', 'death', 'contract', 'form', 'certificate', 'card']
    expect([...example.keys()].sort()).toEqual([...kinds].sort())
    // Each file's second line is its own comment.
    const pictures = new Set([...example.values()].map((n) => sampleOf(n, IMAGES).svg.split('\n')[1]))
    expect(pictures.size).toBe(kinds.length)
    expect(Object.keys(svgs)).toHaveLength(kinds.length)
  })
})
