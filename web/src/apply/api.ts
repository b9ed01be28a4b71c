// The calls of 立即办理 on a business family's application routes
// (/api/v1/<family>/applications…, README's route table), the record
// table (GET /api/v1/ledgers/{business}) and 5.2's declaration template.
// The family comes from the catalog's business.
import { api, must } from '../api/client'
import { toApiError } from '../api/errors'
import type {
  AppView,
  Business,
  CodeTable,
  Family,
  PresignRequest,
  PresignedUpload,
  RecordTable,
  SaveDraft,
  SubmitReceipt,
  UploadInfo,
} from './types'

// Every family's routes have the same shapes; one family's path types
// stand for all of them.
type Base = '/api/v1/personal-info/applications'
const at = <S extends string>(f: Family, suffix: S) => `/api/v1/${f}/applications${suffix}` as `${Base}${S}`

/** business reads a business's definition: fields, materials, ledger. */
export function business(id: string): Promise<Business> {
  return must(api.GET('/api/v1/services/{id}', { params: { path: { id } } }))
}

/** codeTable reads the code table an enum field names. */
export function codeTable(name: string): Promise<CodeTable> {
  return must(api.GET('/api/v1/code-tables/{name}', { params: { path: { name } } }))
}

/** createDraft opens a draft of the business, prefilled from the records, with its record table. */
export function createDraft(f: Family, businessId: string): Promise<AppView> {
  return must(api.POST(at(f, ''), { body: { business: businessId } }))
}

/** getDraft reads an application; with ledger, its record table too. */
export function getDraft(f: Family, id: string, ledger: boolean): Promise<AppView> {
  return must(api.GET(at(f, '/{id}'), { params: { path: { id }, query: ledger ? { ledger: 'true' } : {} } }))
}

/** saveDraft saves fields, the ticked rows and the repeating rows under the version read. */
export function saveDraft(f: Family, id: string, body: SaveDraft, ledger: boolean): Promise<AppView> {
  return must(api.PUT(at(f, '/{id}'), { params: { path: { id }, query: ledger ? { ledger: 'true' } : {} }, body }))
}

/** presign asks for the presigned form one file of a material is posted to. */
export function presign(f: Family, id: string, body: PresignRequest): Promise<PresignedUpload> {
  return must(api.POST(at(f, '/{id}/uploads'), { params: { path: { id } }, body }))
}

/** complete has the server check a posted file (422 with the reason when it refuses it). */
export function complete(f: Family, id: string, uploadId: string): Promise<unknown> {
  return must(api.POST(at(f, '/{id}/uploads/{uploadId}/complete'), { params: { path: { id, uploadId } } }))
}

/** uploadInfo is a file's status (checkedRows while checked) and, once accepted, its download link. */
export function uploadInfo(f: Family, id: string, uploadId: string): Promise<UploadInfo> {
  return must(api.GET(at(f, '/{id}/uploads/{uploadId}'), { params: { path: { id, uploadId } } }))
}

/** deleteUpload is 删除 of one file. */
export async function deleteUpload(f: Family, id: string, uploadId: string): Promise<void> {
  await must(api.DELETE(at(f, '/{id}/uploads/{uploadId}'), { params: { path: { id, uploadId } } }))
}

/** submit is 确认提交, once per Idempotency-Key. */
export function submit(f: Family, id: string, key: string): Promise<SubmitReceipt> {
  return must(api.POST(at(f, '/{id}/submit'), { params: { path: { id }, header: { 'Idempotency-Key': key } } }))
}

/** LedgerQuery is a read of a record table: an agent names the employee (person). */
export interface LedgerQuery {
  person?: string
  from?: string
  to?: string
  selected: string[]
}

/** recordTable reads GET /api/v1/ledgers/{business}: the rows of a period, person, units, account. */
export function recordTable(businessId: string, q: LedgerQuery): Promise<RecordTable> {
  const query: Record<string, string> = { selected: q.selected.join(',') }
  if (q.person) query.person = q.person
  if (q.from) query.from = q.from
  if (q.to) query.to = q.to
  return must(api.GET('/api/v1/ledgers/{business}', { params: { path: { business: businessId }, query } }))
}

/** Download is a file the browser saves. */
export interface Download {
  blob: Blob
  fileName: string
}

/** declarationTemplate downloads 5.2's ZIP named after the unit. */
export async function declarationTemplate(id: string, fallbackName: string): Promise<Download> {
  let r
  try {
    r = await api.GET('/api/v1/contributions-and-arrears/applications/{id}/declaration-template', {
      params: { path: { id } },
      parseAs: 'blob',
    })
  } catch {
    throw toApiError(0, undefined)
  }
  if (!r.response.ok || !r.data) throw toApiError(r.response.status, r.error)
  return { blob: r.data as unknown as Blob, fileName: fileNameOf(r.response.headers.get('Content-Disposition'), fallbackName) }
}

/**
 * fileNameOf reads the file name of a Content-Disposition header, the
 * UTF-8 filename* first (the unit's name is Chinese).
 */
export function fileNameOf(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* a broken encoding: try the plain name */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header)
  const name = plain?.[1]?.trim() ?? ''
  return name && !/^_+\.\w+$/.test(name) ? name : fallback
}
