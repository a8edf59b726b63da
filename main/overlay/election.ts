/**
 * Bully election of a group's leader on the availability score, ties by peer id — one core for
 * both levels: a sub-grid electing its super-peer, and a region's super-peers electing the region
 * peer.
 *
 * Bully (Garcia-Molina, 1982) with terms: a candidate sends `election` to the peers that may
 * outrank it; any of them alive answers and runs its own election; a candidate no one answers
 * wins and announces `coordinator`, which it repeats as its heartbeat. Terms make it tolerate loss
 * and reordering: a winner takes a term above every term it has seen, a follower accepts
 * coordinators of its leader's term or newer and ignores older ones (a dead leader's late
 * heartbeat); a candidate's proposal does not move its own term. Peers whose score we
 * have never heard are asked too, so the first election of a group reaches everyone; later ones
 * only the few known to outrank the candidate.
 *
 * Leaders are also named second-hand, in views and announcements (`claim`), with terms this core
 * may never have seen in a message. Those terms count as seen, so a later win takes a term above
 * them and replaces their entries everywhere by the newer-term rule; and a leader that hears of
 * another leader of its group in its term or a newer one (a dead leader still named in views, or a
 * rival it never exchanged heartbeats with) takes a new term above it and heartbeats that rival,
 * which then follows or, if clearly better, takes over in a newer term still.
 */
import { ANSWER_TIMEOUT_MS, COORDINATOR_TIMEOUT_MS, FAILURE_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, JOIN_JITTER_MS, JOIN_WAIT_MS, TAKEOVER_MARGIN } from './constants.ts'
import type { Core, Output, PeerId, TickInput } from './core.ts'
import type { ElectionMessage, Level } from './messages.ts'
import { outranks } from './score.ts'

export interface ElectionInit {
  level: Level
  /** The sub-grid's or region's id. */
  group: string
  self: PeerId
  score: number
  /** The other peers of the group (self is ignored if present). */
  members: Iterable<PeerId>
  now: number
  /** Seeded PRNG in [0, 1): jitters the first election. */
  random: () => number
  /** A leader known from elsewhere (a view): followed until its heartbeats stop, instead of waiting to hear one. */
  leader?: { peer: PeerId; term: number }
}

export type ElectionInput =
  | { type: 'message'; now: number; from: PeerId; message: ElectionMessage }
  | TickInput
  | { type: 'peer-up' | 'peer-down'; now: number; peer: PeerId }
  /** This node's score changed (load, uptime). */
  | { type: 'score'; now: number; score: number }
  /** A view or announcement says `peer` leads this group in `term`. */
  | { type: 'claim'; now: number; peer: PeerId; term: number }

/** joining: listening for an existing leader; electing: waiting for answers; waiting: answered, waiting for the coordinator. */
export type ElectionRole = 'joining' | 'follower' | 'electing' | 'waiting' | 'leader'

export interface ElectionSnapshot {
  role: ElectionRole
  leader: PeerId | null
  term: number
}

export interface Election extends Core<ElectionInput> {
  snapshot(): ElectionSnapshot
}

export function createElection(init: ElectionInit): Election {
  const { level, group, self } = init
  let score = init.score
  const members = new Set(init.members)
  members.delete(self)
  /** Last score heard from each peer: whom an election must ask. */
  const known = new Map<PeerId, number>()
  let role: ElectionRole = init.leader === undefined ? 'joining' : 'follower'
  /** The term of the leader this node follows or is: only a coordinator (or winning) moves it. */
  let term = init.leader?.term ?? 0
  /** The highest term seen in any message; an election proposes one above it. */
  let highest = term
  let leader: PeerId | null = init.leader?.peer ?? null
  let leaderScore = 0
  /** The term the current leader was established in. */
  let leaderTerm = term
  /** The one timer every role needs: join wait, failure timeout, answer/coordinator timeout, or next heartbeat. */
  let deadline = init.now + (init.leader === undefined ? JOIN_WAIT_MS + init.random() * JOIN_JITTER_MS : FAILURE_TIMEOUT_MS)
  let out: Output[] = []

  const message = (type: 'election' | 'answer' | 'coordinator'): ElectionMessage => ({ type, level, group, term: type === 'election' ? highest : term, score })

  /** Reports a new leader, or the same one in a new term: views record the term, and must learn it. */
  function setLeader(peer: PeerId | null): void {
    const changed = peer !== leader || term !== leaderTerm
    leaderTerm = term
    leader = peer
    if (changed) out.push({ type: 'effect', effect: { type: 'leader-changed', level, group, leader, term } })
  }

  function heartbeat(): void {
    const coordinator = message('coordinator')
    for (const peer of members) out.push({ type: 'send', to: peer, message: coordinator })
  }

  function becomeLeader(now: number): void {
    term = highest // above every term this node has seen, so every follower's coordinator check passes
    role = 'leader'
    leaderScore = score
    deadline = now + HEARTBEAT_INTERVAL_MS
    setLeader(self)
    heartbeat()
  }

  function startElection(now: number): void {
    // Proposing a term does not raise this node's own `term`: its candidacy must not make the
    // winner's coordinator look stale to it (that feeds election storms).
    highest = Math.max(highest, term) + 1
    const mayOutrank = [...members].filter((peer) => {
      const theirs = known.get(peer)
      return theirs === undefined || outranks(theirs, peer, score, self)
    })
    if (mayOutrank.length === 0) return becomeLeader(now)
    role = 'electing'
    deadline = now + ANSWER_TIMEOUT_MS
    const election = message('election')
    for (const peer of mayOutrank) out.push({ type: 'send', to: peer, message: election })
  }

  function follow(from: PeerId, theirTerm: number, theirScore: number, now: number): void {
    term = theirTerm
    leaderScore = theirScore
    role = 'follower'
    deadline = now + FAILURE_TIMEOUT_MS
    setLeader(from)
  }

  function onCoordinator(from: PeerId, theirTerm: number, theirScore: number, now: number): void {
    if (theirTerm < term) return // a stale leader: late or reordered heartbeat of an older term
    highest = Math.max(highest, theirTerm)
    // Two leaders of one term (elections that ran apart, e.g. two groups merging): the higher-ranked
    // one stands. If that is this node, it takes a new term, so every view that recorded the other
    // leader replaces it by the usual newer-term rule instead of keeping whichever it saw first.
    if (theirTerm === leaderTerm && leader !== null && leader !== from && outranks(leaderScore, leader, theirScore, from)) {
      if (leader === self) {
        highest = Math.max(highest, term) + 1
        becomeLeader(now)
      }
      return
    }
    if (score > theirScore + TAKEOVER_MARGIN) {
      // Bully takeover: a clearly better node (e.g. one that just joined) replaces a live leader.
      if (role !== 'electing' && role !== 'waiting') startElection(now)
      return
    }
    // A leader yielding to a higher-ranked one of its own term tells it so: views may have
    // recorded this node for the term, and only a new term of the winner (above) replaces that.
    if (role === 'leader' && theirTerm === term) out.push({ type: 'send', to: from, message: message('coordinator') })
    follow(from, theirTerm, theirScore, now)
  }

  function addMember(peer: PeerId): void {
    if (peer === self || members.has(peer)) return
    members.add(peer)
    if (role === 'leader') out.push({ type: 'send', to: peer, message: message('coordinator') })
  }

  function onClaim(peer: PeerId, theirTerm: number, now: number): void {
    highest = Math.max(highest, theirTerm)
    if (peer === self) return // this node's own claim, echoed back: its own role says whether it holds
    if (role === 'leader' && theirTerm >= term) {
      members.add(peer)
      highest++
      return becomeLeader(now)
    }
    addMember(peer)
  }

  function onMessage(from: PeerId, m: ElectionMessage, now: number): void {
    members.add(from) // the composer routes only this group's messages here
    known.set(from, m.score)
    switch (m.type) {
      case 'coordinator':
        return onCoordinator(from, m.term, m.score, now)
      case 'election':
        highest = Math.max(highest, m.term)
        if (!outranks(score, self, m.score, from)) return
        out.push({ type: 'send', to: from, message: message('answer') })
        // A live leader just reasserts itself to the candidate, unless the candidate has followed
        // a newer leader than this one (its proposal is more than one above this term): then it
        // wins again with a term above both.
        if (role === 'leader' && m.term <= term + 1) out.push({ type: 'send', to: from, message: message('coordinator') })
        else if (role !== 'electing' && role !== 'waiting') startElection(now)
        return
      case 'answer':
        highest = Math.max(highest, m.term)
        if (role === 'electing') {
          role = 'waiting'
          deadline = now + COORDINATOR_TIMEOUT_MS
        }
        return
    }
  }

  function onTick(now: number): void {
    if (now < deadline) return
    switch (role) {
      case 'leader':
        heartbeat()
        deadline = Math.max(deadline + HEARTBEAT_INTERVAL_MS, now + 1)
        return
      case 'follower':
        setLeader(null) // heartbeats stopped: the leader is presumed dead
        return startElection(now)
      case 'electing':
        return becomeLeader(now)
      case 'joining':
      case 'waiting':
        return startElection(now)
    }
  }

  return {
    handle(input) {
      out = []
      switch (input.type) {
        case 'message':
          onMessage(input.from, input.message, input.now)
          break
        case 'tick':
          onTick(input.now)
          break
        case 'peer-up':
          addMember(input.peer)
          break
        case 'claim':
          onClaim(input.peer, input.term, input.now)
          break
        case 'peer-down':
          members.delete(input.peer)
          known.delete(input.peer)
          if (input.peer === leader && role !== 'leader') {
            setLeader(null)
            if (role === 'follower') startElection(input.now)
          }
          break
        case 'score':
          score = input.score
          if (role === 'follower' && score > leaderScore + TAKEOVER_MARGIN) startElection(input.now)
          break
      }
      return out
    },
    nextDeadline: () => deadline,
    snapshot: () => ({ role, leader, term }),
  }
}
