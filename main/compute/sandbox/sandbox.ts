/**
 * The worker pool behind createSandbox: warm workers run one job each; a job past its wall time,
 * cancelled mid-call or whose worker crashed is ended by terminating that worker, and a fresh one
 * takes its place at once so the pool stays warm.
 */
import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { GridNodeError } from '../../../shared/errors.ts'
import { ABI } from './abi.ts'
import {
  CANCEL_GRACE_MS,
  CHECKPOINT_BOUNDS,
  DEFAULT_CHECKPOINT_POLICY,
  MODULE_CACHE_SIZE,
  PROGRESS_INTERVAL_MS,
  WASM_PAGE_BYTES,
  WORKER_RESOURCE_LIMITS,
} from './constants.ts'
import type { Sandbox, SandboxInit, SandboxJob, SandboxResult } from './index.ts'
import { inspectModule, type InspectedModule, type ModuleInfo } from './inspect.ts'
import { WORKER_SOURCE, type WorkerConfig, type WorkerJob, type WorkerReport } from './worker.ts'

/** 32-bit memories hold at most 65,536 pages (4 GiB). */
const MAX_PAGES = 65_536

interface Slot {
  worker: Worker
  control: Int32Array
  /** The worker program is listening; a worker that dies before that is not replaced. */
  ready: boolean
  /** Set once the slot is being ended: its exit is expected. */
  ending: boolean
  running?: Pending
}

interface Pending {
  job: SandboxJob
  work: WorkerJob
  resolve: (result: SandboxResult) => void
  reject: (error: Error) => void
  /** Removes the abort listener. */
  detach: () => void
  startedAt: number
  checkpoints: number
  timers: NodeJS.Timeout[]
}

const cancelled = (reason: string): GridNodeError => new GridNodeError('JOB_CANCELLED', reason)

export class WorkerSandbox implements Sandbox {
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private readonly exiting = new Set<Promise<unknown>>()
  private readonly modules = new Map<string, InspectedModule>()
  private target: number
  private stopping: Promise<void> | undefined

  constructor(init: SandboxInit) {
    this.target = workerCount(init.workers)
    this.fill()
  }

  validate(module: Uint8Array): ModuleInfo {
    return this.inspect(module).info
  }

  run(job: SandboxJob): Promise<SandboxResult> {
    let work: WorkerJob
    try {
      if (this.stopping !== undefined) throw cancelled('The sandbox has stopped.')
      work = this.prepare(job)
    } catch (err) {
      return Promise.reject(err as Error)
    }
    return new Promise((resolve, reject) => {
      if (job.signal?.aborted === true) return reject(cancelled('The job was cancelled before it started.'))
      const pending: Pending = { job, work, resolve, reject, detach: () => {}, startedAt: 0, checkpoints: 0, timers: [] }
      const onAbort = (): void => this.abort(pending)
      job.signal?.addEventListener('abort', onAbort, { once: true })
      pending.detach = () => job.signal?.removeEventListener('abort', onAbort)
      this.queue.push(pending)
      this.dispatch()
    })
  }

  resize(workers: number): void {
    if (this.stopping !== undefined) return
    this.target = workerCount(workers)
    this.fill()
    for (const slot of this.slots.filter((candidate) => candidate.running === undefined)) {
      if (this.slots.length <= this.target) break
      this.retire(slot)
    }
    this.dispatch()
  }

  stop(): Promise<void> {
    if (this.stopping === undefined) {
      this.target = 0
      for (const pending of this.queue.splice(0)) {
        pending.detach()
        pending.reject(cancelled('The sandbox stopped before the job started.'))
      }
      for (const slot of [...this.slots]) {
        if (slot.running !== undefined) this.kill(slot, cancelled('The sandbox stopped while the job ran.'))
        else this.retire(slot)
      }
      this.stopping = Promise.all(this.exiting).then(() => undefined)
    }
    return this.stopping
  }

  private inspect(module: Uint8Array): InspectedModule {
    const key = createHash('sha256').update(module).digest('hex')
    const cached = this.modules.get(key)
    if (cached !== undefined) {
      // Most recently used last, so the first key is the one to evict.
      this.modules.delete(key)
      this.modules.set(key, cached)
      return cached
    }
    const inspected = inspectModule(module)
    this.modules.set(key, inspected)
    if (this.modules.size > MODULE_CACHE_SIZE) this.modules.delete(this.modules.keys().next().value as string)
    return inspected
  }

  /** Checks the job against its module and limits, and makes the worker's message. */
  private prepare(job: SandboxJob): WorkerJob {
    if (!(job.maxSeconds > 0) || !Number.isFinite(job.maxSeconds)) throw new GridNodeError('INVALID_INPUT', 'A job needs a positive time limit.')
    if (!(job.memoryBytes >= 0) || !Number.isFinite(job.memoryBytes)) throw new GridNodeError('INVALID_INPUT', 'A job needs a memory limit.')
    const policy = job.checkpointPolicy ?? DEFAULT_CHECKPOINT_POLICY
    if (!(policy.weight >= 0 && policy.weight <= 1) || !(policy.initialMs > 0)) {
      throw new GridNodeError('INVALID_INPUT', 'A checkpoint policy needs a weight W between 0 and 1 and a positive first interval.')
    }
    const { info, compiled, modes } = this.inspect(job.module)
    const mode = modes.get(job.entry)
    if (mode === undefined) {
      throw new GridNodeError('INVALID_MODULE', `The module has no entry ${JSON.stringify(job.entry)}; its entries are: ${info.entries.join(', ')}.`)
    }
    if (job.resumeFrom !== undefined && mode !== 'steps') {
      throw new GridNodeError('INVALID_MODULE', `The entry ${job.entry} is not step-driven, so it cannot resume from a checkpoint.`)
    }
    const limitPages = Math.min(MAX_PAGES, Math.floor(job.memoryBytes / WASM_PAGE_BYTES))
    const maximum = Math.min(limitPages, info.memoryPages.maximum ?? limitPages)
    if (info.memoryPages.initial > maximum) {
      throw new GridNodeError('JOB_MEMORY', `The module needs ${info.memoryPages.initial * WASM_PAGE_BYTES} bytes of memory; the job allows ${maximum * WASM_PAGE_BYTES}.`)
    }
    return {
      module: compiled,
      entry: job.entry,
      mode,
      input: job.input,
      memory: { initial: info.memoryPages.initial, maximum },
      ...(job.resumeFrom !== undefined ? { resumeFrom: job.resumeFrom } : {}),
      ...(job.onCheckpoint !== undefined ? { checkpoints: policy } : {}),
    }
  }

  private dispatch(): void {
    for (;;) {
      const slot = this.slots.find((candidate) => candidate.running === undefined)
      if (slot === undefined || this.queue.length === 0) return
      this.start(slot, this.queue.shift() as Pending)
    }
  }

  private start(slot: Slot, pending: Pending): void {
    Atomics.store(slot.control, 0, 0)
    slot.running = pending
    pending.startedAt = performance.now()
    const limitMs = pending.job.maxSeconds * 1000
    pending.timers.push(setTimeout(() => this.kill(slot, new GridNodeError('JOB_TIMEOUT', `The job ran past its limit of ${pending.job.maxSeconds} s.`)), limitMs))
    slot.worker.postMessage(pending.work)
    pending.job.onStart?.()
  }

  private abort(pending: Pending): void {
    const queued = this.queue.indexOf(pending)
    if (queued >= 0) {
      this.queue.splice(queued, 1)
      pending.detach()
      pending.reject(cancelled('The job was cancelled before it started.'))
      return
    }
    const slot = this.slots.find((candidate) => candidate.running === pending)
    if (slot === undefined) return
    const error = cancelled('The job was cancelled.')
    if (pending.work.mode === 'call') return this.kill(slot, error)
    // A step-driven job stops after its step (with a last checkpoint); a long step is cut short.
    Atomics.store(slot.control, 0, 1)
    pending.timers.push(setTimeout(() => this.kill(slot, error), CANCEL_GRACE_MS))
  }

  private onReport(slot: Slot, report: WorkerReport): void {
    if (report.kind === 'ready') {
      slot.ready = true
      return
    }
    const pending = slot.running
    if (pending === undefined) return
    switch (report.kind) {
      case 'progress':
        return this.callBack(slot, () => pending.job.onProgress?.(report.fraction))
      case 'checkpoint':
        pending.checkpoints++
        return this.callBack(slot, () => pending.job.onCheckpoint?.(report.state))
      case 'done': {
        const result = { output: report.output, cpuMs: report.cpuMs, wallMs: performance.now() - pending.startedAt, checkpoints: pending.checkpoints }
        this.release(slot)
        return pending.resolve(result)
      }
      case 'failed':
        this.release(slot)
        return pending.reject(new GridNodeError(report.code, report.message))
    }
  }

  /** Calls the caller's callback; if it throws, the job ends with that error rather than lose it. */
  private callBack(slot: Slot, callback: () => void): void {
    try {
      callback()
    } catch (err) {
      this.kill(slot, err as Error)
    }
  }

  /** The slot's job is over and the worker is fine: it takes the next job, or ends if surplus. */
  private release(slot: Slot): void {
    this.finish(slot)
    if (this.slots.length > this.target) this.retire(slot)
    this.dispatch()
  }

  /** Ends the slot's job by terminating its worker; the job fails with `error` once it has stopped. */
  private kill(slot: Slot, error: Error): void {
    const pending = this.finish(slot)
    const exited = this.retire(slot)
    this.fill()
    if (pending !== undefined) void exited.then(() => pending.reject(error))
    this.dispatch()
  }

  private finish(slot: Slot): Pending | undefined {
    const pending = slot.running
    if (pending === undefined) return undefined
    slot.running = undefined
    for (const timer of pending.timers) clearTimeout(timer)
    pending.detach()
    return pending
  }

  private retire(slot: Slot): Promise<unknown> {
    slot.ending = true
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    const exited = slot.worker.terminate()
    this.exiting.add(exited)
    void exited.finally(() => this.exiting.delete(exited))
    return exited
  }

  private crashed(slot: Slot, err: Error & { code?: string }): void {
    if (slot.ending) return
    const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY'
    const error = new GridNodeError(outOfMemory ? 'JOB_MEMORY' : 'JOB_TRAPPED', `The job's worker ended: ${err.message}`, { cause: err })
    if (slot.ready) return this.kill(slot, error)
    // A worker that cannot even start would be replaced forever: fail what waits for it instead.
    const startFailed = new GridNodeError('INTERNAL', `The sandbox could not start a worker thread: ${err.message}`, { cause: err })
    const pending = this.finish(slot)
    this.retire(slot)
    for (const waiting of [...(pending === undefined ? [] : [pending]), ...this.queue.splice(0)]) {
      waiting.detach()
      waiting.reject(startFailed)
    }
  }

  private fill(): void {
    while (this.slots.length < this.target) this.slots.push(this.spawn())
  }

  private spawn(): Slot {
    const control = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
    const config: WorkerConfig = { abi: ABI, bounds: CHECKPOINT_BOUNDS, pageBytes: WASM_PAGE_BYTES, progressIntervalMs: PROGRESS_INTERVAL_MS, control }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: config, resourceLimits: WORKER_RESOURCE_LIMITS })
    const slot: Slot = { worker, control: new Int32Array(control), ready: false, ending: false }
    // Idle workers must not keep the process alive; a running job's timer does.
    worker.unref()
    worker.on('message', (report: WorkerReport) => this.onReport(slot, report))
    worker.on('error', (err) => this.crashed(slot, err))
    worker.on('exit', (code) => this.crashed(slot, new Error(`exit code ${code}`)))
    return slot
  }
}

function workerCount(workers: number): number {
  if (!Number.isInteger(workers) || workers < 0) throw new GridNodeError('INVALID_INPUT', 'The sandbox needs a whole number of workers.')
  return workers
}
