// Helpers of the portal's end-to-end journeys (run.mjs and the area
// journeys in journeys/*.mjs): steps with timings, checks, axe, screenshots,
// the captcha of the page, login and logout.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
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

