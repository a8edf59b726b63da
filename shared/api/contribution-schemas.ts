/**
 * Schemas of what a node contributes to its VO (issue 5): the CPU it offers (whole cores or a
 * share of the machine), whether only while the machine is idle, and the disk quota of its
 * contributed store, with the live state of the offer. `status.resources` carries the same shape.
 */
import { z } from 'zod'

const bytes = z.number().int().nonnegative()

/** How the CPU offer is given: a number of whole cores, or a percentage of the machine. */
export const CpuModeSchema = z.enum(['cores', 'percent'])
export type CpuMode = z.infer<typeof CpuModeSchema>

/**
 * `running`: jobs may use the offered cores. `paused-busy`: only-when-idle is on and the machine is
 * in use, so nothing is offered until it is idle again. `off`: the offer is zero cores (or 0 %).
 */
export const ContributionStateSchema = z.enum(['running', 'paused-busy', 'off'])
export type ContributionState = z.infer<typeof ContributionStateSchema>

export const ResourcesSchema = z.object({
  cores: z.object({
    /** Cores this machine has. */
    machine: z.number().int().positive(),
    /** Whole cores the settings offer (in percent mode, the percentage in whole cores); not zeroed while paused. */
    offered: z.number().int().nonnegative(),
    mode: CpuModeSchema,
    /** The offered share of the machine's CPU, 0–100, in percent mode only. */
    percent: z.number().min(0).max(100).optional(),
  }),
  /** Offer CPU only while the machine is otherwise idle. */
  idleOnly: z.boolean(),
  state: ContributionStateSchema,
  disk: z.object({
    /** Most bytes the contributed store may hold. */
    quotaBytes: bytes,
    /** Bytes the contributed store holds now. */
    usedBytes: bytes,
    /** Bytes it may still take: the quota left, or the file system's free space if that is less. */
    freeBytes: bytes,
  }),
})
export type Resources = z.infer<typeof ResourcesSchema>

/** Most cores a machine can plausibly have; the node refuses more than its own anyway. */
const MAX_CORES = 4096

/** A change to the settings; what is left out stays as it is. Cores and percent exclude each other. */
export const ContributeInputSchema = z
  .object({
    /** Offer this many whole cores (0 offers none). */
    cores: z.number().int().min(0).max(MAX_CORES).optional(),
    /** Offer this share of the machine's CPU, 0–100. */
    cpuPercent: z.number().min(0).max(100).optional(),
    idleOnly: z.boolean().optional(),
    diskQuotaBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict()
  .refine((input) => input.cores === undefined || input.cpuPercent === undefined, { message: 'give cores or cpuPercent, not both' })
export type ContributeInput = z.infer<typeof ContributeInputSchema>
