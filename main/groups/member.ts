/**
 * One member of one primary-backup group: composes the join protocol (join.ts), the local copy
 * (local-copy.ts), the acting primary's sequencer (sequencer.ts), failure detection (liveness.ts)
 * and elections (failover.ts), checks what each message means before any part sees it, sends
 * heartbeats, and persists what must survive a restart before any message that depends on it
 * leaves.
 *
 * Epochs keep a stale primary harmless: every message carries the sender's epoch; updates, acks,
 * heartbeats of an acting primary and handovers of an older epoch than the receiver's are refused
 * (refused-stale) and answered with the newer primary, which makes a stale primary step down and
 * rejoin through the join protocol.
 */
import { DEFAULT_LOG_RETENTION, DEFAULT_TIMING, type GroupTiming } from './constants.ts'
import { short, type Context } from './context.ts'
import type { GroupInput, LogStep, Output, PeerId, RejectReason, ResourceId } from './core.ts'
import { createFailover } from './failover.ts'
import { createJoin, type JoinPhase } from './join.ts'
import { createLiveness } from './liveness.ts'
import { createLocalCopy } from './local-copy.ts'
import type { CopyReport, GroupMessage, GroupState, MessageOf, PersistedGroup, Position, Update } from './messages.ts'
import { createSequencer, type Sequencer } from './sequencer.ts'
import { clockOf, compareClock, hostedBy, hostOf, isMember, liveMembers, primaryResource, subgroupOf, type StateChange } from './state.ts'
import { createUpdateLog } from './update-log.ts'

interface CommonInit {
  self: PeerId
  now: number
  /** Updates the adapter kept across a restart, oldest first, ending at the persisted applied position: resent to lagging backups instead of a full resync. */
  log?: Update[]
  timing?: Partial<GroupTiming>
  /** Updates kept in memory for resending. */
  logRetention?: number
}

export type GroupMemberInit = CommonInit &
  (
    | {
        /** A new group's state (createGroupState): the creator is its first member. */
        state: GroupState
      }
    | {
        /** What this member persisted before a restart. */
        persisted: PersistedGroup
      }
    | {
        /** The id of an existing group this member joins through a contact (an invite). */
        group: string
      }
  )

export interface GroupSnapshot {
  id: string
  name: string
  self: PeerId
  phase: JoinPhase | 'dissolved'
  /** What this member holds: the primary resource, a backup resource, access only, or nothing. */
  role: 'primary' | 'backup' | 'reader' | 'none'
  /** Sequencing updates now (the primary host normally; a backup host after a failover). */
  acting: boolean
  handingOver: boolean
  epoch: number
  /** The acting primary as this member knows it. */
  primary: PeerId | null
  applied: Position
  /** Backup copies wanted (K). */
  wanted: number
  resources: { id: ResourceId; kind: 'primary' | 'backup'; host: PeerId | null; subgroup: PeerId[] }[]
  backupOrder: ResourceId[]
  members: { peer: PeerId; subgroups: ResourceId[]; hosts: ResourceId[]; suspected: boolean }[]
  /** Each copy's state, from the acting primary (its own view, or its last heartbeat). */
  copies: CopyReport[]
}

export interface GroupMember {
  handle(input: GroupInput): Output[]
  /** When the member next needs a tick (ms, same clock as `now`); Infinity if never. */
  nextDeadline(): number
  snapshot(): GroupSnapshot
}

/** Messages a member accepts only from the members its state lists. */
type MemberMessage = Exclude<GroupMessage, { type: 'join-request' | 'state' | 'announce' | 'invite' | 'dissolve' }>

const placeholder = (id: string): GroupState => ({ id, name: id, resources: [{ id: 'primary', kind: 'primary' }], backupOrder: [], members: {}, hosts: {}, primary: null })

export function createGroupMember(init: GroupMemberInit): GroupMember {
  const { self } = init
  const timing: GroupTiming = { ...DEFAULT_TIMING, ...init.timing }
  const persisted = 'persisted' in init ? init.persisted : undefined
  const start = persisted?.state ?? ('state' in init ? init.state : undefined)
  let hasState = start !== undefined
  let out: Output[] = []
  let dirty = false
  let dissolved = false
  let nextHeartbeat = Infinity
  let lastGapRequest = -Infinity
  let copies: CopyReport[] = []
  const askedAt = new Map<PeerId, number>()
  let sequencer: Sequencer | null = null
  const configs = { ...persisted?.configs }

  const ctx: Context = {
    self,
    timing,
    state: structuredClone(start ?? placeholder('group' in init ? init.group : '')),
    vote: persisted?.vote ?? null,
    now: init.now,
    // A vote for itself counts only while its claim is open: a candidate that found no majority
    // (it wrongly suspected a live primary) goes on accepting that primary's updates. Votes for
    // others always count: a winner's voters must refuse the old primary (quorum intersection).
    epoch: () => Math.max(ctx.state.primary?.epoch ?? 0, ctx.vote !== null && (ctx.vote.peer !== self || failover.claiming()) ? ctx.vote.epoch : 0),
    send(to, body) {
      persist()
      out.push({ type: 'send', to, message: { ...body, group: ctx.state.id, epoch: ctx.epoch() } as GroupMessage })
    },
    sendAll(body) {
      for (const peer of liveMembers(ctx.state)) if (peer !== self) ctx.send(peer, body)
    },
    effect: (effect) => void out.push({ type: 'effect', effect }),
    log: (step, text, detail) => ctx.effect({ type: 'log', step, text, ...detail }),
    changed: () => void (dirty = true),
  }

  const applied = persisted?.applied ?? { epoch: 0, seq: 0 }
  const copy = createLocalCopy(ctx, createUpdateLog(init.logRetention ?? DEFAULT_LOG_RETENTION, applied, init.log), applied)
  const liveness = createLiveness(ctx)
  const failover = createFailover(ctx, {
    copy,
    liveness,
    acting: () => sequencer !== null,
    joined: () => join.phase() === 'joined',
    becomePrimary,
    stepDown: () => stepDown(false),
  })
  const join = createJoin(ctx, {
    copy,
    liveness,
    configs,
    hasState: () => hasState,
    setState(state) {
      ctx.state = state
      hasState = true
    },
    adoptPrimary: (primary) => adoptPrimary(primary, true),
    changed: onStateChanged,
    joined() {
      nextHeartbeat = ctx.now
      failover.evaluate()
    },
    left: () => stepDown(false),
    acting: () => ctx.state.primary?.peer ?? null,
  })

  function persist(): void {
    if (!dirty) return
    dirty = false
    const state: PersistedGroup = { v: 1, state: structuredClone(ctx.state), vote: ctx.vote, applied: copy.applied(), configs: structuredClone(configs) }
    ctx.effect({ type: 'persist-state', state })
  }

  function reject(from: PeerId, m: GroupMessage, reason: RejectReason, why: string): void {
    ctx.log('rejected', `${m.type} from ${short(from)}: ${why}`, { peer: from, reason })
  }

  function refuseStale(from: PeerId, m: GroupMessage): void {
    ctx.effect({ type: 'refused-stale', from, message: m.type, epoch: m.epoch, current: ctx.epoch() })
    reject(from, m, 'stale-epoch', `epoch ${m.epoch} is older than ${ctx.epoch()}`)
    ctx.send(from, { type: 'stale', primary: ctx.state.primary })
  }

  function heartbeat(): void {
    nextHeartbeat = ctx.now + timing.heartbeatMs
    ctx.sendAll({
      type: 'heartbeat',
      primary: ctx.state.primary,
      acting: sequencer !== null,
      applied: copy.applied(),
      clock: clockOf(ctx.state),
      ...(sequencer === null ? {} : { copies: sequencer.copies() }),
    })
  }

  function becomePrimary(epoch: number, handover: boolean): void {
    ctx.state.primary = { epoch, peer: self }
    ctx.changed()
    failover.adopted(epoch, true)
    sequencer = createSequencer(ctx, copy, liveness, epoch)
    const step = handover ? 'handover' : epoch === 1 ? 'join-5' : 'failover'
    ctx.effect({ type: 'become-acting-primary', epoch })
    ctx.log(step, `acts as primary in epoch ${epoch}; the next update is ${copy.delivered().seq + 1}`)
    sequencer.reconcile(step)
    heartbeat()
  }

  /** Stops sequencing; a primary that learnt it is stale rejoins through the join protocol (a handover does not). */
  function stepDown(rejoin: boolean): void {
    if (sequencer === null) return
    const { epoch } = sequencer
    const unacked = sequencer.stop()
    sequencer = null
    ctx.effect({ type: 'stepped-down', epoch, unacked })
    ctx.log(rejoin ? 'failover' : 'handover', `stops acting as primary of epoch ${epoch}${unacked.length > 0 ? `; ${unacked.length} update(s) were never acknowledged` : ''}`)
    if (rejoin) join.rejoin()
  }

  /** Tells the acting primary what this copy holds (after storing more, or on learning of a new primary). */
  function ackPrimary(diverged = false): void {
    const primary = ctx.state.primary?.peer
    if (primary !== undefined && primary !== self && hostedBy(ctx.state, self).length > 0) ctx.send(primary, { type: 'ack', applied: copy.applied(), diverged })
  }

  function adoptPrimary(primary: NonNullable<GroupState['primary']>, acting: boolean): void {
    if ((ctx.state.primary?.epoch ?? 0) >= primary.epoch) return
    ctx.state.primary = primary
    ctx.changed()
    failover.adopted(primary.epoch, acting)
    copy.dropBuffer()
    ctx.log('failover', `${short(primary.peer)} is the acting primary in epoch ${primary.epoch}`, { peer: primary.peer })
    if (primary.peer === self) return
    if (sequencer !== null) stepDown(true)
    else if (join.phase() === 'joined') ackPrimary()
  }

  function onStateChanged(changes: StateChange[], step: LogStep): void {
    for (const c of changes) if (c.kind === 'member' && !c.after.left) liveness.watch([c.peer])
    sequencer?.reconcile(step)
  }

  function dissolve(): void {
    sequencer?.stop()
    sequencer = null
    dissolved = true
    ctx.effect({ type: 'group-dissolved' })
    ctx.log('leave', 'the group is dissolved: every copy is dropped')
  }

  /** Accepts a message only the acting primary sends: of the current epoch and from that primary, or of a newer epoch (adopting its sender). */
  function fromPrimary(from: PeerId, m: GroupMessage): boolean {
    if (m.epoch < ctx.epoch()) {
      refuseStale(from, m)
      return false
    }
    if (m.epoch > (ctx.state.primary?.epoch ?? 0)) adoptPrimary({ epoch: m.epoch, peer: from }, true)
    else if (ctx.state.primary?.peer !== from) {
      reject(from, m, 'not-primary', `${short(from)} is not the primary of epoch ${m.epoch}`)
      return false
    }
    return true
  }

  function onHeartbeat(from: PeerId, m: MessageOf<'heartbeat'>): void {
    liveness.heard(from, m.applied)
    if (m.acting) {
      if (!fromPrimary(from, m)) return
      failover.noteActing(from, true)
      copies = m.copies ?? []
    } else {
      failover.noteActing(from, false)
      if (m.primary !== null) adoptPrimary(m.primary, true)
      if (m.epoch < ctx.epoch()) ctx.send(from, { type: 'stale', primary: ctx.state.primary })
    }
    const { theirsNewer, lacksMine } = compareClock(ctx.state, m.clock, self)
    if (theirsNewer) askState(from)
    if (lacksMine) join.announceTo(from)
  }

  /** Anti-entropy: asks a peer for its copy of the state (accepted even if the peer is no member here yet), once per heartbeat interval. */
  function askState(from: PeerId): void {
    if (ctx.now - (askedAt.get(from) ?? -Infinity) < timing.heartbeatMs) return
    askedAt.set(from, ctx.now)
    join.requested(from)
    ctx.send(from, { type: 'state-request' })
  }

  function onUpdate(from: PeerId, m: MessageOf<'update'>): void {
    if (!fromPrimary(from, m)) return
    failover.noteActing(from, true)
    switch (copy.offer(m.update)) {
      case 'duplicate':
        return ackPrimary()
      case 'diverged':
        ctx.log('catch-up', `update ${m.update.seq} of epoch ${m.update.epoch} does not follow this copy (it ends at ${copy.delivered().seq}, epoch ${copy.delivered().epoch})`)
        return ackPrimary(true)
      case 'gap':
        if (ctx.now - lastGapRequest < timing.retransmitMs) return
        lastGapRequest = ctx.now
        return ctx.send(from, { type: 'resend', from: copy.delivered().seq + 1 })
      case 'delivered':
        return // acknowledged once the adapter says it is stored
    }
  }

  function toSequencer(from: PeerId, m: MessageOf<'ack' | 'resend' | 'full'>): void {
    if (m.epoch < ctx.epoch()) return refuseStale(from, m)
    if (sequencer === null) return reject(from, m, 'not-primary', 'this member is not the acting primary')
    if (m.type === 'ack') sequencer.onAck(from, m.applied, m.diverged)
    else if (m.type === 'resend') sequencer.onResend(from, m.from)
    else sequencer.onQuotaFull(from, m.resource)
  }

  function onMemberMessage(from: PeerId, m: MemberMessage): void {
    switch (m.type) {
      case 'state-request':
        return ctx.send(from, { type: 'state', state: structuredClone(ctx.state) })
      case 'heartbeat':
        return onHeartbeat(from, m)
      case 'update':
        return onUpdate(from, m)
      case 'ack':
        liveness.heard(from, m.applied)
        return toSequencer(from, m)
      case 'resend':
      case 'full':
        return toSequencer(from, m)
      case 'claim':
        liveness.heard(from, m.last)
        return failover.onClaim(from, m)
      case 'vote':
        liveness.heard(from, m.last)
        return failover.onVote(from, m)
      case 'handover':
        if (!fromPrimary(from, m)) return
        if (hostOf(ctx.state, primaryResource(ctx.state)) !== self) return reject(from, m, 'not-host', 'only the primary host takes the role back')
        return failover.claimHandover()
      case 'stale':
        if (m.primary !== null && m.primary.epoch > (ctx.state.primary?.epoch ?? 0)) return adoptPrimary(m.primary, true)
        if (sequencer !== null && m.epoch > sequencer.epoch) stepDown(true)
        return
      case 'resource-config':
        return join.onConfig(from, m)
    }
  }

  function onMessage(from: PeerId, m: GroupMessage): void {
    if (m.group !== ctx.state.id) return reject(from, m, 'wrong-group', `it is for group ${m.group}`)
    const primaryHost = hostOf(ctx.state, primaryResource(ctx.state))
    if (dissolved) {
      if (primaryHost === self && m.type !== 'dissolve') ctx.send(from, { type: 'dissolve' })
      return
    }
    if (join.phase() === 'new' || join.phase() === 'left') return reject(from, m, 'not-joined', 'this member is not in the group')
    switch (m.type) {
      case 'join-request':
        return join.onJoinRequest(from)
      case 'state':
        return join.onState(from, m.state)
      case 'announce':
        return join.onAnnounce(from, m)
      case 'invite':
        return reject(from, m, 'not-allowed', 'already a member of this group')
      case 'dissolve':
        if (primaryHost !== from) return reject(from, m, 'not-allowed', 'only the primary host dissolves the group')
        return dissolve()
    }
    if (!isMember(ctx.state, from)) {
      reject(from, m, 'unknown-member', `${short(from)} is not a member`)
      // The sender thinks it is one: its announcement did not reach us, and its copy of the state has its record.
      if (join.phase() === 'joined') askState(from)
      return
    }
    liveness.heard(from)
    onMemberMessage(from, m)
  }

  function onTick(): void {
    join.tick()
    if (isMember(ctx.state, self) && ctx.now >= nextHeartbeat) heartbeat()
    sequencer?.tick()
    failover.evaluate()
  }

  function refuseProposal(): void {
    const primary = ctx.state.primary?.peer ?? null
    if (join.phase() !== 'joined') return ctx.effect({ type: 'propose-refused', reason: 'not-joined', primary })
    if (sequencer === null) return ctx.effect({ type: 'propose-refused', reason: 'not-primary', primary })
    ctx.effect({ type: 'propose-refused', reason: 'handing-over', primary })
  }

  function onLocalInput(input: Exclude<GroupInput, { type: 'join' | 'message' | 'tick' | 'connection-closed' }>): void {
    const primaryHost = hostOf(ctx.state, primaryResource(ctx.state))
    switch (input.type) {
      case 'propose':
        if (join.phase() !== 'joined' || sequencer === null || sequencer.handingOver()) return refuseProposal()
        return sequencer.propose(input.payload, input.size)
      case 'applied':
        if (!copy.markApplied(input.seq)) return
        if (sequencer !== null) return sequencer.onLocalApplied()
        return ackPrimary()
      case 'snapshot-installed':
        copy.install(input.at)
        ctx.log('catch-up', `installed a full copy as of update ${input.at.seq}`)
        // Only a newer primary resyncs a primary: this one is stale, and its copy is now the other's.
        if (sequencer !== null) return stepDown(true)
        return ackPrimary()
      case 'quota-full': {
        const primary = ctx.state.primary?.peer
        if (!hostedBy(ctx.state, self).includes(input.resource)) return ctx.log('rejected', `quota full for ${input.resource}, which is not hosted here`, { resource: input.resource, reason: 'not-host' })
        ctx.log('quota', `the contributed store is full: cannot keep ${input.resource}; tells the primary`, { resource: input.resource })
        if (primary !== undefined && primary !== self) ctx.send(primary, { type: 'full', resource: input.resource })
        return
      }
      case 'recruited':
        if (sequencer === null) return ctx.log('rejected', `cannot invite ${short(input.host)}: not the acting primary`, { peer: input.host, reason: 'not-primary' })
        return sequencer.onRecruited(input.resource, input.host)
      case 'leave':
        if (primaryHost === self) return ctx.log('rejected', 'the primary host does not leave its group: it unshares it', { reason: 'not-allowed' })
        return join.leave()
      case 'unshare':
        if (primaryHost !== self) return ctx.log('rejected', 'only the primary host unshares the group', { reason: 'not-allowed' })
        ctx.sendAll({ type: 'dissolve' })
        return dissolve()
    }
  }

  return {
    handle(input) {
      out = []
      ctx.now = input.now
      const phase = join.phase()
      if (input.type === 'join') {
        if (phase === 'new' && !dissolved) {
          if (isMember(ctx.state, self)) nextHeartbeat = ctx.now
          join.start(input)
        }
      } else if (input.type === 'message') {
        if (input.from !== self) onMessage(input.from, input.message)
      } else if (dissolved || phase === 'new' || phase === 'left') {
        if (input.type === 'propose') refuseProposal()
      } else if (input.type === 'tick') onTick()
      else if (input.type === 'connection-closed') liveness.connectionClosed(input.peer)
      else onLocalInput(input)
      persist()
      return out
    },
    nextDeadline() {
      if (dissolved || join.phase() === 'new' || join.phase() === 'left') return Infinity
      return Math.min(nextHeartbeat, failover.nextDeadline(), join.nextDeadline())
    },
    snapshot() {
      const s = ctx.state
      const hosts = hostedBy(s, self)
      const role = hosts.includes(primaryResource(s)) ? 'primary' : hosts.length > 0 ? 'backup' : (s.members[self]?.subgroups.length ?? 0) > 0 ? 'reader' : 'none'
      return {
        id: s.id,
        name: s.name,
        self,
        phase: dissolved ? 'dissolved' : join.phase(),
        role,
        acting: sequencer !== null,
        handingOver: sequencer?.handingOver() ?? false,
        epoch: ctx.epoch(),
        primary: s.primary?.peer ?? null,
        applied: copy.applied(),
        wanted: s.backupOrder.length,
        resources: s.resources.map((r) => ({ id: r.id, kind: r.kind, host: hostOf(s, r.id), subgroup: subgroupOf(s, r.id) })),
        backupOrder: [...s.backupOrder],
        members: liveMembers(s).map((peer) => ({ peer, subgroups: [...s.members[peer]!.subgroups], hosts: hostedBy(s, peer), suspected: peer !== self && liveness.suspected(peer) })),
        copies: sequencer?.copies() ?? copies,
      }
    },
  }
}
