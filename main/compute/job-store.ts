/**
 * The submitter's jobs in the store, so a restart keeps them: one record per job (the
 * coordinator's state of it and what the API shows besides), and its bytes — module, input, each
 * replica's latest checkpoint, outputs — as base64 beside it. Records are parsed by a schema
 * when read back; one that does not parse is skipped and logged, never trusted.
 */
import { z } from 'zod'
import type { Logger } from '../log/logger.ts'
import type { Store } from '../store/store.ts'
import type { Job } from './coordinator.ts'

const time = z.number()
const error = z.object({ code: z.string(), message: z.string() }).nullable()

const RunRecordSchema = z.object({
  id: z.string(),
  slot: z.number().int().nonnegative(),
  node: z.string(),
  state: z.enum(['offered', 'running', 'done', 'failed', 'lost', 'cancelled']),
  offeredAt: time,
  startedAt: time.nullable(),
  endedAt: time.nullable(),
  heardAt: time,
  progress: z.number(),
  checkpoints: z.number().int().nonnegative(),
  intervalMs: z.number().nullable(),
  resumedFrom: z.number().int().nullable(),
  hash: z.string().nullable(),
  cpuMs: z.number().nullable(),
  wallMs: z.number().nullable(),
  error,
})

const JobRecordSchema = z.object({
  id: z.string(),
  seq: z.number().int().nonnegative(),
  offers: z.number().int().nonnegative(),
  spec: z.object({ entry: z.string(), replicas: z.number().int().positive(), maxSeconds: z.number(), memoryBytes: z.number(), checkpointable: z.boolean() }),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  createdAt: time,
  startedAt: time.nullable(),
  endedAt: time.nullable(),
  slots: z.array(z.object({ checkpoint: z.object({ seq: z.number().int(), at: time, run: z.string() }).nullable(), hash: z.string().nullable(), losses: z.number().int().nonnegative() })),
  runs: z.array(RunRecordSchema),
  result: z.object({ hash: z.string(), agreeing: z.number().int(), cpuMs: z.number(), wallMs: z.number() }).nullable(),
  error,
})

/** What the API shows of a job beyond the coordinator's state. */
const JobMetaSchema = z.object({
  label: z.string().nullable(),
  moduleSha256: z.string(),
  moduleBytes: z.number().int().nonnegative(),
  inputBytes: z.number().int().nonnegative(),
  outputBytes: z.number().int().nonnegative().nullable(),
  policy: z.object({ weight: z.number(), initialMs: z.number() }),
})
export type JobMeta = z.infer<typeof JobMetaSchema>

const StoredJobSchema = z.object({ job: JobRecordSchema, meta: JobMetaSchema })
export interface StoredJob {
  job: Job
  meta: JobMeta
}

/** The bytes kept for a job: module and input, a checkpoint per replica slot, outputs by hash. */
export type BlobName = 'module' | 'input' | `checkpoint/${number}` | `output/${string}`

export interface JobStore {
  load(): Promise<StoredJob[]>
  /** Writes a new job's record with its module and input, as one commit. */
  create(stored: StoredJob, module: Uint8Array, input: Uint8Array): Promise<void>
  save(stored: StoredJob[]): Promise<void>
  blob(job: string, name: BlobName): Promise<Uint8Array | undefined>
  putBlob(job: string, name: BlobName, bytes: Uint8Array): Promise<void>
  /** Deletes a job's bytes except those named. */
  dropBlobs(job: string, keep: BlobName[]): Promise<void>
}

const blobKey = (job: string, name: BlobName): string => `${job}/${name}`
const encode = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

export function createJobStore({ store, logger }: { store: Store; logger: Logger }): JobStore {
  const records = store.sublevel('jobs')
  const blobs = store.sublevel('job-blobs')
  const put = (stored: StoredJob) => ({ type: 'put' as const, sublevel: 'jobs' as const, key: stored.job.id, value: stored })

  return {
    async load() {
      const loaded: StoredJob[] = []
      for await (const [key, value] of records.iterator()) {
        const parsed = StoredJobSchema.safeParse(value)
        if (parsed.success) loaded.push(parsed.data)
        else logger.warn({ job: key, issue: parsed.error.issues[0]?.message }, 'unreadable job record skipped')
      }
      return loaded
    },
    create: (stored, module, input) =>
      store.commit([
        { type: 'put', sublevel: 'job-blobs', key: blobKey(stored.job.id, 'module'), value: encode(module) },
        { type: 'put', sublevel: 'job-blobs', key: blobKey(stored.job.id, 'input'), value: encode(input) },
        put(stored),
      ]),
    save: (stored) => (stored.length === 0 ? Promise.resolve() : store.commit(stored.map(put))),
    async blob(job, name) {
      const value: unknown = await blobs.get(blobKey(job, name))
      return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : undefined
    },
    putBlob: (job, name, bytes) => store.commit([{ type: 'put', sublevel: 'job-blobs', key: blobKey(job, name), value: encode(bytes) }]),
    async dropBlobs(job, keep) {
      const kept = new Set(keep.map((name) => blobKey(job, name)))
      const doomed: string[] = []
      for await (const key of blobs.keys({ gte: `${job}/`, lt: `${job}/\xff` })) if (!kept.has(key)) doomed.push(key)
      if (doomed.length > 0) await store.commit(doomed.map((key) => ({ type: 'del', sublevel: 'job-blobs', key })))
    },
  }
}
