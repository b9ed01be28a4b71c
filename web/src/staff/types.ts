// Names for the wire types of the staff console, taken from the generated
// paths (src/api/schema.d.ts) by route, like src/api/types.ts.
import type { GetOK, PostBody } from '../api/types'

export type Queue = GetOK<'/api/v1/review/queue'>
export type QueueItem = Queue['items'][number]
export type ReviewCase = GetOK<'/api/v1/review/applications/{id}'>
export type Snapshot = NonNullable<ReviewCase['rounds']>[number]
export type SnapshotLedger = NonNullable<Snapshot['ledger']>
export type TimelineEvent = ReviewCase['timeline'][number]
export type MaterialView = NonNullable<ReviewCase['materials']>[number]
export type Attention = NonNullable<ReviewCase['attention']>
export type AttentionList = GetOK<'/api/v1/review/attention'>
export type AttentionItem = AttentionList['items'][number]
export type DecisionRequest = PostBody<'/api/v1/review/applications/{id}/decision'>
export type RatingList = GetOK<'/api/v1/review/ratings'>
export type Rating = RatingList['items'][number]
export type RatingStats = GetOK<'/api/v1/review/ratings/stats'>
export type BusinessRatings = RatingStats['businesses'][number]
export type RefdataList = GetOK<'/api/v1/review/refdata'>
export type RefdataKindList = RefdataList['kinds'][number]
export type RefdataKind = RefdataKindList['kind']
export type RefdataEntry = RefdataKindList['entries'][number]
export type RefdataHistory = GetOK<'/api/v1/review/refdata/history'>
export type RefdataVersion = RefdataHistory['versions'][number]
export type RefdataPut = PostBody<'/api/v1/review/refdata'>
export type ApplicationStatus = ReviewCase['status']
export type SLA = QueueItem['sla']
export type ReminderJobs = GetOK<'/api/v1/review/reminders'>
export type ReminderJob = ReminderJobs['jobs'][number]
export type ReminderRun = ReminderJob['runs'][number]
