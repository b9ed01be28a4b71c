import type { RouteRecordRaw } from 'vue-router'
import { loadSession } from '../session/session'

// The staff console (工作人员): reviewers (审核员) of a pooling area see
// 待审核 at /staff, the case, 异常待处理 and 好差评; admins (系统管理员)
// maintain the reference data (参考数据维护, with 办理时间调整) and watch
// the scheduled reminders (定时提醒). Every page is for staff
// accounts only (meta.staff, checked by the router).
export const staffRoutes: RouteRecordRaw[] = [
  {
    path: '/staff',
    component: () => import('../views/StaffConsole.vue'),
    meta: { title: '工作人员', staff: true },
    children: [
      {
        path: '',
        name: 'staff',
        component: () => import('../views/staff/ReviewQueue.vue'),
        meta: { title: '待审核', staff: true },
        // An admin reviews nothing: their console opens on the reference data.
        beforeEnter: async () => {
          const u = await loadSession()
          return u?.roles.includes('admin') && !u.roles.includes('reviewer') ? { name: 'staff-refdata' } : true
        },
      },
      {
        path: 'cases/:id',
        name: 'staff-case',
        component: () => import('../views/staff/ReviewCase.vue'),
        props: true,
        meta: { title: '审核', staff: true },
      },
      {
        path: 'attention',
        name: 'staff-attention',
        component: () => import('../views/staff/AttentionList.vue'),
        meta: { title: '异常待处理', staff: true },
      },
      {
        path: 'ratings',
        name: 'staff-ratings',
        component: () => import('../views/staff/RatingList.vue'),
        meta: { title: '好差评', staff: true },
      },
      {
        path: 'ratings/stats',
        name: 'staff-rating-stats',
        component: () => import('../views/staff/RatingStats.vue'),
        meta: { title: '好差评统计', staff: true },
      },
      {
        path: 'refdata',
        name: 'staff-refdata',
        component: () => import('../views/staff/RefdataList.vue'),
        meta: { title: '参考数据维护', staff: true },
      },
      {
        path: 'reminders',
        name: 'staff-reminders',
        component: () => import('../views/staff/ReminderRuns.vue'),
        meta: { title: '定时提醒', staff: true },
      },
      {
        path: 'password',
        name: 'staff-password',
        component: () => import('../views/account/ChangePassword.vue'),
        props: { staff: true },
        meta: { title: '修改密码', staff: true },
      },
      {
        path: 'refdata/:kind/:name',
        name: 'staff-refdata-history',
        component: () => import('../views/staff/RefdataHistory.vue'),
        props: true,
        meta: { title: '版本历史', staff: true },
      },
    ],
  },
]
