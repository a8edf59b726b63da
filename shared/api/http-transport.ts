/**
 * The HTTP transport of the API: calls are `POST /api/<method>` with a JSON body, events are a
 * server-sent event stream at `GET /api/events`. Both carry the bearer token from `api.json`.
 * Uses only fetch and web streams, so it runs in Node and in the browser alike.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream'
import { GridNodeError } from '../errors.ts'
import type { ApiTransport } from './client.ts'
import type { MethodName } from './contract.ts'

export interface HttpEndpoint {
  /** Base URL of the node's API server, e.g. http://127.0.0.1:43121 */
  url: string
  token: string
}

export const API_PATH = '/api/'
export const EVENTS_PATH = '/api/events'

function unreachable(url: string, cause: unknown): GridNodeError {
  return new GridNodeError('NODE_UNREACHABLE', `Cannot reach the node's API at ${url}.`, { cause })
}

export function createHttpTransport(endpoint: HttpEndpoint): ApiTransport {
  const base = endpoint.url.replace(/\/+$/, '')
  const headers = { authorization: `Bearer ${endpoint.token}` }

  return {
    async call(method: MethodName, input: unknown, signal?: AbortSignal): Promise<unknown> {
      let response: Response
      try {
        response = await fetch(base + API_PATH + method, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          signal: signal ?? null,
        })
      } catch (err) {
        if (signal?.aborted) throw err
        throw unreachable(base, err)
      }
      try {
        return await response.json()
      } catch (err) {
        throw new GridNodeError('BAD_RESPONSE', `The node answered "${method}" with HTTP ${response.status} and no JSON.`, {
          cause: err,
        })
      }
    },

    async events(onEvent: (event: unknown) => void, signal: AbortSignal): Promise<void> {
      let response: Response
      try {
        response = await fetch(base + EVENTS_PATH, { headers: { ...headers, accept: 'text/event-stream' }, signal })
      } catch (err) {
        if (signal.aborted) return
        throw unreachable(base, err)
      }
      if (!response.ok || response.body === null) {
        throw new GridNodeError(response.status === 401 ? 'UNAUTHORIZED' : 'BAD_RESPONSE', `Event stream refused: HTTP ${response.status}.`)
      }
      const messages = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream())
      try {
        for await (const message of messages) {
          try {
            onEvent(JSON.parse(message.data))
          } catch {
            // A message that is not JSON is not an event of ours: skip it, keep the stream.
          }
        }
      } catch (err) {
        if (signal.aborted) return
        throw unreachable(base, err)
      }
      if (!signal.aborted) throw unreachable(base, new Error('event stream ended'))
    },
  }
}
