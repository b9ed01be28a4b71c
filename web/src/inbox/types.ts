// Names for the wire types of 消息中心 and 消息提醒设置, taken from the
// generated OpenAPI types (src/api/schema.d.ts); nothing here is written by hand.
import type { components } from '../api/schema'

type S = components['schemas']

export type UnreadCount = S['UnreadCount']
export type Message = S['Message']
export type MessageList = S['MessageList']
export type NotificationSettings = S['NotificationSettings']
export type NotificationSettingsRequest = S['NotificationSettingsRequest']
