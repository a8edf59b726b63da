/**
 * Tunables of jobs across the VO (issue 5): placement, validation, failure detection and the
 * queue, with the reason for each value. The sandbox's own limits live in sandbox/constants.ts, the limits a
 * submitter may ask for in shared/api/compute-schemas.ts (JOB_LIMITS).
 */

/** An executor reports at least this often while it runs a job, so a silent one can be told from a slow one. */
export const EXECUTOR_HEARTBEAT_MS = 1000
/**
 * A running replica silent for this long counts as lost (its node hung or its connection half-open).
 * A killed node is noticed sooner: its connection closes. Ten heartbeats ride out a loaded machine.
 */
export const REPLICA_SILENCE_MS = 10_000
/** An offer must be accepted, and the module and input transferred, within this. */
export const OFFER_TIMEOUT_MS = 30_000

/**
 * Placements use the latest discovery's candidates, tracking this coordinator's own load on them;
 * while work waits and no candidate fits, discovery is asked again after this, doubling up to the max.
 */
/**
 * Runs an executor holds queued per offered core, besides the one running: when a job ends, the
 * next starts on that core at once instead of a round trip to its submitter later (BOINC keeps a
 * work buffer for the same reason). With 10 ms jobs that round trip alone halved throughput.
 */
export const QUEUED_PER_CORE = 1
/** Runs a node offering `cores` takes at once: one running and QUEUED_PER_CORE waiting per core. */
export const runSlots = (cores: number): number => cores * (1 + QUEUED_PER_CORE)

export const DISCOVERY_RETRY_MIN_MS = 200
export const DISCOVERY_RETRY_MAX_MS = 5000
/** At most this many candidates are asked of a discovery. */
export const DISCOVERY_WANT_MAX = 16

/** A node that answered BUSY is not offered work for this long, doubling up to the max. */
export const BUSY_BACKOFF_MIN_MS = 250
export const BUSY_BACKOFF_MAX_MS = 5000
/** A node that could not be reached, or lost a replica, is left alone for this long, doubling up to the max. */
export const UNREACHABLE_BACKOFF_MIN_MS = 5000
export const UNREACHABLE_BACKOFF_MAX_MS = 60_000

/**
 * A replica slot whose runs are lost this often (node deaths, submitter restarts) fails its job:
 * the work keeps killing the nodes it runs on, or the VO keeps vanishing under it.
 */
export const MAX_LOSSES_PER_SLOT = 8
/** Extra replicas a disagreement may add, as a multiple of the replicas asked for. */
export const EXTRA_REPLICAS_FACTOR = 1

/** Job changes (progress above all) reach API subscribers at most this often per job. */
export const JOB_EVENT_COALESCE_MS = 100
/** The accounting API returns this many of the latest audit entries. */
export const AUDIT_TAIL = 100
