/**
 * Constants of the primary-backup group cores, with their source. "Issue" is issue 4 (mirrored
 * folders as primary-backup groups); "seed" is the seed patent's join protocol (Figs. 4A/4B).
 */

/** Timers of one group member; every field can be overridden per member (tests, the simulator). */
export interface GroupTiming {
  /** Every member heartbeats every other member this often: failure detection and anti-entropy. */
  heartbeatMs: number
  /**
   * A member not heard from for this long is suspected. Three heartbeats tolerate two lost ones; with
   * the vote round this keeps SIGKILL-to-acting-primary under the 3 s p95 goal on loopback
   * (Corosync's default token timeout is 3 s).
   */
  suspectMs: number
  /** A candidate waits this long for votes before it gives up the round; retries are staggered by rank in backup order. */
  voteTimeoutMs: number
  /**
   * An in-sync backup that has not stored an update this long after it was sequenced drops out of
   * the in-sync set, so one slow disk does not hold every user acknowledgement back. Long enough for
   * a large file's chunks at loopback speed (256 MiB at ≈ 290 MB/s is about a second).
   */
  ackTimeoutMs: number
  /** Updates a backup has not acknowledged are sent again after this long (lost messages). */
  retransmitMs: number
  /** A backup host gone (suspected) this long is replaced: the grace period before recruiting. */
  recruitGraceMs: number
  /** A recruitment the adapter has not answered with a new host is asked for again after this long. */
  recruitRetryMs: number
  /** A joining member asks again for the group state if no member answered in this time. */
  joinRetryMs: number
}

export const DEFAULT_TIMING: GroupTiming = {
  heartbeatMs: 500,
  suspectMs: 1500,
  voteTimeoutMs: 400,
  ackTimeoutMs: 5000,
  retransmitMs: 1000,
  recruitGraceMs: 60_000,
  recruitRetryMs: 30_000,
  joinRetryMs: 1000,
}

/** Updates each member keeps in memory to resend to a lagging backup; behind that, a full resync. */
export const DEFAULT_LOG_RETENTION = 1024

/** At most this many updates are sent to one backup at once when it catches up (the rest follow its acks). */
export const SEND_WINDOW = 64

/** Out-of-order updates a backup buffers while it waits for a gap to be filled; further ones are dropped and resent later. */
export const BUFFER_LIMIT = 1024

/** Wanted backup copies when the user does not say (issue: `gridnode share --copies K`, default 2). */
export const DEFAULT_COPIES = 2

/** Bounds on what a peer may send us (validation at the network boundary). */
export const LIMITS = { idLength: 128, nameLength: 256, copies: 16, members: 256, copiesReport: 17 } as const
