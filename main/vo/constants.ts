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
