/**
 * The overlay over libp2p: drives the pure overlay node with real messages, one timer and the VO's
 * membership events, and carries its outputs as streams. Only proven VO members take part: the
 * overlay's protocols sit behind the membership gate, and a peer enters the overlay once proven.
 */
import { randomBytes, randomInt } from 'node:crypto'
import type { Connection, PeerId as Libp2pPeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { GridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { request, serve } from '../p2p/messaging.ts'
import { seededRandom } from '../util/random.ts'
import type { VoMembership } from '../vo/membership.ts'
import type { OverlayEffect, Output } from './core.ts'
import { overlayMessageSchema, type Advertisement, type OverlayMessage, type QuerySpec } from './messages.ts'
import { createOverlayNode, type OverlayInput, type OverlayLeaders, type OverlayNode, type OverlaySnapshot } from './node.ts'
import type { Availability } from './score.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { AckSchema, HELLO_DIRECTORY_LIMIT, HelloSchema, OVERLAY_PROTOCOLS, type DirectoryEntry, type Hello } from './wire.ts'

/** The score drifts with uptime and load; re-advertising it this often keeps elections current. */
const AVAILABILITY_INTERVAL_MS = 10_000
/** A discovery answers well within this (the core's own stages end by QUERY_TIMEOUT_MS). */
const DISCOVERY_WAIT_MS = 10_000
const DIAL_TIMEOUT_MS = 3000
/** A leader that could not be reached is dialled again after this (a dial gives up after DIAL_TIMEOUT_MS). */
const WARM_RETRY_MS = 2 * DIAL_TIMEOUT_MS

export interface DiscoveryResult {
  candidates: Advertisement[]
  path: string[]
  hops: number
  satisfied: boolean
}

export interface OverlayRuntimeComponents {
  host: GridHost
  vo: VoMembership
  logger: Logger
  /** This node's availability and scalability estimate, now. */
  availability: () => { availability: Availability; p: number | null }
}

export interface OverlayRuntimeInit {
  subgrid: string
  region: string
}

export interface OverlayRuntime {
  start(): Promise<void>
  stop(): void
  snapshot(): OverlaySnapshot & OverlayLeaders
  discover(spec: QuerySpec, want: number): Promise<DiscoveryResult>
  /** Called when this node's snapshot changes: its role, its leaders, or its index's size. */
  onChange(listener: () => void): () => void
  /** Re-reads this node's availability now rather than at the next interval (its offer changed). */
  availabilityChanged(): void
}

export function createOverlayRuntime({ host, vo, logger, availability }: OverlayRuntimeComponents, init: OverlayRuntimeInit): OverlayRuntime {
  const self = host.peerId.toString()
  const listeners = new Set<() => void>()
  const queries = new Map<string, (result: DiscoveryResult) => void>()
  let node: OverlayNode | undefined
  let tickTimer: NodeJS.Timeout | undefined
  let availabilityTimer: NodeJS.Timeout | undefined

  const effect = (e: OverlayEffect): void => {
    if (e.type === 'leader-changed') {
      // `tier`, not `level`: pino's own field is called level.
      logger.info({ tier: e.level, group: e.group, leader: e.leader, term: e.term }, 'leader changed')
    } else {
      queries.get(e.id)?.({ candidates: e.candidates, path: e.path, hops: e.hops, satisfied: e.satisfied })
    }
  }

  /** The last snapshot listeners were told of: the status stream carries every change, the index filling included. */
  let reported = ''
  const input = (event: OverlayInput): void => {
    if (node === undefined) return
    for (const output of node.handle(event)) apply(output)
    rearm()
    if (node === undefined) return
    const s = { ...node.snapshot(event.now), ...node.leaders() }
    // Checked on every input (ticks come each heartbeat), so a failed dial is tried again.
    if (s.role !== 'member') warm(s, event.now)
    const key = JSON.stringify(s)
    if (key === reported) return
    reported = key
    listeners.forEach((listener) => listener())
  }

  /** When each leader was last dialled by warm(), so an unreachable one is not dialled on every input. */
  const warmedAt = new Map<string, number>()
  /**
   * A super-peer keeps connections to the leaders a discovery fans out to, so a query's short
   * region stage is not spent dialling (and proving membership) after a failover.
   */
  const warm = ({ superPeers, regionPeers }: OverlayLeaders, now: number): void => {
    for (const { peer } of [...superPeers, ...regionPeers]) {
      if (peer === self || now - (warmedAt.get(peer) ?? -Infinity) < WARM_RETRY_MS) continue
      const id = peerIdFromString(peer)
      if (host.getConnections(id).length > 0) continue
      warmedAt.set(peer, now)
      connectionTo(id).catch((err: unknown) => logger.debug({ peer, err: (err as Error).message }, 'could not reach a leader'))
    }
  }

  const apply = (output: Output): void => {
    if (output.type === 'effect') effect(output.effect)
    else if (output.to === self) queueMicrotask(() => input({ type: 'message', now: Date.now(), from: self, message: output.message }))
    else void deliver(output.to, output.message)
  }

  /** One timer, always at the core's next deadline. */
  const rearm = (): void => {
    clearTimeout(tickTimer)
    const at = node?.nextDeadline() ?? Infinity
    if (!Number.isFinite(at)) return
    tickTimer = setTimeout(() => input({ type: 'tick', now: Date.now() }), Math.max(0, at - Date.now()))
    tickTimer.unref()
  }

  const connectionTo = async (peer: Libp2pPeerId): Promise<Connection> =>
    host.getConnections(peer)[0] ?? (await host.dial(peer, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }))

  /** Lost messages are the cores' business (they retry or re-elect); here they are only logged. */
  const deliver = async (to: string, message: OverlayMessage): Promise<void> => {
    try {
      await request(await connectionTo(peerIdFromString(to)), OVERLAY_PROTOCOLS.message, message, AckSchema)
    } catch (err) {
      logger.debug({ to, type: message.type, err: (err as Error).message }, 'overlay message not delivered')
    }
  }

  /** Every peer this node has heard of, with where it sits: what a hello passes on. */
  const directory = new Map<string, DirectoryEntry>()

  const learn = (entry: DirectoryEntry): void => {
    if (entry.peer === self) return
    const known = directory.get(entry.peer)
    directory.set(entry.peer, entry)
    if (known !== undefined && known.subgrid === entry.subgrid && known.region === entry.region) return
    // Addresses go to libp2p's peer store, so a message to this peer can dial it by id.
    const addresses = entry.addrs.flatMap((addr) => {
      try {
        return [multiaddr(addr)]
      } catch {
        return []
      }
    })
    void host.peerStore.merge(peerIdFromString(entry.peer), { multiaddrs: addresses }).catch(() => undefined)
    input({ type: 'peer-up', now: Date.now(), peer: entry.peer, subgrid: entry.subgrid, region: entry.region })
  }

  const hello = (): Hello => ({
    subgrid: init.subgrid,
    region: init.region,
    addrs: host.getMultiaddrs().map((addr) => addr.toString()).slice(0, 16),
    known: [...directory.values()].slice(0, HELLO_DIRECTORY_LIMIT),
  })

  const received = (from: string, message: Hello): void => {
    learn({ peer: from, subgrid: message.subgrid, region: message.region, addrs: message.addrs })
    message.known.forEach(learn)
  }

  /** A hello on `connection`: each side learns the other, from the request and from its answer. */
  const sayHello = (connection: Connection): void => {
    const remote = connection.remotePeer.toString()
    request(connection, OVERLAY_PROTOCOLS.hello, hello(), HelloSchema).then(
      (answer) => received(remote, answer),
      (err: unknown) => logger.debug({ remote, err: (err as Error).message }, 'overlay hello failed'),
    )
  }
  // The dialer says hello, so each side learns once.
  const onProven = (connection: Connection): void => {
    if (connection.direction === 'outbound') sayHello(connection)
  }
  const onDisconnect = (event: CustomEvent<Libp2pPeerId>): void => {
    directory.delete(event.detail.toString())
    input({ type: 'peer-down', now: Date.now(), peer: event.detail.toString() })
  }

  let unsubscribeProven: (() => void) | undefined

  return {
    async start() {
      const current = availability()
      node = createOverlayNode({
        self,
        subgrid: init.subgrid,
        region: init.region,
        peers: [],
        availability: current.availability,
        addrs: host.getMultiaddrs().map((addr) => addr.toString()),
        p: current.p,
        now: Date.now(),
        random: seededRandom(randomInt(2 ** 31)),
      })
      await serve(host, OVERLAY_PROTOCOLS.message, overlayMessageSchema, async (message, connection) => {
        input({ type: 'message', now: Date.now(), from: connection.remotePeer.toString(), message })
        return { ok: true }
      }, logger)
      await serve(host, OVERLAY_PROTOCOLS.hello, HelloSchema, async (message, connection) => {
        const answer = hello()
        received(connection.remotePeer.toString(), message)
        return answer
      }, logger)
      vo.membersOnly(OVERLAY_PROTOCOLS.message)
      vo.membersOnly(OVERLAY_PROTOCOLS.hello)
      unsubscribeProven = vo.onProven(onProven)
      // The VO reconnects before the overlay starts: a peer proven by now was not greeted (or its
      // hello found no handler here yet), and two leaders that never hear of each other stay
      // leaders for good. So this side greets each such peer, whichever side dialed.
      for (const connection of host.getConnections()) if (vo.isProven(connection.remotePeer.toString())) sayHello(connection)
      host.addEventListener('peer:disconnect', onDisconnect)
      availabilityTimer = setInterval(() => input({ type: 'availability', now: Date.now(), ...availability() }), AVAILABILITY_INTERVAL_MS)
      availabilityTimer.unref()
      rearm()
    },
    stop() {
      clearTimeout(tickTimer)
      clearInterval(availabilityTimer)
      unsubscribeProven?.()
      host.removeEventListener('peer:disconnect', onDisconnect)
      node = undefined
    },
    snapshot() {
      if (node === undefined) throw new GridNodeError('NODE_STOPPING', 'The overlay is not running.')
      return { ...node.snapshot(Date.now()), ...node.leaders() }
    },
    discover(spec, want) {
      const id = randomBytes(8).toString('hex')
      return new Promise<DiscoveryResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          queries.delete(id)
          reject(new GridNodeError('TIMEOUT', `The discovery got no answer within ${DISCOVERY_WAIT_MS / 1000} s.`))
        }, DISCOVERY_WAIT_MS)
        queries.set(id, (result) => {
          clearTimeout(timer)
          queries.delete(id)
          resolve(result)
        })
        input({ type: 'discover', now: Date.now(), id, spec, want })
      })
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    availabilityChanged: () => input({ type: 'availability', now: Date.now(), ...availability() }),
  }
}
