/**
 * Bulk bytes over one libp2p stream, with backpressure both ways: a writer that waits for the
 * stream to drain instead of buffering without bound, and a reader that counts or collects what
 * arrives up to a limit. For payloads too big for one framed message (messaging.ts).
 */
import type { Stream } from '@libp2p/interface'
import { GridNodeError } from '../../shared/errors.ts'

/** Sends every chunk, pausing whenever the stream asks to drain. */
export async function sendAll(stream: Stream, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<number> {
  let sent = 0
  for await (const chunk of chunks) {
    signal.throwIfAborted()
    sent += chunk.byteLength
    if (!stream.send(chunk)) await stream.onDrain({ signal })
  }
  return sent
}

/** Reads until the remote closes its end, calling `onChunk` for each piece; refuses more than `limit` bytes. */
export async function readAll(stream: Stream, limit: number, signal: AbortSignal, onChunk: (chunk: Uint8Array) => void = () => undefined): Promise<number> {
  let received = 0
  const abort = (): void => stream.abort(new GridNodeError('TIMEOUT', 'The transfer took too long.'))
  signal.addEventListener('abort', abort, { once: true })
  try {
    for await (const chunk of stream) {
      received += chunk.byteLength
      if (received > limit) throw new GridNodeError('BAD_REQUEST', `The peer sent more than ${limit} bytes.`)
      onChunk(chunk.subarray())
    }
  } finally {
    signal.removeEventListener('abort', abort)
  }
  signal.throwIfAborted()
  return received
}
