/** Constants of VO membership, with the reason for each. */

/** A VO lives a year unless its creator says otherwise: long enough to be plug-and-play. */
export const VO_LIFETIME_MS = 365 * 24 * 3600 * 1000

/** Member certificates last 90 days (capped by their issuer's and the VO's), then are renewed. */
export const CERT_LIFETIME_MS = 90 * 24 * 3600 * 1000

/** Default invite: valid 7 days, one use (issue 3's `--expires 7d`). */
export const INVITE_LIFETIME_MS = 7 * 24 * 3600 * 1000
export const INVITE_DEFAULT_USES = 1

/** Clocks of desktop machines drift; a certificate issued this far "in the future" is still accepted. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000

/** Root → admin → delegate → member is the longest legitimate chain. */
export const MAX_CHAIN_LENGTH = 4

/** Issue 3: a peer without a valid proof is disconnected within 2 s. */
export const PROOF_DEADLINE_MS = 2000

export { INVITE_PREFIX } from '../../shared/api/vo-schemas.ts'

/**
 * An invite lists the issuing node's own addresses first (at most this many), then those of other
 * issuers it knows (delegated super-peers, other admins), so it is redeemed while its maker is off.
 * The invite's schema allows 16 addresses in all.
 */
export const INVITE_OWN_BOOTSTRAPS = 8
export const INVITE_MAX_BOOTSTRAPS = 16

/**
 * A VO heard on the LAN is shown this long after its last answer. mDNS hears each peer every 10 s
 * (one query round); a node in no VO asks a peer again at most once a round, so a VO created after
 * the first ask shows within a round, and a live VO never blinks out.
 */
export const NEARBY_TTL_MS = 60_000
export const NEARBY_ASK_INTERVAL_MS = 9_000
/** A member heard on the LAN but not connected is dialled at most this often (foreign VOs refuse). */
export const LAN_REDIAL_MS = 60_000

/** Public protocols: a peer may ask 5 times at once, then once a second; all peers 50/s together. */
export const PUBLIC_RATE = { perPeer: { burst: 5, perSecond: 1 }, total: { burst: 50, perSecond: 50 }, maxPeers: 1024 }

/** A join request waits this long for an admin: a weekend, so Friday's request is seen on Monday. */
export const JOIN_REQUEST_LIFETIME_MS = 3 * 24 * 3600 * 1000
/** An issuer holds at most this many pending requests; more are refused (RATE_LIMITED). */
export const MAX_PENDING_REQUESTS = 100
/** A requester sends its request to at most this many of the VO's issuers it heard of. */
export const REQUEST_FANOUT = 8
/** A requester asks its issuers for the decision this often (it cannot be dialled back reliably). */
export const REQUEST_POLL_MS = 2000
