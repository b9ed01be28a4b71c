import type { RouteRecordRaw } from 'vue-router'

// 用户注册 and 找回密码 (public), and 修改密码 in 用户中心. The staff's
// 修改密码 is a page of the staff console (src/routes/staff.ts).
export const accountRoutes: RouteRecordRaw[] = [
  {
    path: '/register',
    name: 'register',
    component: () => import('../views/account/UserRegister.vue'),
    meta: { title: '用户注册', public: true },
  },
  {
    path: '/password/reset',
    name: 'password-reset',
    component: () => import('../views/account/PasswordReset.vue'),
    meta: { title: '找回密码', public: true },
  },
  {
    path: '/user-center/password',
    name: 'change-password',
    component: () => import('../views/account/ChangePassword.vue'),
    meta: { title: '修改密码' },
  },
]
