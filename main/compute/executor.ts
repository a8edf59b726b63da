/**
 * The executor every node runs: it takes jobs, from VO members or its own coordinator, up to the
 * cores its user offers right now, runs them in the sandbox, passes on their progress and
 * checkpoints, and records the CPU each run cost its member. When the offer shrinks — above all
 * when "only when idle" sees the machine in use — it stops the newest runs; each hands in a last
 * checkpoint on the way out, so its submitter resumes it elsewhere or later.
 */
import { GridNodeError, toGridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { Accounting } from './accounting.ts'
import type { CheckpointPolicy } from './checkpoint-interval.ts'
import { OFFER_TIMEOUT_MS, runSlots } from './constants.ts'
import type { Sandbox } from './sandbox/index.ts'
import { FINAL_JOB_ERRORS, type FinalJobError, type StopReason } from './wire.ts'

export interface RunOrder {
  /** The member the CPU is spent for: the submitter. */
  member: string
  job: string
  run: string
  module: Uint8Array
  entry: string
  input: Uint8Array
  maxSeconds: number
  memoryBytes: number
  policy: CheckpointPolicy
  resumeFrom?: Uint8Array
}

export interface RunHooks {
  progress(fraction: number): void
  /** `intervalMs`: time since the previous checkpoint (or the run's start). */
  checkpoint(state: Uint8Array, seq: number, intervalMs: number): void
}

export type RunOutcome =
  | { type: 'result'; output: Uint8Array; cpuMs: number; wallMs: number }
  | { type: 'failed'; code: FinalJobError; message: string }
  /** `cancelled`: by the submitter. */
  | { type: 'stopped'; reason: StopReason | 'cancelled' }

/** A core held for a job whose bytes are on their way. */
export interface Reservation {
  /** Runs the job on the held core; `signal` is the submitter cancelling. */
  run(order: RunOrder, hooks: RunHooks, signal: AbortSignal): Promise<RunOutcome>
  /** Gives the core back unused. Idempotent; running releases it too. */
  release(): void
}

export interface ExecutorComponents {
  sandbox: Sandbox
  /** Whole cores jobs may use now: 0 while paused for the user, or offering nothing. */
  offeredCores(): number
  /** Called whenever the offer may have changed. Returns the unsubscribe function. */
  onOfferChange(listener: () => void): () => void
  accounting: Accounting
  logger: Logger
}

export interface Executor {
  start(): void
  /** Stops every run (they go elsewhere) and refuses new ones. */
  stop(): Promise<void>
  /** A core for one more job, or null when every offered core is taken (BUSY). */
  reserve(): Reservation | null
  /** Cores offered now. */
  capacity(): number
  /** Runs on a core now (not those queued behind them). */
  running(): number
  /** Called when a run starts or ends. */
  onChange(listener: () => void): () => void
}

const isFinal = (code: string): code is FinalJobError => (FINAL_JOB_ERRORS as readonly string[]).includes(code)

interface Active {
  controller: AbortController
  /** On a core now, not waiting in the sandbox's queue. */
  started: boolean
  /** Why this node stopped it, if it did. */
  stoppedFor: StopReason | null
}

export function createExecutor({ sandbox, offeredCores, onOfferChange, accounting, logger }: ExecutorComponents): Executor {
  /** In start order, so the newest are stopped first. */
  const active: Active[] = []
  let reserved = 0
  let stopped = true
  let unsubscribe: (() => void) | undefined
  const listeners = new Set<() => void>()
  const changed = (): void => listeners.forEach((listener) => listener())

  const stopNewest = (count: number, reason: StopReason): void => {
    for (const run of active.filter((a) => a.stoppedFor === null).slice(-count)) {
      run.stoppedFor = reason
      run.controller.abort()
    }
  }

  /** The offer shrank below what runs: the newest runs leave (with their last checkpoint). */
  const fitOffer = (): void => {
    const cores = offeredCores()
    sandbox.resize(Math.max(1, cores))
    const excess = active.filter((a) => a.stoppedFor === null).length - runSlots(cores)
    if (excess > 0) {
      logger.info({ cores, stopping: excess }, 'the offer shrank: stopping runs so they resume elsewhere')
      stopNewest(excess, 'paused')
    }
  }

  const execute = async (order: RunOrder, hooks: RunHooks, signal: AbortSignal): Promise<RunOutcome> => {
    const entry: Active = { controller: new AbortController(), started: false, stoppedFor: null }
    const cancel = (): void => entry.controller.abort()
    signal.addEventListener('abort', cancel, { once: true })
    active.push(entry)
    changed()
    let startedAt = performance.now()
    let lastCheckpointAt = startedAt
    let seq = 0
    let outcome: RunOutcome
    try {
      if (signal.aborted) throw new GridNodeError('JOB_CANCELLED', 'The submitter cancelled the run before it started.')
      const result = await sandbox.run({
        module: order.module,
        entry: order.entry,
        input: order.input,
        maxSeconds: order.maxSeconds,
        memoryBytes: order.memoryBytes,
        checkpointPolicy: order.policy,
        ...(order.resumeFrom === undefined ? {} : { resumeFrom: order.resumeFrom }),
        onCheckpoint: (state) => {
          const now = performance.now()
          hooks.checkpoint(state, ++seq, now - lastCheckpointAt)
          lastCheckpointAt = now
        },
        onProgress: (fraction) => hooks.progress(fraction),
        onStart: () => {
          entry.started = true
          startedAt = lastCheckpointAt = performance.now()
          changed()
        },
        signal: entry.controller.signal,
      })
      outcome = { type: 'result', output: result.output, cpuMs: result.cpuMs, wallMs: result.wallMs }
    } catch (err) {
      const error = toGridNodeError(err)
      if (error.code === 'JOB_CANCELLED') outcome = { type: 'stopped', reason: entry.stoppedFor ?? 'cancelled' }
      else if (isFinal(error.code)) outcome = { type: 'failed', code: error.code, message: error.message }
      else {
        logger.warn({ job: order.job, run: order.run, err: error.message }, 'run failed in the sandbox')
        outcome = { type: 'stopped', reason: 'error' }
      }
    } finally {
      signal.removeEventListener('abort', cancel)
      active.splice(active.indexOf(entry), 1)
      changed()
    }
    // The worker was busy for the whole run; without a result, its wall time is what it cost (none if it never left the queue).
    const cpuMs = outcome.type === 'result' ? outcome.cpuMs : entry.started ? performance.now() - startedAt : 0
    void accounting
      .recordCpu({ member: order.member, job: order.job, run: order.run, cpuMs, outcome: outcome.type === 'result' ? 'done' : outcome.type })
      .catch(() => undefined)
    return outcome
  }

  return {
    start() {
      if (!stopped) return
      stopped = false
      unsubscribe = onOfferChange(fitOffer)
      sandbox.resize(Math.max(1, offeredCores()))
    },
    async stop() {
      stopped = true
      unsubscribe?.()
      stopNewest(active.length, 'shutdown')
      await sandbox.stop()
    },
    reserve() {
      if (stopped || active.length + reserved >= runSlots(offeredCores())) return null
      reserved++
      let held = true
      const release = (): void => {
        if (!held) return
        held = false
        clearTimeout(expiry)
        reserved--
      }
      // A submitter that never sends the bytes does not hold the core for ever.
      const expiry = setTimeout(release, OFFER_TIMEOUT_MS)
      expiry.unref()
      return {
        run(order, hooks, signal) {
          if (!held) return Promise.resolve({ type: 'stopped', reason: 'error' })
          release()
          return execute(order, hooks, signal)
        },
        release,
      }
    },
    capacity: offeredCores,
    running: () => active.filter((entry) => entry.started).length,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
