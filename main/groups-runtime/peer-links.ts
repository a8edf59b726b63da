/**
 * Carries group messages between members: one outbound stream per peer, opened on first use and
 * kept (ordered, no per-message stream set-up, so an update reaches a backup in one trip), each
 * message a length-prefixed CBOR frame checked against the group schema on arrival. A malformed
 * frame aborts its stream, never the node. Delivery is best effort: a peer that cannot be reached
 * loses what was queued for it (the group cores heartbeat, resend and re-elect).
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { GridNodeError } from '../../shared/errors.ts'
import { parseGroupMessage, type GroupMessage } from '../groups/index.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { GROUP_MAX_INBOUND_STREAMS, GROUP_MESSAGE_MAX_BYTES, GROUP_PROTOCOL, PEER_BACKOFF_MS, PEER_DIAL_TIMEOUT_MS, PEER_QUEUE_LIMIT } from './constants.ts'

export interface PeerLinksComponents {
  host: GridHost
  logger: Logger
  /** A well-formed message from a peer. */
  onMessage(from: string, message: GroupMessage): void
}

export interface PeerLinks {
  start(): Promise<void>
  stop(): void
  send(to: string, message: GroupMessage): void
  /** The connection to `peer` closed: its stream is gone with it. */
  forget(peer: string): void
}

interface Link {
  queue: Uint8Array[]
  stream: Stream | undefined
  framed: ReturnType<typeof lpStream<Stream>> | undefined
  writing: boolean
  backoffUntil: number
}

export function createPeerLinks({ host, logger, onMessage }: PeerLinksComponents): PeerLinks {
  const links = new Map<string, Link>()
  let running = false

  const connectionTo = async (peer: string): Promise<Connection> => {
    const id = peerIdFromString(peer)
    return host.getConnections(id)[0] ?? (await host.dial(id, { signal: AbortSignal.timeout(PEER_DIAL_TIMEOUT_MS) }))
  }

  const drop = (link: Link, err: unknown, peer: string): void => {
    link.stream?.abort(err instanceof Error ? err : new Error(String(err)))
    link.stream = undefined
    link.framed = undefined
    link.queue.length = 0
    link.backoffUntil = performance.now() + PEER_BACKOFF_MS
    logger.debug({ peer, err: (err as Error).message }, 'group messages to a peer dropped')
  }

  const pump = async (peer: string, link: Link): Promise<void> => {
    if (link.writing) return
    link.writing = true
    try {
      while (running && link.queue.length > 0) {
        if (link.framed === undefined) {
          const connection = await connectionTo(peer)
          link.stream = await connection.newStream(GROUP_PROTOCOL, { signal: AbortSignal.timeout(PEER_DIAL_TIMEOUT_MS) })
          link.framed = lpStream(link.stream, { maxDataLength: GROUP_MESSAGE_MAX_BYTES })
          const opened = link.stream
          opened.addEventListener('close', () => {
            if (link.stream === opened) {
              link.stream = undefined
              link.framed = undefined
            }
          })
        }
        const frame = link.queue.shift()!
        await link.framed.write(frame, { signal: AbortSignal.timeout(PEER_DIAL_TIMEOUT_MS) })
      }
    } catch (err) {
      drop(link, err, peer)
    } finally {
      link.writing = false
    }
  }

  const serve = async (stream: Stream, connection: Connection): Promise<void> => {
    const from = connection.remotePeer.toString()
    const framed = lpStream(stream, { maxDataLength: GROUP_MESSAGE_MAX_BYTES })
    try {
      for (;;) {
        const frame = await framed.read()
        if (frame === null) break
        let decoded: unknown
        try {
          decoded = dagCbor.decode(frame.subarray())
        } catch {
          throw new GridNodeError('BAD_REQUEST', 'The peer sent a group message that is not CBOR.')
        }
        const parsed = parseGroupMessage(decoded)
        if (!parsed.ok) throw new GridNodeError('BAD_REQUEST', `The peer sent a malformed group message: ${parsed.error}.`)
        onMessage(from, parsed.value)
      }
      await stream.close().catch(() => undefined)
    } catch (err) {
      logger.debug({ remote: from, err: (err as Error).message }, 'group stream aborted')
      stream.abort(err as Error)
    }
  }

  return {
    async start() {
      running = true
      await host.handle(GROUP_PROTOCOL, (stream, connection) => void serve(stream, connection), { maxInboundStreams: GROUP_MAX_INBOUND_STREAMS, maxOutboundStreams: GROUP_MAX_INBOUND_STREAMS })
    },
    stop() {
      running = false
      for (const link of links.values()) link.stream?.abort(new Error('the node is stopping'))
      links.clear()
    },
    send(to, message) {
      if (!running) return
      let link = links.get(to)
      if (link === undefined) {
        link = { queue: [], stream: undefined, framed: undefined, writing: false, backoffUntil: 0 }
        links.set(to, link)
      }
      if (performance.now() < link.backoffUntil) return
      link.queue.push(dagCbor.encode(message))
      if (link.queue.length > PEER_QUEUE_LIMIT) link.queue.shift()
      void pump(to, link)
    },
    forget(peer) {
      const link = links.get(peer)
      if (link === undefined) return
      link.stream?.abort(new Error('the connection closed'))
      links.delete(peer)
    },
  }
}
