/** Tunables of the node's lifecycle, with the reason for each value. */

/** Issue 2: SIGINT/SIGTERM must stop the node within 2 s; this bounds each shutdown step. */
export const STOP_STEP_TIMEOUT_MS = 1500

/** Peer latencies are re-read this often (libp2p's connection monitor measures them every 10 s). */
export const LATENCY_REFRESH_MS = 10_000

/** A ping that takes longer than this counts as failed (the peer may be gone). */
export const PING_TIMEOUT_MS = 5_000

/** Dialling a peer given by `gridnode connect` gives up after this. */
export const DIAL_TIMEOUT_MS = 10_000

/** Status changes arriving within this window are pushed to subscribers as one event. */
export const STATUS_COALESCE_MS = 50
