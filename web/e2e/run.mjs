// End-to-end journeys of the portal in Debian's Chromium (playwright-core,
// never a downloaded browser) against the local runner, which this script
// starts itself with a fresh data directory and the manual's clock.
//
//   npm run build && npm run e2e
//
// It expects web/dist (it builds nothing). Each screen is checked with axe
// (WCAG 2.1 A/AA): any serious or critical violation fails the run, and so
// does any error the page throws or logs.
//
// The portal is taken from the runner's own / when that serves this build
// (the runner serves web/dist); otherwise, or with E2E_STATIC=1, a small
// server in this folder serves web/dist and passes /api, /_local and
// /_blobs to the runner.
//
// Screenshots go to docs/screenshots/ (with CI set: a temporary folder, so
// that `make test` leaves the tree clean); E2E_SCREENSHOTS=<dir> to choose,
// E2E_SCREENSHOTS=off for none. Also: CHROMIUM (/usr/bin/chromium),
// HRSS_CLOCK (2022-05-10T09:00:00+08:00), E2E_HEADED=1 to watch, and
// E2E_ONLY=10,40 to run only the journeys whose file names start so ("core"
// for this file's own journeys) while working on one area.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { serve } from './static-server.mjs'
import {
  DESKTOP, PHONE, root, shots, step, check, json, settle, axe, shot, pageErrors, trackCaptcha, captchaAnswer,
  login, logout, freshCode, timings, axeResults, screenshots,
} from './lib.mjs'

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(web, 'dist')
const clock = process.env.HRSS_CLOCK ?? '2022-05-10T09:00:00+08:00'

const t0 = performance.now()
const cleanups = []

async function freePort() {
  const srv = net.createServer()
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok))
  const { port } = srv.address()
  await new Promise((ok) => srv.close(ok))
  return port
}

async function startRunner() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hrss-e2e-'))
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }))
  const port = await freePort()
  const log = []
  const child = spawn('go', ['run', './infra/cmd/hrss-local'], {
    cwd: root,
    env: { ...process.env, HRSS_DATA_DIR: dataDir, PORT: String(port), HRSS_CLOCK: clock, HRSS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: `go run` and the program it built stop together
  })
  child.stdout.on('data', (b) => log.push(b.toString()))
  child.stderr.on('data', (b) => log.push(b.toString()))
  let exited = null
  child.on('exit', (code, sig) => (exited = { code, sig }))
  cleanups.push(async () => {
    if (exited) return
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      return
    }
    const gone = await Promise.race([
      new Promise((ok) => child.once('exit', () => ok(true))),
      new Promise((ok) => setTimeout(() => ok(false), 10_000)),
    ])
    if (!gone) process.kill(-child.pid, 'SIGKILL')
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 240_000
  for (;;) {
    if (exited) throw new Error(`runner exited (${JSON.stringify(exited)}):\n${log.join('')}`)
    if (Date.now() > deadline) throw new Error(`runner did not answer within 240 s:\n${log.join('')}`)
    try {
      const r = await fetch(`${url}/api/v1/services?userType=individual`)
      if (r.ok) return { url, log }
    } catch {
      /* not yet */
    }
    await new Promise((ok) => setTimeout(ok, 250))
  }
}

// base prefers the runner's own / when it serves this build's index.html;
// otherwise a tiny server serves web/dist and passes the API to the runner.
async function portalBase(runner) {
  const want = await fs.readFile(path.join(dist, 'index.html'), 'utf8')
  if (!process.env.E2E_STATIC) {
    try {
      const r = await fetch(`${runner}/services`) // a portal route: the history fallback answers index.html
      if (r.ok && (await r.text()) === want) return { url: runner, how: 'runner' }
    } catch {
      /* fall through */
    }
  }
  const s = await serve(dist, runner)
  cleanups.push(s.close)
  return { url: s.url, how: 'e2e static server' }
}

async function waitForList(page) {
  await page.locator('section.list[aria-busy="false"]').waitFor()
  return page.locator('[data-testid="service-list"] > li')
}

async function listNames(page) {
  await waitForList(page)
  return page.locator('[data-testid="service-list"] h3').allTextContents()
}

async function apiNames(runner, query) {
  const q = new URLSearchParams(query)
  return (await json(`${runner}/api/v1/services?${q}`)).items.map((i) => i.name)
}

function filterOption(page, group, value) {
  return page.getByRole('radiogroup', { name: group }).locator('label.el-radio-button', { hasText: new RegExp(`^${value}$`) })
}

async function individualJourney(ctx, base, runner, who) {
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  await step('individual: open 办事中心 → 用户登录', async () => {
    await page.goto(`${base}/services`)
    await page.waitForURL(/\/login\?redirect=(%2F|\/)services$/)
    await page.getByRole('tab', { name: '个人用户登录', selected: true }).waitFor()
    await page.locator('img.captcha-image').waitFor()
  })
  await axe(page, '用户登录 (个人用户登录)')
  await shot(page, '01-login')

  await step('individual: wrong captcha shows the field error, new captcha', async () => {
    await page.getByLabel('社会保障号', { exact: true }).fill(who.username)
    await page.getByLabel('密码', { exact: true }).fill(who.password)
    const before = cap.id
    await page.getByLabel('验证码', { exact: true }).fill('00000')
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByText('验证码错误或已过期，请刷新验证码后重新输入').waitFor()
    for (let i = 0; i < 40 && cap.id === before; i++) await page.waitForTimeout(50)
    check(cap.id !== before, 'a failed login fetches a new captcha')
  })
  await axe(page, '用户登录 (验证码错误)')
  await shot(page, '02-login-error')

  await step('individual: login → back to 办事中心', async () => {
    await login(page, runner, cap, { label: '社会保障号', username: who.username, password: who.password })
    await page.waitForURL(`${base}/services`)
    await page.getByTestId('user-name').filter({ hasText: who.name }).waitFor()
  })
  let names = await listNames(page)
  check(names.length > 0, 'the individual list has rows')
  check(
    JSON.stringify(names) === JSON.stringify(await apiNames(runner, { userType: 'individual' })),
    'the list is the API list, in order',
  )
  check((await page.locator('.row-desc', { hasText: '暂无描述' }).count()) === names.length, 'every row says 暂无描述')
  check(await page.getByRole('radiogroup', { name: '业务类别', exact: true }).isVisible(), '业务类别 filter')
  await axe(page, '办事中心 (个人)')
  await shot(page, '03-services-individual')

  await step('individual: filter 社会保险 + 费用征缴, chips', async () => {
    await filterOption(page, '业务类别', '社会保险').click()
    await page.waitForURL(/category=/)
    await filterOption(page, '办理作用', '费用征缴').click()
    await page.waitForURL(/purpose=/)
    names = await listNames(page)
    const want = await apiNames(runner, { userType: 'individual', category: '社会保险', purpose: '费用征缴' })
    check(JSON.stringify(names) === JSON.stringify(want), `filtered list ${names} = API ${want}`)
    const chosen = page.getByTestId('chosen')
    check((await chosen.textContent()).includes('您已选择:'), '您已选择')
    check((await chosen.locator('li').allTextContents()).map((s) => s.replace(/X$/, '').trim()).join(',') === '社会保险,费用征缴', 'chips')
  })
  await step('individual: search GR (pinyin initials)', async () => {
    await page.getByLabel('搜索', { exact: true }).fill('GR')
    await page.getByRole('button', { name: '搜索', exact: true }).click()
    await page.waitForURL(/q=GR/)
    names = await listNames(page)
    const want = await apiNames(runner, { userType: 'individual', category: '社会保险', purpose: '费用征缴', q: 'GR' })
    check(JSON.stringify(names) === JSON.stringify(want) && want.length > 0, `search list ${names} = API ${want}`)
  })
  await axe(page, '办事中心 (条件与搜索)')
  await shot(page, '04-services-filtered')

  await step('individual: X removes a chip, 清空条件 clears all', async () => {
    await page.getByRole('button', { name: '删除条件 费用征缴' }).click()
    await page.waitForURL((u) => !u.searchParams.has('purpose'))
    names = await listNames(page)
    check(
      JSON.stringify(names) === JSON.stringify(await apiNames(runner, { userType: 'individual', category: '社会保险', q: 'GR' })),
      'list after removing a chip',
    )
    await page.getByRole('button', { name: '清空条件' }).click()
    await page.waitForURL(`${base}/services`)
    check((await listNames(page)).length === (await apiNames(runner, { userType: 'individual' })).length, 'all rows again')
    check(!(await page.getByTestId('chosen').isVisible()), 'no chips')
  })

  await step('individual: a filter with no business shows 暂无数据', async () => {
    await filterOption(page, '业务类别', '社保卡').click()
    await page.waitForURL(/category=/)
    await waitForList(page)
    await page.locator('.el-empty').getByText('暂无数据').waitFor()
  })
  await axe(page, '办事中心 (暂无数据)')
  await shot(page, '05-services-empty')

  await step('individual: 办理指南 of 灵活就业人员暂停缴费 (4.1)', async () => {
    await page.getByRole('button', { name: '清空条件' }).click()
    await waitForList(page)
    await page.getByRole('link', { name: '办理指南：灵活就业人员暂停缴费' }).click()
    await page.waitForURL(/\/services\/flexible-employment-suspend\/guide/)
    const rows = page.getByTestId('guide-rows')
    await rows.waitFor()
    const th = await rows.locator('th').allTextContents()
    check(th[0] === '事项名称' && th.includes('办理时间') && th.includes('办理地点'), `guide rows ${th}`)
    check((await rows.locator('td').first().textContent()).includes('灵活就业人员暂停缴费'), '事项名称')
    const head = await page.getByTestId('guide-materials').locator('thead th').allTextContents()
    check(head.join('/') === '序号/材料名称/必要性要求', `material columns ${head}`)
  })
  await axe(page, '办理指南')
  await shot(page, '06-guide')
  await shot(page, '06-guide-full', { fullPage: true })

  await step('individual: 立即办理 placeholder, back to 办事中心, 退出', async () => {
    await page.getByRole('link', { name: '立即办理' }).click()
    await page.waitForURL(/\/apply\/flexible-employment-suspend/)
    await page.getByRole('heading', { name: /立即办理：灵活就业人员暂停缴费/ }).waitFor()
    await page.getByRole('link', { name: '返回办事中心' }).click()
    await waitForList(page)
    await logout(page)
  })

  await step('individual: a deep link after logout → 用户登录 → back to it', async () => {
    await page.goto(`${base}/services/personal-refund/guide`)
    await page.waitForURL(/\/login\?redirect=(%2F|\/)services(%2F|\/)personal-refund(%2F|\/)guide$/)
    await login(page, runner, cap, { label: '社会保障号', username: who.username, password: who.password })
    await page.waitForURL(`${base}/services/personal-refund/guide`)
    await page.getByTestId('guide-rows').waitFor()
    await logout(page)
  })
  await page.close()
}

async function enterpriseJourney(ctx, base, runner, who) {
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  await step('enterprise: 企业用户登录', async () => {
    await page.goto(`${base}/login`)
    await page.getByRole('tab', { name: '企业用户登录' }).click()
    await page.getByLabel('账号 ID', { exact: true }).waitFor()
  })
  await axe(page, '用户登录 (企业用户登录)')
  await shot(page, '07-login-enterprise')
  await step('enterprise: login → 办事中心 with 业务种类', async () => {
    await login(page, runner, cap, { label: '账号 ID', username: who.username, password: who.password })
    await page.waitForURL(`${base}/services`)
    await page.getByRole('radiogroup', { name: '业务种类', exact: true }).waitFor()
    const names = await listNames(page)
    check(JSON.stringify(names) === JSON.stringify(await apiNames(runner, { userType: 'enterprise' })), 'enterprise list = API')
    const purposes = await page.getByRole('radiogroup', { name: '办理作用' }).locator('label').allTextContents()
    check(purposes.join(',') === '全部,费用征缴,资格认定,关系调转,信息变更,待遇发放,综合查询', `enterprise 办理作用 ${purposes}`)
  })
  await step('enterprise: 社会保险 (手册 第五章) and search 单位', async () => {
    await filterOption(page, '业务种类', '社会保险').click()
    await page.waitForURL(/category=/)
    let names = await listNames(page)
    check(JSON.stringify(names) === JSON.stringify(await apiNames(runner, { userType: 'enterprise', category: '社会保险' })), 'filtered')
    await page.getByLabel('搜索', { exact: true }).fill('单位')
    await page.keyboard.press('Enter')
    await page.waitForURL(/q=/)
    names = await listNames(page)
    const want = await apiNames(runner, { userType: 'enterprise', category: '社会保险', q: '单位' })
    check(want.length > 0 && JSON.stringify(names) === JSON.stringify(want), `search ${names} = ${want}`)
  })
  await axe(page, '办事中心 (企业)')
  await shot(page, '08-services-enterprise')
  await step('enterprise: 办理指南 of 单位职工工资申报', async () => {
    await page.getByRole('link', { name: '办理指南：单位职工工资申报' }).click()
    await page.getByTestId('guide-rows').waitFor()
    await page.getByRole('link', { name: '返回办事中心' }).first().click()
    await page.waitForURL(/category=/) // the conditions come back with the person
    check((await page.getByTestId('chosen').textContent()).includes('社会保险'), 'chips kept after 返回')
    await logout(page)
  })
  await page.close()
}

// The whole login by keyboard: Tab, typing and Enter, never the mouse.
async function keyboardJourney(ctx, base, runner, who) {
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement
      const labels = el && 'labels' in el && el.labels ? Array.from(el.labels).map((l) => l.textContent.trim()) : []
      // Where the ring is drawn: the element, the input's wrapper, or the
      // styled sibling of a visually hidden radio or switch input.
      const candidates = [el, el?.closest('.el-input__wrapper'), el?.nextElementSibling, el?.parentElement?.querySelector('.el-switch__core')]
      const ring = (e) => {
        if (!e) return false
        const s = getComputedStyle(e)
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
      }
      return {
        tag: el?.tagName,
        labels,
        name: el?.getAttribute('aria-label') || el?.textContent?.trim() || '',
        visible: candidates.some(ring),
      }
    })
  async function tabTo(match, what) {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      const f = await focused()
      check(f.visible, `focus is visible on ${JSON.stringify(f)}`)
      if (match(f)) return f
    }
    throw new Error('Tab never reached ' + what)
  }
  await step('keyboard: login with Tab, typing and Enter', async () => {
    await page.goto(`${base}/login`)
    await page.locator('img.captcha-image').waitFor()
    await tabTo((f) => f.labels.includes('社会保障号'), '社会保障号')
    await page.keyboard.type(who.username)
    await tabTo((f) => f.labels.includes('密码'), '密码')
    await page.keyboard.type(who.password)
    await tabTo((f) => f.labels.includes('验证码'), '验证码')
    await page.keyboard.type(await captchaAnswer(runner, cap, page))
    await page.keyboard.press('Enter')
    await page.waitForURL(`${base}/services`)
    await waitForList(page)
  })
  await step('keyboard: choose 社会保险 with the arrow keys, remove it with its X', async () => {
    await tabTo((f) => f.tag === 'INPUT' && f.name === '' && f.labels.join('') === '全部', 'the 业务类别 radio group')
    await page.keyboard.press('ArrowRight') // 社保卡
    await page.keyboard.press('ArrowRight') // 社会保险
    await page.waitForURL(/category=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9/)
    await waitForList(page)
    await tabTo((f) => f.name === '删除条件 社会保险', 'the chip X')
    await shot(page, '09-keyboard-focus')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${base}/services`)
    await page.waitForFunction(() => document.activeElement?.matches('[data-testid="filter-category"] input:checked'))
    const f = await focused()
    check(f.visible && f.labels.join('') === '全部', `focus back on the 业务类别 filter, not lost (${JSON.stringify(f)})`)
  })
  await step('keyboard: 退出 by keyboard', async () => {
    await page.getByRole('button', { name: '退出' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/login/)
  })
  await page.close()
}

async function elderAndPhone(browser, base, runner, who, staff) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  await step('elder: switch on at 用户登录, remembered after reload', async () => {
    await page.goto(`${base}/login`)
    await page.getByTestId('elder-switch').click()
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'elder-mode class')
    await page.reload()
    await page.locator('img.captcha-image').waitFor()
    check(await page.evaluate(() => localStorage.getItem('hrss.elderMode') === 'on'), 'remembered')
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'still on after reload')
    check((await page.getByRole('switch', { name: '长辈模式' }).getAttribute('aria-checked')) === 'true', 'switch shows on')
  })
  await axe(page, '用户登录 (长辈模式)')
  await shot(page, '10-elder-login')
  await step('elder: 办事中心 in 长辈模式', async () => {
    await login(page, runner, cap, { label: '社会保障号', username: who.username, password: who.password })
    await page.waitForURL(`${base}/services`)
    await waitForList(page)
    const size = await page.locator('.row-title').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    check(size >= 24, `row titles are large (${size}px)`)
  })
  await axe(page, '办事中心 (长辈模式)')
  await shot(page, '11-elder-services')
  await step('elder: switch off again', async () => {
    await page.getByTestId('elder-switch').click()
    check(!(await page.evaluate(() => document.documentElement.classList.contains('elder-mode'))), 'off')
  })

  await step('375 px: 办事中心 and 办理指南 fit the width', async () => {
    await page.setViewportSize(PHONE)
    await page.goto(`${base}/services?category=${encodeURIComponent('社会保险')}`)
    await waitForList(page)
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(over <= 0, `no horizontal scroll at 375 px (${over}px over)`)
  })
  await axe(page, '办事中心 (375 px)')
  await shot(page, '12-services-375')
  await step('375 px: 办理指南', async () => {
    await page.getByRole('link', { name: '办理指南：个人退费' }).click()
    await page.getByTestId('guide-rows').waitFor()
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(over <= 0, `no horizontal scroll at 375 px (${over}px over)`)
  })
  await axe(page, '办理指南 (375 px)')
  await shot(page, '13-guide-375')
  await step('375 px: 用户登录', async () => {
    await logout(page)
    await page.locator('img.captcha-image').waitFor()
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(over <= 0, `no horizontal scroll at 375 px (${over}px over)`)
  })
  await axe(page, '用户登录 (375 px)')
  await shot(page, '14-login-375')

  await step('staff: 工作人员登录 with 动态口令 → staff console', async () => {
    await page.setViewportSize(DESKTOP)
    await page.getByRole('link', { name: '工作人员登录' }).click()
    await page.waitForURL(/\/login\/staff/)
    await page.getByLabel('工号', { exact: true }).fill(staff.username)
    await page.getByLabel('密码', { exact: true }).fill(staff.password)
    await page.getByLabel('验证码', { exact: true }).fill(await captchaAnswer(runner, cap, page))
    await page.getByLabel('动态口令', { exact: true }).fill(await freshCode(runner, staff.username))
  })
  await axe(page, '工作人员登录')
  await shot(page, '15-staff-login')
  await step('staff: lands on the staff console', async () => {
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(`${base}/staff`)
    await page.getByText(staff.name).first().waitFor()
    await page.goto(`${base}/services`) // not a staff page
    await page.waitForURL(`${base}/staff`)
    await logout(page)
  })
  await ctx.close()
}

async function main() {
  check(existsSync(path.join(dist, 'index.html')), 'web/dist/index.html exists: run `npm run build` first')
  if (shots) await fs.mkdir(shots, { recursive: true })
  const runner = await step('start the local runner (go run)', startRunner)
  const base = await step('find the portal', () => portalBase(runner.url))
  console.log(`runner ${runner.url}; portal served by the ${base.how} at ${base.url}`)
  const accounts = await json(`${runner.url}/_local/demo-accounts`)
  const people = accounts.filter((a) => a.userType === 'individual')
  const unit = accounts.find((a) => a.userType === 'enterprise' && a.unitNo)
  const staff = accounts.find((a) => a.userType === 'staff' && a.role === 'reviewer')
  check(people.length >= 3 && unit && staff, 'demo accounts')

  const browser = await step('launch Chromium', () =>
    chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--lang=zh-CN'],
      headless: !process.env.E2E_HEADED,
    }),
  )
  cleanups.push(() => browser.close())
  console.log(`Chromium ${browser.version()}`)
  const only = process.env.E2E_ONLY ? process.env.E2E_ONLY.split(',').map((s) => s.trim()) : null
  if (!only || only.includes('core')) {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    await individualJourney(ctx, base.url, runner.url, people[0])
    await enterpriseJourney(ctx, base.url, runner.url, unit)
    await keyboardJourney(ctx, base.url, runner.url, people[1])
    await ctx.close()
    await elderAndPhone(browser, base.url, runner.url, people[2], staff)
  }
  // The journeys of each area of the portal (立即办理, 用户中心, the staff
  // console, ...), in file-name order: each exports a default function.
  const dir = path.join(web, 'e2e', 'journeys')
  const files = existsSync(dir)
    ? (await fs.readdir(dir)).filter((f) => f.endsWith('.mjs') && (!only || only.some((o) => f.startsWith(o)))).sort()
    : []
  for (const f of files) {
    const mod = await import(path.join(dir, f))
    await step(`journeys/${f}`, () => mod.default({ browser, base: base.url, runner: runner.url, accounts }))
  }
}

// width counts a CJK character as two columns, for the report's table.
const width = (s) => Array.from(s).reduce((n, c) => n + (c.codePointAt(0) > 0x2e80 ? 2 : 1), 0)
const pad = (s, n) => s + ' '.repeat(Math.max(0, n - width(s)))

function report() {
  console.log('\naxe (WCAG 2.1 A/AA), violations by impact (nodes):')
  console.log('  ' + pad('screen', 32) + 'critical serious moderate minor  passes')
  for (const a of axeResults) {
    console.log(
      '  ' + pad(a.screen, 32) + String(a.critical).padStart(8) + String(a.serious).padStart(8) + String(a.moderate).padStart(9) + String(a.minor).padStart(6) + String(a.passes).padStart(8),
    )
    for (const v of a.violations) console.log(`      ${v.impact}: ${v.id} (${v.nodes.length}) ${v.help} — ${v.nodes[0]?.target.join(' ')}`)
  }
  console.log('\ntimings (ms):')
  for (const [n, ms] of timings) console.log('  ' + String(ms).padStart(7) + '  ' + n)
  if (screenshots.length) console.log('\nscreenshots:\n  ' + screenshots.join('\n  '))
}

let failed = null
try {
  await main()
} catch (e) {
  failed = e
}
for (const c of cleanups.reverse()) {
  try {
    await c()
  } catch {
    /* best effort */
  }
}
report()
if (pageErrors.length) console.log('\npage errors:\n  ' + pageErrors.join('\n  '))
if (pageErrors.length && !failed) failed = new Error(`${pageErrors.length} page error(s)`)
const bad = axeResults.filter((a) => a.critical + a.serious > 0)
if (bad.length && !failed) failed = new Error('axe: serious or critical violations on ' + bad.map((a) => a.screen).join(', '))
console.log(`\ne2e ${failed ? 'FAILED' : 'passed'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
if (failed) {
  console.error(failed.stack ?? failed)
  process.exit(1)
}
