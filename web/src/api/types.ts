// Names for the wire types this portal uses, taken from the generated
// paths (src/api/schema.d.ts) by route, so that they follow the OpenAPI
// document whatever it calls its schemas.
import type { paths } from './schema'

type JSONOf<R> = R extends { content: { 'application/json': infer B } } ? B : never

/** The 200 body of a GET route. */
export type GetOK<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? JSONOf<R> : never

/** The 200 body of a POST route. */
export type PostOK<P extends keyof paths> = paths[P] extends { post: { responses: { 200: infer R } } } ? JSONOf<R> : never

/** The JSON request body of a POST route. */
export type PostBody<P extends keyof paths> = paths[P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } }
}
  ? B
  : never

export type Captcha = GetOK<'/api/v1/auth/captcha'>
export type LoginRequest = PostBody<'/api/v1/auth/login'>
export type User = GetOK<'/api/v1/auth/me'>['user']
export type UserType = LoginRequest['userType']
export type ServiceList = GetOK<'/api/v1/services'>
export type ServiceItem = ServiceList['items'][number]
export type ServiceDetail = GetOK<'/api/v1/services/{id}'>
export type CodeTable = GetOK<'/api/v1/code-tables/{name}'>
