/**
 * Discovery: a query goes node → its super-peer, which coordinates the search as an expanding
 * ring and stops widening as soon as `want` candidates are found:
 *   1. its own index;
 *   2. the other super-peers of its region, in parallel (each answers from its index);
 *   3. the region peers of the other regions, in parallel; each answers and asks its own region's
 *      super-peers, which answer the coordinator directly.
 * Every forward decrements the TTL; a peer handles a query id once (duplicates are dropped); the
 * result carries the ranked candidates and the longest path that contributed one.
 */
import { GLOBAL_STAGE_TIMEOUT_MS, QUERY_TIMEOUT_MS, REGION_STAGE_TIMEOUT_MS, SEEN_QUERY_TTL_MS, DEFAULT_TTL } from './constants.ts'
import type { Core, Output, PeerId, TickInput } from './core.ts'
import type { Advertisement, DiscoveryMessage, QuerySpec } from './messages.ts'
import { byScore } from './registration.ts'

/** What discovery needs from the rest of the node. */
export interface DiscoveryComponents {
  /** This node's super-peer (itself when it is one), or null while none is known. */
  superPeer(): PeerId | null
  /** The index's matches; empty unless this node is a super-peer. */
  matches(spec: QuerySpec, limit: number, exclude: PeerId, now: number): Advertisement[]
  /** The other super-peers of this node's region. */
  regionSuperPeers(): PeerId[]
  /** The region peers of the other regions. */
  otherRegionPeers(): PeerId[]
}

/** Marks the wire id of the one retry a node makes when its super-peer does not answer in time. */
const RETRY_SUFFIX = '.retry'

export interface DiscoveryInit {
  self: PeerId
}

export interface DiscoverRequest {
  /** Unique per query (the runtime's choice, e.g. random). */
  id: string
  spec: QuerySpec
  want: number
  ttl?: number
}

export type DiscoveryInput =
  | { type: 'message'; now: number; from: PeerId; message: DiscoveryMessage }
  | TickInput
  | ({ type: 'discover'; now: number } & DiscoverRequest)

type QueryMessage = Extract<DiscoveryMessage, { type: 'query' }>

/** A search this node coordinates, as the origin's super-peer. */
interface Search {
  origin: PeerId
  spec: QuerySpec
  want: number
  ttl: number
  /** Origin … coordinator. */
  path: PeerId[]
  stage: 'local' | 'region' | 'global'
  /** Peers asked in this stage that have not answered yet. */
  direct: Set<PeerId>
  /** Answers announced by region peers' fan-outs (their `expect`) minus those received; they may overtake the announcement. */
  indirect: number
  deadline: number
  found: Map<PeerId, { ad: Advertisement; path: PeerId[] }>
}

export type Discovery = Core<DiscoveryInput>

export function createDiscovery(init: DiscoveryInit, components: DiscoveryComponents): Discovery {
  const { self } = init
  const seen = new Map<string, number>()
  let nextSweep = Infinity
  /** Queries this node sent to its super-peer, by the id on the wire: when to retry or give up. */
  const pending = new Map<string, { request: DiscoverRequest; deadline: number; retried: boolean }>()
  const searches = new Map<string, Search>()
  let out: Output[] = []

  const send = (to: PeerId, message: DiscoveryMessage): void => void out.push({ to, type: 'send', message })

  /** First sight of a query id? Remembers it so later copies are dropped. */
  function firstSight(id: string, now: number): boolean {
    if (seen.has(id)) return false
    seen.set(id, now + SEEN_QUERY_TTL_MS)
    nextSweep = Math.min(nextSweep, now + SEEN_QUERY_TTL_MS)
    return true
  }

  function finish(id: string, search: Search, satisfied: boolean): void {
    searches.delete(id)
    const ranked = [...search.found.values()].sort((a, b) => byScore(a.ad, b.ad)).slice(0, search.want)
    const path = ranked.reduce<PeerId[]>((longest, c) => (c.path.length > longest.length ? c.path : longest), search.path)
    const candidates = ranked.map((c) => c.ad)
    if (search.origin === self) {
      out.push({ type: 'effect', effect: { type: 'discovery-result', id, candidates, path, hops: path.length - 1, satisfied } })
    } else {
      send(search.origin, { type: 'result', id, candidates, path, satisfied })
    }
  }

  function addFound(search: Search, candidates: Advertisement[], path: PeerId[]): void {
    for (const ad of candidates) if (!search.found.has(ad.peer)) search.found.set(ad.peer, { ad, path })
  }

  /** Widens the search to the next ring, or answers with what it has when there is none. */
  function widen(id: string, search: Search, now: number): void {
    const fanOut = (targets: PeerId[], scope: 'answer' | 'region', ttl: number, timeout: number): void => {
      search.direct = new Set(targets)
      search.indirect = 0
      search.deadline = now + timeout
      const query: QueryMessage = { type: 'query', id, scope, origin: search.origin, coordinator: self, spec: search.spec, want: search.want, ttl, path: search.path }
      for (const to of targets) send(to, query)
    }
    if (search.stage === 'local') {
      search.stage = 'region'
      const targets = search.ttl >= 1 ? components.regionSuperPeers() : []
      if (targets.length > 0) return fanOut(targets, 'answer', search.ttl - 1, REGION_STAGE_TIMEOUT_MS)
    }
    if (search.stage === 'region') {
      search.stage = 'global'
      const targets = search.ttl >= 2 ? components.otherRegionPeers() : []
      if (targets.length > 0) return fanOut(targets, 'region', search.ttl - 1, GLOBAL_STAGE_TIMEOUT_MS)
    }
    finish(id, search, false)
  }

  function coordinate(q: QueryMessage, now: number): void {
    const path = [...q.path, self]
    const search: Search = { origin: q.origin, spec: q.spec, want: q.want, ttl: q.ttl, path, stage: 'local', direct: new Set(), indirect: 0, deadline: Infinity, found: new Map() }
    searches.set(q.id, search)
    addFound(search, components.matches(q.spec, q.want, q.origin, now), path)
    if (search.found.size >= q.want) return finish(q.id, search, true)
    widen(q.id, search, now)
  }

  function onQuery(q: QueryMessage, now: number): void {
    if (!firstSight(q.id, now)) return
    const path = [...q.path, self]
    switch (q.scope) {
      case 'coordinate': {
        const superPeer = components.superPeer()
        if (superPeer === self) return coordinate(q, now)
        // Sent to a former super-peer: pass it on to the current one while the TTL allows.
        if (superPeer !== null && q.ttl >= 1) send(superPeer, { ...q, ttl: q.ttl - 1, path })
        return
      }
      case 'answer':
        return send(q.coordinator, { type: 'matches', id: q.id, candidates: components.matches(q.spec, q.want, q.origin, now), path, expect: 0 })
      case 'region': {
        const targets = q.ttl >= 1 ? components.regionSuperPeers() : []
        const forward: QueryMessage = { ...q, scope: 'answer', ttl: q.ttl - 1, path }
        for (const to of targets) send(to, forward)
        return send(q.coordinator, { type: 'matches', id: q.id, candidates: components.matches(q.spec, q.want, q.origin, now), path, expect: targets.length })
      }
    }
  }

  function onMatches(m: Extract<DiscoveryMessage, { type: 'matches' }>, now: number): void {
    const search = searches.get(m.id)
    if (search === undefined) return // answered already: late matches are ignored
    addFound(search, m.candidates, m.path)
    const answerer = m.path[m.path.length - 1]!
    if (search.direct.delete(answerer)) search.indirect += m.expect
    else search.indirect -= 1
    if (search.found.size >= search.want) return finish(m.id, search, true)
    if (search.direct.size === 0 && search.indirect <= 0) widen(m.id, search, now)
  }

  function start(request: DiscoverRequest, now: number, retried = false): void {
    const ttl = request.ttl ?? DEFAULT_TTL
    const query: QueryMessage = { type: 'query', id: request.id, scope: 'coordinate', origin: self, coordinator: self, spec: request.spec, want: request.want, ttl, path: [self] }
    const superPeer = components.superPeer()
    if (superPeer === self && !retried) {
      firstSight(request.id, now)
      return coordinate({ ...query, path: [] }, now)
    }
    if (superPeer === null || superPeer === self || ttl < 1) return fail(request.id)
    // A retry gets its own id: the super-peer dropped the first as a duplicate if only the result was lost.
    const wireId = retried ? `${request.id}${RETRY_SUFFIX}` : request.id
    pending.set(wireId, { request, deadline: now + QUERY_TIMEOUT_MS, retried })
    send(superPeer, { ...query, id: wireId, ttl: ttl - 1 })
  }

  function fail(id: string): void {
    out.push({ type: 'effect', effect: { type: 'discovery-result', id, candidates: [], path: [self], hops: 0, satisfied: false } })
  }

  function onTick(now: number): void {
    for (const [id, search] of searches) if (search.deadline <= now) widen(id, search, now)
    for (const [wireId, { request, deadline, retried }] of pending) {
      if (deadline > now) continue
      pending.delete(wireId)
      if (retried) fail(request.id)
      else start(request, now, true)
    }
    if (now >= nextSweep) {
      nextSweep = Infinity
      for (const [id, expiresAt] of seen) {
        if (expiresAt <= now) seen.delete(id)
        else nextSweep = Math.min(nextSweep, expiresAt)
      }
    }
  }

  return {
    handle(input) {
      out = []
      switch (input.type) {
        case 'discover':
          start(input, input.now)
          break
        case 'tick':
          onTick(input.now)
          break
        case 'message': {
          const m = input.message
          if (m.type === 'query') onQuery(m, input.now)
          else if (m.type === 'matches') onMatches(m, input.now)
          else {
            const sent = pending.get(m.id)
            if (sent === undefined) break
            pending.delete(m.id)
            out.push({ type: 'effect', effect: { type: 'discovery-result', id: sent.request.id, candidates: m.candidates, path: m.path, hops: m.path.length - 1, satisfied: m.satisfied } })
          }
          break
        }
      }
      return out
    },
    nextDeadline() {
      let next = nextSweep
      for (const search of searches.values()) next = Math.min(next, search.deadline)
      for (const sent of pending.values()) next = Math.min(next, sent.deadline)
      return next
    },
  }
}
