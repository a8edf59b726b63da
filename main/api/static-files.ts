/**
 * Serves the built UI bundle read-only, confined to its folder. The bundle is not secret (the
 * token guards the API, not the page), so static files need no authentication.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { UI_CONTENT_SECURITY_POLICY } from '../../shared/csp.ts'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}


const UI_MISSING =
  '<!doctype html><meta charset="utf-8"><title>GridNode</title><p>The GridNode UI has not been built. ' +
  'Run <code>npm run build</code> (or <code>npm start</code>, which builds it) and reload.</p>'

/** Answers a GET for `pathname` from `root`; false when no such file exists. */
export async function serveStatic(root: string | undefined, pathname: string, res: ServerResponse): Promise<boolean> {
  const headers = { 'content-security-policy': UI_CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' }
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '')
  if (root === undefined) {
    if (relative !== 'index.html') return false
    res.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES['.html'] })
    res.end(UI_MISSING)
    return true
  }
  const file = normalize(join(root, relative))
  if (!file.startsWith(normalize(root) + sep)) return false
  const info = await stat(file).catch(() => undefined)
  if (info === undefined || !info.isFile()) return false
  res.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    // Hashed asset names never change content; index.html must always be fresh.
    'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  createReadStream(file).pipe(res)
  return true
}
