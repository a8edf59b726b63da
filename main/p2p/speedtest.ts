/**
 * A network self-test between two members: how fast one libp2p stream (TCP, Noise, Yamux) carries
 * bytes to a peer. People use it to see what their link gives; the mirror benchmark uses it as the
 * baseline that chunking, hashing and encryption are measured against.
 *
 * The dialer sends the bytes and closes its end; the listener counts them and answers with the
 * count (8 bytes), so the dialer's clock covers delivery, not just its own send buffer.
 */
import type { Connection } from '@libp2p/interface'
import { GridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import { readAll, sendAll } from './byte-stream.ts'
import type { GridHost } from './host.ts'

export const SPEEDTEST_PROTOCOL = '/gridnode/speedtest/1.0.0'
/** A test is a bounded burst, not a way to make a member sink unlimited traffic. */
export const SPEEDTEST_MAX_BYTES = 4 * 2 ** 30
const BLOCK_BYTES = 256 * 1024
/** Even a slow LAN moves the largest test within this. */
const SPEEDTEST_TIMEOUT_MS = 120_000

export interface SpeedtestResult {
  bytes: number
  ms: number
}

export async function serveSpeedtest(host: GridHost, logger: Logger): Promise<void> {
  await host.handle(SPEEDTEST_PROTOCOL, async (stream, connection) => {
    try {
      const received = await readAll(stream, SPEEDTEST_MAX_BYTES, AbortSignal.timeout(SPEEDTEST_TIMEOUT_MS))
      const answer = new Uint8Array(8)
      new DataView(answer.buffer).setBigUint64(0, BigInt(received))
      stream.send(answer)
      await stream.close()
    } catch (err) {
      logger.debug({ remote: connection.remotePeer.toString(), err: (err as Error).message }, 'speedtest aborted')
      stream.abort(err as Error)
    }
  })
}

export async function runSpeedtest(connection: Connection, bytes: number): Promise<SpeedtestResult> {
  const signal = AbortSignal.timeout(SPEEDTEST_TIMEOUT_MS)
  const block = new Uint8Array(BLOCK_BYTES).fill(0x5a)
  const blocks = function* (): Generator<Uint8Array> {
    for (let left = bytes; left > 0; left -= BLOCK_BYTES) yield left >= BLOCK_BYTES ? block : block.subarray(0, left)
  }
  const started = performance.now()
  const stream = await connection.newStream(SPEEDTEST_PROTOCOL, { signal })
  try {
    await sendAll(stream, blocks(), signal)
    await stream.close({ signal })
    const answer: number[] = []
    await readAll(stream, 8, signal, (chunk) => answer.push(...chunk))
    const counted = answer.length === 8 ? Number(new DataView(Uint8Array.from(answer).buffer).getBigUint64(0)) : -1
    if (counted !== bytes) throw new GridNodeError('SPEEDTEST_FAILED', `The peer counted ${counted} of the ${bytes} bytes sent.`)
    return { bytes, ms: performance.now() - started }
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
