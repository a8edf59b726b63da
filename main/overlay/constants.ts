/**
 * Constants of the overlay's protocol cores, with their source. "Issue" is issue 3 (Virtual
 * Organizations and the super-peer overlay); "seed" is the Grid OS paper's super-peer resource
 * discovery structure (sub-grids → super-peers → regions → region peers).
 */

/** The leader (super-peer or region peer) announces itself this often; followers time out on it. */
export const HEARTBEAT_INTERVAL_MS = 1000

/**
 * A follower declares its leader dead after this long without a heartbeat. 2.5 intervals tolerate
 * one lost heartbeat plus jitter, and with ANSWER_TIMEOUT_MS keep detection + election under the
 * issue's goal of a new leader within 3 heartbeat intervals of the failure.
 */
export const FAILURE_TIMEOUT_MS = 2500

/** Bully: a candidate that hears no answer from a higher-ranked peer in this time wins. Peers of a sub-grid or region are a few ms apart. */
export const ANSWER_TIMEOUT_MS = 300

/** Bully: a candidate that got an answer restarts its election if no coordinator follows in this time. */
export const COORDINATOR_TIMEOUT_MS = 1000

/** A starting node listens this long for an existing leader's heartbeat before electing (1.5 intervals: one heartbeat even if late)… */
export const JOIN_WAIT_MS = 1500
/** …plus a seeded random share of this, so a sub-grid that starts at once does not elect all at once. */
export const JOIN_JITTER_MS = 500

/**
 * A follower takes over a live leader only if its score beats the leader's by this much: load and
 * uptime drift, and a strict comparison would make near-equal nodes flap. Elections themselves
 * (after a failure) compare strictly, ties by peer id.
 */
export const TAKEOVER_MARGIN = 0.05

/**
 * Availability score weights (sum 1). A super-peer's job is to stay up and answer, so staying up
 * weighs most: uptime so far predicts remaining uptime (peer session lengths are heavy-tailed,
 * Stutzbach & Rejaie, IMC 2006), and super-peers should be the stable, capable peers (Yang &
 * Garcia-Molina, "Designing a super-peer network", ICDE 2003). Mains power says the machine will
 * not suspend on battery; spare CPU (1 − load) serves the index and queries; cores and disk offered
 * say what the node adds to the grid it indexes.
 */
export const SCORE_WEIGHTS = { uptime: 0.35, mains: 0.2, load: 0.2, cores: 0.15, disk: 0.1 } as const

/** Each feature counts fully at this level and proportionally below it (a day up, 8 cores, 100 GB). */
export const SCORE_SATURATION = { uptimeMs: 24 * 3600_000, cores: 8, diskBytes: 100e9 } as const

/** Scores are rounded to this many decimals so equal machines tie (then peer id decides) on every node alike. */
export const SCORE_DECIMALS = 3

/** Members re-send their resource advertisement to their super-peer this often. */
export const REGISTER_INTERVAL_MS = 5000

/** A super-peer drops an advertisement not refreshed for this long: two lost refreshes are tolerated. */
export const AD_TTL_MS = 3 * REGISTER_INTERVAL_MS + HEARTBEAT_INTERVAL_MS

/** Super-peers and region peers re-announce themselves this often (anti-entropy for lost announcements). */
export const ANNOUNCE_INTERVAL_MS = 5000

/**
 * Default query TTL in hops: node → super-peer → region peer of another region → its super-peers
 * is the longest path the scheme needs.
 */
export const DEFAULT_TTL = 3

/** The coordinating super-peer waits this long for its region's answers before widening the search. */
export const REGION_STAGE_TIMEOUT_MS = 500

/** …and this long for other regions' answers (two inter-region hops) before answering with what it has. */
export const GLOBAL_STAGE_TIMEOUT_MS = 1500

/**
 * The querying node retries once (with the super-peer it then knows) if no result comes in this
 * long, and gives up after the second: longer than the slowest search (both stages' timeouts).
 */
export const QUERY_TIMEOUT_MS = 2500

/** Query ids are remembered this long to suppress duplicates. */
export const SEEN_QUERY_TTL_MS = 60_000

/** Bounds on what a peer may send us (validation at the network boundary). */
export const LIMITS = { idLength: 128, groupLength: 64, want: 100, ttl: 16, path: 16, view: 1024, addrs: 16, candidates: 100 } as const
