// 立即办理 (area 20): businesses done in the portal from the draft to
// 提交成功 and the receipt, against the runner at the manual's clock.
//
//   4.7 个人基本信息修改   an individual: field errors, uploads of real PNG files
//                          (several in a slot, 删除), 确认提交？/提交成功, 打印回执单;
//                          then returned by a reviewer and reopened with the reasons
//   4.4 个人退费           人员信息 → 账号信息 → 退费记录一览表, 查询, 全选: the totals
//                          shown are the API's; 长辈模式, 375 px, the 1–25 window closed
//   5.1 职工个人补缴       a unit's agent names the employee; 单位信息, the ledger, totals
//   5.2 单位职工工资申报   the declaration ZIP downloaded, refused as it is (per-row
//                          errors), filled in here (the workbook's wage cells) and accepted
//   4.1 灵活就业人员暂停缴费  by keyboard only
//
// axe on every screen; screenshots 20-*.png.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { step, check, axe, shot, trackCaptcha, captchaAnswer, logout, apiLogin, signIn, open, isPut, saved, fill, choose, upload, submit, DESKTOP, PHONE } from '../lib.mjs'

// ---------------------------------------------------------------- files

// png is a real PNG image of w×h pixels in one colour.
function png(w, h, [r, g, b]) {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [r, g, b]).flat())])
  const raw = Buffer.concat(Array.from({ length: h }, () => row))
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const image = (name, colour) => ({ name, mimeType: 'image/png', buffer: png(64, 40, colour) })

// unzip reads a ZIP's entries ({name, data}) from its central directory.
function unzip(buf) {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  check(eocd >= 0, 'a ZIP file')
  const n = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const out = []
  for (let i = 0; i < n; i++) {
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    const local = buf.readUInt32LE(p + 42)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const body = buf.subarray(start, start + size)
    out.push({ name, data: method === 8 ? zlib.inflateRawSync(body) : Buffer.from(body) })
    p += 46 + skip
  }
  return out
}

// zip writes entries as a ZIP (deflated, UTF-8 names).
function zip(entries) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const data = zlib.deflateRawSync(e.data)
    const crc = zlib.crc32(e.data)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0)
    head.writeUInt16LE(20, 4)
    head.writeUInt16LE(0x0800, 6)
    head.writeUInt16LE(8, 8)
    head.writeUInt32LE(crc, 14)
    head.writeUInt32LE(data.length, 18)
    head.writeUInt32LE(e.data.length, 22)
    head.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(e.data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(head, name, data)
    centrals.push(central, name)
    offset += head.length + name.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

// fillDeclaration does what shared/application/apptest.FillDeclaration
// does: every employee row of the workbook in the template ZIP gets wage
// in the column headed wageColumn; the ZIP keeps its entry's name.
function fillDeclaration(template, wageColumn, wage) {
  const [book] = unzip(template)
  const parts = unzip(book.data)
  const sheet = parts.find((e) => e.name === 'xl/worksheets/sheet1.xml')
  let xml = sheet.data.toString('utf8')
  const head = [...xml.matchAll(/<c r="([A-Z]+)1"[^>]*><is><t[^>]*>([^<]*)<\/t><\/is><\/c>/g)].find((m) => m[2] === wageColumn)
  check(head, `the template has the column ${wageColumn}`)
  const col = head[1]
  let rows = 0
  xml = xml.replace(new RegExp(`<c r="${col}(\\d+)"[^>]*?(?:/>|>.*?</c>)`, 'g'), (cell, r) => {
    if (r === '1') return cell
    rows++
    return `<c r="${col}${r}" t="inlineStr"><is><t>${wage}</t></is></c>`
  })
  check(rows > 0, 'the template lists employees')
  sheet.data = Buffer.from(xml, 'utf8')
  return { file: zip([{ name: book.name, data: zip(parts) }]), rows }
}

// ---------------------------------------------------------------- page helpers

async function noHorizontalScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  check(over <= 0, `no horizontal scroll (${over}px over)`)
}

// ---------------------------------------------------------------- journeys

async function personalBasicInfo(browser, base, runner, who, reviewer) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  let id = ''
  await step('apply 4.7: a new draft of 个人基本信息修改', async () => {
    await signIn(page, runner, cap, base, who)
    id = await open(page, base, 'personal-basic-info-change')
    await page.getByRole('heading', { level: 1, name: '立即办理：个人基本信息修改' }).waitFor()
    const notes = await page.getByTestId('upload-notes').locator('li').allTextContents()
    check(notes.length === 4 && notes[0] === '1、申请材料凡涉及国家机密的，不允许在互联网上传，请送达至审批机关。', `注意事项 ${notes}`)
    check(notes[1].includes('所需附件材料中*为必须上传材料'), '注意事项 2')
    check((await page.getByLabel('姓名', { exact: true }).getAttribute('readonly')) !== null, '姓名 is read-only (grey)')
    check((await page.locator('[data-material]').count()) === 3, 'three material slots')
  })
  await axe(page, '立即办理 4.7 (新草稿)')
  await shot(page, '20-apply-47-draft', { fullPage: true })

  await step('apply 4.7: 提交办理 with nothing done lists every problem under its part', async () => {
    await page.getByRole('button', { name: '提交办理' }).click()
    const summary = page.getByTestId('problems')
    await summary.waitFor()
    check(await summary.evaluate((e) => e === document.activeElement), 'focus moves to the list of problems')
    await page.locator('[data-field="mobile"] .el-form-item__error', { hasText: '请填写手机号' }).waitFor()
    await page.locator('[data-field="hukouAddress"] .el-form-item__error', { hasText: '户口所在地址' }).waitFor()
  })
  await step('apply 4.7: a wrong mobile number is explained in Chinese under the field', async () => {
    await fill(page, '手机号', '1300999')
    const err = page.locator('[data-field="mobile"] .el-form-item__error')
    await err.filter({ hasNotText: '请填写手机号' }).waitFor()
    check(/手机号/.test(await err.textContent()), `手机号 error: ${await err.textContent()}`)
  })
  await axe(page, '立即办理 4.7 (字段错误)')
  await shot(page, '20-apply-47-errors', { fullPage: true })

  await step('apply 4.7: upload real PNG files: two in one slot, 删除 one, one in each other slot', async () => {
    const first = await upload(page, '个人信息拟修改内容的说明', [image('说明-1.png', [200, 40, 40]), image('说明-2.png', [40, 120, 200])])
    check((await first.locator('img.thumb').count()) === 2, 'two thumbnails')
    const del = first.getByRole('button', { name: '删除 个人信息拟修改内容的说明：说明-2.png' })
    await del.click()
    await first.locator('li.file').filter({ hasText: '说明-2.png' }).waitFor({ state: 'detached' })
    check((await first.locator('li.file.is-accepted').count()) === 1, 'one file left after 删除')
    await upload(page, '居民身份证正面', [image('身份证正面.png', [30, 160, 90])])
    await upload(page, '居民身份证（反面）', [image('身份证反面.png', [160, 130, 30])])
  })
  await step('apply 4.7: fill 基本信息 (selects from code tables)', async () => {
    await choose(page, '个人身份', { index: 1 })
    await choose(page, '民族', { label: '汉族' })
    await fill(page, '户口所在地址', '黑龙江省七台河市桃山区学府街12号')
    await fill(page, '手机号', '13009998888')
    await fill(page, '地址', '七台河市桃山区桃南街8号')
    await page.locator('[data-field="mobile"] .el-form-item__error').waitFor({ state: 'hidden' }) // the error is gone
  })
  await axe(page, '立即办理 4.7 (已填写)')
  await shot(page, '20-apply-47-filled', { fullPage: true })

  await step('apply 4.7: 确认提交？ 关闭 closes it; 确认提交 → 提交成功', async () => {
    await page.getByRole('button', { name: '提交办理' }).click()
    const confirm = page.getByRole('dialog', { name: '确认提交？' })
    await confirm.waitFor()
    const text = await confirm.textContent()
    check(text.includes('请仔细核对您输入的内容') && text.includes('提交后将不可修改！'), `confirm words: ${text}`)
  })
  await axe(page, '确认提交？')
  await shot(page, '20-apply-confirm')
  let receipt
  await step('apply 4.7: 关闭, then submit with an Idempotency-Key', async () => {
    await page.getByRole('dialog', { name: '确认提交？' }).getByRole('button', { name: '关闭', exact: true }).click()
    await page.getByRole('dialog', { name: '确认提交？' }).waitFor({ state: 'hidden' })
    const r = await submit(page, '4.7')
    receipt = r.receipt
    const text = await r.success.textContent()
    check(text.includes('工作人员会在48小时之内处理，请耐心等待。') && text.includes('您可以通过账户中心查看审核状态'), `success words ${text}`)
    check(text.includes(receipt.reference), 'the reference is shown')
  })
  await axe(page, '提交成功')
  await shot(page, '20-apply-success')

  await step('apply 4.7: 打印回执单 opens the receipt (PDF) in a new tab', async () => {
    const success = page.getByRole('dialog', { name: '提交成功' })
    const [tab] = await Promise.all([ctx.waitForEvent('page'), success.getByRole('button', { name: '打印回执单' }).click()])
    const pdf = await Promise.race([
      tab.waitForURL(/\/_blobs\/object\/receipts\//, { timeout: 30_000 }).then(() => tab.url()),
      tab.waitForEvent('download', { timeout: 30_000 }).then((d) => d.url()),
    ])
    check(/receipts\/.+\.pdf/.test(pdf), `the receipt PDF: ${pdf}`)
    await success.getByText('回执单已在新窗口中打开').waitFor()
    await tab.close()
    await success.getByRole('button', { name: '完成' }).click()
    await page.waitForURL(`${base}/user-center`)
  })

  await step('apply 4.7: a reviewer returns it with reasons (API)', async () => {
    await returnWithReasons(runner, reviewer, id, {
      'fields.address': '地址与户口本不一致，请核对',
      'materials.居民身份证正面': '照片模糊，请重新上传',
    })
  })
  await step('apply 4.7: 修改后重新提交 — reopened with the reasons under the field and the slot', async () => {
    await open(page, base, 'personal-basic-info-change', id)
    await page.getByTestId('returned').waitFor()
    await page.locator('[data-field="address"] .apply-reason', { hasText: '地址与户口本不一致，请核对' }).waitFor()
    await page.locator('[data-material="居民身份证正面"] .apply-reason', { hasText: '照片模糊，请重新上传' }).waitFor()
    check((await page.getByLabel('户口所在地址', { exact: true }).inputValue()).includes('学府街'), 'the fields are kept')
  })
  await axe(page, '立即办理 (已退回)')
  await shot(page, '20-apply-returned', { fullPage: true })
  await step('apply 4.7: fix the address and the photo, submit round 2', async () => {
    await fill(page, '地址', '七台河市桃山区学府街12号')
    const slot = page.locator('[data-material="居民身份证正面"]')
    await slot.getByRole('button', { name: /^删除 居民身份证正面/ }).click()
    await slot.locator('li.file').first().waitFor({ state: 'detached' })
    await upload(page, '居民身份证正面', [image('身份证正面-清晰.png', [20, 90, 160])])
    const r = await submit(page, '4.7 round 2')
    check(r.receipt.round === 2 && r.receipt.reference === receipt.reference, `round 2 keeps the reference (${JSON.stringify(r.receipt)})`)
    await r.success.getByRole('button', { name: '完成' }).click()
    await page.waitForURL(`${base}/user-center`)
    await logout(page)
  })
  await ctx.close()
}

// returnWithReasons has reviewer claim application id and return it.
async function returnWithReasons(runner, reviewer, id, reasons) {
  const api = await apiLogin(runner, reviewer)
  // The workflow puts the case in the queue once its receipt is made.
  for (let i = 0; i < 40; i++) {
    const q = await api.must('GET', '/api/v1/review/queue')
    if (q.items.some((x) => x.id === id)) break
    await new Promise((ok) => setTimeout(ok, 250))
  }
  await api.must('POST', `/api/v1/review/applications/${id}/claim`)
  await api.must('POST', `/api/v1/review/applications/${id}/decision`, { decision: 'return', reasons })
}

async function personalRefund(browser, base, runner, who) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  let id = ''
  const api = async (url) => {
    const r = await page.request.get(`${base}${url}`)
    check(r.ok(), `${url}: ${r.status()}`)
    return r.json()
  }
  const shownTotals = async () => {
    const t = page.getByTestId('ledger-totals')
    await page.waitForFunction(() => document.querySelector('[data-testid="ledger-totals"]')?.getAttribute('aria-busy') === 'false')
    const labels = await t.locator('dt').allTextContents()
    const values = await t.locator('dd').allTextContents()
    return labels.map((l, i) => ({ label: l.trim(), value: values[i].trim() }))
  }
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b.map((x) => ({ label: x.label, value: x.value })))

  await step('apply 4.4: 个人退费 — 人员信息, then 账号信息, then the 退费记录一览表', async () => {
    await signIn(page, runner, cap, base, who)
    id = await open(page, base, 'personal-refund')
    const person = page.getByTestId('selection-人员信息')
    await person.waitFor()
    check(!(await page.getByTestId('ledger').isVisible()), 'no records before 人员信息 and 账号信息 are ticked')
    await person.getByRole('checkbox').check()
    await page.getByTestId('selection-账号信息').getByRole('checkbox').check()
    await page.getByTestId('ledger').waitFor()
    check((await page.getByTestId('ledger').locator('tbody tr[data-period]').count()) === 9, 'nine refundable rows')
  })
  await step('apply 4.4: 查询 2020-01…2020-12, 全选: the totals are the API\'s', async () => {
    const ledger = page.getByTestId('ledger')
    await ledger.getByLabel('开始年月').fill('2020-01')
    await ledger.getByLabel('结束年月').fill('2020-12')
    await Promise.all([page.waitForResponse((r) => /\/api\/v1\/ledgers\/personal-refund/.test(r.url())), ledger.getByRole('button', { name: '查询' }).click()])
    const periods = await ledger.locator('tbody tr[data-period]').evaluateAll((rs) => rs.map((r) => r.dataset.period))
    check(periods.join() === '202001,202002,202003', `rows after 查询 ${periods}`)
    await saved(page, () => ledger.getByTestId('ledger-all').check())
    const shown = await shownTotals()
    const want = await api('/api/v1/ledgers/personal-refund?selected=202001,202002,202003')
    check(same(shown, want.totals), `totals ${JSON.stringify(shown)} = API ${JSON.stringify(want.totals)}`)
    const draft = await api(`/api/v1/contributions-and-arrears/applications/${id}?ledger=true`)
    check(same(shown, draft.ledger.totals) && draft.selection.join() === '202001,202002,202003', 'the draft holds the ticks and totals')
  })
  await step('apply 4.4: untick 202002: the totals follow the server', async () => {
    await saved(page, () => page.getByRole('checkbox', { name: '勾选202002' }).uncheck())
    const shown = await shownTotals()
    const want = await api('/api/v1/ledgers/personal-refund?selected=202001,202003')
    check(same(shown, want.totals), `totals ${JSON.stringify(shown)} = API ${JSON.stringify(want.totals)}`)
    check((await page.getByTestId('ledger-all').evaluate((e) => e.indeterminate)) === true, '全选 is partly ticked')
  })
  await axe(page, '立即办理 4.4 (记录一览表)')
  await shot(page, '20-apply-44-ledger', { fullPage: true })

  await step('apply 4.4: saved meanwhile in another tab: a stale version asks to refresh', async () => {
    // The other tab's 409 is logged by Chromium as a failed resource: that
    // tab is not watched for console errors (the answer is the test).
    const other = await ctx.newPage()
    await open(other, base, 'personal-refund', id)
    await fill(page, '备注', '另一页面修改')
    await other.getByLabel('备注', { exact: true }).fill('本页面修改')
    const [r] = await Promise.all([other.waitForResponse(isPut), other.getByLabel('备注', { exact: true }).press('Tab')])
    check(r.status() === 409, `the stale save is refused (${r.status()})`)
    const alert = other.getByRole('alert').filter({ hasText: '请刷新后重试' })
    await alert.waitFor()
    await axe(other, '立即办理 (版本已过期)')
    await shot(other, '20-apply-stale')
    await alert.getByRole('button', { name: '刷新页面' }).click()
    await other.getByLabel('备注', { exact: true }).waitFor()
    check((await other.getByLabel('备注', { exact: true }).inputValue()) === '另一页面修改', 'the refreshed page shows what was saved')
    await other.close()
  })

  await step('apply 4.4: 长辈模式 on this screen', async () => {
    await page.getByTestId('elder-switch').click()
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'elder-mode on')
    const size = await page.locator('h1').evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    check(size >= 30, `the title is large (${size}px)`)
  })
  await axe(page, '立即办理 4.4 (长辈模式)')
  await shot(page, '20-apply-44-elder')
  await step('apply 4.4: 长辈模式 off', async () => {
    await page.getByTestId('elder-switch').click()
  })

  await step('apply 4.4: 375 px — the page does not scroll sideways (tables scroll in their frame)', async () => {
    await page.setViewportSize(PHONE)
    await page.waitForTimeout(200)
    await noHorizontalScroll(page)
  })
  await axe(page, '立即办理 4.4 (375 px)')
  await shot(page, '20-apply-44-375', { fullPage: true })
  await page.setViewportSize(DESKTOP)

  await step('apply 4.4: outside 每月1-25号 the business says when it opens and 提交办理 is off', async () => {
    // The runner's clock is the manual's (5月10日): the View's window is
    // made closed here, as the server words it on the 26th.
    await page.route('**/api/v1/contributions-and-arrears/applications/*?ledger=true', async (route) => {
      const r = await route.fetch()
      const v = await r.json()
      v.window = { ...v.window, open: false, opensAt: '2022-06-01T00:00:00+08:00' }
      await route.fulfill({ response: r, json: v })
    })
    await page.reload()
    await page.getByTestId('window-closed').waitFor()
    const text = await page.getByTestId('window-closed').textContent()
    check(text.includes('每月1-25号') && text.includes('2022年6月1日 00:00'), `window notice ${text}`)
    check(await page.getByRole('button', { name: '提交办理' }).isDisabled(), '提交办理 is disabled')
  })
  await axe(page, '立即办理 (不在办理时间)')
  await shot(page, '20-apply-window-closed')
  await page.unrouteAll({ behavior: 'wait' })
  await logout(page)
  await ctx.close()
}

async function employeeBackPayment(browser, base, runner, agent, employee) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  await step('apply 5.1: the agent names the employee (人员编号)', async () => {
    await signIn(page, runner, cap, base, agent)
    await open(page, base, 'employee-back-payment')
    await page.getByTestId('needs-employee').waitFor()
    await page.getByText('业务提示：如需进行对应费款所属期的补缴，需要进行对应费款所属期的缴费基数变更').waitFor()
    await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/ledgers\/employee-back-payment\?/.test(r.url())),
      fill(page, '人员编号', employee.personNo),
    ])
    await page.getByTestId('selection-单位信息').waitFor()
    check((await page.getByLabel('姓名', { exact: true }).inputValue()) === employee.name, 'the employee\'s name is filled from the record')
    await fill(page, '身份证号码', employee.username)
  })
  await step('apply 5.1: 单位信息 → 补缴记录一览表; tick 201304 and 201309: the manual\'s totals, the API\'s', async () => {
    await page.getByTestId('selection-单位信息').getByRole('checkbox').check()
    const ledger = page.getByTestId('ledger')
    await ledger.waitFor()
    await saved(page, () => page.getByRole('checkbox', { name: '勾选201304' }).check())
    await saved(page, () => page.getByRole('checkbox', { name: '勾选201309' }).check())
    await page.waitForFunction(() => document.querySelector('[data-testid="ledger-totals"]')?.getAttribute('aria-busy') === 'false')
    const t = page.getByTestId('ledger-totals')
    const got = Object.fromEntries(
      await t.locator('.total').evaluateAll((ds) => ds.map((d) => [d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.trim()])),
    )
    check(got['单位应缴金额'] === '3142.16' && got['个人应缴金额'] === '1196.64' && got['合计应缴总额'] === '4338.80', `5.1 totals ${JSON.stringify(got)}`)
    const r = await page.request.get(`${base}/api/v1/ledgers/employee-back-payment?person=${employee.personNo}&selected=201304,201309`)
    const want = Object.fromEntries((await r.json()).totals.map((x) => [x.label, x.value]))
    check(JSON.stringify(got) === JSON.stringify(want), `shown ${JSON.stringify(got)} = API ${JSON.stringify(want)}`)
  })
  await axe(page, '立即办理 5.1 (补缴记录一览表)')
  await shot(page, '20-apply-51-ledger', { fullPage: true })
  await step('apply 5.1: materials', async () => {
    for (const [i, m] of ['居民身份证正面', '居民身份证反面', '个人补缴业务委托(或承诺书)', '黑龙江省参加基本养老保险人员补缴审核表', '劳动用工合同'].entries()) {
      await upload(page, m, [image(`${i + 1}.png`, [40 * i, 100, 200 - 30 * i])])
    }
  })
  await step('apply 5.1: the answer of 确认提交 is lost: the retry sends the same Idempotency-Key → 提交成功', async () => {
    // In a second tab of the session, not watched for console errors: the
    // lost answer is logged by Chromium as a failed resource.
    const tab = await ctx.newPage()
    await open(tab, base, 'employee-back-payment', new URL(page.url()).searchParams.get('id'))
    const keys = []
    let first = true
    await tab.route('**/submit', async (route) => {
      keys.push(route.request().headers()['idempotency-key'])
      if (first) {
        first = false
        await route.fetch() // the server submits it, but the answer never arrives
        await route.abort('connectionreset')
      } else await route.continue()
    })
    await tab.getByRole('button', { name: '提交办理' }).click()
    const confirm = tab.getByRole('dialog', { name: '确认提交？' })
    await confirm.getByRole('button', { name: '确认提交' }).click()
    await confirm.getByRole('alert').filter({ hasText: '请点击“确认提交”重试' }).waitFor()
    const [r] = await Promise.all([
      tab.waitForResponse((x) => /\/submit$/.test(new URL(x.url()).pathname)),
      confirm.getByRole('button', { name: '确认提交' }).click(),
    ])
    check(r.status() === 201, `the retry answers the receipt (${r.status()})`)
    check(keys.length === 2 && keys[0] === keys[1] && /^[0-9a-f-]{36}$/.test(keys[0]), `one key for both tries: ${keys}`)
    const success = tab.getByRole('dialog', { name: '提交成功' })
    await success.waitFor()
    const { reference } = await r.json()
    const list = await (await tab.request.get(`${base}/api/v1/applications?business=employee-back-payment`)).json()
    check(list.items.filter((x) => x.reference === reference).length === 1, 'submitted once')
    await success.getByRole('button', { name: '完成' }).click()
    await tab.waitForURL(`${base}/user-center`)
    await tab.close()
    await logout(page)
  })
  await ctx.close()
}

async function wageDeclaration(browser, base, runner, agent) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hrss-e2e-52-'))
  let template
  let name = ''
  await step('apply 5.2: 文档材料 — the ZIP named after the unit', async () => {
    await signIn(page, runner, cap, base, agent)
    await open(page, base, 'unit-wage-declaration')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('declaration-template').click()])
    name = dl.suggestedFilename()
    check(name === `${agent.name}.zip`, `the ZIP is named after the unit: ${name}`)
    const file = path.join(dir, name)
    await dl.saveAs(file)
    template = await fs.readFile(file)
  })
  const docSlot = page.locator('[data-material="缴费申报文件"]')
  await step('apply 5.2: 上传文档 the template as it is: refused, with the problems of each row', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), docSlot.getByRole('button', { name: '上传缴费申报文件' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/zip', buffer: template })
    const report = docSlot.getByTestId('file-report')
    await report.waitFor({ timeout: 20_000 })
    const rows = await report.locator('tbody tr').allTextContents()
    check(rows.some((r) => r.includes('第2行') && r.includes('请填写上年度月平均工资')), `per-row errors ${rows}`)
    await docSlot.locator('.apply-error').first().waitFor()
  })
  await axe(page, '立即办理 5.2 (申报文件有误)')
  await shot(page, '20-apply-52-report', { fullPage: true })
  await step('apply 5.2: 删除, fill the wage cells, upload: accepted', async () => {
    await docSlot.getByRole('button', { name: /^删除 缴费申报文件/ }).click()
    await docSlot.locator('li.file').first().waitFor({ state: 'detached' })
    const filled = fillDeclaration(template, '上年度月平均工资（元）', '4538.00')
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), docSlot.getByRole('button', { name: '上传缴费申报文件' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/zip', buffer: filled.file })
    await docSlot.locator('li.file.is-accepted').waitFor({ timeout: 20_000 })
  })
  await step('apply 5.2: 年度, 开始年月, 终止年月, the images, submit', async () => {
    await fill(page, '年度', '2022')
    await choose(page, '开始年月', '01')
    await choose(page, '终止年月', '12')
    await upload(page, '职工个人缴费工资申报表', [image('申报表.png', [90, 90, 180])])
    await upload(page, '单位职工工资申报汇总表', [image('汇总表.png', [180, 90, 90])])
  })
  await axe(page, '立即办理 5.2 (已上传)')
  await shot(page, '20-apply-52-filled', { fullPage: true })
  await step('apply 5.2: 提交成功', async () => {
    const r = await submit(page, '5.2')
    await r.success.getByRole('button', { name: '完成' }).click()
    await page.waitForURL(`${base}/user-center`)
    await logout(page)
  })
  await fs.rm(dir, { recursive: true, force: true })
  await ctx.close()
}

// keyboardOnly does 4.1 灵活就业人员暂停缴费 with Tab, arrows, Enter and
// typing: never the mouse. Every stop shows its focus ring.
async function keyboardOnly(browser, base, runner, who) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  // Intercept file choosers from the start: a key press is quicker than
  // the interception waitForEvent would switch on.
  page.on('filechooser', () => {})
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement
      const ring = (e) => {
        if (!e) return false
        const s = getComputedStyle(e)
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
      }
      const labels = el && 'labels' in el && el.labels ? Array.from(el.labels).map((l) => l.textContent.trim()) : []
      return {
        tag: el?.tagName,
        type: el?.getAttribute('type') ?? '',
        labels,
        name: el?.getAttribute('aria-label') || el?.textContent?.trim() || '',
        required: el?.getAttribute('aria-required') === 'true',
        value: el && 'value' in el ? el.value : '',
        readonly: !!el?.hasAttribute('readonly'),
        visible: [el, el?.closest('.el-input__wrapper')].some(ring),
      }
    })
  async function tabTo(match, what, max = 80) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab')
      const f = await focused()
      check(f.visible, `focus is visible on ${JSON.stringify(f)}`)
      if (match(f)) return f
    }
    throw new Error('Tab never reached ' + what)
  }
  await step('keyboard 4.1: log in by keyboard', async () => {
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
  })
  await step('keyboard 4.1: 办事中心 → 立即办理 by keyboard', async () => {
    await page.locator('section.list[aria-busy="false"]').waitFor()
    await tabTo((f) => f.name === '搜索' || f.labels.includes('搜索'), 'the search box')
    await page.keyboard.type('灵活就业人员暂停缴费')
    await page.keyboard.press('Enter')
    await page.waitForURL(/q=/)
    await page.locator('section.list[aria-busy="false"]').waitFor()
    await tabTo((f) => f.tag === 'A' && /立即办理/.test(f.name), '立即办理 of 4.1')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/apply\/flexible-employment-suspend\?id=A/)
    await page.getByTestId('status').waitFor()
  })
  await step('keyboard 4.1: upload an optional material with Enter on its +', async () => {
    await tabTo((f) => f.tag === 'BUTTON' && f.name === '上传上学证明材料', 'the + of 上学证明材料')
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')])
    await chooser.setFiles(image('上学证明.png', [120, 60, 160]))
    await page.locator('[data-material="上学证明材料"] li.file.is-accepted').waitFor({ timeout: 20_000 })
  })
  await step('keyboard 4.1: choose the required selects with the arrow keys', async () => {
    for (;;) {
      const f = await tabTo((x) => (x.tag === 'SELECT' && x.required && !x.value) || x.name === '返回上一步', 'an empty required select')
      if (f.name === '返回上一步') break
      const [r] = await Promise.all([page.waitForResponse(isPut), page.keyboard.press('ArrowDown')])
      check(r.ok(), 'saved')
    }
  })
  await axe(page, '立即办理 4.1 (键盘)')
  await shot(page, '20-apply-keyboard')
  await step('keyboard 4.1: 提交办理, 确认提交 and 完成 with Enter', async () => {
    const f = await tabTo((x) => x.name === '提交办理', '提交办理')
    check(f.tag === 'BUTTON', '提交办理 is a button')
    await page.keyboard.press('Enter')
    const confirm = page.getByRole('dialog', { name: '确认提交？' })
    await confirm.waitFor()
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === '确认提交')
    const [r] = await Promise.all([page.waitForResponse((x) => /\/submit$/.test(new URL(x.url()).pathname)), page.keyboard.press('Enter')])
    check(r.status() === 201, `submitted by keyboard: ${r.status()} ${await r.text()}`)
    await page.getByRole('dialog', { name: '提交成功' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === '打印回执单')
    await tabTo((x) => x.name === '完成', '完成', 5)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${base}/user-center`)
  })
  await ctx.close()
}

export default async function ({ browser, base, runner, accounts }) {
  const individual = (what) => accounts.find((a) => a.userType === 'individual' && a.what?.startsWith(what))
  const agentFor = (business) => accounts.find((a) => a.userType === 'enterprise' && a.businesses?.includes(business))
  const refund = individual('4.4')
  const backPay = individual('5.1')
  const flexible = accounts.find((a) => a.userType === 'individual' && a.businesses?.includes('flexible-employment-suspend'))
  const reviewer = accounts.find((a) => a.userType === 'staff' && a.role === 'reviewer')
  const unit51 = agentFor('employee-back-payment')
  const unit52 = agentFor('unit-wage-declaration')
  check(refund && backPay && flexible && reviewer && unit51 && unit52, 'the demo accounts of 20-apply')

  await personalBasicInfo(browser, base, runner, refund, reviewer)
  await personalRefund(browser, base, runner, refund)
  await employeeBackPayment(browser, base, runner, unit51, backPay)
  await wageDeclaration(browser, base, runner, unit52)
  await keyboardOnly(browser, base, runner, flexible)
}
