/**
 * One overlay node: composes the sub-grid election, the region election (run only while this node
 * is a super-peer), registration and discovery, and keeps the leader views that tie the levels
 * together. This is the core the runtime drives: parse each network message with parseMessage,
 * feed it here with the time, send what comes out, and tick at nextDeadline().
 *
 * Views travel down on heartbeats (a super-peer's coordinator carries its region's super-peers and
 * the region peers it knows), so when a member becomes super-peer it already knows whom to tell.
 * Announcements travel across: a new super-peer tells its region's super-peers, a new region peer
 * tells the other regions' region peers; a group it knows no leader of is reached through a
 * contact (any known peer there), which relays the announcement up its own hierarchy.
 *
 * A node's own elections are authoritative for its own groups' entries (its sub-grid's always, its
 * region's while it is a super-peer): what views and announcements say about those groups is
 * passed to the election as a claim (see election.ts) instead of being merged.
 */
import { ANNOUNCE_INTERVAL_MS } from './constants.ts'
import type { Core, Output, PeerId, TickInput } from './core.ts'
import { createDiscovery, type DiscoverRequest } from './discovery.ts'
import { createElection, type Election } from './election.ts'
import type { Advertisement, Level, OverlayMessage, View, ViewEntry } from './messages.ts'
import { createRegistration } from './registration.ts'
import { availabilityScore, type Availability } from './score.ts'
import { createLeaderView, type LeaderView } from './view.ts'

/** A peer with its topology hints (from the VO membership, mDNS or --subgrid/--region). */
export interface PeerInfo {
  peer: PeerId
  subgrid: string
  region: string
}

export interface OverlayNodeInit {
  self: PeerId
  subgrid: string
  region: string
  /** Known peers: the sub-grid's members, and contacts in other sub-grids and regions. More come with peer-up. */
  peers: PeerInfo[]
  availability: Availability
  addrs: string[]
  /** Scalability estimate (Amdahl p) to advertise, if any. */
  p: number | null
  now: number
  /** Seeded PRNG in [0, 1). */
  random: () => number
}

export type OverlayInput =
  | { type: 'message'; now: number; from: PeerId; message: OverlayMessage }
  | TickInput
  | ({ type: 'peer-up'; now: number } & PeerInfo)
  | { type: 'peer-down'; now: number; peer: PeerId }
  | ({ type: 'discover'; now: number } & DiscoverRequest)
  /** The node's availability or scalability estimate changed. */
  | { type: 'availability'; now: number; availability: Availability; p: number | null }

export interface OverlaySnapshot {
  subgrid: string
  region: string
  role: 'member' | 'super-peer' | 'region-peer'
  superPeer: PeerId | null
  regionPeer: PeerId | null
  /** Advertisements in this super-peer's index (0 for a member). */
  indexSize: number
}

/** The leaders this node knows of: what a map of the overlay draws. */
export interface OverlayLeaders {
  /** The super-peer of each sub-grid of this node's region. */
  superPeers: Array<{ subgrid: string; peer: PeerId }>
  /** The region peer of each region. */
  regionPeers: Array<{ region: string; peer: PeerId }>
}

export interface OverlayNode extends Core<OverlayInput> {
  snapshot(now: number): OverlaySnapshot
  leaders(): OverlayLeaders
}

export function createOverlayNode(init: OverlayNodeInit): OverlayNode {
  const { self, subgrid, region, random } = init
  let ad = advertisement(init)
  const superPeers = createLeaderView()
  const regionPeers = createLeaderView()
  /** Contacts in the other sub-grids of this region, and in other regions. */
  const subgridContacts = new Map<string, PeerId[]>()
  const regionContacts = new Map<string, PeerId[]>()
  let announceRound = 0
  let nextAnnounce = Infinity

  const subgridElection = createElection({ level: 'subgrid', group: subgrid, self, score: ad.score, members: [], now: init.now, random })
  let regionElection: Election | null = null
  const registration = createRegistration({ self, ad, now: init.now })
  const discovery = createDiscovery(
    { self },
    {
      superPeer: () => subgridElection.snapshot().leader,
      matches: (spec, limit, exclude, now) => registration.matches(spec, limit, exclude, now),
      regionSuperPeers: () => otherSuperPeers(),
      otherRegionPeers: () => regionPeers.entries().filter((e) => e.group !== region).map((e) => e.peer),
    },
  )
  let out: Output[] = []
  let view: View | null = null
  let lastMerged: View | null = null

  const isSuperPeer = (): boolean => regionElection !== null
  const otherSuperPeers = (): PeerId[] => superPeers.entries().filter((e) => e.peer !== self).map((e) => e.peer)
  const send = (to: PeerId, message: OverlayMessage): void => void out.push({ type: 'send', to, message })
  const currentView = (): View => (view ??= { region, superPeers: superPeers.entries(), regionPeers: regionPeers.entries() })

  /** Passes a core's outputs on: heartbeats get the current view, leader changes reshape the node. */
  function run(level: Level, outputs: Output[], now: number): void {
    let plain: OverlayMessage | null = null
    let withView: OverlayMessage | null = null
    for (const o of outputs) {
      if (o.type === 'send' && o.message.type === 'coordinator') {
        // One decorated copy per heartbeat, shared by its recipients.
        if (o.message !== plain) [plain, withView] = [o.message, { ...o.message, view: currentView() }]
        out.push({ ...o, message: withView! })
        continue
      }
      out.push(o)
      if (o.type === 'effect' && o.effect.type === 'leader-changed') {
        if (level === 'subgrid') onSuperPeer(o.effect.leader, o.effect.term, now)
        else onRegionPeer(o.effect.leader, o.effect.term, now)
      }
    }
  }

  function addPeer(info: PeerInfo, now: number): void {
    if (info.peer === self) return
    if (info.region === region && info.subgrid === subgrid) return run('subgrid', subgridElection.handle({ type: 'peer-up', now, peer: info.peer }), now)
    const contacts = info.region === region ? subgridContacts : regionContacts
    const key = info.region === region ? info.subgrid : info.region
    const list = contacts.get(key) ?? []
    if (!list.includes(info.peer)) contacts.set(key, [...list, info.peer])
  }

  function mergeView(v: View, now: number): void {
    if (v === lastMerged) return // the same view again (an in-process runtime shares objects): nothing new
    lastMerged = v
    if (v.region === region) mergeSuperPeers(v.superPeers, now)
    mergeRegionPeers(v.regionPeers, now)
  }

  function mergeSuperPeers(entries: ViewEntry[], now: number): boolean {
    for (const e of entries) if (e.group === subgrid) run('subgrid', subgridElection.handle({ type: 'claim', now, peer: e.peer, term: e.term }), now)
    const changed = superPeers.merge(entries.filter((e) => e.group !== subgrid))
    if (changed.length > 0) view = null
    for (const { replaced } of changed) {
      if (regionElection !== null && replaced !== null) run('region', regionElection.handle({ type: 'peer-down', now, peer: replaced }), now)
    }
    // Every super-peer the view holds is a region election member, also one that an earlier
    // peer-down (a dropped connection) removed: membership follows the view, not its changes.
    for (const e of entries) {
      if (regionElection !== null && e.group !== subgrid && superPeers.get(e.group)?.peer === e.peer) run('region', regionElection.handle({ type: 'peer-up', now, peer: e.peer }), now)
    }
    return changed.length > 0
  }

  function mergeRegionPeers(entries: ViewEntry[], now: number): boolean {
    const mine = regionElection === null ? [] : entries.filter((e) => e.group === region)
    for (const e of mine) if (regionElection !== null) run('region', regionElection.handle({ type: 'claim', now, peer: e.peer, term: e.term }), now)
    const changed = regionPeers.merge(entries.filter((e) => !mine.includes(e))).length > 0
    if (changed) view = null
    return changed
  }

  /** Records this node's own election result for its group: authoritative, whatever the views said. */
  function setOwn(leaders: LeaderView, entry: ViewEntry): void {
    if (leaders.set(entry)) view = null
  }

  function onSuperPeer(leader: PeerId | null, term: number, now: number): void {
    const was = isSuperPeer()
    registration.handle({ type: 'super-peer', now, superPeer: leader }).forEach((o) => out.push(o))
    if (leader !== null) setOwn(superPeers, { group: subgrid, peer: leader, term })
    if (leader === self && !was) {
      const known = regionPeers.get(region)
      regionElection = createElection({
        level: 'region',
        group: region,
        self,
        score: ad.score,
        members: otherSuperPeers(),
        now,
        random,
        ...(known !== undefined && known.peer !== self ? { leader: known } : {}),
      })
      announce(now, true)
      return
    }
    if (leader !== self && was) {
      regionElection = null
      nextAnnounce = Infinity
      // No longer a super-peer, so no longer a candidate for region peer: drop any claim to it,
      // and let the new super-peer's heartbeats say who the region peer is.
      regionPeers.forget(region, self)
      view = null
    }
  }

  function onRegionPeer(leader: PeerId | null, term: number, now: number): void {
    if (leader === null) return
    setOwn(regionPeers, { group: region, peer: leader, term })
    if (leader === self) announce(now, true)
  }

  /**
   * Tells peers that this node leads: on taking office, every known peer of its kind and a contact
   * in each group whose leader is unknown; then every ANNOUNCE_INTERVAL_MS, a super-peer tells its
   * region peer (whose heartbeats spread the news) and a contact in every other sub-grid of its
   * region, a region peer tells a contact in every other region.
   */
  function announce(now: number, everyone: boolean): void {
    nextAnnounce = now + ANNOUNCE_INTERVAL_MS
    announceRound++
    const mine = superPeers.get(subgrid)
    if (mine !== undefined && mine.peer === self) {
      const message: OverlayMessage = { type: 'announce', level: 'subgrid', region, group: subgrid, peer: self, term: mine.term, relays: 0 }
      const regionPeer = regionPeers.get(region)?.peer
      const targets = everyone ? otherSuperPeers() : regionPeer !== undefined && regionPeer !== self ? [regionPeer] : []
      // Periodically through a contact in every sub-grid, not only those without a known leader: a
      // view can hold a dead or superseded leader, and this is how such views heal.
      for (const to of [...targets, ...pickContacts(subgridContacts, everyone ? superPeers : null)]) send(to, message)
    }
    const regional = regionPeers.get(region)
    if (regional !== undefined && regional.peer === self && regionElection?.snapshot().leader === self) {
      const message: OverlayMessage = { type: 'announce', level: 'region', region, group: region, peer: self, term: regional.term, relays: 0 }
      // Periodically through contacts, not the known region peers: those may all have died at once.
      const others = everyone ? regionPeers.entries().filter((e) => e.group !== region).map((e) => e.peer) : []
      for (const to of [...others, ...pickContacts(regionContacts, everyone ? regionPeers : null)]) send(to, message)
    }
  }

  /** One contact per group (rotating), in every group or only those without a known leader. */
  function pickContacts(contacts: Map<string, PeerId[]>, onlyUnknownIn: LeaderView | null): PeerId[] {
    const picked: PeerId[] = []
    for (const [group, list] of contacts) {
      if (list.length > 0 && onlyUnknownIn?.get(group) === undefined) picked.push(list[announceRound % list.length]!)
    }
    return picked
  }

  function onAnnounce(a: Extract<OverlayMessage, { type: 'announce' }>, now: number): void {
    const entry = { group: a.group, peer: a.peer, term: a.term }
    const superPeer = subgridElection.snapshot().leader
    if (a.level === 'subgrid') {
      if (a.region !== region) return
      const changed = mergeSuperPeers([entry], now)
      if (isSuperPeer()) {
        if (changed && a.peer !== self) send(a.peer, { type: 'view', view: currentView() })
      } else if (a.relays === 0 && superPeer !== null) send(superPeer, { ...a, relays: 1 })
      return
    }
    const changed = mergeRegionPeers([entry], now)
    if (regionElection?.snapshot().leader === self) {
      if (changed && a.peer !== self) send(a.peer, { type: 'view', view: currentView() })
      return
    }
    const up = isSuperPeer() ? regionPeers.get(region)?.peer : superPeer
    if (a.relays < 2 && up !== undefined && up !== null && up !== self) send(up, { ...a, relays: a.relays + 1 })
  }

  function onMessage(from: PeerId, m: OverlayMessage, now: number): void {
    switch (m.type) {
      case 'election':
      case 'answer':
      case 'coordinator': {
        const election = m.level === 'subgrid' ? (m.group === subgrid ? subgridElection : null) : m.group === region ? regionElection : null
        if (election === null) return // another group's, or region traffic to a node that is no super-peer
        run(m.level, election.handle({ type: 'message', now, from, message: m }), now)
        if (m.type === 'coordinator' && m.view !== undefined) mergeView(m.view, now)
        return
      }
      case 'announce':
        return onAnnounce(m, now)
      case 'view':
        return mergeView(m.view, now)
      case 'register':
        return void registration.handle({ type: 'message', now, from, message: m }).forEach((o) => out.push(o))
      case 'query':
      case 'matches':
      case 'result':
        return void discovery.handle({ type: 'message', now, from, message: m }).forEach((o) => out.push(o))
    }
  }

  function onTick(now: number): void {
    run('subgrid', subgridElection.handle({ type: 'tick', now }), now)
    if (regionElection !== null) run('region', regionElection.handle({ type: 'tick', now }), now)
    out.push(...registration.handle({ type: 'tick', now }), ...discovery.handle({ type: 'tick', now }))
    if (now >= nextAnnounce) announce(now, false)
  }

  for (const info of init.peers) addPeer(info, init.now)

  return {
    handle(input) {
      out = []
      const now = input.now
      switch (input.type) {
        case 'message':
          onMessage(input.from, input.message, now)
          break
        case 'tick':
          onTick(now)
          break
        case 'peer-up':
          addPeer(input, now)
          out.push(...registration.handle({ type: 'peer-up', now, peer: input.peer }))
          break
        case 'peer-down':
          out.push(...registration.handle({ type: 'peer-down', now, peer: input.peer }))
          run('subgrid', subgridElection.handle({ type: 'peer-down', now, peer: input.peer }), now)
          if (regionElection !== null) run('region', regionElection.handle({ type: 'peer-down', now, peer: input.peer }), now)
          for (const list of [...subgridContacts.values(), ...regionContacts.values()]) {
            const i = list.indexOf(input.peer)
            if (i >= 0) list.splice(i, 1)
          }
          break
        case 'discover':
          out.push(...discovery.handle(input))
          break
        case 'availability':
          ad = advertisement({ ...init, availability: input.availability, p: input.p })
          out.push(...registration.handle({ type: 'advertise', now, ad }))
          run('subgrid', subgridElection.handle({ type: 'score', now, score: ad.score }), now)
          if (regionElection !== null) run('region', regionElection.handle({ type: 'score', now, score: ad.score }), now)
          break
      }
      return out
    },
    nextDeadline() {
      return Math.min(subgridElection.nextDeadline(), regionElection?.nextDeadline() ?? Infinity, registration.nextDeadline(), discovery.nextDeadline(), nextAnnounce)
    },
    snapshot(now) {
      const regionPeer = regionPeers.get(region)?.peer ?? null
      const superPeer = subgridElection.snapshot().leader
      const role = regionElection?.snapshot().leader === self ? 'region-peer' : isSuperPeer() ? 'super-peer' : 'member'
      return { subgrid, region, role, superPeer, regionPeer, indexSize: registration.indexSize(now) }
    },
    leaders() {
      return {
        superPeers: superPeers.entries().map((e) => ({ subgrid: e.group, peer: e.peer })),
        regionPeers: regionPeers.entries().map((e) => ({ region: e.group, peer: e.peer })),
      }
    },
  }
}

function advertisement(init: Pick<OverlayNodeInit, 'self' | 'subgrid' | 'region' | 'availability' | 'addrs' | 'p'>): Advertisement {
  const { availability: a } = init
  return { peer: init.self, subgrid: init.subgrid, region: init.region, cores: a.cores, diskBytes: a.diskBytes, load: a.load, p: init.p, addrs: init.addrs, score: availabilityScore(a) }
}
