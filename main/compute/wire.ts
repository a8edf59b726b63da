/**
 * The job protocol between a submitter and an executor: one stream per run, members only.
 *
 *   submitter → offer                      executor → accepted | busy
 *   submitter → module, input[, checkpoint] (payloads)
 *   executor  → progress* checkpoint(+payload)* … result(+payload) | failed | stopped
 *
 * The submitter keeps its end open while the run lasts: closing or resetting it cancels the run.
 * The executor reports at least every EXECUTOR_HEARTBEAT_MS (progress with a null fraction).
 */
import { z } from 'zod'
import { JOB_LIMITS } from '../../shared/api/compute-schemas.ts'

export const COMPUTE_PROTOCOL = '/gridnode/compute/job/1.0.0'

/** Concurrent runs on one connection, each way: far above any machine's cores. */
export const MAX_RUN_STREAMS = 256

const id = z.string().min(1).max(64)
/** Export names the sandbox would accept; longer ones are refused before any bytes travel. */
const EntrySchema = z.string().min(1).max(128)

export const OfferSchema = z
  .object({
    type: z.literal('offer'),
    job: id,
    run: id,
    entry: EntrySchema,
    maxSeconds: z.number().positive().max(JOB_LIMITS.maxSeconds),
    memoryBytes: z.number().int().min(JOB_LIMITS.minMemoryBytes).max(JOB_LIMITS.maxMemoryBytes),
    policy: z.object({ weight: z.number().min(0).max(1), initialMs: z.number().positive().max(3_600_000) }).strict(),
    /** A checkpoint payload follows the input. */
    resume: z.boolean(),
  })
  .strict()
export type Offer = z.infer<typeof OfferSchema>

export const OfferAnswerSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('accepted') }), z.object({ type: z.literal('busy') })])

/** Errors of the job itself: final, the submitter does not retry them elsewhere. */
export const FINAL_JOB_ERRORS = ['INVALID_MODULE', 'INVALID_INPUT', 'JOB_TIMEOUT', 'JOB_MEMORY', 'JOB_TRAPPED'] as const
export type FinalJobError = (typeof FINAL_JOB_ERRORS)[number]

/**
 * Why a run stopped without its job's fault: its node paused for its user (only when idle), is
 * shutting down, or failed in itself (a crashed worker): the run goes elsewhere.
 */
const StopReasonSchema = z.enum(['paused', 'shutdown', 'error'])
export type StopReason = z.infer<typeof StopReasonSchema>

const ms = z.number().nonnegative().max(1e12)

export const RunEventSchema = z.discriminatedUnion('type', [
  /** A heartbeat when `fraction` is null. */
  z.object({ type: z.literal('progress'), fraction: z.number().min(0).max(1).nullable() }),
  /** The checkpoint's bytes follow as a payload. */
  z.object({ type: z.literal('checkpoint'), seq: z.number().int().positive(), intervalMs: ms.nullable() }),
  /** The output follows as a payload. */
  z.object({ type: z.literal('result'), cpuMs: ms, wallMs: ms }),
  z.object({ type: z.literal('failed'), code: z.enum(FINAL_JOB_ERRORS), message: z.string().max(1024) }),
  z.object({ type: z.literal('stopped'), reason: StopReasonSchema }),
])
export type RunEvent = z.infer<typeof RunEventSchema>
