/**
 * One request and one response per stream, as length-prefixed deterministic CBOR, each parsed by
 * a schema before use. A malformed, oversized or late message aborts that stream only: the node
 * and the connection carry on.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import type { z } from 'zod'
import { GridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from './host.ts'

/** Protocol messages are small records; anything bigger is hostile or broken. */
export const MAX_MESSAGE_BYTES = 256 * 1024
/** A peer that does not answer within this is treated as gone. */
export const REQUEST_TIMEOUT_MS = 5000

/** Reads one framed message and parses it by `schema`; a malformed one throws BAD_REQUEST. */
export async function readMessage<S extends z.ZodType>(stream: ReturnType<typeof lpStream<Stream>>, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  const bytes = await stream.read(signal === undefined ? {} : { signal })
  let decoded: unknown
  try {
    decoded = dagCbor.decode(bytes.subarray())
  } catch {
    throw new GridNodeError('BAD_REQUEST', 'The peer sent a message that is not CBOR.')
  }
  const parsed = schema.safeParse(decoded)
  if (!parsed.success) throw new GridNodeError('BAD_REQUEST', `The peer sent a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}.`)
  return parsed.data
}

/** Sends `message` on a new stream of `protocol` and returns the parsed answer. */
export async function request<S extends z.ZodType>(connection: Connection, protocol: string, message: unknown, responseSchema: S, timeoutMs = REQUEST_TIMEOUT_MS): Promise<z.output<S>> {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await connection.newStream(protocol, { signal })
  try {
    const framed = lpStream(stream, { maxDataLength: MAX_MESSAGE_BYTES })
    await framed.write(dagCbor.encode(message), { signal })
    const answer = await readMessage(framed, responseSchema, signal)
    await stream.close({ signal })
    return answer
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

export type RequestHandler<S extends z.ZodType> = (message: z.output<S>, connection: Connection) => Promise<unknown>

/** Serves `protocol`: parses each request, answers with what `handler` returns. */
export async function serve<S extends z.ZodType>(host: GridHost, protocol: string, requestSchema: S, handler: RequestHandler<S>, logger: Logger): Promise<void> {
  await host.handle(protocol, async (stream, connection) => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    try {
      const framed = lpStream(stream, { maxDataLength: MAX_MESSAGE_BYTES })
      const message = await readMessage(framed, requestSchema, signal)
      await framed.write(dagCbor.encode(await handler(message, connection)), { signal })
      await stream.close({ signal })
    } catch (err) {
      logger.debug({ protocol, remote: connection.remotePeer.toString(), err: (err as Error).message }, 'stream aborted')
      stream.abort(err as Error)
    }
  })
}
