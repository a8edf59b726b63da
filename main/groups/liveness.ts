/**
 * Failure detection and what this member knows of the others' copies: a peer is suspected when it
 * has not been heard from for `suspectMs` (every member heartbeats every other), or at once when
 * the transport says its connection closed, until it is heard again. Each message that carries a
 * peer's last applied position updates what we know of it (for failover's "complete copy").
 */
import type { Context } from './context.ts'
import type { PeerId } from './core.ts'
import type { Position } from './messages.ts'

export interface Liveness {
  heard(peer: PeerId, applied?: Position): void
  connectionClosed(peer: PeerId): void
  suspected(peer: PeerId): boolean
  /** How long since `peer` was last heard (ms). */
  silentFor(peer: PeerId): number
  /** The last applied position `peer` reported. */
  position(peer: PeerId): Position | undefined
  /** Starts watching peers not watched yet as if just heard: a member gets the full timeout after a join or restart. */
  watch(peers: PeerId[]): void
}

export function createLiveness(ctx: Context): Liveness {
  const lastHeard = new Map<PeerId, number>()
  const closed = new Set<PeerId>()
  const positions = new Map<PeerId, Position>()
  const silentFor = (peer: PeerId): number => ctx.now - (lastHeard.get(peer) ?? -Infinity)
  return {
    heard(peer, applied) {
      lastHeard.set(peer, ctx.now)
      closed.delete(peer)
      if (applied !== undefined) positions.set(peer, applied)
    },
    connectionClosed: (peer) => void closed.add(peer),
    suspected: (peer) => closed.has(peer) || silentFor(peer) > ctx.timing.suspectMs,
    silentFor,
    position: (peer) => positions.get(peer),
    watch(peers) {
      for (const peer of peers) if (!lastHeard.has(peer)) lastHeard.set(peer, ctx.now)
    },
  }
}
