/**
 * The HTTP adapter of the API: `POST /api/<method>` (JSON in, envelope out), `GET /api/events`
 * (server-sent events), `GET /metrics` (Prometheus text), and the UI bundle on every other GET.
 * API and metrics need the bearer token;
 * on a loopback address the Host header must name this server, which defeats DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isMethodName, maxBodyBytes } from '../../shared/api/contract.ts'
import type { Envelope } from '../../shared/api/envelope.ts'
import { API_PATH, EVENTS_PATH } from '../../shared/api/http-transport.ts'
import { ERROR_KINDS, GridNodeError, type ErrorCode } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { ApiService } from './service.ts'
import { serveStatic } from './static-files.ts'

/** API request bodies are small JSON documents; anything bigger is refused before parsing (a method may allow more). */
const MAX_BODY_BYTES = 1024 * 1024

/** The body limit of a method: its own when the contract gives one (job submissions carry modules). */
const bodyLimit = (method: string): number => (isMethodName(method) ? maxBodyBytes(method) : undefined) ?? MAX_BODY_BYTES
/** A comment on the event stream this often lets both ends notice a dead connection. */
const EVENT_KEEPALIVE_MS = 15_000

export interface HttpApiServerInit {
  host: string
  port: number
  /** Built UI bundle; absent means a page explaining how to build it. */
  uiDir?: string
}

export interface HttpApiServerComponents {
  service: ApiService
  /** Prometheus text exposition served at /metrics (token required, like the API). */
  metrics: { contentType: string; render(): Promise<string> }
  logger: Logger
}

export const METRICS_PATH = '/metrics'

export interface HttpApiServer {
  /** Listens and resolves with the base URL. */
  start(): Promise<string>
  stop(): Promise<void>
  readonly token: string
}

function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = JSON.stringify(envelope)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
  res.end(body)
}

function sendError(res: ServerResponse, code: ErrorCode, message: string): void {
  sendEnvelope(res, ERROR_KINDS[code].http, { ok: false, error: { code, message } })
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  // An oversized body is read to its end but not kept, so the client gets the 413 instead of a
  // reset connection; only token holders get this far.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= limit) chunks.push(chunk)
  }
  if (size > limit) throw new GridNodeError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${limit} bytes.`)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new GridNodeError('BAD_REQUEST', 'The request body is not valid JSON.')
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

export function createHttpApiServer({ service, metrics, logger }: HttpApiServerComponents, init: HttpApiServerInit): HttpApiServer {
  const token = randomBytes(32).toString('base64url')
  const expected = Buffer.from(`Bearer ${token}`)
  const openStreams = new Set<ServerResponse>()
  let server: Server | undefined
  let allowedHosts = new Set<string>()

  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '')
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  const streamEvents = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write(': gridnode events\n\n')
    openStreams.add(res)
    const unsubscribe = service.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), EVENT_KEEPALIVE_MS)
    keepalive.unref()
    res.on('close', () => {
      clearInterval(keepalive)
      unsubscribe()
      openStreams.delete(res)
    })
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (allowedHosts.size > 0 && !allowedHosts.has(req.headers.host ?? '')) {
      sendError(res, 'FORBIDDEN', 'This API only answers requests addressed to its own loopback address.')
      return
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost')
    if (pathname === METRICS_PATH) {
      if (!authorized(req)) {
        sendError(res, 'UNAUTHORIZED', 'Missing or wrong API token: scrape /metrics with the bearer token from api.json.')
        return
      }
      const body = await metrics.render()
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' })
      res.end(body)
      return
    }
    if (pathname.startsWith(API_PATH)) {
      if (!authorized(req)) {
        sendError(res, 'UNAUTHORIZED', 'Missing or wrong API token: use the token from the data folder\'s api.json.')
        return
      }
      if (pathname === EVENTS_PATH && req.method === 'GET') {
        streamEvents(res)
        return
      }
      if (req.method !== 'POST') {
        sendError(res, 'BAD_REQUEST', 'API methods are called with POST.')
        return
      }
      const method = pathname.slice(API_PATH.length)
      const envelope = await service.call(method, await readJsonBody(req, bodyLimit(method)))
      sendEnvelope(res, envelope.ok ? 200 : ERROR_KINDS[envelope.error.code].http, envelope)
      return
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(init.uiDir, pathname, res))) return
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('Not found\n')
  }

  return {
    token,
    async start() {
      if (server !== undefined) throw new GridNodeError('INTERNAL', 'The API server is already started.')
      const listening = createServer((req, res) => {
        handle(req, res).catch((err: unknown) => {
          const error = err instanceof GridNodeError ? err : new GridNodeError('INTERNAL', 'The request failed.', { cause: err })
          if (error.code === 'INTERNAL') logger.error({ err, url: req.url }, 'HTTP request failed')
          if (res.headersSent) res.destroy()
          else sendError(res, error.code, error.message)
        })
      })
      server = listening
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject)
        listening.listen(init.port, init.host, () => resolve())
      })
      const { port } = listening.address() as AddressInfo
      const host = init.host.includes(':') ? `[${init.host}]` : init.host
      if (isLoopback(init.host)) {
        allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      }
      return `http://${host}:${port}`
    },
    async stop() {
      const closing = server
      if (closing === undefined) return
      server = undefined
      for (const stream of openStreams) stream.end()
      closing.closeAllConnections()
      await new Promise<void>((resolve) => closing.close(() => resolve()))
    },
  }
}
