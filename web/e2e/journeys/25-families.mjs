// 25 — one business of each family no other journey does in the browser,
// from login to 提交成功, seen in 用户中心, approved in the staff console
// and seen 已办结 (with the 办理结果 the server wrote) in 用户中心:
//
//   certification            4.2  离退休待遇领取资格认证   李淑珍, a retiree
//   retirement-benefits      5.3  离退休申请              七台河市鑫源商贸有限公司 for 周宏伟
//   survivor-benefits        4.27 遗属供养人员待遇补发     张秀英 (双人审核: R230999, then R230998)
//   enterprise-registration  5.7  单位一般信息维护         七台河市恒泰实业有限公司
//   employee-enrolment       5.11 在职职工参保             黑龙江龙晟投资管理有限公司, a new employee
//   flexible-employment      4.17 以灵活就业人员身份续保   王海涛 (20's 4.1 is submitted, never decided)
//
// (20 does personal-info 4.7 and contributions-and-arrears 4.4, 5.1, 5.2
// in the browser; 40 approves 4.7 and 4.4 in the console.)
//
// Each applicant starts at 办事中心 (搜索, 立即办理), uploads a PNG for
// every material a submit needs, fills 基本信息 through the visible
// controls and submits; the applicants stay logged in (a context each)
// while R230999 logs in once and approves every case, R230998 the second
// approval. axe on every screen; screenshots 25-<business>-filled,
// -success and -completed.
import {
  step,
  check,
  axe,
  shot,
  trackCaptcha,
  logout,
  signIn,
  fill,
  choose,
  upload,
  submit,
  staffLogin,
  openQueue,
  findCard,
  residentID,
  luhn,
  samplePNG,
  DESKTOP,
} from '../lib.mjs'

const png = (name, rgb) => ({ name, mimeType: 'image/png', buffer: samplePNG(600, 400, rgb) })
const BANK_ACCOUNT = (() => {
  for (let d = 0; d <= 9; d++) if (luhn('621226350000876543' + d)) return '621226350000876543' + d
})()
// The employee 5.11 enrols: a man born 1990-03-15 in 桃山区, not in the ledger.
const NEW_EMPLOYEE = { name: '赵新民', id: residentID('23090319900315013'), birthDate: '1990-03-15' }
// demo.UnitTrading employs 周宏伟 (demo.PersonRetiring53, 60 paid months, 97 early).
const RETIRING_UNIT = '2309900501'

// families are the businesses of this journey: who applies, the
// materials, how 基本信息 is filled, and what the 办理结果 says.
function families(accounts) {
  const person = (personNo) => accounts.find((a) => a.userType === 'individual' && a.personNo === personNo)
  const unit = (unitNo) => accounts.find((a) => a.userType === 'enterprise' && a.unitNo === unitNo)
  const zhou = person('2309000801')
  const zhang = person('2309001001')
  return [
    {
      family: 'certification',
      business: 'retiree-eligibility-certification',
      who: person('2309000901'),
      materials: ['居民身份证正面', '居民身份证（反面）'],
      async fill(page) {
        await choose(page, '民族', { label: '汉族' })
        await fill(page, '年度', '2022')
        await choose(page, '待遇领取资格认证结果', { label: '正常' })
        await choose(page, '认证渠道', { label: '网上服务平台' })
        // 险种类型 comes from the records (read-only); choose it only if not.
        if (await page.getByLabel('险种类型', { exact: true }).evaluate((e) => e.tagName === 'SELECT' && !e.value)) {
          await choose(page, '险种类型', { label: '企业职工基本养老保险' })
        }
        check(
          (await page.getByLabel('险种类型', { exact: true }).evaluate((e) => (e.tagName === 'SELECT' ? e.selectedOptions[0]?.text : e.value) ?? '')).includes('企业职工基本养老保险'),
          '险种类型 is 企业职工基本养老保险',
        )
        await fill(page, '开始年月', '2022-01')
        await fill(page, '终止年月', '2022-12')
        await choose(page, '认证方式', { label: '人脸识别认证' })
      },
      result: /已完成2022年度离退休待遇领取资格认证/,
    },
    {
      family: 'retirement-benefits',
      business: 'retirement-application',
      who: unit(RETIRING_UNIT),
      materials: ['居民身份证正面', '居民身份证（反面）'],
      async fill(page) {
        await fill(page, '人员编号', zhou.personNo)
        await fill(page, '社会保障号', zhou.username)
        await fill(page, '姓名', zhou.name)
        await choose(page, '证件类型', { label: '居民身份证（户口簿）' })
        await fill(page, '证件号码', zhou.username)
        await choose(page, '退休类别', { label: '其他提前退休' })
        await choose(page, '个人身份', { label: '工人' })
        await fill(page, '档案出生日期', '1970-03-10')
        await fill(page, '参加工作日期', '2017-01-23')
        await fill(page, '退休日期', '2022-02-10')
        await fill(page, '实际缴费月数', '60')
        await fill(page, '提前退休月数', '97')
        await choose(page, '银行名称', { label: '中国工商银行' })
        await fill(page, '银行账号', BANK_ACCOUNT)
        await fill(page, '联系电话', '0464-8281234')
      },
      result: new RegExp(`${zhou.name}已办理退休（其他提前退休），退休日期2022年02月10日`),
    },
    {
      family: 'survivor-benefits',
      business: 'survivor-benefit-back-pay',
      who: zhang,
      materials: [],
      async fill(page) {
        // Who she is comes from her account and the records, read-only:
        // nobody claims another person's back-pay.
        const name = page.getByLabel('姓名', { exact: true })
        check((await name.inputValue()) === zhang.name, `姓名 prefilled (${await name.inputValue()})`)
        check(!(await name.isEditable()), '姓名 is read-only')
        check((await page.getByLabel('人员编号', { exact: true }).inputValue()) === zhang.personNo, '人员编号 prefilled')
        // The records hold no 民族 for her: she chooses it.
        if (await page.getByLabel('民族', { exact: true }).evaluate((e) => e.tagName === 'SELECT' && !e.value)) {
          await choose(page, '民族', { label: '汉族' })
        }
        await fill(page, '联系电话', '0464-8281234')
        await choose(page, '变更原因', { label: '养老保险待遇补发' })
        await fill(page, '变更日期', '2021-01-01')
      },
      // The benefit started in 202103: 202101 and 202102 at 980.00 a month.
      result: /已核定补发遗属待遇2个月（2021年01月至2021年02月），补发金额合计1960\.00元/,
    },
    {
      family: 'enterprise-registration',
      business: 'unit-general-info-maintenance',
      who: unit('2309900601'),
      materials: ['法人居民身份证（正反面）'],
      async fill(page) {
        await choose(page, '单位类型', { label: '企业' })
        await choose(page, '隶属关系', { label: '市、地区' })
        await fill(page, '法定代表人联系电话', '0464-8285678')
      },
      result: /已变更单位一般信息2项：隶属关系、法定代表人联系电话/,
    },
    {
      family: 'employee-enrolment',
      business: 'employee-enrol',
      who: unit('2309900201'),
      materials: ['居民身份证正面', '居民身份证（反面）', '劳动用工合同', '人员增减变动表'],
      async fill(page) {
        await fill(page, '社会保障号', NEW_EMPLOYEE.id)
        await fill(page, '姓名', NEW_EMPLOYEE.name)
        await choose(page, '性别', { label: '男' })
        await choose(page, '民族', { label: '汉族' })
        await fill(page, '出生日期', NEW_EMPLOYEE.birthDate)
        await choose(page, '证件类型', { label: '居民身份证（户口簿）' })
        await fill(page, '证件号码', NEW_EMPLOYEE.id)
        await fill(page, '户口所在地址', '黑龙江省七台河市桃山区桃北街3号')
        const places = await page.getByLabel('户籍地行政区划代码', { exact: true }).locator('option').allTextContents()
        check(new Set(places).size === places.length, `no two 行政区划 read the same (${places.filter((p, i) => places.indexOf(p) !== i)})`)
        await choose(page, '户籍地行政区划代码', { label: '七台河市 桃山区' })
        await choose(page, '农民工标识', { label: '非农民工' })
        await fill(page, '个人参保日期', '2022-05-01')
        await fill(page, '首次参保年月', '2022-05')
        await fill(page, '工资', '4500')
        await choose(page, '参保身份', { label: '企业职工' })
        await choose(page, '险种类型', { label: '企业职工基本养老保险' })
      },
      result: new RegExp(`职工${NEW_EMPLOYEE.name}自2022年05月起在本单位参保缴费，人员编号\\d+`),
    },
    {
      family: 'flexible-employment',
      business: 'flexible-employment-continue-insurance',
      who: person('2309001201'),
      materials: ['居民身份证正面', '居民身份证（反面）'],
      async fill(page) {
        await choose(page, '变更原因', { label: '人员续保' })
        // Prefilled from the records where the server can (whenPrefilled,
        // read-only then); a field the records leave empty is chosen.
        for (const [label, option] of [
          ['人员参保状态', '暂停参保'],
          ['个人缴费状态', '暂停缴费（中断）'],
          ['险种类型', '企业职工基本养老保险'],
          ['用工形式', '其他情形'],
        ]) {
          if (await page.getByLabel(label, { exact: true }).evaluate((e) => e.tagName === 'SELECT' && !e.value)) await choose(page, label, { label: option })
        }
        if (!(await page.getByLabel('个人参保日期', { exact: true }).inputValue())) await fill(page, '个人参保日期', '2021-01-01')
        await fill(page, '开始日期', '2022-05-01')
        await choose(page, '缴费档次', { label: '按照社平工资60.0%缴费' })
      },
      result: /已办理灵活就业人员续保，自2022年05月起参保缴费/,
    },
  ]
}

// ---------------------------------------------------------------- the applicant

// applyFromCenter finds the business at 办事中心 by 搜索 and opens its
// 立即办理 (a new draft).
async function applyFromCenter(page, base, b) {
  await page.locator('section.list[aria-busy="false"]').waitFor()
  await page.locator('#service-search').fill(b.name)
  await page.locator('#service-search').press('Enter')
  await page.waitForURL(/[?&]q=/)
  await page.locator('section.list[aria-busy="false"]').waitFor()
  await page.getByRole('link', { name: `立即办理：${b.name}`, exact: true }).click()
  await page.waitForURL(new RegExp(`/apply/${b.id}\\?id=A`))
  await page.getByTestId('status').waitFor()
  await page.getByRole('heading', { level: 1, name: `立即办理：${b.name}` }).waitFor()
}

// noFieldErrors checks that the form shows no error under any field.
async function noFieldErrors(page, what) {
  const errors = (await page.locator('.el-form-item__error').allTextContents()).map((t) => t.trim()).filter(Boolean)
  check(errors.length === 0, `${what}: no field errors (${errors.join('；')})`)
}

// listed is the 用户中心 item of a reference.
function listed(page, reference) {
  return page.getByTestId('application').filter({ hasText: reference })
}

async function listReady(page) {
  await page.locator('section.list[aria-busy="false"]').waitFor()
}

// apply does f's business as its applicant, in a context of its own that
// stays logged in: 立即办理 → 提交成功 → 用户中心 (已提交).
async function apply(browser, base, runner, f) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  const b = f.def
  await step(`families ${f.section}: ${f.who.name} logs in → 办事中心 → 立即办理`, async () => {
    await signIn(page, runner, cap, base, f.who)
    await applyFromCenter(page, base, f.def)
    const slots = await page.locator('[data-material]').evaluateAll((ss) => ss.map((s) => s.dataset.material))
    for (const m of f.materials) check(slots.includes(m), `${f.section}: a slot for ${m} (${slots})`)
    if (!b.materials.length) await page.getByText('本业务无需上传申请材料。').waitFor()
  })
  await step(`families ${f.section}: upload the materials, fill 基本信息`, async () => {
    for (const [i, m] of f.materials.entries()) await upload(page, m, [png(`${m}.png`, [40 + 50 * i, 110, 190 - 40 * i])])
    await f.fill(page)
    await noFieldErrors(page, f.section)
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor()
  })
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur())
  await axe(page, `立即办理 ${f.section} (已填写)`)
  await shot(page, `25-${b.id}-filled`, { fullPage: true })
  const { receipt, success } = await step(`families ${f.section}: 提交办理 → 确认提交 → 提交成功`, async () => {
    const r = await submit(page, f.section)
    check((await r.success.textContent()).includes(r.receipt.reference), 'the reference is shown')
    return r
  })
  await axe(page, `提交成功 (${f.section})`)
  await shot(page, `25-${b.id}-success`)
  await step(`families ${f.section}: 完成 → 用户中心 lists it 已提交`, async () => {
    await success.getByRole('button', { name: '完成' }).click()
    await page.waitForURL(`${base}/user-center`)
    await listReady(page)
    const item = listed(page, receipt.reference)
    await item.waitFor()
    check((await item.getByTestId('status').textContent()).trim() === '已提交', `${receipt.reference} 已提交`)
    check((await item.locator('h3').textContent()).includes(b.name), 'the business is named')
  })
  await axe(page, `用户中心 (${f.section} 已提交)`)
  await page.close()
  return { ctx, receipt }
}

// completed waits, in the applicant's 用户中心, for the case to be 已办结
// (the workflow applies the decision after it), then shows its 办理结果.
async function completed(base, f, c) {
  const page = await c.ctx.newPage()
  trackCaptcha(page)
  await step(`families ${f.section}: the applicant sees 已办结 in 用户中心, and the 办理结果`, async () => {
    let status = ''
    for (let i = 0; i < 60; i++) {
      await page.goto(`${base}/user-center`)
      await listReady(page)
      status = (await listed(page, c.receipt.reference).getByTestId('status').textContent()).trim()
      if (status === '已办结') break
      await page.waitForTimeout(500)
    }
    check(status === '已办结', `${c.receipt.reference}: 已办结 (still ${status})`)
    await page.getByRole('link', { name: `查看详情：${f.def.name} ${c.receipt.reference}` }).click()
    await page.waitForURL(`${base}/user-center/applications/${c.receipt.id}`)
    await page.getByTestId('status').filter({ hasText: '已办结' }).waitFor()
    const want = await (await page.request.get(`${base}/api/v1/applications/${c.receipt.id}`)).json()
    const shown = (await page.getByTestId('result').locator('p').textContent()).trim()
    check(want.result && shown === want.result, `办理结果 "${shown}" = API "${want.result}"`)
    check(f.result.test(shown), `${f.section}: 办理结果 ${shown}`)
  })
  await axe(page, `申请详情 (${f.section} 已办结)`)
  await shot(page, `25-${f.business}-completed`)
  await step(`families ${f.section}: 退出`, () => logout(page))
  await c.ctx.close()
}

// ---------------------------------------------------------------- the staff console

// claim waits for the case in 待审核 (the workflow queues it once its
// receipt is made) and 受理 it.
async function claim(page, base, f, reference, id) {
  for (let i = 0; ; i++) {
    await openQueue(page, base)
    try {
      const c = await findCard(page, reference)
      await c.getByTestId('claim').click()
      break
    } catch (e) {
      if (i >= 20) throw e
      await page.waitForTimeout(500)
    }
  }
  await page.waitForURL(new RegExp(`/staff/cases/${id}$`))
  await page.getByTestId('case-reference').filter({ hasText: reference }).waitFor()
  await page.getByTestId('decision').waitFor()
  check((await page.getByTestId('latest-round').getByTestId('snapshot-fields').count()) === 1, `${f.section}: the snapshot`)
}

async function approve(page, comment) {
  const form = page.getByTestId('decision')
  await form.getByRole('radiogroup', { name: '审核决定' }).locator('label', { hasText: /^通过$/ }).click()
  await page.getByLabel('审核意见（选填）').fill(comment)
  await form.getByTestId('decision-submit').click()
}

// doneOrWhy waits for the case page to follow the workflow to 已办结. If it
// does not, the failure says what the API holds of the case: its state and
// timeline then, and after up to 90 s more (a slow workflow, or a stuck one).
async function doneOrWhy(page, id) {
  try {
    await page.getByTestId('case-status').filter({ hasText: '已办结' }).waitFor({ timeout: 40_000 })
  } catch (e) {
    const read = () => page.evaluate(async (id) => (await fetch(`/api/v1/review/applications/${id}`)).json(), id)
    const brief = (c) => `${c.status} attention=${JSON.stringify(c.attention ?? null)} timeline=${JSON.stringify(c.timeline)}`
    const then = await read()
    let c = then
    const t0 = Date.now()
    for (let i = 0; i < 180 && c.status !== 'completed' && !c.attention; i++) {
      await page.waitForTimeout(500)
      c = await read()
    }
    throw new Error(`case ${id} not 已办结 on the page (${await page.getByTestId('case-status').textContent()}): API ${brief(then)}; ${Date.now() - t0} ms later ${brief(c)}: ${e.message}`)
  }
}

// ---------------------------------------------------------------- the journey

export default async function ({ browser, base, runner, accounts }) {
  const staff = (u) => accounts.find((a) => a.userType === 'staff' && a.username === u)
  const first = staff('R230999')
  const second = staff('R230998')
  const list = families(accounts)
  for (const f of list) {
    check(f.who && f.who.businesses?.includes(f.business), `a demo account for ${f.business}`)
    f.def = await (await fetch(`${runner}/api/v1/services/${f.business}`)).json()
    f.section = f.def.section
    check(f.def.family === f.family, `${f.business} is of ${f.family} (${f.def.family})`)
  }
  check(first && second, 'the reviewers R230999 and R230998')

  const cases = new Map()
  for (const f of list) cases.set(f, await apply(browser, base, runner, f))

  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)
  await step('families: R230999 logs in (动态口令) → 待审核', async () => {
    await staffLogin(page, base, runner, cap, first)
    await page.waitForURL(`${base}/staff`)
  })
  for (const f of list) {
    const { receipt } = cases.get(f)
    await step(`families ${f.section}: R230999 受理 from 待审核`, () => claim(page, base, f, receipt.reference, receipt.id))
    await axe(page, `审核 (${f.section} ${f.def.name})`)
    await step(`families ${f.section}: R230999 通过 → ${f.def.fourEyes ? '初审已通过' : '已办结'}`, async () => {
      await approve(page, '材料齐全，信息一致')
      if (f.def.fourEyes) {
        await page.getByTestId('case-notice').getByText('初审已通过').waitFor()
        check((await page.getByTestId('case-four-eyes').textContent()).includes('已通过 1/2'), 'four-eyes 1/2')
      } else {
        await doneOrWhy(page, receipt.id)
        await page.getByTestId('case-result').waitFor()
      }
    })
  }
  await step('families: R230999 退出', () => logout(page))

  const fourEyes = list.filter((f) => f.def.fourEyes)
  if (fourEyes.length) {
    await step('families: R230998 logs in (动态口令)', async () => {
      await staffLogin(page, base, runner, cap, second)
      await page.waitForURL(`${base}/staff`)
    })
    for (const f of fourEyes) {
      const { receipt } = cases.get(f)
      await step(`families ${f.section}: R230998 复核 → 通过 → 已办结`, async () => {
        await claim(page, base, f, receipt.reference, receipt.id)
        check((await page.getByTestId('decision').textContent()).includes('您是复核人'), 'the second reviewer is told')
        await approve(page, '复核无误')
        await doneOrWhy(page, receipt.id)
        check((await page.getByTestId('case-four-eyes').textContent()).includes('2/2'), 'four-eyes 2/2')
      })
      await axe(page, `审核 (${f.section} 复核通过，已办结)`)
    }
    await step('families: R230998 退出', () => logout(page))
  }
  await ctx.close()

  for (const f of list) await completed(base, f, cases.get(f))
}
