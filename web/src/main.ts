import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { element } from './ui/element'
import { onUnauthorized } from './api/client'
import { loginLocation } from './session/redirect'
import { user } from './session/session'
import { applyElder, readElder } from './ui/elder'

applyElder(document.documentElement, readElder(window.localStorage))

// A 401 on a call means the session ended: back to 用户登录, then here.
onUnauthorized(() => {
  user.value = null
  const here = router.currentRoute.value
  if (here.name !== 'login' && here.name !== 'staff-login') void router.replace(loginLocation(here.fullPath))
})

createApp(App).use(element).use(router).mount('#app')
