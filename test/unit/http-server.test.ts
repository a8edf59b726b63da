/** The HTTP adapter in-process on 127.0.0.1: its guards, the UI files and the event stream. */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { ApiEvent } from '../../shared/api/contract.ts'
import { createApiClient } from '../../shared/api/client.ts'
import { createHttpTransport } from '../../shared/api/http-transport.ts'
import { createHttpApiServer } from '../../main/api/http-server.ts'
import { createApiService, type EventListener } from '../../main/api/service.ts'
import { createLogger } from '../../main/log/logger.ts'
import { fixtureHandlers, statusFixture } from '../harness/fixtures.ts'

const status = statusFixture()

async function serve(t: TestContext, uiDir?: string) {
  const listeners = new Set<EventListener>()
  let subscribed: () => void = () => undefined
  const firstSubscriber = new Promise<void>((resolve) => (subscribed = resolve))
  const handlers = fixtureHandlers({ status: async () => status })
  const service = createApiService({
    handlers,
    subscribe: (listener) => {
      listeners.add(listener)
      subscribed()
      return () => listeners.delete(listener)
    },
    logger: createLogger({ level: 'silent' }),
  })
  const metrics = { contentType: 'text/plain; version=0.0.4', render: async () => '# HELP up Test.\n# TYPE up gauge\nup 1\n' }
  const server = createHttpApiServer({ service, metrics, logger: createLogger({ level: 'silent' }) }, { host: '127.0.0.1', port: 0, ...(uiDir ? { uiDir } : {}) })
  const url = await server.start()
  t.after(() => server.stop())
  return { url, token: server.token, emit: (event: ApiEvent) => listeners.forEach((listener) => listener(event)), firstSubscriber }
}

/** A raw GET, so the Host header and the path are sent exactly as given. */
function rawGet(url: string, path: string, host?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: host === undefined ? {} : { host } }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('requests addressed to another host name are refused (DNS rebinding)', async (t) => {
  const { url } = await serve(t)
  const refused = await rawGet(url, '/', 'evil.example:80')
  assert.equal(refused.status, 403)
  assert.equal(JSON.parse(refused.body).error.code, 'FORBIDDEN')
  assert.equal((await rawGet(url, '/', `localhost:${new URL(url).port}`)).status, 200)
})

test('the UI is served with a strict CSP and never outside its folder', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'gridnode-ui-'))
  const uiDir = join(root, 'ui')
  await mkdir(join(uiDir, 'assets'), { recursive: true })
  await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>')
  await writeFile(join(uiDir, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(root, 'secret.txt'), 'secret')
  const { url } = await serve(t, uiDir)

  const index = await rawGet(url, '/')
  assert.equal(index.status, 200)
  assert.match(String(index.headers['content-security-policy']), /script-src 'self'/)
  assert.match(String(index.headers['content-type']), /text\/html/)
  assert.match(String((await rawGet(url, '/assets/app.js')).headers['content-type']), /javascript/)
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
    const res = await rawGet(url, path)
    assert.equal(res.status, 404, path)
    assert.doesNotMatch(res.body, /secret/)
  }
})

test('without a built UI the page says how to build it', async (t) => {
  const { url } = await serve(t)
  const page = await rawGet(url, '/')
  assert.equal(page.status, 200)
  assert.match(page.body, /npm run build/)
})

test('events reach token holders as they happen', async (t) => {
  const { url, token, emit, firstSubscriber } = await serve(t)
  const client = createApiClient(createHttpTransport({ url, token }))
  const abort = new AbortController()
  const received = new Promise<ApiEvent>((resolve) => void client.subscribe(resolve, abort.signal))
  await firstSubscriber
  emit({ type: 'status', data: status })
  assert.deepEqual(await received, { type: 'status', data: status })
  abort.abort()
})

test('a job submission may carry a module bigger than the limit of other requests', async (t) => {
  const { url, token } = await serve(t)
  const post = (method: string, body: unknown) =>
    fetch(`${url}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (res) => ({ status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code }),
    )
  const module = Buffer.alloc(3 * 2 ** 20).toString('base64')
  // The fixture node is in no VO: reaching its handler proves the body was read and parsed.
  assert.deepEqual(await post('jobSubmit', { module, entry: 'main' }), { status: 409, code: 'NOT_IN_VO' })
  assert.deepEqual(await post('status', { padding: module }), { status: 413, code: 'PAYLOAD_TOO_LARGE' })
})
