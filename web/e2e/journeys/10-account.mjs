// 用户注册, 找回密码, 修改密码 and 电子社保卡扫码登录 (手册 第二章, 3.1.2,
// 3.2.2): a new natural person registers (a mismatched 确认密码 and a
// wrong SMS code first) and logs in with the 社会保障号 filled in for them;
// a unit registers, is told its 账号 ID and logs in with it; the person
// resets the password by SMS and logs in with the new one, then changes it
// in 用户中心 (their other session ends) and logs in again; a demo person
// and a demo unit's 法定代表人 log in by scanning the QR code on the
// runner's phone page, the login page polling until the phone confirms;
// the staff console's 修改密码 opens for an admin. Only accounts this
// journey registers change their passwords. axe on every screen, one at
// 375 px and one in 长辈模式; screenshots 10-*.png.
import { randomInt } from 'node:crypto'
import * as lib from '../lib.mjs'

const { DESKTOP, PHONE, axe, captchaAnswer, check, json, login, logout, shot, step, trackCaptcha } = lib

// ---------------------------------------------------------------- fresh identities

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'
const pad = (n, w) => String(n).padStart(w, '0')

/** freshID is a valid 18-character 公民身份号码 of 七台河 (GB 11643 check character), born 1970–1999. */
function freshID() {
  const body = `230902${1970 + randomInt(30)}${pad(1 + randomInt(12), 2)}${pad(1 + randomInt(28), 2)}${pad(randomInt(1000), 3)}`
  return body + ID_CHECK[[...body].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i], 0) % 11]
}

const CREDIT = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
/** freshUSCC is a valid 统一社会信用代码 registered in 七台河 (GB 32100 check character). */
function freshUSCC() {
  let body = '91230902'
  while (body.length < 17) body += CREDIT[randomInt(CREDIT.length)]
  const sum = [...body].reduce((s, c, i) => s + CREDIT.indexOf(c) * CREDIT_WEIGHTS[i], 0)
  return body + CREDIT[(31 - (sum % 31)) % 31]
}

/** freshMobile is an unused mobile number (the 139 range; the demo accounts use 199). */
const freshMobile = () => `139${pad(randomInt(100_000_000), 8)}`

// ---------------------------------------------------------------- helpers

/** smsCode is the code of the newest SMS to mobile (the runner's outbox). */
async function smsCode(runner, mobile, purpose) {
  for (let i = 0; i < 40; i++) {
    const msgs = await json(`${runner}/_local/outbox?to=${mobile}`)
    const m = msgs.find((x) => x.body.includes(purpose))
    const code = m?.body.match(/验证码为(\d{6})/)?.[1]
    if (code) return code
    await new Promise((ok) => setTimeout(ok, 100))
  }
  throw new Error(`no ${purpose} SMS to ${mobile}`)
}

// lastSent is when this journey last had a code sent to a number: the
// server sends one a minute per number (a 429 otherwise).
const lastSent = new Map()

/** sendSms solves the page's 图形验证码, presses 获取验证码 and returns the code sent. */
async function sendSms(page, runner, cap, mobile, purpose) {
  const wait = (lastSent.get(mobile) ?? 0) + 61_000 - Date.now()
  if (wait > 0) await page.waitForTimeout(wait)
  lastSent.set(mobile, Date.now())
  await page.getByLabel('图形验证码', { exact: true }).fill(await captchaAnswer(runner, cap, page))
  await page.getByTestId('sms-send').click()
  await page.getByText(/^验证码已发送至139\*\*\*\*\d{4}，5分钟内有效$/).first().waitFor()
  check(/^\d+秒后重新获取$/.test((await page.getByTestId('sms-send').textContent()).trim()), '获取验证码 counts down')
  check(await page.getByTestId('sms-send').isDisabled(), 'and waits')
  return smsCode(runner, mobile, purpose)
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '')

async function noSideScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  check(over <= 0, `no horizontal scroll (${over}px over)`)
}

/** fieldError is the error shown under the field labelled label. */
async function fieldError(page, label) {
  const id = await page.getByLabel(label, { exact: true }).getAttribute('id')
  const el = page.locator(`[id="${id}-error"]`)
  await el.waitFor()
  return (await el.textContent()).trim()
}

function methodOption(page, name) {
  return page.getByTestId('login-method').locator('label.el-radio-button', { hasText: new RegExp(`^${name}$`) })
}

const isQrStart = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/qr'
const isQrPoll = (r) => r.request().method() === 'GET' && new URL(r.url()).pathname.startsWith('/api/v1/auth/qr/')

/** qrLogin shows the 电子社保卡扫码登录 panel and returns the id of the QR code it shows. */
async function showQr(page) {
  const [r] = await Promise.all([page.waitForResponse(isQrStart), methodOption(page, '电子社保卡扫码登录').click()])
  check(r.status() === 201, `QR code issued (${r.status()})`)
  await page.getByTestId('qr-image').waitFor()
  await page.getByTestId('qr-state').filter({ hasText: '二维码状态：待扫描' }).waitFor()
  check((await page.getByTestId('qr-login').textContent()).includes('请使用电子社保卡扫码登录'), '请使用电子社保卡扫码登录')
  return (await r.json()).qrId
}

/** scan plays the phone: the first card holder the phone page offers scans; returns the holder's label. */
async function scan(phone, runner, qrId) {
  await phone.goto(`${runner}/_local/qr/${qrId}`)
  const button = phone.getByRole('button', { name: /扫码$/ }).first()
  const label = (await button.textContent()).replace(/\s*扫码$/, '').trim()
  await button.click()
  await phone.getByText('已扫描，待确认').waitFor()
  return label
}

async function staffSignIn(page, base, runner, cap, who) {
  if (lib.staffLogin) return lib.staffLogin(page, base, runner, cap, who)
  await page.goto(`${base}/login/staff`)
  await page.getByLabel('工号', { exact: true }).fill(who.username)
  await page.getByLabel('密码', { exact: true }).fill(who.password)
  await page.getByLabel('验证码', { exact: true }).fill(await captchaAnswer(runner, cap, page))
  await page.getByLabel('动态口令', { exact: true }).fill((await json(`${runner}/_local/totp/${who.username}`)).code)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((u) => /^\/staff(\/|$)/.test(u.pathname))
}

// ---------------------------------------------------------------- the journey

export default async function ({ browser, base, runner, accounts }) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  const person = { name: '林晓燕', id: freshID(), mobile: freshMobile(), password: 'Hlj#Reg2026a' }
  const unit = {
    uscc: freshUSCC(),
    name: `七台河市晨光测试科技有限公司${randomInt(1000)}`,
    rep: '高建国',
    repId: freshID(),
    agent: '何丽',
    agentId: freshID(),
    mobile: freshMobile(),
    password: 'Unit#Reg2026b',
    accountId: '',
  }

  // ------------------------------------------------ 自然人用户注册
  await step('account: 用户登录 → 用户注册 (自然人用户注册)', async () => {
    await page.goto(`${base}/login`)
    await page.getByRole('link', { name: '忘记密码' }).waitFor()
    await page.getByRole('link', { name: '用户注册' }).click()
    await page.waitForURL(`${base}/register`)
    await page.getByRole('tab', { name: '自然人用户注册', selected: true }).waitFor()
    await page.getByText('首次使用系统时，需进行新用户注册。请根据单位实际情况选择注册用户类型：1、自然人用户注册，2、法人用户注册。').waitFor()
    await page.locator('img.captcha-image').waitFor()
  })
  await axe(page, '用户注册 (自然人用户注册)')

  await step('account: 获取验证码 needs the number and the 图形验证码', async () => {
    await page.getByTestId('sms-send').click()
    check((await fieldError(page, '手机号码')) === '请填写手机号码', 'no number: the 手机号码 says so')
    check((await focusedId(page)) === (await page.getByLabel('手机号码', { exact: true }).getAttribute('id')), 'focus on 手机号码')
    await page.getByLabel('手机号码', { exact: true }).fill(person.mobile)
    await page.getByTestId('sms-send').click()
    check((await fieldError(page, '图形验证码')) === '请输入图形验证码', 'no captcha: the 图形验证码 says so')
    const before = cap.id
    await page.getByLabel('图形验证码', { exact: true }).fill('00000')
    await page.getByTestId('sms-send').click()
    await page.getByText('验证码错误或已过期，请刷新验证码后重新输入').waitFor()
    for (let i = 0; i < 40 && cap.id === before; i++) await page.waitForTimeout(50)
    check(cap.id !== before, 'a refused captcha is replaced')
    check((await page.getByTestId('sms-send').textContent()).trim() === '获取验证码', 'no countdown: nothing was sent')
  })

  await step('account: mismatched 确认密码 and a missing SMS code, found before sending', async () => {
    await page.getByLabel('姓名', { exact: true }).fill(person.name)
    await page.getByLabel('社会保障号（身份证号）', { exact: true }).fill(person.id)
    await page.getByLabel('密码', { exact: true }).fill(person.password)
    await page.getByLabel('确认密码', { exact: true }).fill(person.password + 'x')
    await page.getByRole('button', { name: '注册', exact: true }).click()
    check((await fieldError(page, '确认密码')) === '两次输入的密码不一致，请重新输入', '确认密码 mismatch shown under the field')
    check((await fieldError(page, '短信验证码')) === '请输入短信验证码', '短信验证码 missing')
    check((await focusedId(page)) === (await page.getByLabel('短信验证码', { exact: true }).getAttribute('id')), 'focus on the first field in error')
    check((await page.getByLabel('确认密码', { exact: true }).getAttribute('aria-invalid')) === 'true', 'aria-invalid')
  })
  await axe(page, '用户注册 (确认密码不一致)')
  await shot(page, '10-register-mismatch')

  let code = ''
  await step('account: 获取验证码 sends the code; a wrong code is refused under its field', async () => {
    code = await sendSms(page, runner, cap, person.mobile, '用户注册')
    await page.getByLabel('确认密码', { exact: true }).fill(person.password)
    await page.getByLabel('短信验证码', { exact: true }).fill(code === '000000' ? '111111' : '000000')
    await page.getByRole('button', { name: '注册', exact: true }).click()
    check((await fieldError(page, '短信验证码')) === '短信验证码错误，还可尝试4次', 'the server’s field error under 短信验证码')
    check((await focusedId(page)) === (await page.getByLabel('短信验证码', { exact: true }).getAttribute('id')), 'focus on 短信验证码')
  })
  await axe(page, '用户注册 (短信验证码错误)')
  await shot(page, '10-register-person')

  await step('account: the right code registers; 用户登录 says so with the 社会保障号 filled in', async () => {
    await page.getByLabel('短信验证码', { exact: true }).fill(code)
    await page.getByRole('button', { name: '注册', exact: true }).click()
    await page.waitForURL(`${base}/login`)
    await page.getByTestId('login-notice').getByText('自然人用户注册成功，请使用社会保障号和密码登录').waitFor()
    await page.getByRole('tab', { name: '个人用户登录', selected: true }).waitFor()
    check((await page.getByLabel('社会保障号', { exact: true }).inputValue()) === person.id, '社会保障号 filled in')
  })
  await axe(page, '用户登录 (注册成功)')
  await shot(page, '10-register-person-login')
  await step('account: the new person logs in → 办事中心', async () => {
    await login(page, runner, cap, { label: '社会保障号', username: person.id, password: person.password })
    await page.waitForURL(`${base}/services`)
    await page.getByTestId('user-name').filter({ hasText: person.name }).waitFor()
    await logout(page)
  })

  // ------------------------------------------------ 法人用户注册
  await step('account: 法人用户注册 → the 账号 ID', async () => {
    await page.goto(`${base}/register`)
    await page.getByRole('tab', { name: '法人用户注册' }).click()
    await page.waitForURL(/type=unit/)
    await page.getByLabel('统一社会信用代码', { exact: true }).fill(unit.uscc)
    await page.getByLabel('单位名称', { exact: true }).fill(unit.name)
    await page.getByLabel('法定代表人姓名', { exact: true }).fill(unit.rep)
    await page.getByLabel('法定代表人身份证号', { exact: true }).fill(unit.repId)
    await page.getByLabel('经办人姓名', { exact: true }).fill(unit.agent)
    await page.getByLabel('经办人身份证号', { exact: true }).fill(unit.agentId)
    await page.getByLabel('经办人手机号码', { exact: true }).fill(unit.mobile)
    await page.getByLabel('密码', { exact: true }).fill(unit.password)
    await page.getByLabel('确认密码', { exact: true }).fill(unit.password)
    const c = await sendSms(page, runner, cap, unit.mobile, '用户注册')
    await page.getByLabel('短信验证码', { exact: true }).fill(c)
  })
  await axe(page, '用户注册 (法人用户注册)')
  await shot(page, '10-register-unit', { fullPage: true })
  await step('account: 注册 shows the 账号 ID', async () => {
    await page.getByRole('button', { name: '注册', exact: true }).click()
    await page.getByTestId('unit-done').waitFor()
    unit.accountId = (await page.getByTestId('account-id').textContent()).trim()
    check(/^9\d{9}$/.test(unit.accountId), `a ten-digit 账号 ID (${unit.accountId})`)
    check((await page.getByTestId('unit-done').textContent()).includes(unit.name), 'the unit named')
  })
  await axe(page, '用户注册 (法人，注册成功)')
  await shot(page, '10-register-unit-done')
  await step('account: 去登录 → 企业用户登录 with the 账号 ID; the unit logs in', async () => {
    await page.getByRole('link', { name: '去登录' }).click()
    await page.waitForURL(/\/login\?type=enterprise/)
    await page.getByRole('tab', { name: '企业用户登录', selected: true }).waitFor()
    check((await page.getByLabel('账号 ID', { exact: true }).inputValue()) === unit.accountId, '账号 ID filled in')
    await login(page, runner, cap, { label: '账号 ID', username: unit.accountId, password: unit.password })
    await page.waitForURL(`${base}/services`)
    await page.getByTestId('user-name').filter({ hasText: unit.name }).waitFor()
    await logout(page)
  })

  // ------------------------------------------------ 电子社保卡扫码登录
  const phoneCtx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const phone = await phoneCtx.newPage()
  let qrId = ''
  await step('account: 电子社保卡扫码登录 (个人): the QR code, 待扫描', async () => {
    await page.goto(`${base}/login`)
    qrId = await showQr(page)
  })
  await axe(page, '用户登录 (电子社保卡扫码登录)')
  await shot(page, '10-qr-login')

  await step('account: back to 账号密码登录 stops the polling', async () => {
    await methodOption(page, '账号密码登录').click()
    await page.getByLabel('社会保障号', { exact: true }).waitFor()
    let polls = 0
    const count = (r) => isQrPoll(r) && polls++
    page.on('response', count)
    await page.waitForTimeout(4500)
    page.off('response', count)
    check(polls === 0, `no polls after switching (${polls})`)
  })

  await step('account: 已失效 → 刷新二维码 gets a new code', async () => {
    qrId = await showQr(page)
    // The code's three minutes are simulated: the next poll answers expired.
    await page.route(`**/api/v1/auth/qr/${qrId}`, (route) => route.fulfill({ json: { state: 'expired' } }))
    await page.getByTestId('qr-state').filter({ hasText: '二维码已失效，请点击“刷新二维码”' }).waitFor()
    await page.unroute(`**/api/v1/auth/qr/${qrId}`)
    const [r] = await Promise.all([page.waitForResponse(isQrStart), page.getByTestId('qr-refresh').click()])
    qrId = (await r.json()).qrId
    await page.getByTestId('qr-state').filter({ hasText: '二维码状态：待扫描' }).waitFor()
  })

  let holder = ''
  await step('account: the phone scans → 已扫描，请在手机上确认', async () => {
    holder = await scan(phone, runner, qrId)
    check((await phone.locator('main').textContent()).includes('个人扫码登录'), 'an individual code on the phone')
    await page.getByTestId('qr-state').filter({ hasText: '二维码状态：已扫描，请在手机上确认' }).waitFor()
  })
  await axe(page, '用户登录 (已扫描)')
  await shot(page, '10-qr-scanned')
  await step('account: the phone confirms → logged in, 办事中心', async () => {
    await phone.getByRole('button', { name: '确认登录' }).click()
    await phone.getByText('已确认，请回到电脑上的登录页面。').waitFor()
    await page.waitForURL(`${base}/services`)
    await page.getByTestId('user-name').filter({ hasText: holder }).waitFor()
    await logout(page)
  })

  await step('account: 单位法人扫码登录: the 法定代表人 scans and confirms → the unit logs in', async () => {
    await page.goto(`${base}/login?type=enterprise`)
    await page.getByRole('tab', { name: '企业用户登录', selected: true }).waitFor()
    qrId = await showQr(page)
    check((await page.getByTestId('qr-login').textContent()).includes('单位法人扫码登录'), '单位法人扫码登录')
    const holder = await scan(phone, runner, qrId)
    const unitName = holder.match(/（(.+) 法定代表人）/)?.[1]
    check(unitName, `a legal representative of a unit (${holder})`)
    await page.getByTestId('qr-state').filter({ hasText: '已扫描，请在手机上确认' }).waitFor()
    await phone.getByRole('button', { name: '确认登录' }).click()
    await page.waitForURL(`${base}/services`)
    await page.getByTestId('user-name').filter({ hasText: unitName }).waitFor()
    await logout(page)
  })
  await phoneCtx.close()

  // ------------------------------------------------ 375 px and 长辈模式
  await step('account: 用户注册 at 375 px', async () => {
    await page.setViewportSize(PHONE)
    await page.goto(`${base}/register`)
    await page.locator('img.captcha-image').waitFor()
    await noSideScroll(page)
  })
  await axe(page, '用户注册 (375 px)')
  await shot(page, '10-register-375', { fullPage: true })
  await step('account: 电子社保卡扫码登录 at 375 px', async () => {
    await page.goto(`${base}/login`)
    await showQr(page)
    await noSideScroll(page)
  })
  await axe(page, '用户登录 (扫码，375 px)')
  await shot(page, '10-qr-375')
  await step('account: 找回密码 in 长辈模式', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`${base}/password/reset?type=enterprise`)
    await page.getByTestId('elder-switch').click()
    await page.getByLabel('账号 ID', { exact: true }).waitFor()
    const size = await page.getByLabel('账号 ID', { exact: true }).evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    check(size >= 22, `large text in 长辈模式 (${size}px)`)
    await noSideScroll(page)
  })
  await axe(page, '找回密码 (长辈模式)')
  await shot(page, '10-reset-elder', { fullPage: true })
  await step('account: 长辈模式 off', async () => {
    await page.getByTestId('elder-switch').click()
    check(!(await page.evaluate(() => document.documentElement.classList.contains('elder-mode'))), 'off')
  })

  // ------------------------------------------------ the staff console's 修改密码 (not submitted: demo staff keep theirs)
  const admin = accounts.find((a) => a.userType === 'staff' && a.role === 'admin')
  if (admin) {
    await step('account: staff 修改密码 (工作人员); a mismatched 确认新密码', async () => {
      await staffSignIn(page, base, runner, cap, admin)
      await page.getByRole('navigation', { name: '工作人员' }).getByRole('link', { name: '修改密码' }).click()
      await page.waitForURL(`${base}/staff/password`)
      await page.getByLabel('原密码', { exact: true }).fill(admin.password)
      await page.getByLabel('新密码', { exact: true }).fill('Staff#New2026e')
      await page.getByLabel('确认新密码', { exact: true }).fill('Staff#New2026f')
      await page.getByRole('button', { name: '确认修改' }).click()
      check((await fieldError(page, '确认新密码')) === '两次输入的密码不一致，请重新输入', 'mismatch under 确认新密码')
    })
    await axe(page, '修改密码 (工作人员)')
    await shot(page, '10-staff-password')
    await step('account: staff 退出', () => logout(page))
  }
  // ------------------------------------------------ 找回密码
  const reset = 'Hlj#Reset2026c'
  await step('account: 忘记密码 → 找回密码 by SMS (a minute after the registration’s code)', async () => {
    await page.goto(`${base}/login`)
    await page.getByRole('link', { name: '忘记密码' }).click()
    await page.waitForURL(`${base}/password/reset`)
    await page.getByRole('radiogroup', { name: '用户类型' }).waitFor()
    await page.getByLabel('社会保障号', { exact: true }).fill(person.id)
    await page.getByLabel('手机号码', { exact: true }).fill(person.mobile)
    const c = await sendSms(page, runner, cap, person.mobile, '找回密码')
    await page.getByLabel('短信验证码', { exact: true }).fill(c)
    await page.getByLabel('新密码', { exact: true }).fill(reset)
    await page.getByLabel('确认新密码', { exact: true }).fill(reset)
  })
  await axe(page, '找回密码')
  await shot(page, '10-reset', { fullPage: true })
  await step('account: 重置密码 → 用户登录; the new password logs in', async () => {
    await page.getByRole('button', { name: '重置密码' }).click()
    await page.waitForURL(`${base}/login`)
    await page.getByTestId('login-notice').getByText('密码已重置，请使用新密码登录').waitFor()
    await login(page, runner, cap, { label: '社会保障号', username: person.id, password: reset })
    await page.waitForURL(`${base}/services`)
    await page.getByTestId('user-name').filter({ hasText: person.name }).waitFor()
  })

  // ------------------------------------------------ 修改密码 in 用户中心
  const changed = 'Hlj#Change2026d'
  // A second session of the person (another browser), which the change ends.
  const other = await browser.newContext()
  await step('account: a second session of the person', async () => {
    const c = await (await other.request.get(`${base}/api/v1/auth/captcha`)).json()
    const { answer } = await json(`${runner}/_local/captcha/${c.captchaId}`)
    const r = await other.request.post(`${base}/api/v1/auth/login`, {
      data: { userType: 'individual', username: person.id, password: reset, captchaId: c.captchaId, captchaAnswer: answer },
    })
    check(r.ok(), `second login ${r.status()}`)
    check((await other.request.get(`${base}/api/v1/auth/me`)).ok(), 'second session alive')
  })
  await step('account: 用户中心 → 修改密码; a wrong 原密码 is refused under its field', async () => {
    await page.getByRole('link', { name: '用户中心' }).click()
    await page.getByRole('navigation', { name: '用户中心服务' }).getByRole('link', { name: '修改密码' }).click()
    await page.waitForURL(`${base}/user-center/password`)
    await page.getByLabel('原密码', { exact: true }).fill('Wrong#Pass2026')
    await page.getByLabel('新密码', { exact: true }).fill(changed)
    await page.getByLabel('确认新密码', { exact: true }).fill(changed)
    await page.getByRole('button', { name: '确认修改' }).click()
    check((await fieldError(page, '原密码')) === '原密码不正确', '原密码不正确 under 原密码')
    check((await focusedId(page)) === (await page.getByLabel('原密码', { exact: true }).getAttribute('id')), 'focus on 原密码')
  })
  await axe(page, '修改密码 (原密码不正确)')
  await step('account: 确认修改 → other sessions ended, this one kept', async () => {
    await page.getByLabel('原密码', { exact: true }).fill(reset)
    await page.getByRole('button', { name: '确认修改' }).click()
    const done = page.getByTestId('password-changed')
    await done.waitFor()
    const text = await done.textContent()
    check(text.includes('密码已修改') && text.includes('其他设备或浏览器上的登录已全部退出'), `the message (${text})`)
    check((await other.request.get(`${base}/api/v1/auth/me`)).status() === 401, 'the other session ended')
    check((await page.request.get(`${base}/api/v1/auth/me`)).ok(), 'this session kept')
  })
  await other.close()
  await axe(page, '修改密码 (已修改)')
  await shot(page, '10-password-change')
  await step('account: log in again with the changed password', async () => {
    await logout(page)
    await login(page, runner, cap, { label: '社会保障号', username: person.id, password: changed })
    await page.waitForURL(`${base}/services`)
    await logout(page)
  })

  await ctx.close()
}
