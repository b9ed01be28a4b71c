// Names for the wire types of 立即办理, taken from the generated OpenAPI
// types (src/api/schema.d.ts). Every family's application routes share
// these shapes: the document repeats them once per family.
import type { components } from '../api/schema'

type S = components['schemas']

export type Family = S['Family']
export type Business = S['ServiceDetail']
export type Field = S['Field']
export type Material = S['Material']
export type LedgerDefinition = S['LedgerDefinition']
export type SelectionTable = S['SelectionTable']
export type CodeTable = S['CodeTable']
export type CodeEntry = CodeTable['entries'][number]

export type AppView = S['ApplicationView']
export type MaterialView = S['MaterialView']
export type FileView = MaterialView['files'][number]
export type FileReport = S['FileReport']
export type CellReport = S['CellReport']
export type DraftLedger = S['DraftLedger']
export type LedgerRow = DraftLedger['rows'][number]
export type Total = S['LabelledTotal']
export type RecordTable = S['RecordTable']
export type SaveDraft = S['SaveDraftRequest']
export type PresignRequest = S['PresignUploadRequest']
export type PresignedUpload = S['PresignedUpload']
export type UploadInfo = S['UploadInfo']
export type SubmitReceipt = S['SubmitReceipt']
export type WindowView = NonNullable<AppView['window']>
