/**
 * The group core's inputs and outputs. Inputs carry the time (`now`, ms); the core answers with
 * messages to send and effects for the adapter, in the order they must happen, and says when it
 * next needs a tick. It never reads clocks, sockets, disks or Math.random.
 */
import type { PeerId } from '../overlay/core.ts'
import type { GroupMessage, Json, PersistedGroup, Position, Resource, Update } from './messages.ts'

export type { PeerId }
export type ResourceId = string

/** Where an event log line belongs: the join protocol's steps (seed patent Figs. 4A/4B, DESIGN.md) and the other phases of a group's life. */
export type LogStep =
  | 'join-1'
  | 'join-2'
  | 'join-3'
  | 'join-4'
  | 'join-5'
  | 'catch-up'
  | 'failover'
  | 'handover'
  | 'recruit'
  | 'quota'
  | 'leave'
  | 'rejected'

/** Why an input was refused (tests match these, never the text). */
export type RejectReason =
  | 'wrong-group'
  | 'unknown-member'
  | 'stale-epoch'
  | 'not-primary'
  | 'not-host'
  | 'invalid-state'
  | 'not-joined'
  | 'not-allowed'

export type GroupEffect =
  /** A line of the group's event log (`gridnode group log`). */
  | { type: 'log'; step: LogStep; text: string; peer?: PeerId; resource?: ResourceId; reason?: RejectReason }
  /** Store this record (LevelDB) and pass it back as `persisted` on restart. */
  | { type: 'persist-state'; state: PersistedGroup }
  /** This member (the acting primary) starts replicating to `host`'s copy of `resource`: open the data path to it. */
  | { type: 'start-mirroring'; host: PeerId; resource: ResourceId }
  | { type: 'stop-mirroring'; host: PeerId; resource: ResourceId }
  /**
   * `host`'s copy cannot be brought up to date update by update (it diverged, or the updates it
   * lacks were pruned): send it a complete snapshot of this member's copy as of `at`; its adapter
   * feeds `snapshot-installed` with `at` once stored. A newer order for the same host and
   * resource supersedes an older one (never install an older snapshot after a newer one). A
   * transfer that fails should end in connection-closed: once the host is heard again the core
   * orders the resync again.
   */
  | { type: 'full-resync-needed'; host: PeerId; resource: ResourceId; at: Position }
  /** Apply this update to the local copy, strictly in this order; feed `applied` once it is durable. */
  | { type: 'apply-update'; update: Update }
  /** The user's update `seq` (proposed here) is stored on every in-sync backup: it survives a host failure. */
  | { type: 'ack-to-user'; epoch: number; seq: number }
  | { type: 'become-acting-primary'; epoch: number }
  /** This member stopped sequencing; the updates it sequenced but never acknowledged to the user should be proposed again to the new primary. */
  | { type: 'stepped-down'; epoch: number; unacked: number[] }
  /** A backup resource needs a (new) host: find one through discovery, not among `exclude`, and feed `recruited`. */
  | { type: 'recruit-backup-needed'; resource: ResourceId; exclude: PeerId[] }
  /** A message of an older epoch was refused (no split brain): its sender was told the newer epoch. */
  | { type: 'refused-stale'; from: PeerId; message: GroupMessage['type']; epoch: number; current: number }
  /** Steps 4–5: the configuration of a resource this member belongs to, from its host. */
  | { type: 'resource-config'; resource: ResourceId; from: PeerId; config: Json }
  | { type: 'propose-refused'; reason: 'not-primary' | 'handing-over' | 'not-joined'; primary: PeerId | null }
  /** This member no longer hosts `resource` (another host replaced it): delete its copy. */
  | { type: 'drop-copy'; resource: ResourceId }
  /** This member left the group; the adapter may discard the core. */
  | { type: 'group-left' }
  /** The primary host unshared the folder: delete every copy of the group held here. */
  | { type: 'group-dissolved' }

export type Output = { type: 'send'; to: PeerId; message: GroupMessage } | { type: 'effect'; effect: GroupEffect }

/** Step 2's questions, answered by the adapter: which resources this member can reach, and which it owns (with their configuration). */
export interface ResourceAccess {
  canAccess(resource: Resource): boolean
  /** The configuration of `resource` if this member owns (hosts) it, else null. */
  owns(resource: Resource): Json | null
}

export type GroupInput =
  /**
   * Join (first time, after a restart, or after an invite): `contact` is the member to ask for the
   * group state (the primary, or the inviter); without it the members of the persisted state are
   * asked. `invitedFor` names the resource an invite asked this member to host: only then does its
   * claim replace a current host.
   */
  | { type: 'join'; now: number; access: ResourceAccess; contact?: PeerId; invitedFor?: ResourceId }
  | { type: 'message'; now: number; from: PeerId; message: GroupMessage }
  | { type: 'tick'; now: number }
  /** The transport lost its connection to `peer`: suspect it at once (heartbeats clear it). */
  | { type: 'connection-closed'; now: number; peer: PeerId }
  /** The user changed the folder: sequence this update (on the acting primary). */
  | { type: 'propose'; now: number; payload: Json; size: number }
  /** The local copy durably applied every update up to `seq` (after apply-update effects). */
  | { type: 'applied'; now: number; seq: number }
  /** A full resync finished: the local copy now equals the sender's as of `at`. */
  | { type: 'snapshot-installed'; now: number; at: Position }
  /** The local store cannot hold `resource` any more (quota). */
  | { type: 'quota-full'; now: number; resource: ResourceId }
  /** The adapter found `host` for a recruit-backup-needed: invite it. */
  | { type: 'recruited'; now: number; resource: ResourceId; host: PeerId }
  | { type: 'leave'; now: number }
  /** The primary host stops sharing the folder: the group ends. */
  | { type: 'unshare'; now: number }
