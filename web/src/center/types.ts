// Names for the wire types of 用户中心 and 试算, taken from the generated
// OpenAPI types (src/api/schema.d.ts); nothing here is written by hand.
import type { components } from '../api/schema'

type S = components['schemas']

export type ApplicationStatus = S['ApplicationStatus']
export type ApplicationSummary = S['SummaryView']
export type ApplicationList = S['ApplicationList']
export type ApplicationView = S['ApplicationView']
export type TimelineEvent = S['Event']
export type Snapshot = S['Snapshot']
export type Rating = S['Rating']
export type RatingRequest = S['RatingRequest']
export type ReceiptMaking = S['ReceiptMaking']
export type AccessLog = S['AccessLog']
export type AccessEntry = AccessLog['entries'][number]
export type BackPaymentRequest = S['BackPaymentRequest']
export type BackPaymentResult = S['BackPaymentResult']
export type RetirementRequest = S['RetirementRequest']
export type RetirementResult = S['RetirementResult']
export type Field = S['Field']
export type Business = S['Business']
export type CodeTable = S['CodeTable']
