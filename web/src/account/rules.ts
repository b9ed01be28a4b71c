// Hints the account forms give before they send anything: the same checks
// and the same Chinese messages as the server (shared/checks: ResidentID,
// Mobile, CreditCode; shared/identity/account: CheckPassword), so that a
// person sees the answer they would get, at once and under the field. The
// server stays the authority: it also refuses common passwords and birth
// dates after its today, which these hints do not know, and whatever it
// says replaces the hint.

/** fold maps full-width ASCII (what Chinese input methods type) to ASCII, the ideographic space to a space. */
function fold(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
}

/** clean folds and removes white space and every character of drop. */
function clean(s: string, drop = ''): string {
  return Array.from(fold(s))
    .filter((c) => !/\s/.test(c) && !drop.includes(c))
    .join('')
}

const digits = (s: string) => /^[0-9]+$/.test(s)

// GB 11643-1999: the weights of the first 17 digits and the check characters.
const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const idCheckChars = '10X98765432'

/** idCheckChar is the GB 11643-1999 check character of 17 digits ('' for anything else). */
export function idCheckChar(body: string): string {
  if (body.length !== 17 || !digits(body)) return ''
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * idWeights[i]!
  return idCheckChars[sum % 11]!
}

function birthProblem(ymd: string): string {
  const y = Number(ymd.slice(0, 4))
  const m = Number(ymd.slice(4, 6))
  const d = Number(ymd.slice(6, 8))
  let why = ''
  if (y < 1800) why = `出生日期无效：年份${ymd.slice(0, 4)}早于1800年`
  else if (m < 1 || m > 12) why = '出生日期无效：月应在01-12之间'
  else if (d < 1 || d > 31) why = '出生日期无效：日应在01-31之间'
  else {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
    if (d > last) why = `出生日期无效：${y}年${m}月只有${last}天`
  }
  return why ? why + '，请核对公民身份号码第7-14位（出生日期）' : ''
}

/** firstBad is the 1-based position and the character of the first character ok refuses. */
function firstBad(s: string, ok: (c: string) => boolean): [number, string] {
  const cs = Array.from(s)
  const i = cs.findIndex((c) => !ok(c))
  return i < 0 ? [0, ''] : [i + 1, cs[i]!]
}

const isDigit = (c: string) => c >= '0' && c <= '9'

/** residentIdProblem checks a 公民身份号码 (18 characters, or a 15-digit old one); '' when it is well formed. */
export function residentIdProblem(input: string): string {
  const s = clean(input).toUpperCase()
  const n = Array.from(s).length
  if (n === 0) return '请填写公民身份号码'
  if (n === 15) {
    const [pos, c] = firstBad(s, isDigit)
    if (pos) return `15位公民身份号码只能由数字组成，第${pos}位“${c}”无效，请核对后重新输入`
    return birthProblem('19' + s.slice(6, 12))
  }
  if (n !== 18) return `公民身份号码应为18位（或15位旧号码），当前为${n}位，请核对后重新输入`
  const [pos, c] = firstBad(s.slice(0, 17), isDigit)
  if (pos) return `公民身份号码前17位只能是数字，第${pos}位“${c}”无效，请核对后重新输入`
  const last = s[17]!
  if (!isDigit(last) && last !== 'X') return `公民身份号码最后一位只能是数字或X，“${Array.from(s)[17]}”无效，请核对后重新输入`
  const birth = birthProblem(s.slice(6, 14))
  if (birth) return birth
  if (idCheckChar(s.slice(0, 17)) !== last) return '公民身份号码校验位不正确，请核对后重新输入'
  return ''
}

/** normalMobile is the 11 digits of a mainland mobile number as the server stores it, or '' when it is not one. */
export function normalMobile(input: string): string {
  let s = clean(input, '-')
  for (const p of ['(+86)', '+86', '0086']) {
    if (s.startsWith(p)) {
      s = s.slice(p.length)
      break
    }
  }
  if (s.length === 13 && s.startsWith('861')) s = s.slice(2)
  return /^1[3-9][0-9]{9}$/.test(s) ? s : ''
}

/** mobileProblem checks a mainland mobile number; '' when it is one. */
export function mobileProblem(input: string): string {
  if (clean(input, '-') === '') return '请填写手机号码'
  if (!normalMobile(input)) return '手机号码格式不正确：应为以1开头、第二位为3-9的11位数字（如13800000000），请核对后重新输入'
  return ''
}

/** normalId is an ID number as the server compares it (no spaces, full-width folded, upper case). */
export function normalId(input: string): string {
  return clean(input).toUpperCase()
}

/** maskMobile shows a mobile number as the server does (138****0000). */
export function maskMobile(input: string): string {
  const m = normalMobile(input)
  return m ? m.slice(0, 3) + '****' + m.slice(7) : ''
}

// GB 32100-2015: the alphabet (no I, O, S, V, Z) and the weights.
const creditAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** creditCheckChar is the GB 32100-2015 check character of 17 characters ('' for anything else). */
export function creditCheckChar(body: string): string {
  if (body.length !== 17) return ''
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = creditAlphabet.indexOf(body[i]!)
    if (v < 0) return ''
    sum += v * creditWeights[i]!
  }
  return creditAlphabet[(31 - (sum % 31)) % 31]!
}

/** creditCodeProblem checks a 统一社会信用代码; '' when it is well formed. */
export function creditCodeProblem(input: string): string {
  const s = clean(input).toUpperCase()
  const n = Array.from(s).length
  if (n === 0) return '请填写统一社会信用代码'
  if (n !== 18) return `统一社会信用代码应为18位，当前为${n}位，请对照营业执照或登记证书核对后重新输入`
  const [pos, c] = firstBad(s, (ch) => creditAlphabet.includes(ch))
  if (pos) return `统一社会信用代码只能由数字和大写字母（不含I、O、S、V、Z）组成，第${pos}位“${c}”无效，请核对后重新输入`
  if (!digits(s.slice(2, 8))) return '统一社会信用代码第3-8位应为登记管理机关的行政区划代码（6位数字），请核对后重新输入'
  if (creditCheckChar(s.slice(0, 17)) !== s[17]) return '统一社会信用代码校验位不正确，请核对后重新输入'
  return ''
}

/** PASSWORD_HINT says the password rule under every new-password field. */
export const PASSWORD_HINT = '8至64位，须包含大写字母、小写字母、数字、符号中的至少三类；不能使用常见密码，不能包含证件号码或手机号码'

/**
 * passwordProblem checks a new password against the rule: 8 to 64
 * characters, no control characters, three of upper case, lower case,
 * digits and symbols, and none of personal (ID numbers, the mobile) of six
 * characters or more inside it. '' when the hint finds nothing.
 */
export function passwordProblem(pw: string, personal: string[] = []): string {
  const chars = Array.from(pw)
  if (chars.length < 8) return '密码至少8位'
  if (chars.length > 64) return '密码不能超过64位'
  let upper = false
  let lower = false
  let digit = false
  let symbol = false
  for (const c of chars) {
    if (/[\u0000-\u001f\u007f-\u009f]/.test(c)) return '密码不能包含控制字符'
    if (c >= 'A' && c <= 'Z') upper = true
    else if (c >= 'a' && c <= 'z') lower = true
    else if (c >= '0' && c <= '9') digit = true
    else symbol = true
  }
  if ([upper, lower, digit, symbol].filter(Boolean).length < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类'
  const up = pw.toUpperCase()
  for (const p of personal) {
    const v = p.trim().toUpperCase()
    if (v.length >= 6 && up.includes(v)) return '密码不能包含您的证件号码或手机号码'
  }
  return ''
}

/** confirmProblem checks the 确认密码 field against the password. */
export function confirmProblem(pw: string, confirm: string): string {
  if (!confirm) return '请再次输入密码'
  return confirm === pw ? '' : '两次输入的密码不一致，请重新输入'
}
