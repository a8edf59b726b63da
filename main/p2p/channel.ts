/**
 * A conversation on one long-lived stream, both ways at once: schema-checked CBOR messages (each
 * within MAX_MESSAGE_BYTES, like messaging.ts) and payloads too big for one message — a header
 * giving the size, checked against the channel's own limit before a byte is kept, then raw
 * chunks. A malformed header, an oversized payload or a chunk past the announced size aborts the
 * stream, never the node.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { z } from 'zod'
import { GridNodeError } from '../../shared/errors.ts'
import { MAX_MESSAGE_BYTES, readMessage } from './messaging.ts'

/** Payloads travel in chunks of this size: well under a message, big enough to keep the stream busy. */
export const PAYLOAD_CHUNK_BYTES = 64 * 1024

export interface Channel {
  readonly stream: Stream
  send(message: unknown, signal?: AbortSignal): Promise<void>
  /** The next message, parsed by `schema`; rejects with BAD_REQUEST when it does not fit. */
  receive<S extends z.ZodType>(schema: S, signal?: AbortSignal): Promise<z.output<S>>
  sendPayload(bytes: Uint8Array, signal?: AbortSignal): Promise<void>
  /** The next payload; rejects with PAYLOAD_TOO_LARGE beyond the channel's limit. */
  receivePayload(signal?: AbortSignal): Promise<Uint8Array>
}

export interface ChannelInit {
  /** The largest payload this side accepts. */
  maxPayloadBytes: number
}

const options = (signal: AbortSignal | undefined) => (signal === undefined ? {} : { signal })

export function openChannel(stream: Stream, { maxPayloadBytes }: ChannelInit): Channel {
  const framed = lpStream(stream, { maxDataLength: MAX_MESSAGE_BYTES })
  const HeaderSchema = z.object({ payload: z.number().int().nonnegative() }).strict()

  return {
    stream,
    send: (message, signal) => framed.write(dagCbor.encode(message), options(signal)),
    receive: (schema, signal) => readMessage(framed, schema, signal),
    async sendPayload(bytes, signal) {
      await framed.write(dagCbor.encode({ payload: bytes.byteLength }), options(signal))
      for (let at = 0; at < bytes.byteLength; at += PAYLOAD_CHUNK_BYTES) {
        await framed.write(bytes.subarray(at, at + PAYLOAD_CHUNK_BYTES), options(signal))
      }
    },
    async receivePayload(signal) {
      const { payload: size } = await readMessage(framed, HeaderSchema, signal)
      if (size > maxPayloadBytes) throw new GridNodeError('PAYLOAD_TOO_LARGE', `The peer announced a payload of ${size} bytes; at most ${maxPayloadBytes} are accepted.`)
      const bytes = new Uint8Array(size)
      let filled = 0
      while (filled < size) {
        const chunk = await framed.read(options(signal))
        if (chunk.byteLength === 0 || filled + chunk.byteLength > size) throw new GridNodeError('BAD_REQUEST', 'The peer sent a payload chunk that does not fit what it announced.')
        bytes.set(chunk.subarray(), filled)
        filled += chunk.byteLength
      }
      return bytes
    },
  }
}
