// The Element Plus components the portal uses, registered globally, with
// only their styles (the whole library's CSS is ~350 kB). theme.css comes
// after them: it overrides their colours.
import type { App } from 'vue'
import {
  ElAlert,
  ElButton,
  ElConfigProvider,
  ElEmpty,
  ElForm,
  ElInput,
  ElRadio,
  ElSkeleton,
  ElSwitch,
  ElTabs,
} from 'element-plus'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-alert.css'
import 'element-plus/theme-chalk/el-button.css'
import 'element-plus/theme-chalk/el-config-provider.css'
import 'element-plus/theme-chalk/el-empty.css'
import 'element-plus/theme-chalk/el-form.css'
import 'element-plus/theme-chalk/el-form-item.css'
import 'element-plus/theme-chalk/el-input.css'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-radio.css'
import 'element-plus/theme-chalk/el-radio-button.css'
import 'element-plus/theme-chalk/el-radio-group.css'
import 'element-plus/theme-chalk/el-skeleton.css'
import 'element-plus/theme-chalk/el-skeleton-item.css'
import 'element-plus/theme-chalk/el-switch.css'
import 'element-plus/theme-chalk/el-tab-pane.css'
import 'element-plus/theme-chalk/el-tabs.css'
import './theme.css'

// Installing ElForm also registers ElFormItem; ElRadio, ElRadioGroup and
// ElRadioButton; ElSkeleton, ElSkeletonItem; ElTabs, ElTabPane (the
// installs of the second ones do nothing).
const components = [ElAlert, ElButton, ElConfigProvider, ElEmpty, ElForm, ElInput, ElRadio, ElSkeleton, ElSwitch, ElTabs]

/** element registers the components. */
export function element(app: App): void {
  for (const c of components) app.use(c)
}
