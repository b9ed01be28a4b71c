// The words of 立即办理 the manual prints (shared/spec/portal.md §6, §7, §9),
// verbatim.

/** NOTES are the four 注意事项 of 上传附件, in their canonical form (portal.md §7). */
export const NOTES = [
  '申请材料凡涉及国家机密的，不允许在互联网上传，请送达至审批机关。',
  '请将申请书中内容填写完整，所需附件材料中*为必须上传材料，如需提交非必填项目，也应上传至对应附件目录。',
  '要求原件的通过邮寄或现场送达至主办部门，确认材料上传齐全后点击保存并提交。',
  '如需上传附件材料请点击附件目录文字，如需引用文件请点击附件目录后的引入图标。',
] as const

/** The confirm dialog (确认提交？). */
export const CONFIRM = {
  title: '确认提交？',
  lines: ['请仔细核对您输入的内容', '提交后将不可修改！'],
  close: '关闭',
  ok: '确认提交',
} as const

/** The success dialog (提交成功). */
export const SUCCESS = {
  title: '提交成功',
  lines: ['工作人员会在48小时之内处理，请耐心等待。', '您可以通过账户中心查看审核状态'],
  print: '打印回执单',
  done: '完成',
} as const
