// 申请材料上传 (手册 §8): what a slot takes, in words, the checks made
// before a file is sent, and the presigned POST the file goes by (the
// form's fields first, the file last), with its progress.
import type { MaterialView } from './types'

const typeNames: Record<string, string> = {
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'application/pdf': 'PDF',
  'application/zip': 'ZIP',
  'application/x-zip-compressed': 'ZIP',
}

/** typeNames lists the kinds of file a slot takes (JPG、PNG). */
export function kinds(types: readonly string[]): string {
  return [...new Set(types.map((t) => typeNames[t] ?? t))].join('、')
}

/** size is a byte count in words (5MB, 120KB, 300B). */
export function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / 1024 / 1024)}MB`
  if (bytes >= 1024) return `${trim(bytes / 1024)}KB`
  return `${bytes}B`
}

function trim(n: number): string {
  return (Math.round(n * 10) / 10).toString()
}

/** rule is the line under a slot's name: types, size and count. */
export function rule(m: Pick<MaterialView, 'types' | 'maxBytes' | 'maxFiles'>): string {
  return `支持${kinds(m.types)}格式，单个文件不超过${size(m.maxBytes)}，最多${m.maxFiles}个`
}

/** isImage tells files shown as thumbnails from documents. */
export function isImage(contentType: string): boolean {
  return contentType.startsWith('image/')
}

/** FileLike is what checkFile needs of a chosen file. */
export interface FileLike {
  name: string
  type: string
  size: number
}

const extTypes: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  zip: 'application/zip',
}

/**
 * contentType is the type a file is declared with: the browser's, else
 * by its extension (some systems give a ZIP no type), else ''.
 */
export function contentType(f: FileLike, allowed: readonly string[]): string {
  if (f.type && allowed.includes(f.type)) return f.type
  const ext = f.name.split('.').pop()?.toLowerCase() ?? ''
  const byExt = extTypes[ext] ?? ''
  if (byExt && allowed.includes(byExt)) return byExt
  if (byExt === 'application/zip' && allowed.includes('application/x-zip-compressed')) return 'application/x-zip-compressed'
  return f.type || byExt
}

/**
 * checkFile says why a file cannot go into a slot ('' when it can): its
 * type, its size, an empty file, or a slot already full (held files).
 */
export function checkFile(m: Pick<MaterialView, 'name' | 'types' | 'maxBytes' | 'maxFiles'>, f: FileLike, held: number): string {
  if (held >= m.maxFiles) return `“${m.name}”最多上传${m.maxFiles}个文件，请删除后再上传`
  if (!m.types.includes(contentType(f, m.types))) return `“${f.name}”的格式不支持，请上传${kinds(m.types)}格式的文件`
  if (f.size === 0) return `“${f.name}”是空文件，请重新选择`
  if (f.size > m.maxBytes) return `“${f.name}”超过${size(m.maxBytes)}，请压缩后重新上传`
  return ''
}

/** formData is the presigned POST's body: its fields in order, then the file, last, named file. */
export function formData(fields: Readonly<Record<string, string>>, file: Blob, fileName: string): FormData {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  fd.append('file', file, fileName)
  return fd
}

/** UploadFailed is a presigned POST the storage refused or that never arrived. */
export class UploadFailed extends Error {
  constructor(readonly status: number) {
    super(status === 0 ? '网络连接中断，文件未能上传，请重试' : '文件上传失败，请重试')
  }
}

/**
 * post sends the form to the presigned URL, reporting progress (0–100);
 * the storage answers 2xx when it took the file.
 */
export function post(url: string, body: FormData, onProgress: (percent: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadFailed(xhr.status)))
    xhr.onerror = () => reject(new UploadFailed(0))
    xhr.onabort = () => reject(new UploadFailed(0))
    signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(body)
  })
}

/** held counts the files that take a place in the slot (accepted or being checked). */
export function held(m: Pick<MaterialView, 'files'>): number {
  return m.files.filter((f) => f.status === 'accepted' || f.status === 'pending').length
}

/** shown are the files a slot lists: not the ones taken out of a returned application. */
export function shown(m: Pick<MaterialView, 'files'>): MaterialView['files'] {
  return m.files.filter((f) => f.status !== 'superseded')
}

/**
 * note is what a person reads of a material's note: its Chinese
 * sentences. The catalog's notes also carry the project's remarks on the
 * manual in English ("Line-wrapped in the first screenshot."), which are
 * not for the person.
 */
export function note(text: string | undefined): string {
  if (!text) return ''
  return text
    .split(/(?<=[。！？；])\s*|(?<=\.)\s+/)
    .map((s) => s.trim())
    .filter((s) => s && !/[A-Za-z]{4,}/.test(s))
    .join('')
}
