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
