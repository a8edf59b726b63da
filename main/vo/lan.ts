/**
 * The VO on the local network. mDNS (in the libp2p host) reports each peer it hears, every query
 * round; mDNS carries only peer ids and addresses, so:
 * - a member dials the peers it hears, and the membership proof decides (members of other VOs are
 *   refused and dialled again only after LAN_REDIAL_MS): the VO finds itself without addresses;
 * - a node in no VO asks each peer it hears "which VO are you in" on a public protocol, answered
 *   with the VO's id and name only, and keeps the VOs it heard of, with the peers that take join
 *   requests, to show and to ask to join.
 */
import type { Connection, PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { request, serve } from '../p2p/messaging.ts'
import { createRateLimiter } from '../p2p/rate-limit.ts'
import { LAN_REDIAL_MS, NEARBY_ASK_INTERVAL_MS, NEARBY_TTL_MS, PROOF_DEADLINE_MS, PUBLIC_RATE } from './constants.ts'
import type { VoMembership } from './membership.ts'
import { failure, rateLimited } from './failure.ts'
import { NearbyAnswerSchema, NearbyQuerySchema, VO_PROTOCOLS } from './wire.ts'

export interface NearbyVo {
  id: string
  name: string
  /** Peers of this VO heard on the LAN. */
  peers: number
  /** Whether one of them takes join requests. */
  admits: boolean
  seenAt: number
}

/** A peer of a nearby VO that takes join requests, and where it listens. */
export interface Holder {
  peer: string
  addrs: string[]
}

export interface LanDiscoveryComponents {
  host: GridHost
  vo: VoMembership
  logger: Logger
  now?: () => number
}

export interface LanDiscovery {
  start(): Promise<void>
  stop(): void
  /** The VOs heard on the LAN recently, most recently heard first; empty while this node is in a VO. */
  vos(): NearbyVo[]
  /** The peers of VO `id` heard on the LAN that take join requests. */
  holders(id: string): Holder[]
  onChange(listener: () => void): () => void
}

interface Heard {
  vo: { id: string; name: string }
  admits: boolean
  addrs: string[]
  at: number
}

export function createLanDiscovery({ host, vo, logger, now = Date.now }: LanDiscoveryComponents): LanDiscovery {
  const heard = new Map<string, Heard>()
  /** When each peer was last asked or dialled, so mDNS's steady repeats cost nothing. */
  const lastTried = new Map<string, number>()
  const listeners = new Set<() => void>()
  const limiter = createRateLimiter(PUBLIC_RATE)
  let pruneTimer: NodeJS.Timeout | undefined

  const changed = (): void => listeners.forEach((listener) => listener())
  const fresh = (): Array<[string, Heard]> => [...heard.entries()].filter(([, h]) => now() - h.at < NEARBY_TTL_MS)

  const due = (peer: string, interval: number): boolean => {
    const last = lastTried.get(peer)
    if (last !== undefined && now() - last < interval) return false
    lastTried.set(peer, now())
    return true
  }

  /** Dials what mDNS said, not the peer store (which libp2p fills from the same hearing, a moment later). */
  const dial = (addrs: Multiaddr[]): Promise<Connection> => host.dial(addrs, { signal: AbortSignal.timeout(PROOF_DEADLINE_MS) })

  const ask = async (id: string, addrs: Multiaddr[]): Promise<void> => {
    const connection = await dial(addrs)
    try {
      const answer = await request(connection, VO_PROTOCOLS.nearby, {}, NearbyAnswerSchema)
      const before = heard.get(id)
      // Refused (busy): what was heard before still stands.
      if (!answer.ok) return
      if (answer.vo === null) {
        if (heard.delete(id)) changed()
        return
      }
      heard.set(id, { vo: answer.vo, admits: answer.admits, addrs: addrs.map((addr) => addr.toString()), at: now() })
      if (before?.vo.id !== answer.vo.id || before.vo.name !== answer.vo.name || before.admits !== answer.admits) changed()
    } finally {
      // A member would close this unproven connection soon anyway; closing it now frees both ends.
      if (vo.info() === null) await connection.close().catch(() => undefined)
    }
  }

  const onDiscovery = (event: CustomEvent<PeerInfo>): void => {
    const { id: peer, multiaddrs } = event.detail
    const id = peer.toString()
    if (id === host.peerId.toString()) return
    const addrs = multiaddrs.map((addr) => addr.encapsulate(`/p2p/${id}`))
    if (addrs.length === 0) return
    if (vo.info() !== null) {
      if (host.getConnections(peer).length > 0 || !due(id, LAN_REDIAL_MS)) return
      // The outbound connection proves membership by itself; a peer of another VO refuses it.
      dial(addrs).catch((err: unknown) => logger.debug({ peer: id, err: (err as Error).message }, 'LAN peer not reached'))
      return
    }
    if (!due(id, NEARBY_ASK_INTERVAL_MS)) return
    ask(id, addrs).catch((err: unknown) => {
      // Often a member's dial crossing ours (it tried to prove membership and closed): ask at the next hearing.
      lastTried.delete(id)
      logger.debug({ peer: id, err: (err as Error).message }, 'LAN peer did not say its VO')
    })
  }

  /** Forgets what went quiet (and everything once this node is in a VO). */
  const prune = (): void => {
    const stale = [...heard.entries()].filter(([, h]) => vo.info() !== null || now() - h.at >= NEARBY_TTL_MS)
    for (const [peer] of stale) heard.delete(peer)
    if (stale.length > 0) changed()
  }

  return {
    async start() {
      await serve(
        host,
        VO_PROTOCOLS.nearby,
        NearbyQuerySchema,
        async (_query, connection) => {
          if (!limiter.take(connection.remotePeer.toString(), now())) return failure(rateLimited())
          const info = vo.info()
          return { ok: true, vo: info === null ? null : { id: info.id, name: info.name }, admits: info?.canIssue ?? false }
        },
        logger,
      )
      host.services.mdns?.addEventListener('peer', onDiscovery)
      pruneTimer = setInterval(prune, NEARBY_TTL_MS / 4)
      pruneTimer.unref()
    },
    stop() {
      host.services.mdns?.removeEventListener('peer', onDiscovery)
      clearInterval(pruneTimer)
    },
    vos() {
      if (vo.info() !== null) return []
      const byVo = new Map<string, NearbyVo>()
      for (const [, h] of fresh().sort(([, a], [, b]) => b.at - a.at)) {
        const known = byVo.get(h.vo.id)
        if (known === undefined) byVo.set(h.vo.id, { id: h.vo.id, name: h.vo.name, peers: 1, admits: h.admits, seenAt: h.at })
        else byVo.set(h.vo.id, { ...known, peers: known.peers + 1, admits: known.admits || h.admits })
      }
      return [...byVo.values()]
    },
    holders(id) {
      return fresh()
        .filter(([, h]) => h.vo.id === id && h.admits)
        .map(([peer, h]) => ({ peer, addrs: h.addrs }))
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
