/**
 * The join protocol of the seed patent (Figs. 4A/4B), as DESIGN.md lists it, and how members keep
 * their copies of the group state in step afterwards. A joining member J:
 *
 *   1. joins the group; if J is the first member it uses its own copy of the group state, otherwise
 *      one member (the primary, or the contact it was given) sends J its copy;
 *   2. checks, for each resource, whether it can access or owns it → its subgroups;
 *   3. adds itself to those subgroups and becomes the host of what it owns; announces its subgroups
 *      and hosted resources to the group, and every member updates its state;
 *   4. for each resource J can access but does not host, that resource's host (if any) sends J the
 *      resource configuration;
 *   5. for each resource J hosts, J sends the configuration to its subgroup; then if J is not the
 *      primary host, the acting primary starts mirroring to J (sequencer.reconcile, on the
 *      announcement); if J is the primary host, it starts mirroring to every backup host (taking
 *      the primary role first: at once in a new group, after catching up when another member is
 *      acting for it).
 *
 * Each step is logged under its name (join-1 … join-5). Lost messages are repaired: the joiner
 * asks again until a copy arrives, a member whose heartbeat shows it lacks our record gets our
 * announcement again, and a member still missing a configuration re-announces itself to the host.
 */
import { short, type Context } from './context.ts'
import type { LogStep, PeerId, ResourceAccess, ResourceId } from './core.ts'
import type { Liveness } from './liveness.ts'
import type { LocalCopy } from './local-copy.ts'
import type { GroupState, HostEntry, Json, MessageOf } from './messages.ts'
import { hostedBy, hostOf, isMember, liveMembers, mergeParts, primaryResource, sameGroup, subgroupOf, type StateChange } from './state.ts'

export type JoinPhase = 'new' | 'joining' | 'joined' | 'left'

export interface JoinComponents {
  copy: LocalCopy
  liveness: Liveness
  /** Configurations of the resources this member hosts (persisted). */
  configs: Record<ResourceId, Json>
  /** Whether this member holds a real copy of the state yet (a new joiner starts with none). */
  hasState(): boolean
  /** Replaces the placeholder state of a new joiner with its first copy. */
  setState(state: GroupState): void
  adoptPrimary(primary: NonNullable<GroupState['primary']>): void
  /** The state changed (announcement, copy): the member reacts (mirroring targets, liveness). */
  changed(changes: StateChange[], step: LogStep): void
  /** Steps 1–5 are done (or redone). */
  joined(): void
  /** This member left the group (asked to, or replaced as a host with nothing else to keep it). */
  left(): void
  /** The acting primary, if any is known. */
  acting(): PeerId | null
}

export interface Join {
  phase(): JoinPhase
  start(input: { access: ResourceAccess; contact?: PeerId; invitedFor?: ResourceId }): void
  /** Joins again with the same access, e.g. after stepping down as a stale primary. */
  rejoin(): void
  onJoinRequest(from: PeerId): void
  onState(from: PeerId, state: GroupState): void
  onAnnounce(from: PeerId, m: MessageOf<'announce'>): void
  onConfig(from: PeerId, m: MessageOf<'resource-config'>): void
  /** Sends this member's record to a member whose copy lacks it. */
  announceTo(peer: PeerId): void
  /** This member asked `peer` for its state copy (anti-entropy): accept the answer. */
  requested(peer: PeerId): void
  leave(): void
  tick(): void
  nextDeadline(): number
}

export function createJoin(ctx: Context, components: JoinComponents): Join {
  const { self } = ctx
  const { configs, liveness } = components
  let phase: JoinPhase = 'new'
  let access: ResourceAccess | null = null
  let contact: PeerId | undefined
  let invitedFor: ResourceId | undefined
  /** Peers asked for a state copy: their answer is accepted even before they are members here. */
  const asked = new Set<PeerId>()
  /** Resources this member can access without hosting them (step 4), and the host each configuration came from. */
  const accessOnly = new Set<ResourceId>()
  const configFrom = new Map<ResourceId, PeerId>()
  let retryAt = Infinity

  const ownEntries = (): Record<ResourceId, HostEntry> => Object.fromEntries(Object.entries(ctx.state.hosts).filter(([, h]) => h.peer === self))
  /** A host entry for `resource` that replaces the current one. */
  const newHost = (resource: ResourceId, peer: PeerId | null): HostEntry => ({ peer, version: (ctx.state.hosts[resource]?.version ?? 0) + 1 })
  /** Entries giving up the resources this member hosts, except those it keeps. */
  const releases = (keep: ReadonlyMap<ResourceId, unknown> = new Map()): Record<ResourceId, HostEntry> =>
    Object.fromEntries(hostedBy(ctx.state, self).flatMap((r) => (keep.has(r) ? [] : [[r, newHost(r, null)]])))
  /** This member's next record. */
  const nextRecord = (subgroups: ResourceId[], left: boolean) => ({ incarnation: (ctx.state.members[self]?.incarnation ?? 0) + 1, subgroups, left })
  const list = (ids: string[]): string => (ids.length === 0 ? 'none' : ids.join(', '))

  function announce(to: PeerId[], extra: Record<ResourceId, HostEntry> = {}): void {
    const record = ctx.state.members[self]
    if (record === undefined) return
    for (const peer of to) ctx.send(peer, { type: 'announce', record, hosts: { ...ownEntries(), ...extra }, applied: components.copy.applied() })
  }

  function askForState(everyone: boolean): void {
    const primary = components.acting()
    const members = liveMembers(ctx.state).filter((p) => p !== self)
    const targets = (contact !== undefined && !everyone ? [contact] : [...new Set([contact, primary, ...members])]).filter((p): p is PeerId => p !== undefined && p !== null && p !== self)
    if (retryAt === Infinity) ctx.log('join-1', `asks ${targets.map(short).join(', ') || 'nobody (no member known)'} for the group state`)
    for (const peer of targets) {
      asked.add(peer)
      ctx.send(peer, { type: 'join-request' })
    }
    retryAt = ctx.now + ctx.timing.joinRetryMs
  }

  /** Steps 2–5, once this member holds a copy of the group state. */
  function complete(): void {
    const s = ctx.state
    const a = access!
    // Step 2: which resources it can access or owns → its subgroups.
    const owned = new Map<ResourceId, Json>()
    const subgroups: ResourceId[] = []
    const lost: ResourceId[] = []
    accessOnly.clear()
    for (const r of s.resources) {
      const config = a.owns(r)
      const host = hostOf(s, r.id)
      // One resource per member (copies on one machine would fail together); a live host is
      // replaced only by the member invited to replace it.
      if (config !== null && owned.size === 0 && (host === null || host === self || invitedFor === r.id || !isMember(s, host))) {
        owned.set(r.id, config)
        subgroups.push(r.id)
        continue
      }
      if (config !== null && host !== self) lost.push(r.id)
      if (a.canAccess(r)) {
        subgroups.push(r.id)
        accessOnly.add(r.id)
      }
    }
    ctx.log('join-2', `owns ${list([...owned.keys()])}, can access ${list([...accessOnly])}: subgroups ${list(subgroups)}`)
    for (const r of lost) dropCopy(r, hostOf(s, r))
    // Replaced while away, with nothing else to do here: it leaves instead.
    if (lost.length > 0 && subgroups.length === 0) return leave()
    // Step 3: join those subgroups, host what it owns, announce.
    const released = releases(owned)
    const claimed = Object.fromEntries([...owned.keys()].flatMap((r) => (hostOf(s, r) === self ? [] : [[r, newHost(r, self)]])))
    const changes = mergeParts(s, { [self]: nextRecord(subgroups, false) }, { ...released, ...claimed })
    for (const r of Object.keys(configs)) if (!owned.has(r)) delete configs[r]
    for (const [r, config] of owned) configs[r] = config
    ctx.changed()
    phase = 'joined'
    retryAt = accessOnly.size > 0 ? ctx.now + ctx.timing.joinRetryMs : Infinity
    liveness.watch(liveMembers(s))
    const others = liveMembers(s).filter((p) => p !== self)
    announce(others, released)
    ctx.log('join-3', `joins subgroups ${list(subgroups)}, hosts ${list([...owned.keys()])}; announces itself to ${others.length} member(s)`)
    // Step 4, on this side: configurations come from the hosts.
    for (const r of accessOnly) {
      const host = hostOf(s, r)
      ctx.log('join-4', host === null ? `${r} has no host yet: its configuration comes when one joins` : `waits for ${r}'s configuration from its host ${short(host)}`, { resource: r })
    }
    // Step 5: send each hosted resource's configuration to its subgroup; then mirroring.
    for (const [r, config] of owned) {
      const members = subgroupOf(s, r).filter((p) => p !== self)
      for (const peer of members) ctx.send(peer, { type: 'resource-config', resource: r, config, step: 5 })
      ctx.log('join-5', `sends ${r}'s configuration to its subgroup (${members.length} other member(s))`, { resource: r })
    }
    if (owned.size > 0) ctx.log('join-5', mirroringPlan(owned.has(primaryResource(s))))
    components.changed(changes, 'join-3')
    components.joined()
  }

  function mirroringPlan(isPrimaryHost: boolean): string {
    const primary = components.acting()
    if (isPrimaryHost) {
      if (ctx.state.primary === null) return 'is the primary host: takes the primary role (epoch 1) and starts mirroring to every backup host'
      if (primary === null || primary === self) return 'is the primary host: takes the primary role back in a new epoch, then mirrors to every backup host'
      return `is the primary host: catches up from the acting primary ${short(primary)}, then takes the primary role back and mirrors to every backup host`
    }
    if (primary === null) return 'no primary host has joined yet: mirroring to it starts when one does'
    return `the primary ${short(primary)} starts mirroring to it`
  }

  function dropCopy(resource: ResourceId, by: PeerId | null): void {
    delete configs[resource]
    // Its position no longer describes anything it holds (elections and acks must not count it).
    if (hostedBy(ctx.state, self).length === 0) components.copy.install({ epoch: 0, seq: 0 })
    ctx.changed()
    ctx.effect({ type: 'drop-copy', resource })
    ctx.log('join-3', `${by === null ? 'nobody' : short(by)} hosts ${resource} now: drops its own copy`, { resource })
  }

  function leave(): void {
    const released = releases()
    const others = liveMembers(ctx.state).filter((p) => p !== self)
    mergeParts(ctx.state, { [self]: nextRecord([], true) }, released)
    ctx.changed()
    announce(others, released)
    phase = 'left'
    components.left()
    ctx.log('leave', 'leaves the group')
    ctx.effect({ type: 'group-left' })
  }

  /** Reactions of every member to a change of the state: a host replaced here drops its copy, and leaves if nothing else keeps it in the group. */
  function react(changes: StateChange[], step: LogStep): void {
    let replaced = false
    for (const c of changes) {
      if (c.kind !== 'host' || c.before !== self || c.after === self) continue
      dropCopy(c.resource, c.after)
      replaced = true
    }
    components.changed(changes, step)
    if (replaced && phase === 'joined' && hostedBy(ctx.state, self).length === 0 && accessOnly.size === 0) leave()
  }

  return {
    phase: () => phase,
    start(input) {
      access = input.access
      contact = input.contact
      invitedFor = input.invitedFor
      if (components.hasState() && liveMembers(ctx.state).every((p) => p === self)) {
        ctx.log('join-1', 'first member: uses its own copy of the group state')
        return complete()
      }
      phase = 'joining'
      askForState(false)
    },
    rejoin() {
      if (access === null || phase !== 'joined') return
      phase = 'joining'
      const primary = components.acting()
      contact = primary === null || primary === self ? undefined : primary
      retryAt = Infinity
      askForState(contact === undefined)
    },
    onJoinRequest(from) {
      if (!components.hasState() || !isMember(ctx.state, self)) {
        ctx.log('rejected', `cannot send ${short(from)} the group state: not a member yet`, { peer: from, reason: 'not-joined' })
        return
      }
      ctx.send(from, { type: 'state', state: structuredClone(ctx.state) })
      ctx.log('join-1', `sends its copy of the group state to ${short(from)}`, { peer: from })
    },
    onState(from, theirs) {
      if (!asked.has(from) && !isMember(ctx.state, from)) {
        ctx.log('rejected', `state copy from ${short(from)}, which is no member and was not asked`, { peer: from, reason: 'unknown-member' })
        return
      }
      if (theirs.id !== ctx.state.id || (components.hasState() && !sameGroup(ctx.state, theirs))) {
        ctx.log('rejected', `state copy from ${short(from)} describes other resources`, { peer: from, reason: 'invalid-state' })
        return
      }
      asked.delete(from)
      let changes: StateChange[] = []
      if (components.hasState()) changes = mergeParts(ctx.state, theirs.members, theirs.hosts)
      else components.setState({ ...structuredClone(theirs), primary: null })
      if (theirs.primary !== null) components.adoptPrimary(theirs.primary)
      ctx.changed()
      if (phase !== 'joining') return react(changes, 'join-3')
      ctx.log('join-1', `received the group state from ${short(from)}`, { peer: from })
      complete()
    },
    onAnnounce(from, m) {
      if (!components.hasState()) return // its record comes with the state copy we are waiting for
      if (Object.values(m.hosts).some((h) => h.peer !== null && h.peer !== from)) {
        ctx.log('rejected', `${short(from)} announced another member as a host`, { peer: from, reason: 'not-allowed' })
        return
      }
      const changes = mergeParts(ctx.state, { [from]: m.record }, m.hosts)
      liveness.heard(from, m.applied)
      liveness.watch([from])
      if (changes.length > 0) {
        ctx.changed()
        // Every member updates its state (step 3): the joiner announced to the members its copy
        // named, which may miss those joining at the same time; they learn it from us.
        const state = structuredClone(ctx.state)
        for (const peer of liveMembers(ctx.state)) if (peer !== self && peer !== from) ctx.send(peer, { type: 'state', state })
        const hosts = hostedBy(ctx.state, from)
        if (m.record.left) ctx.log('leave', `${short(from)} left the group`, { peer: from })
        else ctx.log('join-3', `updates its state: ${short(from)} is in subgroups ${list(m.record.subgroups)}, hosts ${list(hosts)}`, { peer: from })
      }
      // Step 4, on the host's side: the joiner can access a resource hosted here.
      if (!m.record.left) {
        for (const r of m.record.subgroups) {
          const config = configs[r]
          if (hostOf(ctx.state, r) !== self || config === undefined) continue
          ctx.send(from, { type: 'resource-config', resource: r, config, step: 4 })
          ctx.log('join-4', `sends ${r}'s configuration to ${short(from)}`, { peer: from, resource: r })
        }
      }
      react(changes, m.record.left ? 'leave' : 'join-5')
    },
    onConfig(from, m) {
      if (hostOf(ctx.state, m.resource) !== from) {
        ctx.log('rejected', `configuration of ${m.resource} from ${short(from)}, which does not host it`, { peer: from, resource: m.resource, reason: 'not-host' })
        return
      }
      if (!ctx.state.members[self]?.subgroups.includes(m.resource)) {
        ctx.log('rejected', `configuration of ${m.resource}, whose subgroup this member is not in`, { peer: from, resource: m.resource, reason: 'not-allowed' })
        return
      }
      configFrom.set(m.resource, from)
      ctx.effect({ type: 'resource-config', resource: m.resource, from, config: m.config })
      ctx.log(m.step === 4 ? 'join-4' : 'join-5', `received ${m.resource}'s configuration from ${short(from)}`, { peer: from, resource: m.resource })
    },
    announceTo: (peer) => announce([peer]),
    requested: (peer) => void asked.add(peer),
    leave,
    tick() {
      if (ctx.now < retryAt) return
      if (phase === 'joining') return askForState(true)
      retryAt = phase === 'joined' && accessOnly.size > 0 ? ctx.now + ctx.timing.joinRetryMs : Infinity
      // A configuration that never came (lost, or the host joined later): announcing again to the host makes it resend.
      for (const r of accessOnly) {
        const host = hostOf(ctx.state, r)
        if (host === null || host === self || configFrom.get(r) === host) continue
        announce([host])
      }
    },
    nextDeadline: () => retryAt,
  }
}
