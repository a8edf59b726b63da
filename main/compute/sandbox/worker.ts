/**
 * The program each warm sandbox worker runs: it takes one job at a time, instantiates the module
 * with a host-made memory capped at the job's limit, feeds it its input, runs its entry (one call,
 * or init and steps with checkpoints at the adaptive interval) and posts back the output or why
 * it failed. Loops and runaway jobs are not its business: the host terminates the whole worker.
 *
 * It reaches the worker as source text (WORKER_SOURCE, run with `eval: true`) rather than as a
 * file: the same text runs under Node's type stripping and inside the Electron main bundle, which
 * has no worker file beside it. So workerProgram and the functions listed with it must stay
 * self-contained: they may use globals and each other, nothing else of their modules.
 */
import {
  afterCheckpoint,
  currentInterval,
  nextCheckpointInterval,
  startIntervals,
  type CheckpointBounds,
  type CheckpointPolicy,
} from '../checkpoint-interval.ts'
import type { AbiNames } from './abi.ts'
import type { EntryMode } from './inspect.ts'

/** Fixed for the worker's life (workerData). */
export interface WorkerConfig {
  abi: AbiNames
  bounds: CheckpointBounds
  pageBytes: number
  progressIntervalMs: number
  /** Int32Array[0] = 1 asks a step-driven job to checkpoint and stop after its current step. */
  control: SharedArrayBuffer
}

export interface WorkerJob {
  module: WebAssembly.Module
  entry: string
  mode: EntryMode
  input: Uint8Array
  memory: { initial: number; maximum: number }
  resumeFrom?: Uint8Array
  /** Present when the host wants checkpoints. */
  checkpoints?: CheckpointPolicy
}

export type WorkerFailureCode = 'INVALID_MODULE' | 'JOB_TRAPPED' | 'JOB_MEMORY' | 'JOB_CANCELLED'

export type WorkerReport =
  | { kind: 'ready' }
  | { kind: 'progress'; fraction: number }
  | { kind: 'checkpoint'; state: Uint8Array }
  | { kind: 'done'; output: Uint8Array; cpuMs: number }
  | { kind: 'failed'; code: WorkerFailureCode; message: string }

type WasmFunction = (...args: number[]) => unknown

function workerProgram(): void {
  const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
  const config = workerData as WorkerConfig
  const { abi, bounds, pageBytes } = config
  const control = new Int32Array(config.control)
  if (parentPort === null) return
  const port = parentPort

  class JobFailure extends Error {
    readonly code: WorkerFailureCode
    constructor(code: WorkerFailureCode, message: string) {
      super(message)
      this.code = code
    }
  }

  const post = (report: WorkerReport, transfer: ArrayBuffer[] = []): void => port.postMessage(report, transfer)
  /** The current job's memory as the host left it (declared pages, input, state): growth beyond is the job's. */
  let hostBytes = 0

  /** Appends pages at the top of memory and writes the bytes there, so they clash with no data segment. */
  function place(memory: WebAssembly.Memory, bytes: Uint8Array, what: string): [number, number] {
    const pointer = memory.buffer.byteLength
    try {
      memory.grow(Math.ceil(bytes.length / pageBytes))
    } catch {
      throw new JobFailure('JOB_MEMORY', `The job's ${what} (${bytes.length} bytes) does not fit in its memory limit.`)
    }
    new Uint8Array(memory.buffer, pointer, bytes.length).set(bytes)
    hostBytes = memory.buffer.byteLength
    return [pointer, bytes.length]
  }

  function copyOut(memory: WebAssembly.Memory, pair: unknown, what: string): Uint8Array {
    const [pointer, length] = (pair as [number, number]).map((value) => value >>> 0) as [number, number]
    if (pointer + length > memory.buffer.byteLength) throw new JobFailure('JOB_TRAPPED', `The module returned its ${what} outside its memory.`)
    return new Uint8Array(memory.buffer, pointer, length).slice()
  }

  function progressReporter(): (fraction: number) => void {
    let last = -Infinity
    return (fraction) => {
      if (!(fraction >= 0)) return
      const value = Math.min(1, fraction)
      const now = performance.now()
      if (value < 1 && now - last < config.progressIntervalMs) return
      last = now
      post({ kind: 'progress', fraction: value })
    }
  }

  function execute(job: WorkerJob, memory: WebAssembly.Memory): Uint8Array {
    const outOfMemory = (): never => {
      throw new JobFailure('JOB_MEMORY', `The job ran out of memory at ${memory.buffer.byteLength} bytes (its limit is ${job.memory.maximum * pageBytes}).`)
    }
    const imports = { [abi.namespace]: { [abi.memory]: memory, [abi.progress]: progressReporter(), [abi.outOfMemory]: outOfMemory } }
    const exports = new WebAssembly.Instance(job.module, imports).exports
    const exported = (name: string): WasmFunction => {
      const value = exports[name]
      if (typeof value !== 'function') throw new JobFailure('INVALID_MODULE', `The module exports no function ${name}.`)
      return value as WasmFunction
    }
    const entry = exported(job.entry)
    const input = place(memory, job.input, 'input')
    if (job.mode === 'call') return copyOut(memory, entry(...input), 'output')

    entry(...input)
    if (job.resumeFrom !== undefined) exported(abi.restore)(...place(memory, job.resumeFrom, 'checkpoint'))
    const step = exported(abi.step)
    const checkpoint = exported(abi.checkpoint)
    const policy = job.checkpoints
    const take = (): number => {
      const started = performance.now()
      const state = copyOut(memory, checkpoint(), 'checkpoint')
      post({ kind: 'checkpoint', state }, [state.buffer as ArrayBuffer])
      return performance.now() - started
    }
    let history = policy === undefined ? undefined : startIntervals(policy, bounds)
    const nextDue = (): number => (policy === undefined || history === undefined ? Infinity : performance.now() + currentInterval(history, policy, bounds))
    let due = nextDue()
    for (;;) {
      if (Atomics.load(control, 0) !== 0) {
        // A pause loses no work: the last checkpoint is taken right here.
        if (policy !== undefined) take()
        throw new JobFailure('JOB_CANCELLED', 'The job was cancelled.')
      }
      if (step() !== 0) break
      if (performance.now() >= due && policy !== undefined && history !== undefined) {
        history = afterCheckpoint(history, take(), policy, bounds)
        due = nextDue()
      }
    }
    return copyOut(memory, exported(abi.output)(), 'output')
  }

  function failure(err: unknown, memory: WebAssembly.Memory | undefined, maximumPages: number): WorkerReport {
    if (err instanceof JobFailure) return { kind: 'failed', code: err.code, message: err.message }
    const reason = err instanceof Error ? err.message : String(err)
    if (err instanceof WebAssembly.LinkError) return { kind: 'failed', code: 'INVALID_MODULE', message: `The module cannot be linked: ${reason}` }
    // Modules that do not call out_of_memory trap when an allocation fails. A failed grow is
    // invisible here, so a trap after the job grew its memory past half its limit (where a
    // doubling allocator fails) is taken for one.
    const used = memory?.buffer.byteLength ?? 0
    if (err instanceof WebAssembly.RuntimeError && used > hostBytes && used * 2 > maximumPages * pageBytes) {
      return { kind: 'failed', code: 'JOB_MEMORY', message: `The job stopped (${reason}) with ${used} of its ${maximumPages * pageBytes} bytes of memory in use.` }
    }
    return { kind: 'failed', code: 'JOB_TRAPPED', message: `The job failed: ${reason}` }
  }

  port.on('message', (job: WorkerJob) => {
    const cpuStart = process.threadCpuUsage()
    let memory: WebAssembly.Memory | undefined
    try {
      memory = new WebAssembly.Memory(job.memory)
      hostBytes = memory.buffer.byteLength
      const output = execute(job, memory)
      const cpu = process.threadCpuUsage(cpuStart)
      post({ kind: 'done', output, cpuMs: (cpu.user + cpu.system) / 1000 }, [output.buffer as ArrayBuffer])
    } catch (err) {
      post(failure(err, memory, job.memory.maximum))
    }
  })
  post({ kind: 'ready' })
}

/** The worker's source: the interval functions it uses, then the program, run at once. */
export const WORKER_SOURCE = [nextCheckpointInterval, startIntervals, currentInterval, afterCheckpoint]
  .map(String)
  .concat(`(${String(workerProgram)})()`)
  .join('\n')
