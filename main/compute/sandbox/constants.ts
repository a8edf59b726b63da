/**
 * Constants of the compute sandbox, with their source. "Issue" is issue 5 (sandboxed WebAssembly
 * jobs); "seed" is the Grid OS design it follows.
 */
import type { CheckpointBounds, CheckpointPolicy } from '../checkpoint-interval.ts'

/** WebAssembly's page size (the spec's fixed 64 KiB). */
export const WASM_PAGE_BYTES = 65_536

/**
 * Seed: W and the first interval come from the VO's policy; this is the policy of a job that
 * brings none. W = 0.5 weighs the last two checkpoints equally; 2 s loses little work to a crash.
 */
export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { weight: 0.5, initialMs: 2_000 }

/**
 * Bounds of the adaptive interval: checkpoints no more than 10 per second (each is shipped off the
 * node), at least every 10 minutes, and costing at most 2% of the run time.
 */
export const CHECKPOINT_BOUNDS: CheckpointBounds = { minMs: 100, maxMs: 600_000, overheadShare: 0.02 }

/** Progress reports are forwarded at most this often, however often a module reports. */
export const PROGRESS_INTERVAL_MS = 100

/**
 * Issue: work pauses within 2 s. On abort a step-driven job finishes its step and hands in a last
 * checkpoint; one whose step runs longer than this is terminated instead.
 */
export const CANCEL_GRACE_MS = 1_000

/**
 * Tables a module defines must declare a maximum no larger than this: worker heap limits do not
 * cover table growth either, just as they do not cover linear memory.
 */
export const MAX_TABLE_ELEMENTS = 100_000

/**
 * V8 heap limits of a job's worker (its JavaScript side: messages, copies of input and output).
 * Linear memory is capped separately by the imported memory's maximum.
 */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 }

/** Compiled modules kept per sandbox, by content hash, so a repeated job is not validated again. */
export const MODULE_CACHE_SIZE = 32
