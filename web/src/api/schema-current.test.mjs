// src/api/schema.d.ts is generated from infra/openapi/openapi.yaml
// (npm run gen:api) and never edited: this fails when the document has
// changed since, so the portal's types cannot drift from the API.
// (Plain JS: it uses Node's APIs, which the portal's tsconfig leaves out.)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

it('schema.d.ts is what npm run gen:api makes of the OpenAPI document', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hrss-schema-'))
  try {
    const out = path.join(dir, 'schema.d.ts')
    const cli = path.join(web, 'node_modules/openapi-typescript/bin/cli.js')
    execFileSync(process.execPath, [cli, '../infra/openapi/openapi.yaml', '-o', out], { cwd: web, stdio: 'pipe' })
    const fresh = readFileSync(out, 'utf8')
    const committed = readFileSync(path.join(web, 'src/api/schema.d.ts'), 'utf8')
    expect(committed === fresh, 'src/api/schema.d.ts is stale: run `npm run gen:api` in web/').toBe(true)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
