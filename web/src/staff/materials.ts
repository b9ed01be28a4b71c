// The 申请材料 of a submitted round for the reviewer: the files grouped by
// material in the business's order, each with its download link (the case's
// links: uploadId → a short-lived URL) and how it opens: images in the image
// viewer, PDFs and ZIPs as downloads.
import type { Snapshot } from './types'

/** FileKind is how a file opens. */
export type FileKind = 'image' | 'pdf' | 'zip' | 'file'

/** fileKind tells images (previewed) from PDFs, ZIPs and other files (downloaded). */
export function fileKind(contentType: string, fileName = ''): FileKind {
  const t = contentType.toLowerCase()
  if (/^image\/(png|jpeg|gif|webp|bmp)$/.test(t)) return 'image'
  if (t === 'application/pdf' || /\.pdf$/i.test(fileName)) return 'pdf'
  if (/zip/.test(t) || /\.zip$/i.test(fileName)) return 'zip'
  return 'file'
}

/** KIND_LABELS name a file's type for the download link's text. */
export const KIND_LABELS: Record<FileKind, string> = { image: '图片', pdf: 'PDF文件', zip: 'ZIP文件', file: '文件' }

/** RoundFile is a file of a round with its link ('' when the API gave none). */
export interface RoundFile {
  uploadId: string
  fileName: string
  contentType: string
  size: number
  kind: FileKind
  url: string
}

/** MaterialFiles are the files of one material. */
export interface MaterialFiles {
  material: string
  files: RoundFile[]
}

type SnapMaterial = NonNullable<Snapshot['materials']>[number]

/**
 * roundMaterials groups a round's files by material, in the order of
 * order (the business's materials), then any other material by name.
 */
export function roundMaterials(files: readonly SnapMaterial[] | null | undefined, links: Record<string, string>, order: readonly string[] = []): MaterialFiles[] {
  const by = new Map<string, RoundFile[]>()
  for (const f of files ?? []) {
    const list = by.get(f.material) ?? []
    list.push({
      uploadId: f.uploadId,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.size,
      kind: fileKind(f.contentType, f.fileName),
      url: links[f.uploadId] ?? '',
    })
    by.set(f.material, list)
  }
  const names = [...order.filter((n) => by.has(n)), ...[...by.keys()].filter((n) => !order.includes(n)).sort()]
  return names.map((material) => ({ material, files: by.get(material) ?? [] }))
}

/** previewList is the image URLs of a material, for the viewer's 上一张/下一张. */
export function previewList(m: MaterialFiles): string[] {
  return m.files.filter((f) => f.kind === 'image' && f.url).map((f) => f.url)
}
