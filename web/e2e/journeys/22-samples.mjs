// 示例图 (手册 §6, 申请材料上传): every slot, empty or filled, has a 示例图
// that opens a dialog (示例图：<材料名称>) with a schematic sample picture
// (role="img", its own name) and how to photograph or scan the material.
//
// The demo 4.4 person (刘桂芳) opens 4.4 个人退费, fills its first slot and
// opens that slot's 示例图 by keyboard (Tab, Enter): the dialog's title and
// picture, focus kept in it, Esc closes it and focus is back on 示例图; the
// same at 375 px and at 375 px in 长辈模式. Then the 人像面 of 4.22 and the
// form (人员增减变动表) of 4.11. axe on every dialog; screenshots 22-*.png.
import { DESKTOP, PHONE, axe, check, json, open, samplePNG, shot, signIn, step, trackCaptcha, upload } from '../lib.mjs'

// focusInfo describes the focused element: its slot, test id, whether it is
// in a dialog, and whether a focus ring is drawn.
function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    const s = el ? getComputedStyle(el) : null
    return {
      material: el?.closest('[data-material]')?.getAttribute('data-material') ?? '',
      testid: el?.getAttribute('data-testid') ?? '',
      inDialog: !!el?.closest('[role="dialog"]'),
      ring: !!s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
      name: el?.getAttribute('aria-label') || el?.textContent?.trim() || '',
    }
  })
}

// tabToSample presses Tab from the 申请材料上传 heading until 示例图 of
// material has focus (with a visible ring).
async function tabToSample(page, material) {
  await page.locator('.apply-subtitle', { hasText: '申请材料上传' }).click()
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab')
    const f = await focusInfo(page)
    if (f.testid === 'sample-button' && f.material === material) {
      check(f.ring, `示例图 of ${material} shows its focus`)
      return
    }
  }
  throw new Error(`Tab never reached 示例图 of ${material}`)
}

// checkDialog checks the open 示例图 dialog of material: its name, its
// picture (a named image of a useful size) and its guidance.
async function checkDialog(page, material, guidance) {
  const dialog = page.getByRole('dialog', { name: `示例图：${material}`, exact: true })
  await dialog.waitFor()
  const img = dialog.getByRole('img', { name: new RegExp(`^${material}示例图：`) })
  check((await img.count()) === 1, `the dialog of ${material} has one named picture`)
  const box = await img.boundingBox()
  check(box && box.width >= 240 && box.height >= 150, `the picture is shown (${JSON.stringify(box)})`)
  check((await img.locator('text', { hasText: '示例' }).count()) > 0, 'the picture is watermarked 示例')
  const text = await dialog.textContent()
  check(text.includes(guidance), `the guidance says “${guidance}”`)
  check(/支持JPG、PNG格式，单个文件不超过5MB，最多5个/.test(text), 'the dialog repeats the slot’s types, size and count')
  return dialog
}

// trapped checks that Tab and Shift+Tab keep focus in the dialog.
async function trapped(page) {
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key)
    const f = await focusInfo(page)
    check(f.inDialog, `focus stays in the dialog after ${key} (${JSON.stringify(f)})`)
  }
}

// closeWithEsc closes the dialog with Esc and checks focus is back on 示例图 of material.
async function closeWithEsc(page, dialog, material) {
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (m) => document.activeElement?.getAttribute('data-testid') === 'sample-button' && document.activeElement.closest('[data-material]')?.getAttribute('data-material') === m,
    material,
    { timeout: 5000 },
  )
}

async function noSideScroll(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  check(over <= 0, `${what}: no horizontal scroll (${over}px over)`)
}

// openSample clicks 示例图 of material and returns its dialog.
async function openSample(page, material, guidance) {
  await page.locator(`[data-material="${material}"]`).getByRole('button', { name: `${material}示例图`, exact: true }).click()
  return checkDialog(page, material, guidance)
}

export default async function ({ browser, base, runner, accounts }) {
  const who = accounts.find((a) => a.userType === 'individual' && a.what?.startsWith('4.4'))
  check(who, 'the demo 4.4 person')
  const materials = (await json(`${runner}/api/v1/services/personal-refund`)).materials.map((m) => m.name)
  const first = materials[0]
  check(first, '4.4 has materials')

  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  await step('samples: login as the 4.4 person', () => signIn(page, runner, cap, base, who))
  let id = ''
  await step('samples 4.4: every slot has 示例图; a filled one too', async () => {
    id = await open(page, base, 'personal-refund')
    for (const m of materials) {
      const b = page.locator(`[data-material="${m}"]`).getByRole('button', { name: `${m}示例图`, exact: true })
      check((await b.count()) === 1 && (await b.textContent()).trim() === '示例图', `the slot ${m} has 示例图`)
    }
    const slot = await upload(page, first, [{ name: '证明书.png', mimeType: 'image/png', buffer: samplePNG() }])
    await slot.locator('img.thumb').waitFor()
    check((await slot.getByRole('button', { name: `${first}示例图` }).count()) === 1, 'a filled slot keeps 示例图')
    check((await slot.getByRole('button', { name: /^删除 / }).count()) === 1, 'and has 删除')
  })

  let dialog
  await step(`samples 4.4: 示例图 of ${first} by keyboard (Tab, Enter)`, async () => {
    await tabToSample(page, first)
    await page.keyboard.press('Enter')
    dialog = await checkDialog(page, first, '请上传原件照片或扫描件')
    await page.waitForFunction(() => !!document.activeElement?.closest('[role="dialog"]'))
    await trapped(page)
  })
  await axe(page, `示例图 (4.4 ${first})`)
  await shot(page, '22-sample-letter')
  await step('samples 4.4: Esc closes it, focus is back on 示例图', () => closeWithEsc(page, dialog, first))

  await step('samples 4.4: 375 px — 示例图 by keyboard, the dialog fits the screen', async () => {
    await page.setViewportSize(PHONE)
    await page.waitForTimeout(200)
    await noSideScroll(page, 'the page at 375 px')
    await tabToSample(page, first)
    await page.keyboard.press('Enter')
    dialog = await checkDialog(page, first, '请上传原件照片或扫描件')
    const box = await page.locator('.sample-dialog').boundingBox()
    check(box && box.x >= 0 && box.x + box.width <= PHONE.width && box.width <= PHONE.width * 0.92 + 1, `the dialog is at most 92vw (${JSON.stringify(box)})`)
    await noSideScroll(page, 'the dialog at 375 px')
  })
  await axe(page, `示例图 (4.4 ${first}, 375 px)`)
  await shot(page, '22-sample-375')
  await step('samples 4.4: 375 px — Esc, focus back', () => closeWithEsc(page, dialog, first))

  await step('samples 4.4: 长辈模式 at 375 px', async () => {
    await page.evaluate(() => localStorage.setItem('hrss.elderMode', 'on'))
    await open(page, base, 'personal-refund', id)
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'elder-mode on')
    await tabToSample(page, first)
    await page.keyboard.press('Enter')
    dialog = await checkDialog(page, first, '请上传原件照片或扫描件')
    const size = await dialog.locator('.sample-tips li').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    check(size >= 22, `the guidance is large (${size}px)`)
    const box = await page.locator('.sample-dialog').boundingBox()
    check(box && box.x >= 0 && box.x + box.width <= PHONE.width, `the dialog fits (${JSON.stringify(box)})`)
    await noSideScroll(page, 'the dialog in 长辈模式')
    await trapped(page)
  })
  await axe(page, `示例图 (4.4 ${first}, 长辈模式 375 px)`)
  await shot(page, '22-sample-elder-375')
  await step('samples 4.4: 长辈模式 — Esc, focus back', () => closeWithEsc(page, dialog, first))

  await step('samples 4.22: 示例图 of 居民身份证正面 (人像面)', async () => {
    await page.evaluate(() => localStorage.setItem('hrss.elderMode', 'off'))
    await page.setViewportSize(DESKTOP)
    await open(page, base, 'retirement-qualification-admin-revision')
    dialog = await openSample(page, '居民身份证正面', '拍摄时证件四角完整、文字清晰、无反光遮挡；请上传原件照片或扫描件。')
    const words = await dialog.getByTestId('sample-image').textContent()
    for (const w of ['姓名', '性别', '民族', '出生', '住址', '公民身份号码', '张三']) check(words.includes(w), `the 人像面 shows ${w}`)
  })
  await axe(page, '示例图 (4.22 居民身份证正面)')
  await shot(page, '22-sample-id-front')
  await step('samples 4.22: Esc, focus back', () => closeWithEsc(page, dialog, '居民身份证正面'))

  await step('samples 4.11: 示例图 of 人员增减变动表 (a form)', async () => {
    await open(page, base, 'retiree-benefit-terminate')
    dialog = await openSample(page, '人员增减变动表', '请下载或按要求填写并签字盖章后拍照上传。')
    const words = (await dialog.getByTestId('sample-image').textContent()).replace(/\s/g, '')
    check(words.includes('人员增减变动表') && words.includes('盖章'), 'the form is titled with the material’s name and has a seal')
  })
  await axe(page, '示例图 (4.11 人员增减变动表)')
  await shot(page, '22-sample-form')
  await step('samples 4.11: Esc, focus back', () => closeWithEsc(page, dialog, '人员增减变动表'))
  await ctx.close()
}
