import type { RouteRecordRaw } from 'vue-router'

// 立即办理: the application of a business, from the draft to 提交成功.
// /apply/<business> opens a new draft and puts its id in the address
// (?id=<applicationId>), so that a reload, or 用户中心's 修改后重新提交,
// opens that draft or returned application again.
export const applyRoutes: RouteRecordRaw[] = [
  {
    path: '/apply/:business',
    name: 'apply',
    component: () => import('../views/ApplyNow.vue'),
    props: true,
    meta: { title: '立即办理' },
  },
]
