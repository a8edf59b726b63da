/**
 * Schemas of the node's health (issue 6): one sample a second, its history, and the CPU
 * scalability estimated from contention (Amdahl's p, after Carvalho & Pereira). Rates that can be
 * unbounded (a bound with p = 0) travel as null: JSON has no Infinity.
 */
import { z } from 'zod'

const fraction = z.number().min(0).max(1)
const bytes = z.number().nonnegative()

export const HealthSampleSchema = z.object({
  /** End of the 1 s interval, ms since the epoch. */
  at: z.number(),
  cpu: z.object({
    cores: z.number().int().positive(),
    /** Busy share of each core over the interval (whole machine). */
    perCore: z.array(fraction),
    /** Busy share of all cores together (whole machine). */
    machine: fraction,
    /** This node's process (all its threads), as a share of all cores. */
    process: fraction,
  }),
  /** 1, 5 and 15 minute load averages (0 where the OS has none). */
  load: z.tuple([z.number(), z.number(), z.number()]),
  memory: z.object({ totalBytes: bytes, freeBytes: bytes, processRssBytes: bytes, heapUsedBytes: bytes }),
  eventLoop: z.object({ delayMeanMs: z.number().nonnegative(), delayP99Ms: z.number().nonnegative(), utilisation: fraction }),
  disk: z.object({
    /** Bytes of the data folder's database and contributed store. */
    storeBytes: bytes,
    freeBytes: bytes,
    totalBytes: bytes,
  }),
  /** libp2p payload bytes per second over the interval. */
  net: z.object({ inBytesPerSec: bytes, outBytesPerSec: bytes }),
  peers: z.number().int().nonnegative(),
  /** Compute jobs on this node (issue 5); zero while the node runs none. */
  jobs: z.object({ queued: z.number().int().nonnegative(), running: z.number().int().nonnegative() }),
  /** Per mirrored folder, how far its copies lag (issue 4); empty while the node mirrors none. */
  mirrorLag: z.array(z.object({ groupId: z.string(), behindUpdates: z.number().int().nonnegative(), behindBytes: bytes })),
})
export type HealthSample = z.infer<typeof HealthSampleSchema>

export const SpeedupPointSchema = z.object({ n: z.number().int().positive(), speedup: z.number().positive() })

const MethodEstimateSchema = z.object({
  p: fraction.nullable(),
  /** Contention windows behind p. */
  samples: z.number().int().nonnegative(),
  /** Interquartile range of the per-window estimates. */
  spread: z.number().nonnegative().nullable(),
  updatedAt: z.string().nullable(),
})

const WINDOW_KINDS = ['quiet', 'light', 'saturated', 'parallel', 'both'] as const

export const ScalabilitySchema = MethodEstimateSchema.extend({
  /** Parallel resources (cores) the estimate is for. */
  N: z.number().int().nonnegative(),
  /** Which estimate p is: the paper's formula, or the contention-corrected one beyond it. */
  method: z.enum(['paper', 'corrected']).nullable(),
  /** Amdahl's speedup for N = 1…16 from p; empty while p is unknown. */
  speedup: z.array(SpeedupPointSchema),
  paper: MethodEstimateSchema,
  corrected: MethodEstimateSchema,
  /** D: CPU demand per pass through the sequential section, ms. */
  demandMs: z.number().nonnegative().nullable(),
  /** The paper's asymptotic throughput bounds, requests per second (null = unbounded). */
  bounds: z.object({ sequential: z.number().nullable(), parallel: z.number().nullable(), max: z.number().nullable() }).nullable(),
  evidence: z.object({
    windows: z.record(z.enum(WINDOW_KINDS), z.number().int().nonnegative()),
    cleanShare: fraction.nullable(),
    stallReported: z.boolean(),
  }),
  /** Why p is null: no contention has been seen yet, so there is nothing honest to estimate from. */
  reason: z.literal('no-contention-yet').nullable(),
})
export type Scalability = z.infer<typeof ScalabilitySchema>

export const HealthResolutionSchema = z.enum(['second', 'minute'])

export const HealthHistorySchema = z.object({
  resolution: HealthResolutionSchema,
  /** Oldest first. Seconds cover the last hour; minutes (averages) the last day. */
  samples: z.array(HealthSampleSchema),
  scalability: ScalabilitySchema,
})
export type HealthHistory = z.infer<typeof HealthHistorySchema>

const counts = (max: number) => z.array(z.number().int().min(1).max(max)).min(1).max(16)

export const WhatIfInputSchema = z
  .object({
    cpus: counts(256),
    clients: counts(10_000),
    /** Z, ms; the clients' think time between requests. */
    thinkMs: z.number().min(0).max(60_000).default(0),
    /** Overrides of the node's current estimate, for questions the node has no evidence for yet. */
    p: fraction.optional(),
    demandMs: z.number().positive().max(60_000).optional(),
  })
  .strict()

export const WhatIfSchema = z.object({
  p: fraction,
  demandMs: z.number().positive(),
  /** Whether p and D are the node's own estimate or were given with the question. */
  source: z.enum(['estimate', 'given']),
  rows: z.array(
    z.object({
      cpus: z.number().int(),
      clients: z.number().int(),
      speedup: z.number(),
      bounds: z.object({ sequential: z.number().nullable(), parallel: z.number().nullable(), clients: z.number().nullable(), max: z.number().nullable() }),
      /** Throughput of the paper's Fig. 2 model with these parameters, requests per second. */
      simulatedThroughput: z.number().nonnegative(),
    }),
  ),
})
export type WhatIf = z.infer<typeof WhatIfSchema>
