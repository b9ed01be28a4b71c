import { describe, expect, it, vi } from 'vitest'
import { onUnauthorized, session } from './client'

type OnResponse = NonNullable<typeof session.onResponse>

function respond(status: number, schemaPath: string) {
  const args = { response: new Response(null, { status }), schemaPath } as unknown as Parameters<OnResponse>[0]
  return session.onResponse!(args)
}

describe('the 401 handler', () => {
  it('sends the person to 用户登录 when a call finds the session gone', async () => {
    const fn = vi.fn()
    onUnauthorized(fn)
    await respond(401, '/api/v1/me/applications')
    expect(fn).toHaveBeenCalledTimes(1)
  })
  it.each([
    [401, '/api/v1/auth/login'], // a wrong password is an answer
    [401, '/api/v1/auth/me'], // the session probe: the router decides
    [403, '/api/v1/review/queue'],
    [200, '/api/v1/services'],
  ])('leaves %i from %s alone', async (status, path) => {
    const fn = vi.fn()
    onUnauthorized(fn)
    await respond(status, path)
    expect(fn).not.toHaveBeenCalled()
  })
})
