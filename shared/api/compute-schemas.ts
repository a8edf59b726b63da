/**
 * Schemas of compute jobs as the API carries them (issue 5): submitting a job, its state across
 * the VO (runs on nodes, checkpoints, validation), its result, the Mandelbrot demo, and the
 * audit log of what this node spent for each member. Binary data travels as base64.
 */
import { z } from 'zod'

/** Limits of a job a submitter may ask for, and the defaults when it asks for none. */
export const JOB_LIMITS = {
  /** A job's module and input together, and its output, at most this many bytes. */
  payloadBytes: 16 * 2 ** 20,
  replicas: 7,
  defaultMaxSeconds: 60,
  maxSeconds: 24 * 3600,
  defaultMemoryBytes: 64 * 2 ** 20,
  minMemoryBytes: 64 * 2 ** 10,
  maxMemoryBytes: 4 * 2 ** 30,
} as const

/** Characters of base64 for `bytes` bytes. */
export const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4

const base64 = (maxBytes: number) =>
  z
    .string()
    .max(base64Length(maxBytes))
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')

export const JobSubmitInputSchema = z
  .object({
    /** The WebAssembly module's bytes. */
    module: base64(JOB_LIMITS.payloadBytes).min(1),
    /** The exported function the job runs. */
    entry: z.string().min(1).max(128),
    input: base64(JOB_LIMITS.payloadBytes).default(''),
    /** Replicas on distinct nodes; the result is accepted once a majority agree. */
    replicas: z.number().int().min(1).max(JOB_LIMITS.replicas).default(1),
    maxSeconds: z.number().positive().max(JOB_LIMITS.maxSeconds).default(JOB_LIMITS.defaultMaxSeconds),
    memoryBytes: z.number().int().min(JOB_LIMITS.minMemoryBytes).max(JOB_LIMITS.maxMemoryBytes).default(JOB_LIMITS.defaultMemoryBytes),
    /** A name for people, e.g. the file it came from. */
    label: z.string().trim().min(1).max(120).optional(),
  })
  .strict()
export type JobSubmitInput = z.input<typeof JobSubmitInputSchema>

/**
 * queued: waiting for a node with a free core (never dropped); running: at least one replica runs;
 * done: a majority of replicas agreed on the result; failed: an error of the job itself, or no
 * agreement; cancelled: by its submitter.
 */
export const JobStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled'])
export type JobState = z.infer<typeof JobStateSchema>

export const JobErrorSchema = z.object({ code: z.string(), message: z.string() })

const iso = z.string()

/** One run of one replica on one node. */
export const JobRunSchema = z.object({
  id: z.string(),
  /** Which replica (0 … replicas − 1, more after a disagreement). */
  slot: z.number().int().nonnegative(),
  node: z.string(),
  /** offered: sent, not accepted yet; lost: its node died, paused or went silent, so it resumes elsewhere. */
  state: z.enum(['offered', 'running', 'done', 'failed', 'lost', 'cancelled']),
  startedAt: iso.nullable(),
  endedAt: iso.nullable(),
  progress: z.number().min(0).max(1),
  checkpoints: z.number().int().nonnegative(),
  /** The latest interval between its checkpoints, ms. */
  intervalMs: z.number().nonnegative().nullable(),
  /** The checkpoint it resumed from (its sequence number in the replica), if any. */
  resumedFrom: z.number().int().nullable(),
  /** SHA-256 of its output, hex. */
  hash: z.string().nullable(),
  cpuMs: z.number().nonnegative().nullable(),
  wallMs: z.number().nonnegative().nullable(),
  error: JobErrorSchema.nullable(),
})
export type JobRun = z.infer<typeof JobRunSchema>

export const JobSummarySchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  entry: z.string(),
  state: JobStateSchema,
  replicas: z.number().int().positive(),
  createdAt: iso,
  startedAt: iso.nullable(),
  endedAt: iso.nullable(),
  /** 0…1, over its replicas. */
  progress: z.number().min(0).max(1),
  /** Nodes running or having run its replicas (lost runs' nodes excluded). */
  nodes: z.array(z.string()),
  checkpoints: z.number().int().nonnegative(),
  error: JobErrorSchema.nullable(),
})
export type JobSummary = z.infer<typeof JobSummarySchema>

export const JobDetailSchema = JobSummarySchema.extend({
  limits: z.object({ maxSeconds: z.number(), memoryBytes: z.number().int() }),
  module: z.object({ bytes: z.number().int().nonnegative(), sha256: z.string(), checkpointable: z.boolean() }),
  inputBytes: z.number().int().nonnegative(),
  /** The checkpoint interval Int = W·Int₋₁ + (1−W)·Int₋₂: the policy's W and first interval. */
  checkpointPolicy: z.object({ weight: z.number(), initialMs: z.number() }),
  /** The latest checkpoint interval an executor reported, ms. */
  intervalMs: z.number().nonnegative().nullable(),
  runs: z.array(JobRunSchema),
  result: z
    .object({
      sha256: z.string(),
      bytes: z.number().int().nonnegative(),
      /** Replicas whose outputs had this hash. */
      agreeing: z.number().int().positive(),
      cpuMs: z.number().nonnegative(),
      wallMs: z.number().nonnegative(),
    })
    .nullable(),
})
export type JobDetail = z.infer<typeof JobDetailSchema>

export const JobResultSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  /** The output, base64. */
  output: z.string(),
})
export type JobResult = z.infer<typeof JobResultSchema>

/** `status.jobs`: this node's jobs by state, and the runs it executes for the VO now. */
export const JobCountsSchema = z.object({
  queued: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  /** Failed and cancelled. */
  failed: z.number().int().nonnegative(),
  /** Runs this node executes now, for itself or other members. */
  runningHere: z.number().int().nonnegative(),
})
export type JobCounts = z.infer<typeof JobCountsSchema>

export const JobIdInputSchema = z.object({ id: z.string().min(1).max(64) }).strict()

/** The seed's logging and auditing of resource usage: one entry per run executed, or bytes stored, for a member. */
export const AuditEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cpu'),
    at: z.number(),
    member: z.string(),
    job: z.string(),
    run: z.string(),
    cpuMs: z.number().nonnegative(),
    outcome: z.enum(['done', 'failed', 'stopped']),
  }),
  /** Bytes this node's contributed store holds for a member changed by `bytes` (negative when freed). */
  z.object({ kind: z.literal('stored'), at: z.number(), member: z.string(), bytes: z.number().int(), what: z.string() }),
])
export type AuditEntry = z.infer<typeof AuditEntrySchema>

export const MemberUsageSchema = z.object({
  member: z.string(),
  cpuSeconds: z.number().nonnegative(),
  runs: z.number().int().nonnegative(),
  storedBytes: z.number().int().nonnegative(),
  /** Time of its latest entry, ms since the epoch. */
  lastAt: z.number(),
})
export type MemberUsage = z.infer<typeof MemberUsageSchema>

export const AccountingSchema = z.object({
  /** What this node spent for each member, most CPU first. */
  members: z.array(MemberUsageSchema),
  /** The latest entries of the audit log, newest first. */
  log: z.array(AuditEntrySchema),
})
export type Accounting = z.infer<typeof AccountingSchema>

export const DEMO_NAMES = ['mandelbrot'] as const

export const DemoInputSchema = z
  .object({
    name: z.enum(DEMO_NAMES).default('mandelbrot'),
    tiles: z.number().int().min(1).max(256).default(16),
    width: z.number().int().min(16).max(4096).default(640),
    height: z.number().int().min(16).max(4096).default(480),
    /** Escape-time iterations per pixel: more is slower and finer at the set's edge. */
    iterations: z.number().int().min(1).max(100_000).default(500),
    replicas: z.number().int().min(1).max(JOB_LIMITS.replicas).default(1),
  })
  .strict()

/** A demo submitted as one job per tile; each tile job's output is its RGBA pixels, row by row. */
export const DemoSchema = z.object({
  id: z.string(),
  name: z.enum(DEMO_NAMES),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  iterations: z.number().int().positive(),
  tiles: z.array(z.object({ job: z.string(), x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() })),
})
export type Demo = z.infer<typeof DemoSchema>
