/**
 * What the parts of one group member (join, local copy, sequencer, failover) share: its identity,
 * timers, the replicated state and vote, the time of the input being handled, and the output sink.
 */
import type { GroupTiming } from './constants.ts'
import type { GroupEffect, LogStep, PeerId, RejectReason, ResourceId } from './core.ts'
import type { GroupState, MessageBody, PersistedGroup } from './messages.ts'

export interface Context {
  readonly self: PeerId
  readonly timing: GroupTiming
  state: GroupState
  vote: PersistedGroup['vote']
  /** Time of the input being handled. */
  now: number
  /** The epoch this member stands at: the newest it has seen a primary of or voted in. Messages of older epochs are stale. */
  epoch(): number
  /** Sends a message of this group; what changed on disk is persisted first (a vote is stored before it is cast). */
  send(to: PeerId, body: MessageBody): void
  /** Sends to every other live member. */
  sendAll(body: MessageBody): void
  effect(effect: GroupEffect): void
  log(step: LogStep, text: string, detail?: { peer?: PeerId; resource?: ResourceId; reason?: RejectReason }): void
  /** The persisted record changed: persist it before the next message leaves, or at the end of this input. */
  changed(): void
}

/** Peer ids are long: logs show their tail, as the UI does. */
export const short = (peer: PeerId): string => (peer.length > 12 ? `…${peer.slice(-6)}` : peer)
