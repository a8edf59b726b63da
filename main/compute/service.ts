/**
 * Compute on a running node: drives the coordinator core with the clock, overlay discovery and
 * what executors report; sends runs to members over the job protocol or to this node's own
 * executor; keeps jobs and their bytes in the store so a restart resumes them; serves the job
 * protocol to the VO; and shows jobs and accounting to the API, with changes pushed as events.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Accounting as AccountingView, JobCounts, JobDetail, JobSummary } from '../../shared/api/compute-schemas.ts'
import { GridNodeError, isErrorCode } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import type { Store } from '../store/store.ts'
import type { VoMembership } from '../vo/membership.ts'
import { createAccounting, type Accounting } from './accounting.ts'
import { JOB_EVENT_COALESCE_MS } from './constants.ts'
import { createCoordinator, type Candidate, type CoordinatorInput, type CoordinatorOutput } from './coordinator.ts'
import { dispatchLocal, dispatchRemote, type RunHandle, type RunReport } from './dispatch.ts'
import { createExecutor, type Executor } from './executor.ts'
import { createJobStore, type BlobName, type StoredJob } from './job-store.ts'
import { DEFAULT_CHECKPOINT_POLICY } from './sandbox/constants.ts'
import type { Sandbox } from './sandbox/index.ts'
import { serveRuns } from './serve-runs.ts'
import { toDetail, toSummary } from './views.ts'

export interface JobRequest {
  module: Uint8Array
  entry: string
  input: Uint8Array
  replicas: number
  maxSeconds: number
  memoryBytes: number
  label?: string | undefined
}

export interface ComputeComponents {
  host: GridHost
  vo: VoMembership
  store: Store
  sandbox: Sandbox
  /** Overlay discovery of members offering at least `spec.cores`, best first. */
  discover(spec: { cores: number }, want: number): Promise<{ candidates: Array<{ peer: string; cores: number }> }>
  /** Whole cores this node offers jobs now (0 while paused); and a way to hear of changes. */
  offeredCores(): number
  onOfferChange(listener: () => void): () => void
  logger: Logger
}

export interface ComputeService {
  start(): Promise<void>
  stop(): Promise<void>
  /** Validates the module, keeps the job and queues it; resolves once it is stored. */
  submit(request: JobRequest): Promise<JobDetail>
  jobs(): JobSummary[]
  job(id: string): JobDetail
  cancel(id: string): JobDetail
  /** The verified output of a done job. */
  result(id: string): Promise<{ sha256: string; output: Uint8Array }>
  accounting(): Promise<AccountingView>
  counts(): JobCounts
  /** The audit log, for the mirror to record bytes stored per member. */
  readonly audit: Accounting
  /** Job changes, coalesced per job. */
  onJob(listener: (job: JobSummary) => void): () => void
  /** Called when `counts()` may have changed. */
  onCountsChange(listener: () => void): () => void
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

export function createComputeService(components: ComputeComponents): ComputeService {
  const { host, vo, store, sandbox, logger } = components
  const self = host.peerId.toString()
  const coordinator = createCoordinator()
  const jobStore = createJobStore({ store, logger })
  const audit = createAccounting({ store, logger })
  const executor: Executor = createExecutor({ sandbox, offeredCores: components.offeredCores, onOfferChange: components.onOfferChange, accounting: audit, logger })
  const meta = new Map<string, StoredJob['meta']>()
  /** Module and input of jobs whose first commit is still under way. */
  const unsaved = new Map<string, { module: Uint8Array; input: Uint8Array }>()
  const handles = new Map<string, RunHandle>()
  /**
   * Outputs being written, by job: a job is announced done as soon as its result is verified, and
   * a caller fetching the result right then (the demo does, within milliseconds) waits for the write.
   */
  const outputsSaving = new Map<string, Promise<void>>()
  const dirty = new Set<string>()
  const jobListeners = new Set<(job: JobSummary) => void>()
  const countListeners = new Set<() => void>()
  let flushTimer: NodeJS.Timeout | undefined
  let flushedAt = -Infinity
  let tickTimer: NodeJS.Timeout | undefined
  let running = false
  let reportedCounts = ''
  /** Inputs that arrive while the core handles one wait their turn, so effects never re-enter it. */
  const inbox: Array<{ input: CoordinatorInput; bytes?: Uint8Array }> = []
  let handling = false

  const stored = (id: string): StoredJob => {
    const job = coordinator.job(id)
    const info = meta.get(id)
    if (job === undefined || info === undefined) throw new GridNodeError('NOT_FOUND', `This node has no job ${id}.`)
    return { job, meta: info }
  }

  const countsNow = (): JobCounts => ({ ...coordinator.counts(), runningHere: executor.running() })
  const countsChanged = (): void => {
    const key = JSON.stringify(countsNow())
    if (key === reportedCounts) return
    reportedCounts = key
    countListeners.forEach((listener) => listener())
  }

  /** Set when a job ended: its end is announced at once, not coalesced with progress. */
  let flushNow = false

  /** Persists and announces the jobs changed since the last flush, in one commit. */
  const flush = async (): Promise<void> => {
    clearTimeout(flushTimer)
    flushTimer = undefined
    flushedAt = performance.now()
    const ids = [...dirty]
    dirty.clear()
    const changed = ids.filter((id) => !unsaved.has(id) && meta.has(id)).map(stored)
    await jobStore.save(changed).catch((err: unknown) => logger.error({ err }, 'job records not saved'))
    for (const job of changed) {
      const summary = toSummary(job)
      jobListeners.forEach((listener) => listener(summary))
    }
    countsChanged()
  }
  /** A change after a quiet spell goes out at once; a stream of them (progress) at most every JOB_EVENT_COALESCE_MS. */
  const markDirty = (id: string): void => {
    dirty.add(id)
    flushTimer ??= setTimeout(() => void flush(), Math.max(0, flushedAt + JOB_EVENT_COALESCE_MS - performance.now()))
  }

  const rearm = (): void => {
    clearTimeout(tickTimer)
    const at = coordinator.nextDeadline()
    if (!running || !Number.isFinite(at)) return
    tickTimer = setTimeout(() => feed({ type: 'tick', now: Date.now() }), Math.max(0, at - Date.now()))
    tickTimer.unref()
  }

  /** Feeds the core; `bytes` is the checkpoint or output the input carries, kept if the core says so. */
  function feed(input: CoordinatorInput, bytes?: Uint8Array): void {
    // Reports of runs that outlive a stop: the restart restores their jobs instead.
    if (!running) return
    inbox.push(bytes === undefined ? { input } : { input, bytes })
    if (handling) return
    handling = true
    try {
      for (let next = inbox.shift(); next !== undefined; next = inbox.shift()) {
        for (const output of coordinator.handle(next.input)) apply(output, next.bytes)
      }
    } finally {
      handling = false
    }
    if (flushNow) {
      flushNow = false
      void flush()
    }
    rearm()
  }

  const failRun = (run: string, error: unknown): void => {
    logger.error({ run, err: error }, 'run could not start')
    feed({ type: 'failed', now: Date.now(), run, error: { code: 'INTERNAL', message: `The job's bytes could not be read: ${(error as Error).message}` } })
  }

  function apply(output: CoordinatorOutput, bytes: Uint8Array | undefined): void {
    switch (output.type) {
      case 'discover':
        return discover(output.want)
      case 'dispatch':
        return startRun(output)
      case 'abort':
        handles.get(output.run)?.abort()
        handles.delete(output.run)
        return
      case 'keep-checkpoint':
        if (bytes !== undefined) void jobStore.putBlob(output.job, `checkpoint/${output.slot}`, bytes).catch((err: unknown) => logger.warn({ err }, 'checkpoint not kept'))
        return
      case 'keep-output': {
        if (bytes === undefined) return
        const info = meta.get(output.job)
        if (info !== undefined) info.outputBytes = bytes.byteLength
        const saving = jobStore.putBlob(output.job, `output/${output.hash}`, bytes).catch((err: unknown) => logger.error({ err }, 'output not kept'))
        outputsSaving.set(output.job, saving)
        void saving.finally(() => {
          if (outputsSaving.get(output.job) === saving) outputsSaving.delete(output.job)
        })
        return
      }
      case 'ended': {
        flushNow = true
        const result = coordinator.job(output.job)?.result
        const keep: BlobName[] = result === null || result === undefined ? [] : [`output/${result.hash}`]
        void jobStore.dropBlobs(output.job, keep).catch((err: unknown) => logger.warn({ err }, "an ended job's bytes were not dropped"))
        return
      }
      case 'changed':
        return markDirty(output.job)
    }
  }

  const discover = (want: number): void => {
    const here: Candidate[] = executor.capacity() > 0 ? [{ peer: self, cores: executor.capacity() }] : []
    const answer = (found: Candidate[]): void => {
      // This node last: work goes to the VO first, and this node takes what is left.
      const candidates = [...found.filter((c) => c.peer !== self), ...here]
      feed(candidates.length > 0 ? { type: 'candidates', now: Date.now(), candidates } : { type: 'discovery-failed', now: Date.now() })
    }
    if (vo.info() === null) return queueMicrotask(() => answer([]))
    components.discover({ cores: 1 }, want).then(
      (result) => answer(result.candidates.map((c) => ({ peer: c.peer, cores: c.cores }))),
      (err: unknown) => {
        logger.debug({ err: (err as Error).message }, 'discovery for jobs failed')
        answer([])
      },
    )
  }

  const reportTo = (run: string): RunReport => {
    const now = Date.now
    const ended = (): void => void handles.delete(run)
    return {
      accepted: () => feed({ type: 'accepted', now: now(), run }),
      refused: (reason) => {
        ended()
        feed({ type: 'refused', now: now(), run, reason })
      },
      progress: (fraction) => feed({ type: 'progress', now: now(), run, fraction }),
      checkpoint: (seq, intervalMs, state) => feed({ type: 'checkpoint', now: now(), run, seq, intervalMs }, state),
      result: (output, cpuMs, wallMs) => {
        ended()
        feed({ type: 'result', now: now(), run, hash: sha256(output), cpuMs, wallMs }, output)
      },
      failed: (error) => {
        ended()
        feed({ type: 'failed', now: now(), run, error })
      },
      lost: (cause, reason) => {
        ended()
        feed({ type: 'lost', now: now(), run, cause, reason })
      },
    }
  }

  const connect = (peer: string) => async (signal: AbortSignal): Promise<Connection> => {
    const id = peerIdFromString(peer)
    return host.getConnections(id)[0] ?? (await host.dial(id, { signal }))
  }

  const payloads = async (job: string, resumeSlot: number | null) => {
    const fresh = unsaved.get(job)
    const [module, input, resumeFrom] = await Promise.all([
      fresh?.module ?? jobStore.blob(job, 'module'),
      fresh?.input ?? jobStore.blob(job, 'input'),
      resumeSlot === null ? undefined : jobStore.blob(job, `checkpoint/${resumeSlot}`),
    ])
    if (module === undefined || input === undefined) throw new GridNodeError('NOT_FOUND', `The bytes of job ${job} are missing from the store.`)
    return { module, input, ...(resumeFrom === undefined ? {} : { resumeFrom }) }
  }

  /** Reads the job's bytes, then sends the run; an abort that comes first wins. */
  const startRun = (order: Extract<CoordinatorOutput, { type: 'dispatch' }>): void => {
    let aborted = false
    let live: RunHandle | undefined
    handles.set(order.run, {
      abort() {
        aborted = true
        live?.abort()
      },
    })
    const { job } = stored(order.job)
    const info = meta.get(order.job)!
    payloads(order.job, order.resume ? order.slot : null).then((bytes) => {
      if (aborted) return
      const report = reportTo(order.run)
      const limits = { entry: job.spec.entry, maxSeconds: job.spec.maxSeconds, memoryBytes: job.spec.memoryBytes, policy: info.policy }
      live =
        order.node === self
          ? dispatchLocal(executor, { member: self, job: order.job, run: order.run, ...bytes, ...limits }, report)
          : dispatchRemote(connect(order.node), { type: 'offer', job: order.job, run: order.run, ...limits, resume: bytes.resumeFrom !== undefined }, bytes, report)
    }, (err: unknown) => failRun(order.run, err))
  }

  const restore = async (): Promise<void> => {
    const loaded = await jobStore.load()
    for (const { job, meta: info } of loaded) meta.set(job.id, info)
    feed({ type: 'restore', now: Date.now(), jobs: loaded.map((entry) => entry.job) })
    logger.info({ jobs: loaded.length, open: coordinator.counts().queued }, 'jobs restored')
  }

  return {
    audit,
    async start() {
      if (running) return
      running = true
      await audit.start()
      executor.start()
      executor.onChange(countsChanged)
      // More cores offered here: jobs waiting for capacity look again at once.
      components.onOfferChange(() => feed({ type: 'wake', now: Date.now() }))
      await serveRuns({ host, vo, executor, logger })
      await restore()
    },
    async stop() {
      if (!running) return
      running = false
      clearTimeout(tickTimer)
      for (const handle of handles.values()) handle.abort()
      handles.clear()
      await executor.stop()
      await flush()
    },
    async submit(request) {
      const info = sandbox.validate(request.module)
      if (!info.entries.includes(request.entry)) {
        throw new GridNodeError('INVALID_MODULE', `The module exports no entry named "${request.entry}" (it has: ${info.entries.join(', ') || 'none'}).`)
      }
      const id = randomBytes(6).toString('hex')
      const jobMeta: StoredJob['meta'] = {
        label: request.label ?? null,
        moduleSha256: sha256(request.module),
        moduleBytes: request.module.byteLength,
        inputBytes: request.input.byteLength,
        outputBytes: null,
        policy: { ...DEFAULT_CHECKPOINT_POLICY },
      }
      meta.set(id, jobMeta)
      unsaved.set(id, { module: request.module, input: request.input })
      const spec = { entry: request.entry, replicas: request.replicas, maxSeconds: request.maxSeconds, memoryBytes: request.memoryBytes, checkpointable: info.checkpointable }
      feed({ type: 'submit', now: Date.now(), id, spec })
      try {
        await jobStore.create(stored(id), request.module, request.input)
      } catch (err) {
        feed({ type: 'cancel', now: Date.now(), job: id })
        throw err
      } finally {
        unsaved.delete(id)
      }
      // Changes made while the first commit was under way were not saved with it.
      markDirty(id)
      logger.info({ job: id, entry: request.entry, replicas: request.replicas, bytes: request.module.byteLength }, 'job submitted')
      return toDetail(stored(id))
    },
    jobs: () => coordinator.jobs().map((job) => toSummary(stored(job.id))),
    job: (id) => toDetail(stored(id)),
    cancel(id) {
      stored(id)
      feed({ type: 'cancel', now: Date.now(), job: id })
      return toDetail(stored(id))
    },
    async result(id) {
      const { job } = stored(id)
      if (job.result === null) {
        const error = job.error
        if (error !== null) throw new GridNodeError(isErrorCode(error.code) ? error.code : 'JOB_NOT_DONE', `Job ${id} ended without a result: ${error.message}`)
        throw new GridNodeError('JOB_NOT_DONE', `Job ${id} is ${job.state}; it has no result yet.`)
      }
      await outputsSaving.get(id)
      const output = await jobStore.blob(id, `output/${job.result.hash}`)
      if (output === undefined) throw new GridNodeError('NOT_FOUND', `The output of job ${id} is missing from the store.`)
      return { sha256: job.result.hash, output }
    },
    accounting: () => audit.usage(),
    counts: countsNow,
    onJob(listener) {
      jobListeners.add(listener)
      return () => jobListeners.delete(listener)
    },
    onCountsChange(listener) {
      countListeners.add(listener)
      return () => countListeners.delete(listener)
    },
  }
}
