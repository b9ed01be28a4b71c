// A tiny same-origin server for the e2e run when the runner does not serve
// the portal itself: web/dist with history fallback, and /api, /_local and
// /_blobs passed to the runner (as `vite dev` and the runner do).
import http from 'node:http'
import fs from 'node:fs/promises'
import path from 'node:path'

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}
const proxied = ['/api/', '/_local/', '/_blobs/']

/** serve starts the server on a free port: {url, close}. */
export async function serve(dist, target) {
  const upstream = new URL(target)
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (proxied.some((p) => url.pathname.startsWith(p))) {
      const headers = { ...req.headers, host: upstream.host }
      const up = http.request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers)
          r.pipe(res)
        },
      )
      up.on('error', () => {
        res.writeHead(502)
        res.end()
      })
      req.pipe(up)
      return
    }
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '')
    let file = path.join(dist, rel)
    if (!file.startsWith(dist)) file = path.join(dist, 'index.html')
    let body
    try {
      const st = await fs.stat(file)
      if (st.isDirectory()) throw new Error('dir')
      body = await fs.readFile(file)
    } catch {
      file = path.join(dist, 'index.html') // history fallback
      body = await fs.readFile(file)
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' })
    res.end(body)
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address()
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) }
}
