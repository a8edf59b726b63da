/** Tunables of the group runtime (issue 4), with the reason for each value. */

/** The group protocol: one long-lived stream per peer and direction, members only. */
export const GROUP_PROTOCOL = '/gridnode/groups/1.0.0'

/**
 * Largest group message: an update carries at most UPDATE_MAX_REFS chunk references and a
 * manifest's piece list (main/mirror/service/payload.ts), a state copy at most 256 members.
 */
export const GROUP_MESSAGE_MAX_BYTES = 1024 * 1024

/** Messages waiting for one peer's stream; beyond this the oldest are dropped (the cores resend what matters). */
export const PEER_QUEUE_LIMIT = 512

/** Dialling a member for group messages gives up after this; heartbeats try again soon anyway. */
export const PEER_DIAL_TIMEOUT_MS = 3000

/** After a failed dial or write, messages to that peer are dropped for this long instead of piling up. */
export const PEER_BACKOFF_MS = 1000

/** Event log lines kept per group (`gridnode group log`): older ones are pruned. */
export const GROUP_LOG_LIMIT = 2000

/** Inbound group streams per connection: one per direction normally, a few more across reconnects. */
export const GROUP_MAX_INBOUND_STREAMS = 16
