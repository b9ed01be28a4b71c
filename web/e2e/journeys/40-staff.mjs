// 40 — the staff console (工作人员): cases prepared through the API by demo
// applicants, then the console in the browser as the reviewers R230999 and
// R230998 (待审核, 受理, the case with its materials, 退回, 通过, the second
// approval of a four-eyes business, 好差评 and its statistics) and as the
// admin A000001 (参考数据维护). axe on every screen, screenshots 40-*.png,
// one screen at 375 px, claim + approve by keyboard only.
import { step, check, axe, shot, trackCaptcha, logout, pageErrors, apiLogin, residentID, luhn, samplePNG, staffLogin, openQueue, findCard, card, DESKTOP, PHONE } from '../lib.mjs'

// ---------------------------------------------------------------- filling a form (as shared/application/apptest)

const MALE_ID = residentID('23090219780111001')
const FEMALE_ID = residentID('23090219800229002')

const BANK_ACCOUNT = (() => {
  for (let d = 0; d <= 9; d++) if (luhn('622848006001234567' + d)) return '622848006001234567' + d
})()

/** candidates are sample values of a field, tried in order until the form takes one. */
async function candidates(f, codes) {
  switch (f.type) {
    case 'text':
      return f.format === 'personName' ? ['刘一'] : ['七台河市桃山区']
    case 'code':
      return ['23099923090111101656']
    case 'date':
      return /irth/.test(f.key) ? ['1978-01-11', '1980-02-29'] : ['2022-05-01', '2000-01-01', '2022-04-01']
    case 'yearMonth':
      return ['2022-05', '2000-01', '2022-06']
    case 'year':
      return ['2022']
    case 'month':
      return ['05']
    case 'enum': {
      const t = await codes(f.enum)
      return t ? t.entries.filter((e) => !e.retired).map((e) => e.code) : ['x']
    }
    case 'money':
    case 'number':
      return ['6000']
    case 'ratio':
      return ['0.60']
    case 'integer':
      return ['60']
    case 'idNumber':
    case 'socialSecurityNumber':
      return [MALE_ID, FEMALE_ID]
    case 'mobile':
      return ['13009998888']
    case 'phone':
      return ['0464-8281234']
    case 'postcode':
      return ['154600']
    case 'email':
      return ['hr@example.com']
    case 'bankAccount':
      return [BANK_ACCOUNT]
    case 'regionCode':
      return f.enum === 'poolingArea' ? ['230999'] : ['230903', '230902']
  }
  return ['x']
}

/** needed lists the materials a submit needs: every required one and the first of each one-of group. */
function needed(b) {
  const groups = new Set()
  return b.materials.filter((m) => {
    if (!m.required && (!m.oneOf || groups.has(m.oneOf))) return false
    groups.add(m.oneOf)
    return true
  })
}

/**
 * submitCase opens a draft of business as api's user, fills every empty
 * field (trying samples until the form takes them), ticks every row of its
 * record table, uploads a PNG per needed material through the presigned
 * form and submits it with an Idempotency-Key. It answers the submit's
 * receipt {id, reference, ...}.
 */
export async function submitCase(api, business) {
  const b = await api.must('GET', `/api/v1/services/${business}`)
  const tables = new Map()
  const codes = async (name) => {
    if (!tables.has(name)) {
      const r = await api.req('GET', `/api/v1/code-tables/${name}`)
      tables.set(name, r.status === 200 ? r.data : null)
    }
    return tables.get(name)
  }
  const base = `/api/v1/${b.family}/applications`
  let d = await api.must('POST', base, { business })
  const fields = { ...d.fields }
  const prefilled = new Set(Object.keys(d.fields ?? {}))
  const tries = {}
  for (const f of b.fields) if (!(f.key in fields)) fields[f.key] = (await candidates(f, codes))[0]
  const rows = b.repeatingRows
    ? [Object.fromEntries(await Promise.all(b.repeatingRows.fields.map(async (f) => [f.key, (await candidates(f, codes))[0]])))]
    : undefined
  let selection = []
  for (let round = 0; round < 8; round++) {
    d = await api.must('PUT', `${base}/${d.id}?ledger=true`, { version: d.version, fields, selection, rows })
    if (d.ledger && selection.length === 0 && d.ledger.rows.length > 0) {
      selection = d.ledger.rows.map((r) => r.period)
      continue
    }
    const errs = d.fieldErrors ?? {}
    if (Object.keys(errs).length === 0) break
    for (const k of Object.keys(errs)) {
      const key = k.replace(/^fields\./, '')
      // A prefilled field is never changed: its error moves the typed-in dates.
      const keys = prefilled.has(key)
        ? b.fields.filter((f) => !prefilled.has(f.key) && (f.type === 'date' || f.type === 'yearMonth')).map((f) => f.key)
        : [key]
      for (const kk of keys) {
        const f = b.fields.find((x) => x.key === kk)
        if (!f) continue
        const cs = await candidates(f, codes)
        tries[kk] = (tries[kk] ?? 0) + 1
        fields[kk] = cs[tries[kk] % cs.length]
      }
    }
  }
  const png = samplePNG()
  for (const m of needed(b)) {
    const type = m.types.includes('image/png') ? 'image/png' : m.types[0]
    const form = await api.must('POST', `${base}/${d.id}/uploads`, {
      material: m.name,
      fileName: `${m.name}.png`,
      contentType: type,
      size: png.length,
    })
    const fd = new FormData()
    for (const [k, v] of Object.entries(form.fields ?? {})) fd.append(k, v)
    fd.append('file', new Blob([png], { type }), `${m.name}.png`)
    const up = await fetch(form.url.startsWith('http') ? form.url : api.runner + form.url, { method: 'POST', body: fd })
    check(up.ok, `upload of ${m.name}: ${up.status} ${await up.text()}`)
    await api.must('POST', `${base}/${d.id}/uploads/${form.uploadId}/complete`)
  }
  return api.must('POST', `${base}/${d.id}/submit`, undefined, { 'Idempotency-Key': `e2e-40-${d.id}` })
}

// ---------------------------------------------------------------- the journey

const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

async function pollCase(api, id, want, seconds = 30) {
  for (let i = 0; i < seconds * 2; i++) {
    const c = await api.must('GET', `/api/v1/review/applications/${id}`)
    if (want(c)) return c
    await new Promise((ok) => setTimeout(ok, 500))
  }
  throw new Error(`case ${id} did not reach the expected state in ${seconds} s`)
}

// expectConflict runs fn, in which the page is refused with 409 on
// purpose (a claim another reviewer won, a second approval by the same
// reviewer): Chromium logs such an answer as a failed resource, which is
// the test, not a bug of the page.
async function expectConflict(fn) {
  const before = pageErrors.length
  await fn()
  for (let i = pageErrors.length - 1; i >= before; i--) if (/status of 409 \(Conflict\)/.test(pageErrors[i])) pageErrors.splice(i, 1)
}

// focused describes the focused element and whether a focus ring is drawn
// on it (or on the styled part of a hidden radio input or an input's wrapper).
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    const labels = el && 'labels' in el && el.labels ? Array.from(el.labels).map((l) => l.textContent.trim()) : []
    const candidates = [el, el?.closest('.el-input__wrapper'), el?.closest('.el-select__wrapper'), el?.nextElementSibling]
    const ring = (e) => {
      if (!e) return false
      const s = getComputedStyle(e)
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
    }
    return {
      tag: el?.tagName,
      labels,
      name: el?.getAttribute('aria-label') || el?.textContent?.trim() || '',
      id: el?.id ?? '',
      visible: candidates.some(ring),
    }
  })
}

async function tabTo(page, match, what) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab')
    const f = await focused(page)
    check(f.visible, `focus is visible on ${JSON.stringify(f)} (going to ${what})`)
    if (match(f)) return f
  }
  throw new Error('Tab never reached ' + what)
}

export default async function staffJourney({ browser, base, runner, accounts }) {
  const by = (u) => {
    const a = accounts.find((x) => x.username === u)
    check(a, `demo account ${u}`)
    return a
  }
  const reviewer = by('R230999')
  const second = by('R230998')
  const admin = by('A000001')

  // ------------------------------------------------ cases, through the API as the applicants do
  const cases = await step('staff: prepare cases through the API', async () => {
    const [zhang, wang, liu, wei, chen, zhao] = await Promise.all(
      ['230902194801050132', '230903197910230570', '230903197203140226', '230827196905180039', '23090219720630017X', '230904197508190423'].map((u) =>
        apiLogin(runner, by(u)),
      ),
    )
    const out = {
      returned: await submitCase(zhang, 'personal-basic-info-change'),
      approved: await submitCase(wang, 'personal-basic-info-change'),
      fourEyes: await submitCase(liu, 'personal-refund'),
      rejected: await submitCase(wei, 'personal-basic-info-change'),
      conflict: await submitCase(chen, 'personal-basic-info-change'),
    }
    const r2 = await apiLogin(runner, second)
    // A rejected case rated 非常不满意 with a comment by its applicant.
    await r2.must('POST', `/api/v1/review/applications/${out.rejected.id}/claim`)
    await r2.must('POST', `/api/v1/review/applications/${out.rejected.id}/decision`, { decision: 'reject', comment: '所附材料与登记信息不符' })
    await wei.must('POST', `/api/v1/applications/${out.rejected.id}/rating`, { grade: '1', comment: '等了两天才告诉我不予受理，理由也没说清楚' })
    // The same dues revoked twice: the second approval cannot be applied
    // and waits in 异常待处理. (Should another journey have revoked them
    // already, there is nothing to revoke: 异常待处理 is then shown empty.)
    try {
      out.revoke1 = await submitCase(zhao, 'flexible-employment-due-assessment-revoke')
      out.revoke2 = await submitCase(zhao, 'flexible-employment-due-assessment-revoke')
    } catch (e) {
      console.log(`staff: no 4.26 case to send to 异常待处理 (${e.message.slice(0, 200)})`)
    }
    if (out.revoke2) {
      for (const c of [out.revoke1, out.revoke2]) {
        await r2.must('POST', `/api/v1/review/applications/${c.id}/claim`)
        await r2.must('POST', `/api/v1/review/applications/${c.id}/decision`, { decision: 'approve' })
        await pollCase(r2, c.id, (x) => x.status === 'completed' || !!x.attention)
      }
      const stuck = await r2.must('GET', `/api/v1/review/applications/${out.revoke2.id}`)
      check(stuck.attention, `the second revocation waits for staff (${stuck.status})`)
    }
    return { ...out, r2, wei }
  })

  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)

  // ------------------------------------------------ 待审核 as R230999
  await step('staff: R230999 logs in (动态口令) → 待审核', async () => {
    await staffLogin(page, base, runner, cap, reviewer)
    await page.waitForURL(`${base}/staff`)
    await page.locator('.queue-list[aria-busy="false"]').waitFor()
    for (const k of ['returned', 'approved', 'fourEyes', 'conflict']) await findCard(page, cases[k].reference)
    check(!(await card(page, cases.rejected.reference).count()), 'a decided case is not in the queue')
    const refs = await page.locator('[data-testid="queue"] > li').evaluateAll((ls) => ls.map((l) => l.dataset.reference))
    const api = await page.evaluate(async () => (await (await fetch('/api/v1/review/queue')).json()).items.map((i) => i.reference))
    check(JSON.stringify(refs.slice(0, api.length)) === JSON.stringify(api), `the queue is the API's, due first first (${refs} vs ${api})`)
    const four = card(page, cases.fourEyes.reference)
    check((await four.getByTestId('four-eyes').textContent()).includes('双人审核：已通过 0/2'), 'four-eyes state of 4.4')
    check((await card(page, cases.returned.reference).locator('.sla-tag').textContent()).trim() === '正常', '时限状态 正常')
  })
  await axe(page, '待审核')
  await shot(page, '40-queue')

  await step('staff: filters 业务 = 4.4 个人退费 and 时限状态 = 已超时 / 正常', async () => {
    await page.getByRole('radiogroup', { name: '时限状态' }).locator('label', { hasText: /^已超时$/ }).click()
    await page.waitForURL(/sla=overdue/)
    await page.locator('.queue-list[aria-busy="false"]').waitFor()
    await page.getByText('暂无待审核的申请').waitFor()
    await page.getByRole('radiogroup', { name: '时限状态' }).locator('label', { hasText: /^正常$/ }).click()
    await page.waitForURL(/sla=onTime/)
    await page.locator('#queue-business').click()
    await page.locator('#queue-business').fill('个人退费')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '4.4 个人退费' }).click()
    await page.waitForURL(/business=personal-refund/)
    await page.locator('.queue-list[aria-busy="false"]').waitFor()
    await card(page, cases.fourEyes.reference).waitFor()
    const names = await page.locator('[data-testid="queue"] h3').allTextContents()
    check(names.length > 0 && names.every((n) => n.includes('个人退费')), `only 个人退费 (${names})`)
  })
  await axe(page, '待审核 (业务与时限状态)')
  await shot(page, '40-queue-filtered')

  // ------------------------------------------------ 受理 won by another reviewer
  await step('staff: 受理 a case another reviewer claimed meanwhile → the conflict message', () => expectConflict(async () => {
    await openQueue(page, base)
    const c = await findCard(page, cases.conflict.reference)
    await c.getByTestId('claim').waitFor()
    await cases.r2.must('POST', `/api/v1/review/applications/${cases.conflict.id}/claim`)
    await c.getByTestId('claim').click()
    await card(page, cases.conflict.reference).getByTestId('claim-error').filter({ hasText: '该申请已被其他审核员受理' }).waitFor()
    await card(page, cases.conflict.reference).scrollIntoViewIfNeeded()
  }))
  await axe(page, '待审核 (受理冲突)')
  await shot(page, '40-claim-conflict')

  // ------------------------------------------------ the case: snapshot, materials, return with a reason
  await step('staff: 受理 → the case with its snapshot (catalog labels, masked ID) and materials', async () => {
    await (await findCard(page, cases.returned.reference)).getByTestId('claim').click()
    await page.waitForURL(new RegExp(`/staff/cases/${cases.returned.id}$`))
    await page.getByTestId('case-reference').filter({ hasText: cases.returned.reference }).waitFor()
    check((await page.getByTestId('case-status').textContent()).includes('审核中'), 'claimed: 审核中')
    const fields = page.getByTestId('latest-round').getByTestId('snapshot-fields')
    const idRow = fields.locator('tr[data-field="idNumber"]')
    check((await idRow.locator('th').textContent()) === '证件号码', 'the catalog label of idNumber')
    check(/\*{4,}/.test(await idRow.locator('td').textContent()), 'the ID number masked as the API gives it')
    check((await fields.locator('tr[data-field="hukouAddress"] th').textContent()) === '户口所在地址', 'label 户口所在地址')
    const files = page.getByTestId('latest-round').getByTestId('materials').locator('li.file[data-kind="image"]')
    check((await files.count()) === 3, 'three images')
    await page.waitForFunction(() => [...document.querySelectorAll('.thumb img')].every((i) => i.complete && i.naturalWidth > 0))
  })
  await axe(page, '审核 (申请内容与材料)')
  await shot(page, '40-case')
  await shot(page, '40-case-full', { fullPage: true })

  await step('staff: the image viewer opens from a thumbnail and closes with Esc', async () => {
    const thumb = page.getByRole('button', { name: /^预览图片：居民身份证正面/ })
    await thumb.click()
    const viewer = page.getByRole('dialog', { name: /图片预览/ })
    await viewer.waitFor()
    await page.waitForFunction(() => {
      const i = document.querySelector('.el-image-viewer__img')
      return i && i.complete && i.naturalWidth > 0 && i.getAttribute('alt')
    })
  })
  await axe(page, '审核 (图片预览)')
  await shot(page, '40-image-preview')
  await step('staff: Esc closes the viewer, focus back on the thumbnail', async () => {
    await page.keyboard.press('Escape')
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' })
    await page.waitForFunction(() => document.activeElement?.classList.contains('thumb'))
  })

  await step('staff: 退回 without a reason is refused, then with a reason on 户口所在地址', async () => {
    const form = page.getByTestId('decision')
    await form.getByRole('radiogroup', { name: '审核决定' }).locator('label', { hasText: /^退回$/ }).click()
    await form.getByTestId('decision-submit').click()
    await form.getByText('退回时请至少填写一条原因，申请人会在对应的项目下看到').waitFor()
  })
  await axe(page, '审核决定 (退回须填原因)')
  await shot(page, '40-return-error')
  await step('staff: 退回 with the reason → 已退回', async () => {
    const form = page.getByTestId('decision')
    await page.locator('#reason-target-0').click()
    await page.locator('#reason-target-0').fill('户口')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '项目：户口所在地址' }).click()
    await page.getByLabel('退回原因（第1条）').fill('户口所在地址与户口簿不一致，请核对后重新填写')
    await form.getByTestId('decision-submit').click()
    await page.getByTestId('case-notice').getByText('已退回申请人').waitFor()
    check((await page.getByTestId('case-status').textContent()).includes('已退回'), 'status 已退回')
    await page.getByRole('region', { name: '退回原因' }).getByText('项目：户口所在地址').waitFor()
    const c = await cases.r2.must('GET', `/api/v1/review/applications/${cases.returned.id}`)
    check(c.status === 'returned' && c.reasons?.['fields.hukouAddress'], `the API has the reason (${JSON.stringify(c.reasons)})`)
  })
  await axe(page, '审核 (已退回)')
  await shot(page, '40-returned')

  // ------------------------------------------------ claim + approve with the keyboard only
  await step('staff (keyboard): 受理 from 待审核 with Tab and Enter', async () => {
    await openQueue(page, base)
    await findCard(page, cases.approved.reference)
    await page.locator('#main h1').focus()
    const name = `受理 个人基本信息修改 ${cases.approved.reference}`
    await tabTo(page, (f) => f.name === name, name)
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/staff/cases/${cases.approved.id}$`))
    await page.getByTestId('decision').waitFor()
  })
  await step('staff (keyboard): 作出审核决定, 通过 with Space, 审核意见, Enter', async () => {
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === '作出审核决定', 'the link to the decision')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement?.id === 'decision-title')
    await tabTo(page, (f) => f.tag === 'INPUT' && f.labels.join('') === '通过', 'the 通过 choice')
    await page.keyboard.press('Space')
    await tabTo(page, (f) => f.id === 'decision-comment', '审核意见')
    await page.keyboard.type('材料齐全，信息一致')
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === '通过', 'the submit button')
    await shot(page, '40-keyboard-approve')
    await page.keyboard.press('Enter')
    await page.getByTestId('case-notice').getByText(/已通过|已办结/).waitFor()
  })
  await step('staff: the workflow completes the approved case (the page follows it)', async () => {
    await page.getByTestId('case-status').filter({ hasText: '已办结' }).waitFor({ timeout: 40_000 })
    await page.getByTestId('case-result').waitFor()
    await page.getByTestId('case-notice').getByText('已办结').waitFor()
    const c = await cases.r2.must('GET', `/api/v1/review/applications/${cases.approved.id}`)
    check(c.status === 'completed' && c.result, `completed with a result (${c.status})`)
  })
  await axe(page, '审核 (已办结)')
  await shot(page, '40-completed')

  // ------------------------------------------------ four-eyes: the first approval
  await step('staff: 4.4 个人退费 — the record table and its totals, first approval', async () => {
    await openQueue(page, base)
    await (await findCard(page, cases.fourEyes.reference)).getByTestId('claim').click()
    await page.waitForURL(new RegExp(`/staff/cases/${cases.fourEyes.id}$`))
    const ledger = page.getByTestId('latest-round').getByTestId('ledger')
    await ledger.waitFor()
    check((await ledger.locator('thead th').allTextContents()).includes('个人实缴'), 'grouped ledger header')
    check((await ledger.locator('tbody tr').count()) > 0, 'ticked rows')
    check((await page.getByTestId('latest-round').getByTestId('ledger-totals').textContent()).includes('合计金额'), '合计金额')
    check((await page.getByTestId('case-four-eyes').textContent()).includes('0/2'), 'four-eyes 0/2')
    await page.getByTestId('latest-round').getByRole('heading', { name: '退费记录一览表' }).evaluate((h) => h.scrollIntoView({ block: 'start' }))
  })
  await axe(page, '审核 (记录一览表)')
  await shot(page, '40-case-ledger')
  await step('staff: 通过（初审） → back to the queue for a second reviewer', async () => {
    const form = page.getByTestId('decision')
    await form.getByRole('radiogroup', { name: '审核决定' }).locator('label', { hasText: /^通过$/ }).click()
    await form.getByTestId('decision-submit').click()
    await page.getByTestId('case-notice').getByText('初审已通过').waitFor()
    check((await page.getByTestId('case-four-eyes').textContent()).includes('已通过 1/2'), 'four-eyes 1/2')
  })
  await step('staff: the same reviewer cannot approve it again (the API’s message)', () => expectConflict(async () => {
    await openQueue(page, base)
    const c = await findCard(page, cases.fourEyes.reference)
    check((await c.getByTestId('four-eyes').textContent()).includes('已通过 1/2，待其他审核员复核'), 'queue shows 1/2')
    await c.getByTestId('claim').click()
    await card(page, cases.fourEyes.reference).getByTestId('claim-error').filter({ hasText: '本业务须由两名不同的审核员审核' }).waitFor()
    await card(page, cases.fourEyes.reference).scrollIntoViewIfNeeded()
  }))
  await axe(page, '待审核 (双人审核)')
  await shot(page, '40-four-eyes-refused')

  // ------------------------------------------------ 异常待处理
  await step('staff: 异常待处理 lists the failed step and its cause; 重新办理', async () => {
    await page.getByRole('navigation', { name: '工作人员' }).getByRole('link', { name: '异常待处理' }).click()
    await page.waitForURL(`${base}/staff/attention`)
    if (!cases.revoke2) return void (await page.locator('[aria-busy="false"]').getByText(/暂无异常待处理的申请|共 \d+ 件/).first().waitFor())
    const item = page.locator(`[data-testid="attention"] > li[data-reference="${cases.revoke2.reference}"]`)
    await item.waitFor()
    check((await item.getByTestId('attention-cause').textContent()).trim().length > 0, 'a cause')
    check((await item.textContent()).includes('执行审核决定'), 'the failed step')
  })
  await axe(page, '异常待处理')
  await shot(page, '40-attention')
  await step('staff: 重新办理 runs the step again', async () => {
    if (!cases.revoke2) return
    const item = page.locator(`[data-testid="attention"] > li[data-reference="${cases.revoke2.reference}"]`)
    await item.getByRole('button', { name: /^重新办理/ }).click()
    await item.getByRole('status').filter({ hasText: /已重新办理|异常/ }).waitFor()
  })

  // ------------------------------------------------ 好差评 and its statistics
  await step('staff: 好差评 — only unanswered 差评, answer one once', async () => {
    await page.getByRole('navigation', { name: '工作人员' }).getByRole('link', { name: '好差评', exact: true }).click()
    await page.waitForURL(`${base}/staff/ratings`)
    await page.getByTestId('filter-negative').click()
    await page.getByTestId('filter-unanswered').click()
    const r = page.locator(`[data-testid="ratings"] > li[data-id="${cases.rejected.id}"]`)
    await r.waitFor()
    check((await r.textContent()).includes('非常不满意'), '非常不满意')
    check((await r.textContent()).includes('理由也没说清楚'), 'the comment')
    await r.getByRole('button', { name: '提交答复' }).click()
    await r.getByText('请填写答复内容').waitFor()
  })
  await axe(page, '好差评 (待答复)')
  await shot(page, '40-ratings')
  await step('staff: the answer is sent and shown; the form is gone', async () => {
    const r = page.locator(`[data-testid="ratings"] > li[data-id="${cases.rejected.id}"]`)
    await r.getByLabel('答复', { exact: true }).fill('已联系申请人，说明不予受理的理由：所附居民身份证与登记信息不符。今后不予受理时会写明具体理由。')
    await r.getByRole('button', { name: '提交答复' }).click()
    await r.getByTestId('answer').waitFor()
    check((await r.getByTestId('answer-state').textContent()).includes('已答复'), '已答复')
    check(!(await r.getByRole('button', { name: '提交答复' }).count()), 'answered once: no form')
  })
  await shot(page, '40-ratings-answered')

  await step('staff: 好差评统计 — a table per business for a period', async () => {
    await page.getByRole('navigation', { name: '工作人员' }).getByRole('link', { name: '好差评统计' }).click()
    await page.waitForURL(`${base}/staff/ratings/stats`)
    await page.getByTestId('rating-stats').waitFor()
    await page.getByLabel('开始日期').fill('2022-05-01')
    await page.getByLabel('结束日期').fill('2022-04-01')
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByText('结束日期不能早于开始日期').waitFor()
    await page.getByLabel('结束日期').fill('2022-05-31')
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByText('（2022-05-01 至 2022-05-31').waitFor()
    const row = page.locator('[data-testid="rating-stats"] tbody tr[data-business="personal-basic-info-change"]')
    const cells = await row.locator('td').allTextContents()
    // 评价数, 非常满意 … 非常不满意, 满意率, 差评, 未答复, 逾期答复
    check(Number(cells[0]) >= 1 && Number(cells[5]) >= 1 && Number(cells[7]) >= 1, `the rated business (${cells})`)
  })
  await axe(page, '好差评统计')
  await shot(page, '40-rating-stats')

  // ------------------------------------------------ 375 px and 长辈模式
  await step('staff: 待审核 at 375 px', async () => {
    await page.setViewportSize(PHONE)
    await openQueue(page, base)
    const over = await noSideScroll(page)
    check(over <= 0, `no horizontal scroll at 375 px (${over}px over)`)
  })
  await axe(page, '待审核 (375 px)')
  await shot(page, '40-queue-375')
  await step('staff: the case at 375 px', async () => {
    await page.goto(`${base}/staff/cases/${cases.fourEyes.id}`)
    await page.getByTestId('latest-round').waitFor()
    const over = await noSideScroll(page)
    check(over <= 0, `no horizontal scroll at 375 px (${over}px over)`)
  })
  await axe(page, '审核 (375 px)')
  await shot(page, '40-case-375')
  await shot(page, '40-case-375-full', { fullPage: true })
  await step('staff: 长辈模式 on the queue', async () => {
    await page.setViewportSize(DESKTOP)
    await openQueue(page, base)
    await page.getByTestId('elder-switch').click()
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'elder-mode')
  })
  await axe(page, '待审核 (长辈模式)')
  await shot(page, '40-queue-elder')
  await step('staff: 长辈模式 off, 退出', async () => {
    await page.getByTestId('elder-switch').click()
    await logout(page)
  })

  // ------------------------------------------------ four-eyes: the second reviewer
  await step('staff: R230998 — 复核受理 and 通过 → 已办结 with the refund', async () => {
    await staffLogin(page, base, runner, cap, second)
    await page.locator('.queue-list[aria-busy="false"]').waitFor()
    await (await findCard(page, cases.fourEyes.reference)).getByTestId('claim').click()
    await page.waitForURL(new RegExp(`/staff/cases/${cases.fourEyes.id}$`))
    const form = page.getByTestId('decision')
    check((await form.textContent()).includes('您是复核人'), 'the second reviewer is told')
    await form.getByRole('radiogroup', { name: '审核决定' }).locator('label', { hasText: /^通过$/ }).click()
    await page.getByLabel('审核意见（选填）').fill('复核无误')
    await form.getByTestId('decision-submit').click()
    await page.getByTestId('case-status').filter({ hasText: '已办结' }).waitFor({ timeout: 40_000 })
    check((await page.getByTestId('case-result').textContent()).includes('已退费'), 'the refund result')
    check((await page.getByTestId('case-four-eyes').textContent()).includes('2/2'), 'four-eyes 2/2')
  })
  await axe(page, '审核 (复核通过，已办结)')
  await shot(page, '40-four-eyes-completed')
  await step('staff: R230998 退出', () => logout(page))

  // ------------------------------------------------ 参考数据维护 as the admin
  await step('staff: A000001 logs in → 参考数据维护 (记账利率)', async () => {
    await staffLogin(page, base, runner, cap, admin)
    await page.waitForURL(`${base}/staff/refdata`)
    await page.getByTestId('refdata-table').waitFor()
    check((await page.locator('[data-testid="refdata-table"] tbody tr').count()) >= 10, 'the 记账利率 rows')
    check(!(await page.getByRole('link', { name: '待审核' }).count()), 'an admin has no 待审核')
  })
  await axe(page, '参考数据维护')
  await shot(page, '40-refdata')
  await step('staff: 社平工资 with its 缴费档次', async () => {
    await page.getByRole('tab', { name: '社平工资' }).click()
    await page.waitForURL(/kind=average_wage/)
    await page.locator('[data-testid="refdata-table"][data-kind="average_wage"]').getByText('按照社平工资60.0%缴费').first().waitFor()
    await page.getByRole('tab', { name: '记账利率' }).click()
    await page.waitForURL(/kind=bookkeeping_rate/)
  })
  await step('staff: 新增记账利率 — the server’s field errors under their inputs', async () => {
    await page.getByTestId('refdata-add').click()
    const form = page.getByTestId('refdata-form')
    await form.getByLabel('年度').fill('2025')
    await form.getByLabel('记账利率').fill('2.35')
    await form.getByLabel('文件依据').fill('演示数据（e2e）：人力资源社会保障部办公厅 财政部办公厅关于公布2025年职工基本养老保险个人账户记账利率等参数的通知')
    await form.getByRole('button', { name: '保存记账利率' }).click()
    await form.getByText('记账利率应不小于0且小于1（按小数填写，如8%填0.08）').waitFor()
  })
  await axe(page, '参考数据维护 (新增与错误提示)')
  await shot(page, '40-refdata-error')
  await step('staff: the 2025 rate saved with its source → 版本历史', async () => {
    const form = page.getByTestId('refdata-form')
    await form.getByLabel('记账利率').fill('0.0235')
    await form.getByRole('button', { name: '保存记账利率' }).click()
    await page.getByTestId('refdata-saved').getByText('记账利率 2025：已新增').waitFor()
    await page.locator('[data-testid="refdata-table"] tbody tr[data-name="2025"]').waitFor()
    await page.getByTestId('refdata-saved').getByRole('link', { name: '查看版本历史' }).click()
    await page.waitForURL(`${base}/staff/refdata/bookkeeping_rate/2025`)
    const v1 = page.locator('[data-testid="refdata-history"] > li[data-version="1"]')
    await v1.waitFor()
    check((await v1.getByTestId('version-source').textContent()).includes('2025年职工基本养老保险个人账户记账利率'), 'the source')
    check((await v1.textContent()).includes('A000001') || (await v1.textContent()).includes('admin'), 'who stored it')
    check((await v1.textContent()).includes('2.35%'), 'the rate as a percentage')
  })
  await axe(page, '参考数据维护 (版本历史)')
  await shot(page, '40-refdata-history')
  await step('staff: A000001 退出', () => logout(page))
  await ctx.close()
}
