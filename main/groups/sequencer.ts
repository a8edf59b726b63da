/**
 * The acting primary's side of ordered updates. It numbers each update (epoch, seq), keeps every
 * other resource host's copy (a target) moving through in-sync → behind → in-sync, resends what a
 * target lacks from its last acknowledged seq or orders a full resync when that is no longer
 * possible, and acknowledges an update to the user once it is stored here, on every in-sync
 * backup, and on at least half of the other hosts. That last bound makes every acknowledged update
 * reach a majority of hosts, which every election needs, so a new primary always has it (Raft's
 * quorum intersection; a single in-sync backup would not do once K ≥ 3).
 *
 * It also recruits: a backup resource without a host, a host gone past the grace period, or one
 * whose quota is full gets a recruit-backup-needed effect (while a majority of hosts is
 * reachable). And when it is not the primary host, it hands the role back once the returning
 * primary host has caught up.
 */
import { SEND_WINDOW } from './constants.ts'
import { short, type Context } from './context.ts'
import type { LogStep, PeerId, ResourceId } from './core.ts'
import type { Liveness } from './liveness.ts'
import type { LocalCopy } from './local-copy.ts'
import type { CopyReport, Json, Position } from './messages.ts'
import { hostOf, hostsInOrder, isMember, primaryResource } from './state.ts'

type TargetState = 'in-sync' | 'behind' | 'resyncing' | 'failed'

interface Target {
  peer: PeerId
  resource: ResourceId
  /** The last update the target said it stored. */
  acked: Position
  state: TargetState
  failure: 'gone' | 'full' | null
  /** The last update sent to it. */
  sentSeq: number
  lastSendAt: number
  /** When its acks last moved forward. */
  lastAckAt: number
  /** While resyncing: whether the full resync was ordered since the target was last seen gone (a transfer to a gone host is ordered again). */
  resyncOrdered: boolean
}

export interface Sequencer {
  readonly epoch: number
  propose(payload: Json, size: number): void
  /** Replicates to exactly the other hosts the state names (start-mirroring / stop-mirroring), logged under `step`. */
  reconcile(step: LogStep): void
  onAck(from: PeerId, applied: Position, diverged: boolean): void
  onResend(from: PeerId, seq: number): void
  onQuotaFull(from: PeerId, resource: ResourceId): void
  onRecruited(resource: ResourceId, host: PeerId): void
  /** The local copy stored more updates: user acknowledgements may follow. */
  onLocalApplied(): void
  tick(): void
  handingOver(): boolean
  copies(): CopyReport[]
  /** Stops replicating; returns the seqs proposed here never acknowledged to the user. */
  stop(): number[]
}

const ZERO: Position = { epoch: 0, seq: 0 }

export function createSequencer(ctx: Context, copy: LocalCopy, liveness: Liveness, epoch: number): Sequencer {
  const { self, timing } = ctx
  const log = copy.log
  const targets = new Map<ResourceId, Target>()
  /** Seqs proposed here, not yet acknowledged to the user, in order. */
  const pending: number[] = []
  const sequencedAt = new Map<number, number>()
  const recruitAt = new Map<ResourceId, number>()
  const startedAt = ctx.now
  let handover = false
  /** Updates up to here may have been acknowledged to a user (by this primary, or, before it took over, by an earlier one). */
  let committed = copy.delivered().seq
  /** Resources whose recruitment waits, logged once. */
  const deferred = new Set<ResourceId>()

  const head = (): number => copy.delivered().seq
  const targetOf = (peer: PeerId): Target | undefined => [...targets.values()].find((t) => t.peer === peer)
  const isBackup = (resource: ResourceId): boolean => ctx.state.backupOrder.includes(resource)

  /** Does a copy that ends at `p` follow this one (so it can be continued update by update)? */
  function follows(p: Position): boolean {
    if (p.seq > head()) return false
    return log.epochAt(p.seq) === p.epoch
  }

  function resync(t: Target): void {
    if (t.state === 'resyncing' && t.resyncOrdered) return
    const at = copy.applied()
    t.state = 'resyncing'
    t.acked = ZERO
    t.sentSeq = at.seq
    t.resyncOrdered = !liveness.suspected(t.peer)
    if (!t.resyncOrdered) return // ordered once it is back
    ctx.effect({ type: 'full-resync-needed', host: t.peer, resource: t.resource, at })
    ctx.log('catch-up', `${short(t.peer)}'s copy of ${t.resource} cannot be continued update by update: full resync as of update ${at.seq}`, { peer: t.peer, resource: t.resource })
  }

  function setInSync(t: Target): void {
    if (t.state === 'in-sync') return
    t.state = 'in-sync'
    ctx.log('catch-up', `${short(t.peer)}'s copy of ${t.resource} is in sync at update ${t.acked.seq}`, { peer: t.peer, resource: t.resource })
  }

  /** Sends what `t` lacks: new updates as they come, everything from its last ack when a retransmit is due, or from `from`. */
  function pump(t: Target, from?: number): void {
    if ((t.state !== 'in-sync' && t.state !== 'behind') || liveness.suspected(t.peer)) return
    // A copy whose acks keep coming is receiving what was sent (a gap it asks for itself): only
    // silence for retransmitMs after the last send and the last ack brings a retransmit.
    const retransmit = t.acked.seq < head() && ctx.now - Math.max(t.lastSendAt, t.lastAckAt) >= timing.retransmitMs
    const first = from ?? (retransmit ? t.acked.seq + 1 : Math.max(t.sentSeq, t.acked.seq) + 1)
    const last = Math.min(head(), t.acked.seq + SEND_WINDOW)
    if (first > last) return
    const updates = log.range(first, last)
    if (updates === null) return resync(t)
    for (const update of updates) ctx.send(t.peer, { type: 'update', update })
    t.sentSeq = last
    t.lastSendAt = ctx.now
  }

  function check(t: Target): void {
    if (!follows(t.acked)) return resync(t)
    if (t.acked.seq === head()) return setInSync(t)
    t.state = 'behind'
    pump(t)
  }

  /** Other hosts an acknowledged update must be on: with this one, a majority of all hosts. */
  const othersNeeded = (): number => Math.floor(ctx.state.resources.length / 2)

  /** Do enough hosts other than `t`'s hold every update that may have been acknowledged? */
  function heldWithout(t: Target): boolean {
    const holders = [...targets.values()].filter((o) => o !== t && (o.state === 'in-sync' || o.state === 'behind') && o.acked.seq >= committed)
    return holders.length >= othersNeeded()
  }

  /**
   * Recruiting changes who the hosts (the voters) are, so only a primary that hears from a
   * majority of them does it (one cut off from the group may no longer be the primary, and its
   * recruits would displace live hosts), and a host is replaced, which drops its copy, only once
   * the acknowledged updates are on enough of the others.
   */
  function recruit(resource: ResourceId): void {
    const voters = hostsInOrder(ctx.state)
    if (voters.filter((p) => p === self || !liveness.suspected(p)).length * 2 <= voters.length) return defer(resource, 'most hosts are unreachable', timing.recruitRetryMs)
    const replaced = targets.get(resource)
    if (replaced !== undefined && !heldWithout(replaced)) return defer(resource, 'the other copies do not hold every acknowledged update yet', 0)
    recruitAt.set(resource, ctx.now + timing.recruitRetryMs)
    deferred.delete(resource)
    const hosts = ctx.state.resources.map((r) => hostOf(ctx.state, r.id)).filter((p): p is PeerId => p !== null)
    ctx.effect({ type: 'recruit-backup-needed', resource, exclude: [...new Set([self, ...hosts])] })
    ctx.log('recruit', `${resource} needs a new host`, { resource })
  }

  function defer(resource: ResourceId, why: string, retryInMs: number): void {
    recruitAt.set(resource, ctx.now + retryInMs)
    if (deferred.has(resource)) return
    deferred.add(resource)
    ctx.log('recruit', `${resource} needs a new host, but ${why}: waits`, { resource })
  }

  function fail(t: Target, failure: 'gone' | 'full'): void {
    t.state = 'failed'
    t.failure = failure
    ctx.effect({ type: 'stop-mirroring', host: t.peer, resource: t.resource })
    const why = failure === 'full' ? 'its quota is full' : `not heard from for ${Math.round(liveness.silentFor(t.peer) / 1000)} s`
    ctx.log(failure === 'full' ? 'quota' : 'catch-up', `${short(t.peer)}'s copy of ${t.resource} failed: ${why}`, { peer: t.peer, resource: t.resource })
    if (isBackup(t.resource)) recruit(t.resource)
  }

  /** `t` stored every update up to `applied`, which follows this copy (its ack, or the position its heartbeat reported). */
  function advance(t: Target, applied: Position): void {
    if (applied.seq > t.acked.seq) t.lastAckAt = ctx.now
    if (applied.seq > t.acked.seq || t.state === 'resyncing') t.acked = applied
    if (t.acked.seq >= head()) setInSync(t)
    else if (t.state !== 'in-sync') t.state = 'behind'
    pump(t)
  }

  /** A host that was gone is back before anyone replaced it: continue from what it says it holds. */
  function revive(t: Target): void {
    t.failure = null
    t.state = 'behind'
    t.acked = liveness.position(t.peer) ?? ZERO
    t.sentSeq = t.acked.seq
    recruitAt.delete(t.resource)
    deferred.delete(t.resource)
    ctx.effect({ type: 'start-mirroring', host: t.peer, resource: t.resource })
    ctx.log('catch-up', `${short(t.peer)} is back: resumes mirroring ${t.resource} to it`, { peer: t.peer, resource: t.resource })
    check(t)
  }

  /** An in-sync target that is suspected, or has not stored an update for ackTimeoutMs, drops out of the in-sync set. */
  function lagging(t: Target): boolean {
    if (liveness.suspected(t.peer)) return true
    return t.acked.seq < head() && (sequencedAt.get(t.acked.seq + 1) ?? startedAt) + timing.ackTimeoutMs <= ctx.now
  }

  function ackUsers(): void {
    const all = [...targets.values()]
    const needed = othersNeeded()
    for (let seq = pending[0]; seq !== undefined; seq = pending[0]) {
      if (copy.applied().seq < seq) return
      if (all.some((t) => t.state === 'in-sync' && t.acked.seq < seq)) return
      if (all.filter((t) => (t.state === 'in-sync' || t.state === 'behind') && t.acked.seq >= seq).length < needed) return
      pending.shift()
      sequencedAt.delete(seq)
      committed = Math.max(committed, seq)
      ctx.effect({ type: 'ack-to-user', epoch, seq })
    }
  }

  /** Not the primary host: once the primary host's copy is in sync and nothing waits for the user, hand the role back. */
  function maybeHandOver(): void {
    const t = targets.get(primaryResource(ctx.state))
    if (handover || t === undefined || t.state !== 'in-sync' || liveness.suspected(t.peer) || pending.length > 0) return
    handover = true
    ctx.send(t.peer, { type: 'handover', last: copy.applied() })
    ctx.log('handover', `the primary host ${short(t.peer)} is in sync: hands the primary role back to it`, { peer: t.peer })
  }

  return {
    epoch,
    propose(payload, size) {
      const last = copy.delivered()
      const update = { epoch, seq: last.seq + 1, prevEpoch: last.epoch, size, payload }
      copy.deliver(update)
      pending.push(update.seq)
      sequencedAt.set(update.seq, ctx.now)
      for (const t of targets.values()) pump(t)
    },
    reconcile(step) {
      const wanted = new Map<ResourceId, PeerId>()
      for (const r of ctx.state.resources) {
        const host = hostOf(ctx.state, r.id)
        if (host !== null && host !== self && isMember(ctx.state, host)) wanted.set(r.id, host)
      }
      for (const [resource, t] of targets) {
        if (wanted.get(resource) === t.peer) continue
        targets.delete(resource)
        if (t.state !== 'failed') ctx.effect({ type: 'stop-mirroring', host: t.peer, resource })
        ctx.log(step, `stops mirroring to ${short(t.peer)} (${resource}): no longer its host`, { peer: t.peer, resource })
      }
      for (const [resource, peer] of wanted) {
        if (targets.has(resource)) continue
        const acked = liveness.position(peer) ?? ZERO
        const t: Target = { peer, resource, acked, state: 'behind', failure: null, sentSeq: acked.seq, lastSendAt: -Infinity, lastAckAt: -Infinity, resyncOrdered: false }
        targets.set(resource, t)
        recruitAt.delete(resource)
        deferred.delete(resource)
        ctx.effect({ type: 'start-mirroring', host: peer, resource })
        ctx.log(step, `starts mirroring to ${short(peer)} (${resource})`, { peer, resource })
        check(t)
      }
      ackUsers()
    },
    onAck(from, applied, diverged) {
      const t = targetOf(from)
      if (t === undefined || t.failure === 'full') return
      if (t.failure === 'gone') revive(t)
      if (diverged || !follows(applied)) return resync(t)
      advance(t, applied)
      ackUsers()
      maybeHandOver()
    },
    onResend(from, seq) {
      const t = targetOf(from)
      if (t !== undefined) pump(t, seq)
    },
    onQuotaFull(from, resource) {
      const t = targets.get(resource)
      if (t === undefined || t.peer !== from) {
        ctx.log('rejected', `${short(from)} reported ${resource} full but does not host it`, { peer: from, resource, reason: 'not-host' })
        return
      }
      if (t.failure !== 'full') fail(t, 'full')
      ackUsers()
    },
    onRecruited(resource, host) {
      if (!isBackup(resource)) {
        ctx.log('rejected', `cannot recruit a host for ${resource}: not a backup resource`, { resource, reason: 'not-allowed' })
        return
      }
      ctx.send(host, { type: 'invite', resource, name: ctx.state.name })
      ctx.log('recruit', `invites ${short(host)} to host ${resource}`, { peer: host, resource })
    },
    onLocalApplied: ackUsers,
    tick() {
      for (const t of targets.values()) {
        if (t.state !== 'failed' && liveness.silentFor(t.peer) > timing.recruitGraceMs) fail(t, 'gone')
        else if (t.failure === 'gone' && !liveness.suspected(t.peer)) revive(t)
        else if (t.state === 'in-sync' && lagging(t)) {
          t.state = 'behind'
          ctx.log('catch-up', `${short(t.peer)}'s copy of ${t.resource} fell behind`, { peer: t.peer, resource: t.resource })
        } else if (t.state === 'behind' && t.acked.seq >= head() && !liveness.suspected(t.peer)) setInSync(t) // it was only silent for a while
        if (t.state === 'failed' && isBackup(t.resource) && ctx.now >= (recruitAt.get(t.resource) ?? Infinity)) recruit(t.resource)
        if (t.state === 'resyncing') {
          if (liveness.suspected(t.peer)) t.resyncOrdered = false
          else if (!t.resyncOrdered) resync(t)
        }
        // Heartbeats carry each host's position too: progress whose ack was lost still counts.
        const reported = liveness.position(t.peer)
        if (t.failure === null && reported !== undefined && reported.seq > t.acked.seq && follows(reported)) advance(t, reported)
        else pump(t)
      }
      for (const resource of ctx.state.backupOrder) {
        if (hostOf(ctx.state, resource) === null && ctx.now >= (recruitAt.get(resource) ?? 0)) recruit(resource)
      }
      if (handover) {
        const t = targets.get(primaryResource(ctx.state))
        if (t === undefined || liveness.suspected(t.peer)) {
          handover = false
          ctx.log('handover', 'the primary host went silent: keeps the primary role')
        } else ctx.send(t.peer, { type: 'handover', last: copy.applied() })
      }
      ackUsers()
      maybeHandOver()
    },
    handingOver: () => handover,
    copies() {
      const reports: CopyReport[] = []
      for (const r of ctx.state.resources) {
        const host = hostOf(ctx.state, r.id)
        if (host === self) continue
        const t = targets.get(r.id)
        if (t === undefined) {
          reports.push({ resource: r.id, host, state: host === null ? 'no-host' : 'failed', behindUpdates: 0, behindBytes: 0 })
          continue
        }
        const state = t.state === 'resyncing' ? 'behind' : t.state
        const behind = Math.max(0, head() - t.acked.seq)
        reports.push({ resource: r.id, host, state, behindUpdates: behind, behindBytes: behind === 0 ? 0 : log.bytes(t.acked.seq + 1, head()) })
      }
      return reports
    },
    stop() {
      for (const t of targets.values()) if (t.state !== 'failed') ctx.effect({ type: 'stop-mirroring', host: t.peer, resource: t.resource })
      targets.clear()
      return pending.splice(0)
    },
  }
}
