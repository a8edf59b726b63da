/**
 * The compute sandbox (issue 5): runs untrusted WebAssembly jobs in a pool of warm worker threads.
 * A job gets a host-made memory capped at its limit and no imports beyond the ABI's (no file
 * system, network or WASI); a job over its wall time is stopped by terminating its worker, which
 * is replaced at once. Step-driven modules are checkpointed at the seed's adaptive interval and
 * can resume from a checkpoint. The ABI modules follow is in docs/jobs.md.
 */
import type { CheckpointPolicy } from '../checkpoint-interval.ts'
import type { ModuleInfo } from './inspect.ts'
import { WorkerSandbox } from './sandbox.ts'

export type { ModuleInfo } from './inspect.ts'
export type { CheckpointPolicy } from '../checkpoint-interval.ts'

export interface SandboxJob {
  /** The module's bytes. */
  module: Uint8Array
  /** The exported entry function (one of ModuleInfo.entries). */
  entry: string
  input: Uint8Array
  /** Wall-time limit: the job is stopped (JOB_TIMEOUT) this long after it starts running. */
  maxSeconds: number
  /** Linear-memory limit; rounded down to whole 64 KiB pages. */
  memoryBytes: number
  /** A checkpoint (from onCheckpoint) to restore before continuing; step-driven entries only. */
  resumeFrom?: Uint8Array
  /** W and the first interval; DEFAULT_CHECKPOINT_POLICY when absent. */
  checkpointPolicy?: CheckpointPolicy
  /** Receives each checkpoint of a step-driven job; without it no checkpoints are taken. */
  onCheckpoint?: (state: Uint8Array) => void
  /** Receives the fraction done, when the module reports progress (at most every 100 ms). */
  onProgress?: (fraction: number) => void
  /** Called when a worker takes the job from the queue: its wall time starts now. */
  onStart?: () => void
  /**
   * Cancels the job (JOB_CANCELLED), queued or running. A running step-driven job with
   * onCheckpoint first hands in a checkpoint of where it stopped, so aborting doubles as pause:
   * run it again later with that checkpoint as resumeFrom.
   */
  signal?: AbortSignal
}

export interface SandboxResult {
  output: Uint8Array
  /** CPU time of the worker thread while it ran the job. */
  cpuMs: number
  /** From the job's start on a worker to its result, in this thread. */
  wallMs: number
  /** Checkpoints handed to onCheckpoint. */
  checkpoints: number
}

/** A pool of warm worker threads running jobs, one job per worker at a time. */
export interface Sandbox {
  /** Judges a module without running it; throws GridNodeError INVALID_MODULE with the reason. */
  validate(module: Uint8Array): ModuleInfo
  /**
   * Runs a job when a worker is free (jobs queue meanwhile). Rejects with GridNodeError
   * JOB_TIMEOUT, JOB_MEMORY, JOB_TRAPPED, JOB_CANCELLED or INVALID_MODULE (INVALID_INPUT for
   * malformed limits).
   */
  run(job: SandboxJob): Promise<SandboxResult>
  /** Changes the number of workers: new ones start now, surplus ones end when their job does. */
  resize(workers: number): void
  /** Cancels queued and running jobs and ends every worker. Idempotent. */
  stop(): Promise<void>
}

export interface SandboxInit {
  /** Worker threads, e.g. the cores the user offers. */
  workers: number
}

export function createSandbox(init: SandboxInit): Sandbox {
  return new WorkerSandbox(init)
}
