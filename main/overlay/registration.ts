/**
 * Registration: members keep their resource advertisement registered with their super-peer; the
 * super-peer keeps an index of them that expires stale ads. A new super-peer starts with an empty
 * index, rebuilt by its members' re-registrations as soon as they follow it. A member whose
 * connection drops leaves the index at once (a dead node is not offered for AD_TTL_MS), and
 * registers again as soon as it is connected to its super-peer again.
 */
import { AD_TTL_MS, REGISTER_INTERVAL_MS } from './constants.ts'
import type { Core, Output, PeerId, TickInput } from './core.ts'
import type { Advertisement, QuerySpec, RegisterMessage } from './messages.ts'
import { outranks } from './score.ts'

export interface RegistrationInit {
  self: PeerId
  ad: Advertisement
  now: number
}

export type RegistrationInput =
  | { type: 'message'; now: number; from: PeerId; message: RegisterMessage }
  | TickInput
  /** The sub-grid election's current leader (this node when it is the super-peer). */
  | { type: 'super-peer'; now: number; superPeer: PeerId | null }
  /** This node's offer changed (load, disk…); sent with the next refresh. */
  | { type: 'advertise'; now: number; ad: Advertisement }
  /** This node's connection to `peer` opened or closed. */
  | { type: 'peer-up' | 'peer-down'; now: number; peer: PeerId }

export interface Registration extends Core<RegistrationInput> {
  /** The super-peer's index: live advertisements matching `spec`, best first, at most `limit`, never `exclude`. */
  matches(spec: QuerySpec, limit: number, exclude: PeerId, now: number): Advertisement[]
  /** Live advertisements in the index, this node's own included when it is the super-peer (0 otherwise). */
  indexSize(now: number): number
}

function matchesSpec(ad: Advertisement, spec: QuerySpec): boolean {
  return ad.cores >= (spec.cores ?? 0) && ad.diskBytes >= (spec.diskBytes ?? 0)
}

/** Discovery's ranking: most available first. */
export function byScore(a: Advertisement, b: Advertisement): number {
  return outranks(a.score, a.peer, b.score, b.peer) ? -1 : 1
}

export function createRegistration(init: RegistrationInit): Registration {
  const { self } = init
  let ad = init.ad
  let superPeer: PeerId | null = null
  let nextRefresh = Infinity
  /** The index, kept only while this node is the super-peer. */
  const index = new Map<PeerId, { ad: Advertisement; expiresAt: number }>()
  let nextExpiry = Infinity

  const serving = (): boolean => superPeer === self
  const registerTo = (to: PeerId, now: number): Output[] => {
    nextRefresh = now + REGISTER_INTERVAL_MS
    return [{ type: 'send', to, message: { type: 'register', ad } }]
  }

  function expire(now: number): void {
    nextExpiry = Infinity
    for (const [peer, entry] of index) {
      if (entry.expiresAt <= now) index.delete(peer)
      else nextExpiry = Math.min(nextExpiry, entry.expiresAt)
    }
  }

  return {
    handle(input) {
      switch (input.type) {
        case 'message':
          if (!serving() || input.from !== input.message.ad.peer) return [] // not ours to index, or not the sender's own ad
          index.set(input.from, { ad: input.message.ad, expiresAt: input.now + AD_TTL_MS })
          nextExpiry = Math.min(nextExpiry, input.now + AD_TTL_MS)
          return []
        case 'super-peer':
          if (input.superPeer === superPeer) return []
          superPeer = input.superPeer
          index.clear()
          nextExpiry = Infinity
          nextRefresh = Infinity
          return superPeer === null || serving() ? [] : registerTo(superPeer, input.now)
        case 'advertise':
          ad = input.ad
          return []
        case 'peer-down':
          index.delete(input.peer)
          return []
        case 'peer-up':
          return input.peer === superPeer && !serving() ? registerTo(superPeer, input.now) : []
        case 'tick':
          if (input.now >= nextExpiry) expire(input.now)
          if (input.now >= nextRefresh && superPeer !== null && !serving()) return registerTo(superPeer, input.now)
          return []
      }
    },
    nextDeadline: () => Math.min(nextRefresh, nextExpiry),
    matches(spec, limit, exclude, now) {
      if (!serving()) return []
      const found: Advertisement[] = []
      if (ad.peer !== exclude && matchesSpec(ad, spec)) found.push(ad)
      for (const entry of index.values()) {
        if (entry.expiresAt > now && entry.ad.peer !== exclude && matchesSpec(entry.ad, spec)) found.push(entry.ad)
      }
      return found.sort(byScore).slice(0, limit)
    },
    indexSize(now) {
      if (!serving()) return 0
      let live = 1
      for (const entry of index.values()) if (entry.expiresAt > now) live++
      return live
    },
  }
}
