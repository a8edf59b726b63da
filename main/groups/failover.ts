/**
 * Who sequences updates: the primary host in epoch 1 (it is the only member that may start the
 * group's sequence, so it needs no votes), then after a failure whoever a majority of the hosts
 * elects for a new epoch. Every member computes the same preferred candidate: the first host in
 * takeover order (primary host, then backup hosts in backup order) that is not suspected and holds
 * a complete copy (its last applied update is the newest any of them reported). That host claims
 * the next epoch; a host votes at most once per epoch (the vote is persisted before it is sent),
 * and only for a candidate at least as up to date as itself, when it sees no live acting primary
 * and knows no better candidate. A majority of hosts is needed, so two candidates can never act in
 * the same epoch; candidates that split a vote retry staggered by their rank, the better one first.
 *
 * A handover claim (the acting primary hands the role back to the caught-up primary host) skips
 * the "no live primary" and "better candidate" rules: the acting primary itself asked for it.
 */
import { short, type Context } from './context.ts'
import type { PeerId } from './core.ts'
import type { Liveness } from './liveness.ts'
import type { LocalCopy } from './local-copy.ts'
import type { MessageOf, Position } from './messages.ts'
import { comparePositions, hostOf, hostsInOrder, isMember, primaryResource } from './state.ts'

export interface FailoverComponents {
  copy: LocalCopy
  liveness: Liveness
  /** This member is sequencing now. */
  acting(): boolean
  /** This member has joined (steps 1–5 done) and may take part. */
  joined(): boolean
  becomePrimary(epoch: number, handover: boolean): void
  /** This member voted for a handover claim while acting: it hands the role on. */
  stepDown(): void
}

export interface Failover {
  /** This member is claiming an epoch now (its vote for itself stands only while it does). */
  claiming(): boolean
  /** The acting primary is alive and sequencing, as far as this member can tell. */
  primaryLive(): boolean
  /** The primary's heartbeat said whether it is sequencing. */
  noteActing(peer: PeerId, acting: boolean): void
  /** A new acting primary was learnt: any candidacy for its epoch or older is over. */
  adopted(epoch: number, acting: boolean): void
  onClaim(from: PeerId, m: MessageOf<'claim'>): void
  onVote(from: PeerId, m: MessageOf<'vote'>): void
  /** The acting primary handed the role back: claim the next epoch. */
  claimHandover(): void
  /** Starts a claim when this member is the one to take over, and gives up rounds that found no majority. */
  evaluate(): void
  nextDeadline(): number
}

const ZERO: Position = { epoch: 0, seq: 0 }

export function createFailover(ctx: Context, components: FailoverComponents): Failover {
  const { self, timing } = ctx
  const { copy, liveness } = components
  let candidacy: { epoch: number; handover: boolean; votes: Set<PeerId>; deadline: number } | null = null
  let retryAt = 0
  let highestClaim = 0
  /** Whether the acting primary's last heartbeat said it sequences (a restarted primary does not). */
  let primaryActing = true

  const positionOf = (peer: PeerId): Position => (peer === self ? copy.applied() : (liveness.position(peer) ?? ZERO))
  const rank = (peer: PeerId): number => hostsInOrder(ctx.state).indexOf(peer)

  function primaryLive(): boolean {
    const p = ctx.state.primary
    if (p === null) return false
    if (p.peer === self) return components.acting()
    return isMember(ctx.state, p.peer) && primaryActing && !liveness.suspected(p.peer)
  }

  /** The first host in takeover order, not suspected, whose copy is as new as any of theirs. */
  function preferred(): PeerId | null {
    const alive = hostsInOrder(ctx.state).filter((p) => p === self || !liveness.suspected(p))
    const newest = alive.map(positionOf).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b), ZERO)
    return alive.find((p) => comparePositions(positionOf(p), newest) >= 0) ?? null
  }

  function giveUp(why: string): void {
    if (candidacy === null) return
    ctx.log('failover', `gives up its claim to epoch ${candidacy.epoch}: ${why}`)
    candidacy = null
    retryAt = ctx.now + timing.voteTimeoutMs * (1 + Math.max(0, rank(self)))
  }

  function countVotes(): void {
    if (candidacy === null) return
    const voters = hostsInOrder(ctx.state)
    const yes = voters.filter((p) => candidacy!.votes.has(p)).length
    if (yes * 2 <= voters.length) return
    const { epoch, handover } = candidacy
    candidacy = null
    components.becomePrimary(epoch, handover)
  }

  function claim(handover: boolean): void {
    const epoch = Math.max(ctx.epoch(), ctx.vote?.epoch ?? 0, highestClaim) + 1
    ctx.vote = { epoch, peer: self }
    ctx.changed()
    candidacy = { epoch, handover, votes: new Set([self]), deadline: ctx.now + timing.voteTimeoutMs }
    ctx.log(handover ? 'handover' : 'failover', `claims the primary role for epoch ${epoch} (its copy ends at update ${copy.applied().seq})`)
    for (const peer of hostsInOrder(ctx.state)) if (peer !== self) ctx.send(peer, { type: 'claim', last: copy.applied(), handover })
    countVotes()
  }

  function grants(from: PeerId, m: MessageOf<'claim'>): boolean {
    if (ctx.vote?.epoch === m.epoch) return ctx.vote.peer === from // one vote per epoch; the same claim again gets the same answer
    if (m.epoch <= Math.max(ctx.epoch(), ctx.vote?.epoch ?? 0) || !hostsInOrder(ctx.state).includes(from)) return false
    if (comparePositions(m.last, copy.applied()) < 0) return false
    if (m.handover) return hostOf(ctx.state, primaryResource(ctx.state)) === from
    return !primaryLive() && preferred() === from
  }

  return {
    claiming: () => candidacy !== null,
    primaryLive,
    noteActing(peer, acting) {
      if (ctx.state.primary?.peer === peer) primaryActing = acting
    },
    adopted(epoch, acting) {
      primaryActing = acting
      if (candidacy !== null && candidacy.epoch <= epoch) candidacy = null
    },
    onClaim(from, m) {
      highestClaim = Math.max(highestClaim, m.epoch)
      const granted = grants(from, m)
      if (granted && ctx.vote?.epoch !== m.epoch) {
        ctx.vote = { epoch: m.epoch, peer: from }
        ctx.changed()
        ctx.log(m.handover ? 'handover' : 'failover', `votes for ${short(from)} as primary in epoch ${m.epoch}`, { peer: from })
        if (candidacy !== null && candidacy.epoch <= m.epoch) candidacy = null
        if (components.acting()) components.stepDown()
      }
      ctx.send(from, { type: 'vote', claim: m.epoch, granted, last: copy.applied() })
    },
    onVote(from, m) {
      highestClaim = Math.max(highestClaim, m.epoch) // a refusal from a voter of a newer epoch: claim above it next time
      if (candidacy === null || m.claim !== candidacy.epoch) return
      if (m.granted) {
        candidacy.votes.add(from)
        return countVotes()
      }
      if (comparePositions(m.last, copy.applied()) > 0) giveUp(`${short(from)} holds newer updates`)
    },
    claimHandover() {
      if (candidacy === null) claim(true)
    },
    evaluate() {
      if (candidacy !== null && ctx.now >= candidacy.deadline) giveUp('no majority of hosts answered')
      if (!components.joined() || components.acting() || candidacy !== null) return
      const hosts = hostsInOrder(ctx.state)
      if (!hosts.includes(self)) return
      if (ctx.state.primary === null) {
        // Nobody ever sequenced: only the primary host may begin, in epoch 1.
        if (hostOf(ctx.state, primaryResource(ctx.state)) === self) components.becomePrimary(1, false)
        return
      }
      if (primaryLive() || ctx.now < retryAt) return
      if (preferred() === self) claim(false)
    },
    nextDeadline: () => Math.min(candidacy?.deadline ?? Infinity, retryAt > ctx.now ? retryAt : Infinity),
  }
}
