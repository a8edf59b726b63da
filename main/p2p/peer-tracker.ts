/**
 * Keeps the list of connected peers with their addresses and latency, and tells listeners when it
 * changes so the API can push status instead of being polled. A new peer is pinged at once; after
 * that the RTT libp2p's connection monitor measures is read periodically.
 */
import type { PeerId } from '@libp2p/interface'
import type { Peer } from '../../shared/api/schemas.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from './host.ts'

export interface PeerTrackerInit {
  refreshIntervalMs: number
  pingTimeoutMs: number
}

export interface PeerTrackerComponents {
  host: GridHost
  logger: Logger
}

export interface PeerTracker {
  start(): void
  stop(): void
  /** Connected peers, sorted by peer id. */
  peers(): Peer[]
  /** Pings one peer now and records the round trip; null when it does not answer. */
  measure(peerId: PeerId): Promise<number | null>
  onChange(listener: () => void): () => void
}

export function createPeerTracker({ host, logger }: PeerTrackerComponents, init: PeerTrackerInit): PeerTracker {
  const latency = new Map<string, number>()
  const listeners = new Set<() => void>()
  let timer: NodeJS.Timeout | undefined

  const changed = (): void => {
    for (const listener of listeners) listener()
  }

  // Concurrent asks for one peer (a new connection, a `connect` call) share one ping: one answer serves all.
  const inflight = new Map<string, Promise<number | null>>()

  const ping = async (peerId: PeerId): Promise<number | null> => {
    const id = peerId.toString()
    try {
      const rtt = await host.services.ping.ping(peerId, { signal: AbortSignal.timeout(init.pingTimeoutMs) })
      if (host.getConnections(peerId).length > 0 && latency.get(id) !== rtt) {
        latency.set(id, rtt)
        changed()
      }
      return rtt
    } catch (err) {
      logger.debug({ remote: id, err: (err as Error).message }, 'ping failed')
      return null
    }
  }

  const measure = (peerId: PeerId): Promise<number | null> => {
    const id = peerId.toString()
    let pending = inflight.get(id)
    if (pending === undefined) {
      pending = ping(peerId).finally(() => inflight.delete(id))
      inflight.set(id, pending)
    }
    return pending
  }

  const onConnect = (event: CustomEvent<PeerId>): void => {
    changed()
    void measure(event.detail)
  }
  const onDisconnect = (event: CustomEvent<PeerId>): void => {
    latency.delete(event.detail.toString())
    changed()
  }

  /** libp2p's connection monitor measures each connection's RTT anyway: read it rather than ping again. */
  const refresh = (): void => {
    let updated = false
    for (const connection of host.getConnections()) {
      const id = connection.remotePeer.toString()
      if (connection.rtt !== undefined && latency.get(id) !== connection.rtt) {
        latency.set(id, connection.rtt)
        updated = true
      }
    }
    if (updated) changed()
  }

  return {
    start() {
      if (timer !== undefined) return
      host.addEventListener('peer:connect', onConnect)
      host.addEventListener('peer:disconnect', onDisconnect)
      host.addEventListener('connection:open', changed)
      host.addEventListener('connection:close', changed)
      host.addEventListener('self:peer:update', changed)
      timer = setInterval(refresh, init.refreshIntervalMs)
      timer.unref()
    },
    stop() {
      if (timer === undefined) return
      clearInterval(timer)
      timer = undefined
      host.removeEventListener('peer:connect', onConnect)
      host.removeEventListener('peer:disconnect', onDisconnect)
      host.removeEventListener('connection:open', changed)
      host.removeEventListener('connection:close', changed)
      host.removeEventListener('self:peer:update', changed)
    },
    peers() {
      const addrs = new Map<string, string[]>()
      for (const connection of host.getConnections()) {
        const id = connection.remotePeer.toString()
        addrs.set(id, [...(addrs.get(id) ?? []), connection.remoteAddr.toString()])
      }
      return [...addrs.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([peerId, list]) => ({ peerId, addrs: list, latencyMs: latency.get(peerId) ?? null }))
    },
    measure,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
