/** Tunables of the contribution settings and the idle detector, with the reason for each value. */

/**
 * The machine counts as in use while other programs (everything but this node's process and its
 * job workers) use more than this share of its CPU. BOINC's default for "suspend when non-BOINC
 * CPU usage is above" is 25 %.
 */
export const BUSY_CPU_SHARE = 0.25

/**
 * Issue 5: work pauses within 2 s when the machine stops being idle. CPU is sampled once a second,
 * so one sample over the threshold pauses: a load that starts mid-interval shows fully in the next.
 */
export const BUSY_AFTER_SAMPLES = 1

/** Work resumes after this many consecutive idle samples (seconds), so a short lull does not restart it. */
export const RESUME_AFTER_IDLE_SAMPLES = 5

/**
 * With a system idle-time provider (the desktop app), the user counts as present until keyboard
 * and mouse have been untouched this long; any input pauses at the next sample.
 */
export const USER_AWAY_SEC = 60

/** Default disk quota: 10 GiB, or less on a nearly full disk (see DEFAULT_QUOTA_FREE_SHARE). */
export const DEFAULT_QUOTA_BYTES = 10 * 2 ** 30

/** The default quota never exceeds this share of the free disk at the node's first start. */
export const DEFAULT_QUOTA_FREE_SHARE = 0.2

/** Free disk and store usage are re-measured this often; the store's own size may be cached longer. */
export const DISK_REFRESH_MS = 5_000

/** Disk figures that moved less than this since the last report are not worth a status push. */
export const DISK_REPORT_STEP_BYTES = 2 ** 20
