// 示例图 of 申请材料上传 (手册 §6: every slot, empty or filled, has one):
// the sample picture of a material and how to photograph or scan it.
//
// The pictures are the hand-made schematic SVGs in this folder: invented
// values (张三, 23000019900101XXXX), a large 示例 watermark, placeholders
// for emblems and seals, never a real person or document. A material's
// picture is chosen by keywords of its name (RULES, first match wins); a
// name that no keyword matches gets the generic letter with its own name
// as the title, so that no material is without a sample. The documents'
// templates take the material's name as their title (__TITLE1__,
// __TITLE2__); every template takes its description (__LABEL__), which is
// the picture's accessible name.
import bankCard from './bank-card.svg?raw'
import card from './card.svg?raw'
import certificate from './certificate.svg?raw'
import contract from './contract.svg?raw'
import death from './death.svg?raw'
import form from './form.svg?raw'
import hukou from './hukou.svg?raw'
import idBack from './id-back.svg?raw'
import idFront from './id-front.svg?raw'
import license from './license.svg?raw'
import passbook from './passbook.svg?raw'

/** SampleKind names a sample picture. */
export type SampleKind =
  | 'idFront'
  | 'idBack'
  | 'hukou'
  | 'bankCard'
  | 'passbook'
  | 'license'
  | 'death'
  | 'contract'
  | 'form'
  | 'certificate'
  | 'card'

/** Rule picks kind for a name containing any of its keywords and none of unless. */
export interface Rule {
  kind: SampleKind
  any: readonly string[]
  unless?: readonly string[]
}

/**
 * RULES are the keywords of material names, in the order they are tried.
 * The order matters: 居民身份证（户口簿） is the 户口簿 and 居民身份证（反面）
 * the 国徽面 before any 身份证 is the 人像面; forms (…表) before contracts
 * (劳动合同电子备案表 is a form); 解除劳动合同证明书 is a letter, not a contract.
 */
export const RULES: readonly Rule[] = [
  { kind: 'hukou', any: ['户口簿', '户口本'] },
  { kind: 'idBack', any: ['身份证（反面）', '身份证反面', '国徽面'] },
  { kind: 'idFront', any: ['身份证'] },
  { kind: 'passbook', any: ['存折'] },
  { kind: 'bankCard', any: ['银行卡', '银行信息', '银行账户'] },
  { kind: 'license', any: ['营业执照', '成立证件', '批准成立'] },
  { kind: 'death', any: ['死亡'] },
  {
    kind: 'form',
    any: ['审批表', '核定表', '申报表', '变动表', '登记表', '备案表', '审核表', '认证表', '工作表', '汇总表', '工资表', '年报表', '明细', '申报文件'],
  },
  { kind: 'contract', any: ['劳动合同', '用工合同'], unless: ['证明', '解除'] },
  { kind: 'card', any: ['护照', '居住证'] },
  { kind: 'certificate', any: ['证明', '说明', '其他'] },
]

/** FALLBACK is the sample of a name no rule matches: the generic letter. */
export const FALLBACK: SampleKind = 'certificate'

const CARD_PHOTO = '拍摄时证件四角完整、文字清晰、无反光遮挡；请上传原件照片或扫描件。'
const PAGE_PHOTO = '拍摄时纸张四角完整、文字清晰、无反光遮挡；请上传原件照片或扫描件。'

interface Template {
  svg: string
  /** shows says what the picture shows, for its accessible name. */
  shows: string
  /** perLine is how many characters of the name fit a title line; 0: no title. */
  perLine: number
  /** guidance is how to photograph or scan the material. */
  guidance: readonly string[]
}

const templates: Record<SampleKind, Template> = {
  idFront: {
    svg: idFront,
    shows: '居民身份证人像面示意，有姓名、性别、民族、出生、住址、公民身份号码和人像位置',
    perLine: 0,
    guidance: ['请上传居民身份证人像面（有照片的一面）。', CARD_PHOTO, '请确认证件在有效期内。'],
  },
  idBack: {
    svg: idBack,
    shows: '居民身份证国徽面示意，有“中华人民共和国 居民身份证”、签发机关和有效期限',
    perLine: 0,
    guidance: ['请上传居民身份证国徽面（有签发机关和有效期限的一面）。', CARD_PHOTO, '请确认证件在有效期内。'],
  },
  hukou: {
    svg: hukou,
    shows: '户口簿常住人口登记卡示意，有姓名、户主或与户主关系、性别、民族、出生日期、住址和公民身份号码',
    perLine: 0,
    guidance: ['请上传户口簿户主页和本人页（常住人口登记卡），每页一张。', PAGE_PHOTO],
  },
  bankCard: {
    svg: bankCard,
    shows: '银行卡卡号面示意，有开户银行、卡号和户名',
    perLine: 0,
    guidance: ['请上传银行卡有卡号的一面，卡号须清晰可辨；请勿上传印有安全码的背面。', CARD_PHOTO],
  },
  passbook: {
    svg: passbook,
    shows: '银行存折户名账号页示意，有户名、账号、开户网点和开户日期',
    perLine: 0,
    guidance: ['请上传存折印有户名、账号和开户网点的一页。', PAGE_PHOTO],
  },
  license: {
    svg: license,
    shows: '营业执照示意，有统一社会信用代码、名称、类型、法定代表人、经营范围、成立日期和登记机关印章位置',
    perLine: 0,
    guidance: ['请上传营业执照正本或副本，统一社会信用代码、名称和登记机关印章须清晰。', PAGE_PHOTO],
  },
  death: {
    svg: death,
    shows: '死亡证明示意，有死者姓名、性别、民族、出生日期、公民身份号码、死亡日期、死亡地点和出具单位印章位置',
    perLine: 15,
    guidance: ['请上传证明书原件的照片或扫描件，出具单位的印章须清晰。', PAGE_PHOTO],
  },
  contract: {
    svg: contract,
    shows: '劳动合同首页示意，有甲方（用人单位）、乙方（劳动者）、合同期限和双方签字盖章位置',
    perLine: 10,
    guidance: ['请上传合同首页、合同期限所在页和双方签字盖章页，每页一张。', PAGE_PHOTO],
  },
  form: {
    svg: form,
    shows: '表格示意，有填报单位、填报日期、人员明细、经办人签字和单位盖章位置',
    perLine: 17,
    guidance: ['请下载或按要求填写并签字盖章后拍照上传。', '拍摄时整页完整、字迹清晰、签字和印章齐全、无反光遮挡。'],
  },
  certificate: {
    svg: certificate,
    shows: '一页证明文书示意，有当事人姓名、公民身份号码、正文、出具单位盖章位置和日期',
    perLine: 15,
    guidance: ['请上传原件照片或扫描件；单位出具的须加盖单位公章，个人出具的须本人签字。', '拍摄时整页完整、文字清晰、无反光遮挡。'],
  },
  card: {
    svg: card,
    shows: '证件信息页示意，有人像位置、姓名、证件号码、有效期限和签发机关',
    perLine: 20,
    guidance: ['请上传证件有照片和证件号码的一页。', CARD_PHOTO, '请确认证件在有效期内。'],
  },
}

/** kindOf is the sample picture of a material, by its name. */
export function kindOf(name: string): SampleKind {
  const r = RULES.find((x) => x.any.some((k) => name.includes(k)) && !x.unless?.some((k) => name.includes(k)))
  return r?.kind ?? FALLBACK
}

/**
 * titleLines breaks a material's name into the two title lines of a
 * document (balanced; a name longer than both ends with …).
 */
export function titleLines(name: string, perLine: number): [string, string] {
  const cs = [...name]
  if (cs.length <= perLine) return [name, '']
  const first = Math.min(perLine, Math.ceil(cs.length / 2))
  const rest = cs.slice(first)
  const second = rest.length <= perLine ? rest.join('') : rest.slice(0, perLine - 1).join('') + '…'
  return [cs.slice(0, first).join(''), second]
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c] ?? c)

/** Sample is what the 示例图 dialog of a material shows. */
export interface Sample {
  kind: SampleKind
  /** label is the picture's accessible name. */
  label: string
  /** svg is the picture's markup (role="img", aria-label = label). */
  svg: string
  /** guidance are the lines on how to photograph, scan or fill in the material. */
  guidance: string[]
}

/**
 * sampleOf is the sample of the material name for a slot taking types. A
 * slot that takes no image (5.2's declaration file, a ZIP) is not
 * photographed: its guidance says so.
 */
export function sampleOf(name: string, types: readonly string[]): Sample {
  const kind = kindOf(name)
  const t = templates[kind]
  const label = `${name}示例图：${t.shows}，图中信息均为虚构`
  const [l1, l2] = t.perLine ? titleLines(name, t.perLine) : ['', '']
  const svg = t.svg.replace('__LABEL__', esc(label)).replace('__TITLE1__', esc(l1)).replace('__TITLE2__', esc(l2))
  let guidance = [...t.guidance]
  if (name.includes('正反面')) guidance.splice(1, 0, '人像面和国徽面各拍一张，分别上传。')
  if (!types.some((x) => x.startsWith('image/'))) guidance = ['请按要求填写后上传原文件，无需拍照。']
  return { kind, label, svg, guidance }
}
