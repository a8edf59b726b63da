/**
 * Constants of the scalability estimator, with their source. "Paper" is Carvalho & Pereira,
 * "Measuring Software Systems Scalability for Proactive Data Center Management" (OTM/DOA 2010),
 * as summarised in issue 6.
 */

/** Paper: CPU load is sampled every second, so a contention window is judged per 1 s interval. */
export const WINDOW_MS = 1000

/**
 * Paper: only windows where requests queue for the sequential resource throughout (Us = 1) count.
 * A window counts as saturated when the resource was busy for at least this fraction of it, with
 * requests queued at some point. Reading Us as 1 when it is s biases p by −(1 − s)(1 − p), so 0.99
 * keeps that under 0.01.
 */
export const SATURATED_FRACTION = 0.99

/**
 * Beyond the paper: a window's parallel resources contend when the holder of the sequential
 * resource spent more than this share of its hold waiting for a parallel resource (run queue).
 * The paper's formula then reads the stretched hold as sequential work and underestimates p by
 * about this share of (1 − p); 2% keeps that bias under the 0.02 goal of issue 6.
 */
export const PARALLEL_CONTENTION_STALL_SHARE = 0.02

/** Beyond the paper: parallel resources this busy (U) contend even if no stall is reported. */
export const PARALLEL_CONTENTION_UTILISATION = 0.95

/** A window with fewer acquisitions than this says too little about the mix of work (noise). */
export const MIN_ACQUISITIONS_PER_WINDOW = 10

/** Per-window estimates kept per method: the last 5 minutes of 1 s windows (bounded memory). */
export const ESTIMATE_HISTORY = 300

/**
 * The paper-method estimate is recommended while at least this share of the contention windows
 * are clean (sequential resource saturated, parallel resources not contending); otherwise the
 * contention-corrected estimate is.
 */
export const PAPER_RECOMMENDED_CLEAN_SHARE = 0.5

/** Issue 6: the Amdahl curve is reported for N = 1…16. */
export const SPEEDUP_CURVE_MAX_N = 16

/** Contention windows kept by an instrumented lock for inspection (ring buffer). */
export const CONTENTION_LOG_CAPACITY = 1024
