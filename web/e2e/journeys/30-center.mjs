// 用户中心 and 试算 (issue 11): a demo individual's applications are made
// through the API (the 立即办理 screens are another journey's), then the
// person follows them in the portal: 我的申请 with the 48-hour clock, 我的
// 草稿, the detail with its 时间线 and rounds, 打印回执单 (the PDF opens),
// 撤回; a reviewer claims and rejects another (through the API), the
// person rates it 非常不满意 with a comment and sees the agency's answer;
// 谁查看了我的信息 shows the reviewer's read; both calculators run. Axe
// on every screen, one at 375 px and one in 长辈模式.
import { randomUUID } from 'node:crypto'
import { DESKTOP, PHONE, axe, check, freshCode, json, login, logout, shot, step, trackCaptcha } from '../lib.mjs'

// The smallest PNG the magic-bytes check takes (shared/application/apptest).
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)])
const BUSINESS = 'personal-basic-info-change' // 4.7 个人基本信息修改

// A person of the reviewer's pooling area (七台河, 2309…) who may do 4.7,
// preferably one the other journeys do not use (李淑珍, a retiree: her
// approved 4.7 changes only her own basic information).
function person(accounts) {
  const ok = (a) => a.userType === 'individual' && a.businesses?.includes(BUSINESS) && a.personNo?.startsWith('2309')
  return accounts.find((a) => ok(a) && a.personNo === '2309000901') ?? accounts.filter(ok).at(-1)
}

async function ok(res, what) {
  if (!res.ok()) throw new Error(`${what}: ${res.status()} ${await res.text()}`)
  return res.status() === 204 ? null : res.json()
}

// sample is a value the catalog takes for a required field the records
// did not fill (as apptest.Candidates does for the Go tests).
async function sample(req, base, f) {
  switch (f.type) {
    case 'enum': {
      const t = await ok(await req.get(`${base}/api/v1/code-tables/${f.enum}`), `code table ${f.enum}`)
      return (t.entries.find((e) => e.label === '工人') ?? t.entries.find((e) => !e.deprecated)).code
    }
    case 'text':
      return f.format === 'personName' ? '刘一' : '七台河市桃山区'
    case 'mobile':
      return '13009998888'
    case 'phone':
      return '0464-8281234'
    case 'postcode':
      return '154600'
    case 'date':
      return '2022-05-01'
    case 'yearMonth':
      return '2022-05'
    case 'integer':
      return '60'
    case 'money':
    case 'number':
      return '6000'
  }
  return 'x'
}

// submitted makes a 4.7 application through the API as the portal would:
// a prefilled draft, the missing required fields, one PNG per material
// through its presigned form, and 确认提交 with an Idempotency-Key. With
// submit false the draft is left as it is.
async function application(req, base, submit = true) {
  const def = await ok(await req.get(`${base}/api/v1/services/${BUSINESS}`), 'service')
  const apps = `${base}/api/v1/${def.family}/applications`
  let d = await ok(await req.post(apps, { data: { business: BUSINESS } }), 'create draft')
  if (!submit) return d
  const fields = { ...d.fields }
  for (const f of def.fields) if (f.required && !fields[f.key]) fields[f.key] = await sample(req, base, f)
  d = await ok(await req.put(`${apps}/${d.id}`, { data: { version: d.version, fields } }), 'save draft')
  check(!d.fieldErrors || Object.keys(d.fieldErrors).length === 0, `draft saved without errors: ${JSON.stringify(d.fieldErrors)}`)
  for (const m of d.materials) {
    const form = await ok(
      await req.post(`${apps}/${d.id}/uploads`, { data: { material: m.name, fileName: '材料.png', contentType: 'image/png', size: PNG.length } }),
      `presign ${m.name}`,
    )
    await ok(await req.post(form.url, { multipart: { ...form.fields, file: { name: '材料.png', mimeType: 'image/png', buffer: PNG } } }), 'upload')
    await ok(await req.post(`${apps}/${d.id}/uploads/${form.uploadId}/complete`), `complete ${m.name}`)
  }
  const r = await ok(await req.post(`${apps}/${d.id}/submit`, { headers: { 'Idempotency-Key': randomUUID() } }), 'submit')
  check(r.status === 'submitted' && r.reference, `submitted with a reference: ${JSON.stringify(r)}`)
  return r
}

// reviewer is a logged-in reviewer's request context (the captcha from the local helper, a 动态口令 not used yet in this run).
async function reviewer(browser, base, runner, staff) {
  const ctx = await browser.newContext()
  const req = ctx.request
  const cap = await ok(await req.get(`${base}/api/v1/auth/captcha`), 'captcha')
  const { answer } = await json(`${runner}/_local/captcha/${cap.captchaId}`)
  const code = await freshCode(runner, staff.username)
  await ok(
    await req.post(`${base}/api/v1/auth/login`, {
      data: { userType: 'staff', username: staff.username, password: staff.password, captchaId: cap.captchaId, captchaAnswer: answer, totp: code },
    }),
    'staff login',
  )
  return { ctx, req }
}

async function noSideScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  check(over <= 0, `no horizontal scroll (${over}px over)`)
}

async function listReady(page) {
  await page.locator('section.list[aria-busy="false"]').waitFor()
}

export default async function ({ browser, base, runner, accounts }) {
  const who = person(accounts)
  const staff = accounts.find((a) => a.userType === 'staff' && a.role === 'reviewer' && a.username === 'R230999') ??
    accounts.find((a) => a.userType === 'staff' && a.role === 'reviewer')
  check(who && staff, 'a 七台河 individual who may do 4.7, and its reviewer')
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  const req = page.request // shares the page's session cookie

  await step('center: 用户中心 → 用户登录 → back', async () => {
    await page.goto(`${base}/user-center`)
    await page.waitForURL(/\/login\?redirect=/)
    await login(page, runner, cap, { label: '社会保障号', username: who.username, password: who.password })
    await page.waitForURL(`${base}/user-center`)
    await listReady(page)
  })

  let a, b, c, d, e
  await step('center: five 4.7 applications through the API (four submitted, one draft)', async () => {
    a = await application(req, base) // withdrawn by the person
    b = await application(req, base) // rejected, then rated
    c = await application(req, base, false) // a draft
    d = await application(req, base) // returned with reasons
    e = await application(req, base) // approved: 办理结果
  })

  await step('center: 我的申请 lists them with status and the 48-hour clock', async () => {
    await page.reload()
    await listReady(page)
    for (const r of [a, b]) {
      const item = page.getByTestId('application').filter({ hasText: r.reference })
      await item.waitFor()
      check((await item.getByTestId('status').textContent()) === '已提交', `${r.reference} 已提交`)
      const clock = await item.getByTestId('sla').textContent()
      check(/48小时办结时限：剩余4[78]小时/.test(clock), `48-hour clock: ${clock}`)
    }
    check((await page.getByRole('tab', { name: '我的申请' }).getAttribute('aria-selected')) === 'true', '我的申请 selected')
  })
  await axe(page, '用户中心 (我的申请)')
  await shot(page, '30-center-applications')

  await step('center: filter 办理状态 = 审核中 (none), then 已提交', async () => {
    await page.getByLabel('办理状态').selectOption({ label: '审核中' })
    await page.waitForURL(/status=in_review/)
    await listReady(page)
    await page.locator('.el-empty').getByText('没有符合条件的申请').waitFor()
    await page.getByLabel('办理状态').selectOption({ label: '已提交' })
    await page.waitForURL(/status=submitted/)
    await listReady(page)
    check((await page.getByTestId('application').count()) >= 2, 'both submitted ones listed')
    await page.getByRole('button', { name: '清空条件' }).click()
    await page.waitForURL(`${base}/user-center`)
  })

  await step('center: 我的草稿 lists the draft with 继续办理', async () => {
    await page.getByRole('tab', { name: '我的草稿' }).click()
    await page.waitForURL(/tab=drafts/)
    await listReady(page)
    const link = page.getByRole('link', { name: '继续办理：个人基本信息修改' }).first()
    await link.waitFor()
    const hrefs = await page.getByRole('link', { name: /^继续办理/ }).evaluateAll((as) => as.map((x) => x.getAttribute('href')))
    check(hrefs.includes(`/apply/${BUSINESS}?id=${c.id}`), `继续办理 goes to 立即办理 with the draft: ${hrefs}`)
  })
  await axe(page, '用户中心 (我的草稿)')
  await shot(page, '30-center-drafts')

  await step('center: the detail of an application, its 时间线 and round', async () => {
    await page.getByRole('tab', { name: '我的申请' }).click()
    await listReady(page)
    await page.getByRole('link', { name: `查看详情：个人基本信息修改 ${a.reference}` }).click()
    await page.waitForURL(`${base}/user-center/applications/${a.id}`)
    await page.getByTestId('timeline').waitFor()
    const events = await page.getByTestId('timeline').locator('li strong').allTextContents()
    check(events.join(',') === '草稿,已提交', `timeline ${events}`)
    check((await page.getByTestId('reference').textContent()) === a.reference, '受理编号')
    check(/剩余4[78]小时/.test(await page.getByTestId('sla').textContent()), 'the clock on the detail')
    const round = page.getByTestId('round')
    check((await round.count()) === 1 && (await round.locator('summary').textContent()).includes('第1次提交'), 'one round')
    check((await round.locator('tr', { hasText: '个人身份' }).locator('td').textContent()) === '工人', 'coded values named (个人身份 工人)')
    check(await page.getByTestId('withdraw').isVisible(), '撤回 offered before a reviewer claims it')
  })
  await axe(page, '申请详情 (已提交)')
  await shot(page, '30-center-detail', { fullPage: true })

  await step('center: 打印回执单 opens the PDF', async () => {
    const pdf = ctx.waitForEvent('response', { predicate: (r) => (r.headers()['content-type'] ?? '').startsWith('application/pdf'), timeout: 30_000 })
    const popup = ctx.waitForEvent('page')
    await page.getByTestId('print-receipt').click()
    const [tab, res] = await Promise.all([popup, pdf])
    check(res.status() === 200, `PDF answered ${res.status()}`)
    // Chromium shows the PDF in its viewer (the response body is then the viewer's page): read the link itself.
    const bytes = await (await req.get(res.url())).body()
    check(bytes.subarray(0, 5).toString() === '%PDF-', `the receipt is a PDF (${res.url()})`)
    await tab.close()
  })

  await step('center: 撤回 with its confirmation', async () => {
    await page.getByTestId('withdraw').click()
    const dialog = page.getByRole('dialog', { name: '撤回申请' })
    await dialog.waitFor()
    await axe(page, '申请详情 (撤回确认)')
    await dialog.getByRole('button', { name: '确定撤回' }).click()
    await page.getByTestId('status').filter({ hasText: '已撤回' }).waitFor()
    check(!(await page.getByTestId('withdraw').isVisible()), 'no 撤回 any more')
    const events = await page.getByTestId('timeline').locator('li strong').allTextContents()
    check(events.at(-1) === '已撤回', `timeline ends withdrawn: ${events}`)
  })
  await shot(page, '30-center-withdrawn')

  const rv = await step('center: the reviewer rejects one, returns one and approves one (API)', async () => {
    const r = await reviewer(browser, base, runner, staff)
    const decide = async (app, decision) => {
      await ok(await r.req.post(`${base}/api/v1/review/applications/${app.id}/claim`), 'claim')
      await ok(await r.req.get(`${base}/api/v1/review/applications/${app.id}`), 'read the case') // audited
      await ok(await r.req.post(`${base}/api/v1/review/applications/${app.id}/decision`, { data: decision }), decision.decision)
    }
    await decide(b, { decision: 'reject', comment: '申请材料与本人信息不符，不予受理' })
    await decide(d, {
      decision: 'return',
      reasons: { 'fields.address': '地址不完整，请填写到门牌号', 'materials.居民身份证正面': '照片不清晰，请重新上传' },
    })
    await decide(e, { decision: 'approve' })
    // The decision's effect is applied by the review workflow: wait for 已办结.
    for (let i = 0; ; i++) {
      const v = await ok(await req.get(`${base}/api/v1/applications/${e.id}`), 'the approved case')
      if (v.status === 'completed') break
      check(i < 60, `the approved case completes (still ${v.status})`)
      await new Promise((done) => setTimeout(done, 250))
    }
    return r
  })

  await step('center: 不予受理 with its reason; 好差评 needs a comment for 非常不满意', async () => {
    await page.goto(`${base}/user-center/applications/${b.reference}`) // by 受理编号
    await page.getByTestId('status').filter({ hasText: '不予受理' }).waitFor()
    check((await page.getByTestId('rejected').textContent()).includes('申请材料与本人信息不符，不予受理'), 'the reason shown')
    check(!(await page.getByTestId('withdraw').isVisible()), 'no 撤回 once decided')
    await page.getByTestId('rating-grades').locator('label', { hasText: /^非常不满意$/ }).click()
    await page.getByRole('button', { name: '提交评价' }).click()
    await page.getByText('选择“非常不满意”时请填写原因，以便我们改进').waitFor()
    check((await page.getByLabel('评价内容').getAttribute('aria-invalid')) === 'true', 'the comment is marked invalid')
  })
  await axe(page, '申请详情 (好差评)')
  await shot(page, '30-center-rating')

  await step('center: rate 非常不满意 with a comment; the agency answers', async () => {
    await page.getByLabel('评价内容').fill('等待时间长，材料要求说明不清楚')
    await page.getByRole('button', { name: '提交评价' }).click()
    await page.getByTestId('rating-grade').filter({ hasText: '非常不满意' }).waitFor()
    await page.getByTestId('rating-pending').waitFor()
    check(!(await page.getByRole('button', { name: '提交评价' }).isVisible()), 'rated once only')
    await ok(
      await rv.req.post(`${base}/api/v1/review/applications/${b.id}/rating/answer`, {
        data: { answer: '已核实，今后将在办理指南中写明材料要求，感谢您的反馈。' },
      }),
      'answer the rating',
    )
    await rv.ctx.close()
    await page.reload()
    await page.getByTestId('rating-answer').filter({ hasText: '已核实，今后将在办理指南中写明材料要求' }).waitFor()
  })
  await axe(page, '申请详情 (不予受理，已评价)')
  await shot(page, '30-center-rated', { fullPage: true })

  await step('center: 已退回 with the reasons under what they are about, and 修改后重新提交', async () => {
    await page.goto(`${base}/user-center/applications/${d.id}`)
    const returned = page.getByTestId('returned')
    await returned.waitFor()
    const reasons = (await returned.locator('li').allTextContents()).map((t) => t.trim())
    check(
      reasons.includes('地址：地址不完整，请填写到门牌号') && reasons.includes('材料：居民身份证正面：照片不清晰，请重新上传'),
      `reasons ${reasons}`,
    )
    const href = await page.getByTestId('resubmit').getAttribute('href')
    check(href === `/apply/${BUSINESS}?id=${d.id}`, `修改后重新提交 goes to 立即办理 with the case (${href})`)
  })
  await axe(page, '申请详情 (已退回)')
  await shot(page, '30-center-returned')

  await step('center: 已办结 with the 办理结果 the server wrote, and 好差评 offered', async () => {
    const want = await ok(await req.get(`${base}/api/v1/applications/${e.id}`), 'the completed case')
    await page.goto(`${base}/user-center/applications/${e.id}`)
    await page.getByTestId('status').filter({ hasText: '已办结' }).waitFor()
    const result = (await page.getByTestId('result').locator('p').textContent()).trim()
    check(want.result && result === want.result, `办理结果 "${result}" = API "${want.result}"`)
    check(await page.getByRole('button', { name: '提交评价' }).isVisible(), '好差评 offered once completed')
  })
  await axe(page, '申请详情 (已办结)')
  await shot(page, '30-center-completed')

  await step('center: 我的申请 after the decisions', async () => {
    await page.goto(`${base}/user-center`)
    await listReady(page)
    const labels = {}
    for (const [r, want] of [[a, '已撤回'], [b, '不予受理'], [d, '已退回'], [e, '已办结']]) {
      labels[r.reference] = await page.getByTestId('application').filter({ hasText: r.reference }).getByTestId('status').textContent()
      check(labels[r.reference] === want, `${r.reference}: ${labels[r.reference]} (want ${want})`)
    }
    await page.getByRole('link', { name: `修改后重新提交：个人基本信息修改 ${d.reference}` }).waitFor()
    check((await page.getByTestId('sla').count()) === 0, 'no clock once decided')
  })

  await step('center: 谁查看了我的信息 shows the reviewer read', async () => {
    await page.getByRole('link', { name: '谁查看了我的信息' }).click()
    await page.waitForURL(`${base}/user-center/access-log`)
    const row = page.getByTestId('access-log').locator('tbody tr', { hasText: '个人基本信息修改' }).first()
    await row.waitFor()
    const cells = await row.locator('td').allTextContents()
    check(cells[2] === '经办人员' && cells[3] === '查看' && cells[5] === '成功', `access log row ${cells}`)
  })
  await axe(page, '谁查看了我的信息')
  await shot(page, '30-access-log')

  const trial = { insured: '企业职工', rows: [{ period: '202009', base: '2800' }, { period: '202010', base: '2800' }] }
  await step('center: 补缴试算 refuses a month that does not exist, under its field', async () => {
    await page.goto(`${base}/user-center`)
    await page.getByRole('link', { name: '补缴试算' }).click()
    await page.waitForURL(`${base}/calculators/back-payment`)
    await page.getByLabel('第1行 对应费款所属期').fill('202013')
    await page.getByLabel('第1行 缴费基数').fill('2800')
    await page.getByRole('button', { name: '试算', exact: true }).click()
    await page.getByText('费款所属期格式应为YYYYMM，月份为01-12').waitFor()
    check((await page.getByLabel('第1行 对应费款所属期').getAttribute('aria-invalid')) === 'true', 'the month is marked invalid')
    check(await page.getByLabel('第1行 对应费款所属期').evaluate((e) => e === document.activeElement), 'focus on the field')
  })
  await step('center: 补缴试算 by 批量添加 shows the server figures exactly (手册 4.6)', async () => {
    await page.getByRole('button', { name: '清空' }).click()
    await page.getByLabel('开始年月').fill('202009')
    await page.getByLabel('结束年月').fill('202010')
    await page.getByLabel('缴费基数', { exact: true }).fill('2800')
    await page.getByRole('button', { name: '添加', exact: true }).click()
    check((await page.getByLabel('第2行 对应费款所属期').inputValue()) === '202010', 'two months added')
    await page.getByRole('button', { name: '试算', exact: true }).click()
    const result = page.getByTestId('trial-result')
    await result.waitFor()
    const want = await ok(await req.post(`${base}/api/v1/calculations/back-payment`, { data: trial }), 'trial')
    const totals = await result.getByTestId('trial-totals').locator('dd').allTextContents()
    check(
      totals.join('|') === [want.totals.unit, want.totals.personal, want.totals.total].map((v) => v + '元').join('|'),
      `totals ${totals} = API ${JSON.stringify(want.totals)}`,
    )
    const first = await result.locator('tbody tr').first().locator('td').allTextContents()
    check(first.includes('224.00') && first.includes('19.80'), `202009: 个人应缴 224.00, 利息 19.80 as in the manual (${first})`)
    check(first[0] === want.rows[0].base, 'base as sent')
  })
  await axe(page, '补缴试算')
  await shot(page, '30-calc-back-payment', { fullPage: true })

  await step('center: 补缴试算 at 375 px', async () => {
    await page.setViewportSize(PHONE)
    await page.getByTestId('trial-result').waitFor()
    await noSideScroll(page)
  })
  await axe(page, '补缴试算 (375 px)')
  await shot(page, '30-calc-back-payment-375', { fullPage: true })
  await page.setViewportSize(DESKTOP)

  await step('center: 退休测算 (手册 4.22: 提前退休月数 87)', async () => {
    await page.goto(`${base}/user-center`)
    await page.getByRole('link', { name: '退休测算' }).click()
    await page.waitForURL(`${base}/calculators/retirement`)
    await page.getByRole('textbox', { name: '档案出生日期' }).fill('1969-05-18')
    await page.getByRole('radiogroup', { name: '性别' }).locator('label', { hasText: /^男$/ }).click()
    await page.getByRole('radiogroup', { name: '个人身份' }).locator('label', { hasText: /^工人$/ }).click()
    await page.getByRole('textbox', { name: '退休日期' }).fill('2022-02-15')
    await page.getByRole('textbox', { name: '实际缴费月数' }).fill('192')
    await page.getByRole('textbox', { name: '视同缴费月数' }).fill('0')
    await page.getByRole('button', { name: '测算', exact: true }).click()
    const result = page.getByTestId('retirement-result')
    await result.waitFor()
    const text = (await result.locator('.figure').allTextContents()).join('|')
    for (const want of ['法定退休年龄60岁', '法定退休日期2029-05-18', '提前退休月数87', '实际缴费月数192', '最低缴费月数180']) {
      check(text.includes(want), `${want} in ${text}`)
    }
  })
  await axe(page, '退休测算')
  await shot(page, '30-calc-retirement', { fullPage: true })

  await step('center: 用户中心 in 长辈模式', async () => {
    await page.goto(`${base}/user-center`)
    await listReady(page)
    await page.getByTestId('elder-switch').click()
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'elder-mode on')
    const size = await page.getByTestId('application').first().locator('h3').evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    check(size >= 24, `titles are large (${size}px)`)
    await noSideScroll(page)
  })
  await axe(page, '用户中心 (长辈模式)')
  await shot(page, '30-center-elder')
  await step('center: 长辈模式 off, 退出', async () => {
    await page.getByTestId('elder-switch').click()
    await logout(page)
  })
  await ctx.close()
}
