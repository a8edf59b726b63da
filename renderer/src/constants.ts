/** Reconnection to the node's event stream: capped exponential backoff, so the UI never spins. */
export const RECONNECT_BASE_MS = 1_000
export const RECONNECT_MAX_MS = 30_000
/** A connection that lasted this long counts as healthy: the next failure starts from the base delay again. */
export const RECONNECT_STABLE_MS = 10_000
/** A snapshot call (status, health history) on loopback answers in milliseconds; one hanging this long means the node is stuck. */
export const SNAPSHOT_TIMEOUT_MS = 10_000
/**
 * A VO's member list is fetched again this long after the last status event of a burst (a join
 * brings a connection, a proof and a gossip message within milliseconds): one call, not three.
 */
export const MEMBERS_REFRESH_DEBOUNCE_MS = 300
/**
 * The VO's health table asks the super-peers again this often. Members re-register with their
 * super-peer every 5 s, so a faster refresh would show little new and cost each super-peer a query.
 */
export const VO_HEALTH_REFRESH_MS = 30_000
/** Discovery's own ceiling (DiscoverInputSchema): with no requirement, every live advertisement up to it. */
export const VO_HEALTH_WANT = 100
/** Load at or above which a member is shown as busy rather than ok. */
export const BUSY_LOAD = 0.9
/** A group's event log is fetched again this long after the last status change of that group in a burst. */
export const GROUP_LOG_REFRESH_DEBOUNCE_MS = 300
/** Entries of a group's log the page shows (the latest); the CLI prints them all. */
export const GROUP_LOG_LIMIT = 300
/**
 * How long a copy that was in sync may stay behind before the user is told. Every edit puts the
 * copies behind until they store it (the goal: within a second at p95), which is no news.
 */
export const OUT_OF_SYNC_GRACE_MS = 10_000
