// The portal's pages, named for the manual's screens. Every page but
// 用户登录, 用户注册, 找回密码 and the 试算 calculators needs a session; the
// staff console needs a staff account, and the 办事中心 is for individuals
// and enterprises.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { loadSession } from './session/session'
import { homeOf, loginLocation } from './session/redirect'
import { applyRoutes } from './routes/apply'
import { centerRoutes } from './routes/center'
import { staffRoutes } from './routes/staff'
import { accountRoutes } from './routes/account'

declare module 'vue-router' {
  interface RouteMeta {
    /** title is the page's name in the document title. */
    title: string
    /** public pages need no session. */
    public?: boolean
    /** staff pages are for staff accounts only; the others for individuals and enterprises. */
    staff?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/services' },
  { path: '/login', name: 'login', component: () => import('./views/UserLogin.vue'), meta: { title: '用户登录', public: true } },
  {
    path: '/login/staff',
    name: 'staff-login',
    component: () => import('./views/UserLogin.vue'),
    props: { staff: true },
    meta: { title: '工作人员登录', public: true },
  },
  { path: '/services', name: 'services', component: () => import('./views/ServiceCenter.vue'), meta: { title: '办事中心' } },
  {
    path: '/services/:id/guide',
    name: 'guide',
    component: () => import('./views/ServiceGuide.vue'),
    props: true,
    meta: { title: '办理指南' },
  },
  ...applyRoutes,
  ...centerRoutes,
  ...staffRoutes,
  ...accountRoutes,
  {
    path: '/:rest(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFound.vue'),
    meta: { title: '页面不存在', public: true },
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const u = await loadSession()
  if (!u) return loginLocation(to.fullPath)
  if (!!to.meta.staff !== (u.userType === 'staff')) return homeOf(u.userType)
  return true
})

const site = '黑龙江省人力资源和社会保障公共服务平台'
router.afterEach((to) => {
  document.title = `${to.meta.title} - ${site}`
})
