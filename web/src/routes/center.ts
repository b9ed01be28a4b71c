import type { RouteRecordRaw } from 'vue-router'

// 用户中心 (我的申请, 我的草稿, an application's detail, 谁查看了我的信息,
// 消息中心 and 消息提醒设置) and the 试算 calculators. The calculators are public, as their API is:
// the retirement one reads the person's records only for a logged-in user.
export const centerRoutes: RouteRecordRaw[] = [
  { path: '/user-center', name: 'user-center', component: () => import('../views/UserCenter.vue'), meta: { title: '用户中心' } },
  {
    path: '/user-center/applications/:id',
    name: 'application-detail',
    component: () => import('../views/center/ApplicationDetail.vue'),
    props: true,
    meta: { title: '申请详情' },
  },
  {
    path: '/user-center/access-log',
    name: 'access-log',
    component: () => import('../views/center/AccessLog.vue'),
    meta: { title: '谁查看了我的信息' },
  },
  {
    path: '/user-center/messages',
    name: 'messages',
    component: () => import('../views/center/MessageCenter.vue'),
    meta: { title: '消息中心' },
  },
  {
    path: '/user-center/notification-settings',
    name: 'notification-settings',
    component: () => import('../views/center/NotificationSettings.vue'),
    meta: { title: '消息提醒设置' },
  },
  {
    path: '/calculators/back-payment',
    name: 'calc-back-payment',
    component: () => import('../views/center/BackPaymentCalculator.vue'),
    meta: { title: '补缴试算', public: true },
  },
  {
    path: '/calculators/retirement',
    name: 'calc-retirement',
    component: () => import('../views/center/RetirementCalculator.vue'),
    meta: { title: '退休测算', public: true },
  },
]
