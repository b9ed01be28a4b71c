// 消息中心, 消息提醒设置, 定时提醒 and 办理时间调整 (issue 12). The
// window-opening reminder is fired through the runner's local tool; the
// demo flexible worker with assessed, unpaid dues (4.25) sees the header's
// badge, reads the reminder in 消息中心 (合计2815.20元), follows 查看 to 立即
// 办理 and chooses 邮件提醒 instead of SMS (a bad address first). The admin
// sees the run in 定时提醒, sends it again (202), and closes a day of the
// monthly window in 参考数据维护 → 办理时间调整, then corrects it. A unit
// agent uses 全部已读 at 375 px in 长辈模式. axe on every screen,
// screenshots 50-*.png.
//
// When an earlier journey of the run has revoked the worker's assessment
// (40-staff's 4.26 cases), the worker owes nothing and is not told: a unit
// with arrears takes the worker's place, and the log says so.
import { DESKTOP, PHONE, apiLogin, axe, check, json, login, logout, shot, staffLogin, step, trackCaptcha } from '../lib.mjs'

const FIRE = 'ReminderWindowOpen'
const JOB = 'window-open'

async function noSideScroll(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  check(over <= 0, `${what}: no horizontal scroll (${over}px over)`)
}

// signIn logs a demo individual or unit agent in at 用户登录 and waits for 办事中心.
async function signIn(page, base, runner, cap, who) {
  await page.goto(`${base}/login`)
  const unit = who.userType === 'enterprise'
  await login(page, runner, cap, {
    tab: unit ? '企业用户登录' : undefined,
    label: unit ? '账号 ID' : '社会保障号',
    username: who.username,
    password: who.password,
  })
  await page.waitForURL(`${base}/services`)
}

// told is the reminder SMS the outbox holds for a mobile (the message id is r-window-open-<period>-…).
async function told(runner, mobile) {
  const sent = await json(`${runner}/_local/outbox?to=${encodeURIComponent(mobile)}`)
  return sent.find((m) => m.id?.startsWith(`r-${JOB}-`)) ?? null
}

const masked = (mobile) => `${mobile.slice(0, 3)}****${mobile.slice(-4)}`
const messagesLink = (page, name) => page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name, exact: true })

export default async function ({ browser, base, runner, accounts }) {
  const by = (u) => {
    const a = accounts.find((x) => x.username === u)
    check(a, `demo account ${u}`)
    return a
  }
  const worker = accounts.find((a) => a.userType === 'individual' && a.what?.startsWith('4.25'))
  const units = ['9309900201', '9309900401', '9309900501'].map(by) // units with unpaid rows (5.5)
  const admin = accounts.find((a) => a.userType === 'staff' && a.role === 'admin')
  check(worker && admin, 'the 4.25 flexible worker and the admin')

  // ------------------------------------------------ the reminder
  await step('messages: a clean inbox for the reminder’s recipients (全部已读 through the API)', async () => {
    for (const who of [worker, ...units]) await (await apiLogin(runner, who)).must('POST', '/api/v1/me/messages/read-all')
  })
  const fired = await step(`messages: fire ${FIRE} (POST /_local/schedules/${FIRE}/fire)`, async () => {
    const r = await fetch(`${runner}/_local/schedules/${FIRE}/fire`, { method: 'POST' })
    check(r.ok, `fire answered ${r.status} ${await r.text()}`)
    const sms = await told(runner, worker.mobile)
    if (sms) check(sms.body.includes('合计2815.20元'), `the worker's SMS: ${sms.body}`)
    const period = /^r-window-open-(\d{6})-/.exec((sms ?? (await told(runner, units[0].mobile)) ?? {}).id ?? '')?.[1]
    check(period, 'a reminder was sent')
    return { fresh: !!sms, period }
  })
  if (!fired.fresh) console.log('messages: the 4.25 worker owes nothing any more (revoked by an earlier journey): a unit takes the place')
  const who = fired.fresh ? worker : units[0]
  const other = fired.fresh ? units[0] : units[1]
  const wantText = fired.fresh ? '合计2815.20元' : '贵单位'
  const wantLink = fired.fresh ? /\/apply\/flexible-employment-due-assessment\?id=A/ : /\/apply\/employee-arrears-clearance\?id=A/

  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const cap = trackCaptcha(page)

  await step('messages: log in → the header shows 消息 with 1 unread', async () => {
    await signIn(page, base, runner, cap, who)
    const link = messagesLink(page, '消息，1条未读')
    await link.waitFor()
    check((await link.getByTestId('unread-badge').textContent()) === '1', 'the badge says 1')
  })
  await axe(page, '办事中心 (消息角标)')
  await shot(page, '50-messages-badge')

  const item = page.locator('[data-testid="messages"] > li').first()
  await step('messages: 消息中心 lists the reminder, unread, newest first', async () => {
    await messagesLink(page, '消息，1条未读').click()
    await page.waitForURL(`${base}/user-center/messages`)
    await item.waitFor()
    check((await item.getAttribute('data-read')) === 'false', 'unread')
    check((await item.getByTestId('unread-mark').textContent()) === '未读', 'the unread marker')
    const text = await item.textContent()
    check(text.includes('缴费提醒：本月办理时间已开始') && text.includes(wantText), `the reminder: ${text}`)
    check(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(await item.locator('time').textContent()), 'its time')
    check((await page.getByRole('status').filter({ hasText: '条消息' }).textContent()).includes('1条未读'), 'the count')
  })
  await axe(page, '消息中心')
  await shot(page, '50-messages')

  await step('messages: opening it marks it read; the badge goes', async () => {
    await item.locator('h3').click()
    await page.locator('[data-testid="messages"] > li[data-read="true"]').first().waitFor()
    await messagesLink(page, '消息').waitFor()
    check(!(await page.getByTestId('unread-badge').count()), 'no badge')
    check(!(await item.getByRole('button', { name: /^标记为已读/ }).count()), 'no 标记为已读 on a read message')
  })
  await step('messages: 查看 goes to 立即办理 of the business', async () => {
    await item.getByRole('link', { name: /^查看/ }).click()
    await page.waitForURL(wantLink)
    await page.getByTestId('status').waitFor()
    check(!(await page.getByTestId('unread-badge').count()), 'still no badge')
  })

  // ------------------------------------------------ 消息提醒设置
  await step('settings: 消息提醒设置 from 消息中心; SMS to the masked mobile', async () => {
    await page.goto(`${base}/user-center/messages`)
    await item.waitFor()
    await page.getByRole('link', { name: '消息提醒设置' }).click()
    await page.waitForURL(`${base}/user-center/notification-settings`)
    await page.getByTestId('sms-mobile').waitFor()
    check((await page.getByTestId('sms-mobile').textContent()).includes(masked(who.mobile)), 'the masked mobile')
    check((await page.getByRole('switch', { name: '站内信' }).isDisabled()) === true, '站内信 cannot be turned off')
    check((await page.getByRole('switch', { name: '短信提醒' }).isChecked()) === true, 'SMS on by default')
    check((await page.getByRole('switch', { name: '邮件提醒' }).isChecked()) === false, 'e-mail off by default')
  })
  await step('settings: 邮件提醒 with a bad address → the server’s error under the field', async () => {
    await page.getByText('邮件提醒', { exact: true }).click() // its label
    await page.getByRole('switch', { name: '邮件提醒', checked: true }).waitFor()
    await page.getByLabel('电子邮箱', { exact: true }).fill('zhao@')
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.el-form-item.is-error').getByText('电子邮箱格式不正确').waitFor()
    check(await page.getByLabel('电子邮箱', { exact: true }).evaluate((e) => e === document.activeElement), 'focus on the field in error')
  })
  await axe(page, '消息提醒设置 (错误提示)')
  await step('settings: a good address, 短信 off, 保存', async () => {
    await page.getByLabel('电子邮箱', { exact: true }).fill('zhaoshuhua@example.com')
    await page.getByRole('switch', { name: '短信提醒' }).focus() // by keyboard
    await page.keyboard.press('Space')
    await page.getByRole('switch', { name: '短信提醒', checked: false }).waitFor()
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByTestId('settings-saved').getByText('提醒方式已保存：站内信、邮件（zhaoshuhua@example.com）').waitFor()
    const s = await page.evaluate(async () => (await fetch('/api/v1/me/notification-settings')).json())
    check(s.sms === false && s.email === true && s.emailAddress === 'zhaoshuhua@example.com', `stored: ${JSON.stringify(s)}`)
  })
  await axe(page, '消息提醒设置')
  await shot(page, '50-settings')
  await step('settings: 退出', () => logout(page))

  // ------------------------------------------------ 定时提醒 as the admin
  const row = page.locator(`[data-testid="reminder-job"][data-job="${JOB}"] tr[data-period="${fired.period}"]`)
  await step('reminders: A000001 → 定时提醒 lists window-open with its run', async () => {
    await staffLogin(page, base, runner, cap, admin)
    await page.waitForURL(/\/staff\/refdata/)
    await page.getByRole('navigation', { name: '工作人员' }).getByRole('link', { name: '定时提醒' }).click()
    await page.waitForURL(`${base}/staff/reminders`)
    await row.waitFor()
    const job = page.locator(`[data-testid="reminder-job"][data-job="${JOB}"]`)
    check((await job.textContent()).includes('cron(0 9 1 * ? *)'), 'the schedule')
    check((await row.locator('[data-col="status"]').textContent()).trim() === '已完成', 'done')
    const sent = Number(await row.locator('[data-col="sent"]').textContent())
    check(fired.fresh ? sent === 4 : sent >= 1, `已发送 ${sent}`)
    check((await row.textContent()).includes('第1次'), 'the first sending')
  })
  await axe(page, '定时提醒')
  await step('reminders: 重新发送 → confirm → 202 message; the run is sending again', async () => {
    await row.getByRole('button', { name: /^重新发送/ }).click()
    const dialog = page.getByRole('dialog', { name: '重新发送提醒' })
    await dialog.waitFor()
    check((await dialog.textContent()).includes('已收到提醒的人不会重复收到'), 'the dialog says nobody gets it twice')
    await dialog.getByRole('button', { name: '重新发送', exact: true }).click()
    await page.getByTestId('reminder-result').getByText('已安排重新发送').waitFor()
    await dialog.waitFor({ state: 'hidden' })
    check((await row.locator('[data-col="status"]').textContent()).trim() === '发送中', 'sending')
    check((await row.textContent()).includes('第2次'), 'the second sending')
    check(!(await row.getByRole('button', { name: /^重新发送/ }).count()), 'no 重新发送 while sending')
  })
  await axe(page, '定时提醒 (已安排重新发送)')
  await shot(page, '50-staff-reminders')

  // ------------------------------------------------ 办理时间调整
  const form = page.getByTestId('refdata-form')
  const day = page.locator('[data-testid="refdata-table"] tbody tr[data-name="monthly-1-25-2022-05-11"]')
  await step('window: 参考数据维护 → 办理时间调整; 新增 asks for the 说明', async () => {
    await page.getByRole('navigation', { name: '工作人员' }).getByRole('link', { name: '参考数据维护' }).click()
    await page.waitForURL(/\/staff\/refdata/)
    await page.getByRole('tab', { name: '办理时间调整' }).click()
    await page.waitForURL(/kind=window_exception/)
    await page.getByRole('button', { name: '新增办理时间调整' }).click()
    await form.getByLabel('日期', { exact: true }).fill('2022-05-11')
    check((await form.getByRole('radio', { name: '当日不办理' }).isChecked()) === true, '当日不办理 first')
    await form.getByLabel('文件依据', { exact: true }).fill('演示数据（e2e）：关于2022年5月11日系统升级暂停办理费用征缴业务的通知')
    await form.getByRole('button', { name: '保存办理时间调整' }).click()
    await form.locator('.el-form-item.is-error').getByText('请填写说明').waitFor()
  })
  await axe(page, '参考数据维护 (新增办理时间调整)')
  await shot(page, '50-window-exception-form')
  await step('window: the closure day saved and listed with Chinese labels', async () => {
    await form.getByLabel('说明', { exact: true }).fill('系统升级，暂停办理')
    await form.getByRole('button', { name: '保存办理时间调整' }).click()
    await page.getByTestId('refdata-saved').getByText('办理时间调整 2022-05-11：已新增').waitFor()
    await day.waitFor()
    const text = await day.textContent()
    for (const want of ['2022-05-11', '星期三', '每月1-25号', '当日不办理', '系统升级，暂停办理', '已保存（第1版）']) check(text.includes(want), `the row shows ${want}: ${text}`)
  })
  await axe(page, '参考数据维护 (办理时间调整)')
  await shot(page, '50-window-exception')
  await step('window: 更正 needs a 修改原因; the history has both versions', async () => {
    await day.getByRole('button', { name: /^更正/ }).click()
    check(await form.getByLabel('日期', { exact: true }).isDisabled(), 'the date is fixed in a correction')
    await form.getByLabel('说明', { exact: true }).fill('系统升级，当日暂停办理')
    await form.getByLabel('文件依据', { exact: true }).fill('演示数据（e2e）：关于2022年5月11日系统升级暂停办理费用征缴业务的补充通知')
    await form.getByRole('button', { name: '保存更正' }).click()
    await form.locator('.el-form-item.is-error').getByText('修改现行参考数据须填写修改原因').waitFor()
    await form.getByLabel('修改原因', { exact: true }).fill('说明更准确')
    await form.getByRole('button', { name: '保存更正' }).click()
    await page.getByTestId('refdata-saved').getByText('办理时间调整 2022-05-11：已更正').waitFor()
    await day.getByText('系统升级，当日暂停办理').waitFor()
    await page.getByTestId('refdata-saved').getByRole('link', { name: '查看版本历史' }).click()
    await page.waitForURL(`${base}/staff/refdata/window_exception/monthly-1-25-2022-05-11`)
    await page.getByRole('heading', { name: '版本历史：办理时间调整 2022-05-11' }).waitFor()
    const v2 = page.locator('[data-testid="refdata-history"] > li[data-version="2"]')
    await v2.waitFor()
    check((await v2.textContent()).includes('说明更准确') && (await v2.textContent()).includes('当日不办理'), 'the reason and the labels')
  })
  await axe(page, '参考数据维护 (办理时间调整版本历史)')
  await step('window: A000001 退出', () => logout(page))

  // ------------------------------------------------ 375 px and 长辈模式
  await step('375 px: a unit agent’s 消息中心 fits, with its reminder', async () => {
    await page.setViewportSize(PHONE)
    await signIn(page, base, runner, cap, other)
    await page.goto(`${base}/user-center/messages`)
    await page.locator('section[aria-busy="false"]').waitFor()
    await noSideScroll(page, '消息中心 at 375 px')
  })
  await axe(page, '消息中心 (375 px)')
  await shot(page, '50-messages-375')
  await step('375 px: 长辈模式 fits too; 全部已读 clears the badge', async () => {
    await page.getByTestId('elder-switch').click()
    check(await page.evaluate(() => document.documentElement.classList.contains('elder-mode')), 'elder-mode on')
    await noSideScroll(page, '消息中心 at 375 px in 长辈模式')
    const unread = await page.locator('[data-testid="messages"] > li[data-read="false"]').count()
    if (!unread) return void console.log(`messages: ${other.username} has no unread message (not told): 全部已读 not tried`)
    await page.getByTestId('read-all').click()
    await page.getByRole('status').filter({ hasText: /已将 \d+ 条消息标记为已读/ }).waitFor()
    check(!(await page.locator('[data-testid="messages"] > li[data-read="false"]').count()), 'all read')
    await messagesLink(page, '消息').waitFor()
    check(await page.getByTestId('read-all').isDisabled(), '全部已读 has nothing more to do')
  })
  await axe(page, '消息中心 (375 px, 长辈模式)')
  await page.evaluate(() => window.scrollTo(0, 0))
  await shot(page, '50-messages-elder')
  await step('375 px: 消息提醒设置 fits in 长辈模式', async () => {
    await page.getByRole('link', { name: '消息提醒设置' }).click()
    await page.getByTestId('sms-mobile').waitFor()
    await noSideScroll(page, '消息提醒设置 at 375 px in 长辈模式')
  })
  await axe(page, '消息提醒设置 (375 px, 长辈模式)')
  await shot(page, '50-settings-elder', { fullPage: true })
  await step('375 px: 长辈模式 off, 退出', async () => {
    await page.getByTestId('elder-switch').click()
    await logout(page)
  })
  await ctx.close()
}
