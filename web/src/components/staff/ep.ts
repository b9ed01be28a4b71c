// The Element Plus components the staff console adds to those the portal
// registers (src/ui/element.ts), with only their styles; imported by the
// staff screens that use them, so other pages do not load them.
import 'element-plus/theme-chalk/el-image.css'
import 'element-plus/theme-chalk/el-image-viewer.css'
import 'element-plus/theme-chalk/el-select.css'
import 'element-plus/theme-chalk/el-select-dropdown.css'
import 'element-plus/theme-chalk/el-option.css'
import 'element-plus/theme-chalk/el-option-group.css'
import 'element-plus/theme-chalk/el-popper.css'
import 'element-plus/theme-chalk/el-scrollbar.css'
import 'element-plus/theme-chalk/el-tag.css'
import 'element-plus/theme-chalk/el-checkbox.css'
import './staff.css'

export { ElCheckbox, ElImage, ElOption, ElOptionGroup, ElSelect, ElTag } from 'element-plus'
