// Helpers of the portal's end-to-end journeys (run.mjs and the area
// journeys in journeys/*.mjs): steps with timings, checks, axe, screenshots,
// the captcha of the page, login and logout; 立即办理 (open, fill, choose,
// upload, submit); staff logins with a 动态口令 used once in the whole run
// (freshCode, through the API or the page); the staff console's queue; the
// API as a demo user; sample ID numbers and PNG files.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { AxeBuilder } from '@axe-core/playwright'

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const root = path.resolve(web, '..')
const shotsEnv = process.env.E2E_SCREENSHOTS || (process.env.CI ? path.join(os.tmpdir(), 'hrss-e2e-screenshots') : 'docs/screenshots')
export const shots = shotsEnv === 'off' ? '' : path.resolve(root, shotsEnv)
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 375, height: 812 }

export const timings = []
export const axeResults = []
export const screenshots = []
export async function step(name, fn) {
  const s = performance.now()
  try {
    return await fn()
  } finally {
    timings.push([name, Math.round(performance.now() - s)])
  }
}

export function check(cond, msg) {
  if (!cond) throw new Error('check failed: ' + msg)
}

export async function json(url) {
  const r = await fetch(url)
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`)
  return r.json()
}

// settle waits for running transitions (a radio button turning blue) to
// end, so that axe measures the colours a person sees.
export async function settle(page) {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  )
}

export async function axe(page, screen) {
  await settle(page)
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const by = { critical: 0, serious: 0, moderate: 0, minor: 0 }
  for (const v of res.violations) by[v.impact ?? 'minor'] += v.nodes.length
  axeResults.push({ screen, passes: res.passes.length, incomplete: res.incomplete.length, ...by, violations: res.violations })
}

export async function shot(page, name, opts = {}) {
  if (!shots) return
  await page.evaluate(() => document.fonts.ready)
  await page.mouse.move(0, 0) // no hover state in the picture
  await settle(page)
  const file = path.join(shots, `${name}.png`)
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', ...opts })
  screenshots.push(file.startsWith(root + path.sep) ? path.relative(root, file) : file)
}

// The captcha the page shows: its id comes from the last GET of it. The
// page's own errors (uncaught, console.error) fail the run.
export const pageErrors = []
export function trackCaptcha(page) {
  const state = { id: '' }
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`))
  page.on('console', (m) => {
    // A refused login or a 401 probe is logged by Chromium as a failed resource; that is the test, not a bug.
    if (m.type() === 'error' && !/status of (401|422)/.test(m.text())) pageErrors.push(`${page.url()}: ${m.text()}`)
  })
  page.on('response', async (r) => {
    if (r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/auth/captcha' && r.ok()) {
      try {
        state.id = (await r.json()).captchaId
      } catch {
        /* page went away */
      }
    }
  })
  return state
}

export async function captchaAnswer(runner, cap, page) {
  await page.locator('img.captcha-image').waitFor()
  for (let i = 0; i < 40 && !cap.id; i++) await page.waitForTimeout(50)
  check(cap.id, 'a captcha was fetched')
  return (await json(`${runner}/_local/captcha/${cap.id}`)).answer
}

export async function login(page, runner, cap, { tab, label, username, password }) {
  if (tab) await page.getByRole('tab', { name: tab }).click()
  await page.getByLabel(label, { exact: true }).fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByLabel('验证码', { exact: true }).fill(await captchaAnswer(runner, cap, page))
  await page.getByRole('button', { name: '登录' }).click()
}

export async function logout(page) {
  await page.getByRole('button', { name: '退出' }).click()
  await page.waitForURL(/\/login/)
}

// ---------------------------------------------------------------- 立即办理

// signIn logs a demo individual or unit agent in at 用户登录 and waits for 办事中心.
export async function signIn(page, runner, cap, base, who) {
  await page.goto(`${base}/login`)
  const enterprise = who.userType === 'enterprise'
  await login(page, runner, cap, {
    tab: enterprise ? '企业用户登录' : undefined,
    label: enterprise ? '账号 ID' : '社会保障号',
    username: who.username,
    password: who.password,
  })
  await page.waitForURL(`${base}/services`)
}

// open goes to 立即办理 of a business and waits for its draft.
export async function open(page, base, business, id = '') {
  await page.goto(`${base}/apply/${business}${id ? `?id=${id}` : ''}`)
  await page.waitForURL(/\?id=A/)
  await page.getByTestId('status').waitFor()
  return new URL(page.url()).searchParams.get('id')
}

// isPut matches the answer of a draft's save.
export const isPut = (r) => r.request().method() === 'PUT' && /\/applications\/A/.test(r.url())

// saved does action and waits for the draft's save it causes.
export async function saved(page, action) {
  const [r] = await Promise.all([page.waitForResponse(isPut), action()])
  check(r.ok(), `save answered ${r.status()}`)
  return r.json()
}

// fill types value into the field labelled label and leaves it (Tab), which saves the draft.
export async function fill(page, label, value) {
  await saved(page, async () => {
    await page.getByLabel(label, { exact: true }).fill(value)
    await page.getByLabel(label, { exact: true }).press('Tab')
  })
}

// choose picks option in the select labelled label, which saves the draft.
export async function choose(page, label, option) {
  await saved(page, () => page.getByLabel(label, { exact: true }).selectOption(option))
}

// upload puts files into a material's slot through its `+` and waits until
// the server accepted them all.
export async function upload(page, material, files) {
  const slot = page.locator(`[data-material="${material}"]`)
  const before = await slot.locator('li.file.is-accepted').count()
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    slot.getByRole('button', { name: `上传${material}`, exact: true }).click(),
  ])
  await chooser.setFiles(files)
  await slot.locator('li.file.is-accepted').nth(before + files.length - 1).waitFor({ timeout: 20_000 })
  return slot
}

// submit goes through 提交办理 → 确认提交？ → 确认提交 → 提交成功 and returns
// the receipt and the Idempotency-Key sent.
export async function submit(page, screen) {
  const keys = []
  const onRequest = (r) => {
    if (r.method() === 'POST' && /\/submit$/.test(new URL(r.url()).pathname)) keys.push(r.headers()['idempotency-key'])
  }
  page.on('request', onRequest)
  await page.getByRole('button', { name: '提交办理' }).click()
  const confirm = page.getByRole('dialog', { name: '确认提交？' })
  await confirm.waitFor()
  const [r] = await Promise.all([
    page.waitForResponse((x) => x.request().method() === 'POST' && /\/submit$/.test(new URL(x.url()).pathname)),
    confirm.getByRole('button', { name: '确认提交' }).click(),
  ])
  page.off('request', onRequest)
  check(r.status() === 201, `submit ${screen}: ${r.status()} ${await r.text()}`)
  const receipt = await r.json()
  check(/^[0-9a-f-]{36}$/.test(keys[0] ?? ''), `a UUID Idempotency-Key (${keys[0]})`)
  const success = page.getByRole('dialog', { name: '提交成功' })
  await success.waitFor()
  return { receipt, key: keys[0], success }
}

// ---------------------------------------------------------------- staff 动态口令 (used once each)

// usedCodes holds the last 动态口令 each staff account used in this run.
// The server takes a code once: every journey of the run (they share this
// module) asks freshCode for one, so that none reuses another's code
// within its half-minute and is refused.
const usedCodes = new Map()

/** freshCode is a TOTP code of staffId not used yet in this run (it waits for the next one). */
export async function freshCode(runner, staffId) {
  for (let i = 0; i < 70; i++) {
    const { code } = await json(`${runner}/_local/totp/${staffId}`)
    if (code !== usedCodes.get(staffId)) {
      usedCodes.set(staffId, code)
      return code
    }
    await new Promise((ok) => setTimeout(ok, 500))
  }
  throw new Error(`no new TOTP code for ${staffId}`)
}

// ---------------------------------------------------------------- the API as a demo user

/** Api is one session against the runner, its cookie kept by hand. */
export class Api {
  constructor(runner) {
    this.runner = runner
    this.cookie = ''
  }

  async req(method, path, body, headers = {}) {
    const h = { ...headers }
    if (this.cookie) h.cookie = this.cookie
    if (body !== undefined) h['content-type'] = 'application/json'
    const r = await fetch(this.runner + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    })
    for (const c of r.headers.getSetCookie()) {
      const kv = c.split(';')[0]
      if (/^(__Host-)?hrss_session=/.test(kv)) this.cookie = kv
    }
    const text = await r.text()
    let data = null
    try {
      data = JSON.parse(text)
    } catch {
      /* not JSON */
    }
    return { status: r.status, data, text }
  }

  async must(method, path, body, headers) {
    const r = await this.req(method, path, body, headers)
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.text}`)
    return r.data
  }

  /** login logs account in (staff with a fresh 动态口令; a refused code is retried once with the next). */
  async login(account) {
    for (let attempt = 0; ; attempt++) {
      this.cookie = ''
      const cap = await this.must('GET', '/api/v1/auth/captcha')
      const { answer } = await json(`${this.runner}/_local/captcha/${cap.captchaId}`)
      const body = {
        userType: account.userType,
        username: account.username,
        password: account.password,
        captchaId: cap.captchaId,
        captchaAnswer: answer,
      }
      if (account.userType === 'staff') body.totp = await freshCode(this.runner, account.username)
      const r = await this.req('POST', '/api/v1/auth/login', body)
      if (r.status === 200) return this
      if (account.userType !== 'staff' || attempt > 0) throw new Error(`login ${account.username}: ${r.status} ${r.text}`)
    }
  }
}

/** apiLogin is a new session of account through the API (see Api.login). */
export function apiLogin(runner, account) {
  return new Api(runner).login(account)
}

// ---------------------------------------------------------------- the staff console

/** staffLogin logs a staff account in at 工作人员登录, with the next unused 动态口令. */
export async function staffLogin(page, base, runner, cap, who) {
  await page.goto(`${base}/login/staff`)
  for (let attempt = 0; ; attempt++) {
    await page.getByLabel('工号', { exact: true }).fill(who.username)
    await page.getByLabel('密码', { exact: true }).fill(who.password)
    await page.getByLabel('验证码', { exact: true }).fill(await captchaAnswer(runner, cap, page))
    await page.getByLabel('动态口令', { exact: true }).fill(await freshCode(runner, who.username))
    const before = cap.id
    await page.getByRole('button', { name: '登录' }).click()
    const ok = await Promise.race([
      page.waitForURL((u) => /^\/staff(\/|$)/.test(u.pathname), { timeout: 15_000 }).then(() => true),
      page.locator('.form-alert').waitFor({ timeout: 15_000 }).then(() => false),
    ])
    if (ok) return
    check(attempt === 0, `staff login of ${who.username} refused twice: ${await page.locator('.form-alert').textContent()}`)
    // A code refused all the same (it turned over on its way): wait for the next one (the page fetched a new captcha).
    for (let i = 0; i < 40 && cap.id === before; i++) await page.waitForTimeout(50)
  }
}

/** card is the 待审核 queue's card of a case. */
export function card(page, reference) {
  return page.locator(`[data-testid="queue"] > li[data-reference="${reference}"]`)
}

/** openQueue goes to 待审核 and waits for its list. */
export async function openQueue(page, base) {
  await page.goto(`${base}/staff`)
  await page.locator('.queue-list[aria-busy="false"]').waitFor()
}

// findCard is the queue's card of a case, after 加载更多 while the list has
// more pages (other journeys' cases, due earlier, may fill the first).
export async function findCard(page, reference) {
  for (let i = 0; i < 20; i++) {
    const c = card(page, reference)
    if (await c.count()) return c
    const more = page.getByRole('button', { name: '加载更多' })
    if (!(await more.count())) break
    await more.click()
    await page.waitForTimeout(300)
  }
  return card(page, reference).waitFor({ timeout: 2000 }).then(() => card(page, reference))
}

// ---------------------------------------------------------------- sample values and files

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'
/** residentID completes the first 17 characters of a 居民身份证号码 with its check character (GB 11643). */
export const residentID = (body17) => body17 + ID_CHECK[[...body17].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i], 0) % 11]

/** luhn reports whether a bank card number passes the Luhn check. */
export function luhn(s) {
  let sum = 0
  let dbl = false
  for (let i = s.length - 1; i >= 0; i--) {
    let d = Number(s[i])
    if (dbl) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
    dbl = !dbl
  }
  return sum % 10 === 0
}

// A real PNG (so that the image viewer shows a picture): w×h pixels, a
// light page with a blue band, as a scanned 材料 might look.
function crc32(buf) {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return ~c >>> 0
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
/** samplePNG is such a PNG file (a Buffer). */
export function samplePNG(w = 600, h = 400, rgb = [26, 91, 184]) {
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0
    for (let x = 0; x < w; x++) {
      const band = y > h * 0.15 && y < h * 0.3
      const line = y > h * 0.45 && y < h * 0.9 && y % 24 < 4 && x > w * 0.1 && x < w * 0.9
      const px = band ? rgb : line ? [120, 126, 136] : [248, 249, 251]
      raw.set(px, y * (w * 3 + 1) + 1 + x * 3)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}
