/**
 * The contribution settings as persisted: their schema (with a record version for migrations),
 * their defaults, and how a change is checked against this machine. Pure: no storage, no clock.
 */
import { z } from 'zod'
import type { ContributeInput } from '../../shared/api/contribution-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { DEFAULT_QUOTA_BYTES, DEFAULT_QUOTA_FREE_SHARE } from './constants.ts'

/** Bump with a migration in `parseStoredSettings` whenever the record changes shape. */
export const SETTINGS_VERSION = 1

const CpuOfferSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('cores'), cores: z.number().int().nonnegative() }),
  z.object({ mode: z.literal('percent'), percent: z.number().min(0).max(100) }),
])
export type CpuOffer = z.infer<typeof CpuOfferSchema>

export const ContributionSettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  cpu: CpuOfferSchema,
  idleOnly: z.boolean(),
  diskQuotaBytes: z.number().int().nonnegative(),
})
export type ContributionSettings = z.infer<typeof ContributionSettingsSchema>

/** What the settings are checked against. */
export interface Machine {
  cores: number
  /** Size of the data folder's file system. */
  diskTotalBytes: number
}

/**
 * Settings of a node that has never been told what to offer: all its cores, whether or not the
 * machine is in use (so a fresh node takes part at once), and 10 GiB of disk — or 20 % of the free
 * disk if that is less, fixed at the first start so the quota does not shrink as the disk fills.
 */
export function defaultSettings(machineCores: number, freeDiskBytes: number): ContributionSettings {
  return {
    version: SETTINGS_VERSION,
    cpu: { mode: 'cores', cores: machineCores },
    idleOnly: false,
    diskQuotaBytes: Math.min(DEFAULT_QUOTA_BYTES, Math.floor(freeDiskBytes * DEFAULT_QUOTA_FREE_SHARE)),
  }
}

/** A stored record as settings, or undefined if it is missing or unreadable. */
export function parseStoredSettings(value: unknown): ContributionSettings | undefined {
  return ContributionSettingsSchema.safeParse(value).data
}

/** The settings after a change; throws if the change asks for more than this machine has. */
export function applyChange(settings: ContributionSettings, change: ContributeInput, machine: Machine): ContributionSettings {
  if (change.cores !== undefined && change.cores > machine.cores) {
    throw new GridNodeError('CORES_EXCEED_MACHINE', `This machine has ${machine.cores} cores; it cannot offer ${change.cores}.`)
  }
  if (change.diskQuotaBytes !== undefined && change.diskQuotaBytes > machine.diskTotalBytes) {
    throw new GridNodeError(
      'QUOTA_EXCEEDS_DISK',
      `A quota of ${change.diskQuotaBytes} bytes is more than the whole disk of the data folder (${machine.diskTotalBytes} bytes).`,
    )
  }
  const cpu: CpuOffer =
    change.cores !== undefined ? { mode: 'cores', cores: change.cores } : change.cpuPercent !== undefined ? { mode: 'percent', percent: change.cpuPercent } : settings.cpu
  return {
    version: SETTINGS_VERSION,
    cpu,
    idleOnly: change.idleOnly ?? settings.idleOnly,
    diskQuotaBytes: change.diskQuotaBytes ?? settings.diskQuotaBytes,
  }
}

/**
 * Whole cores the CPU offer amounts to on this machine. A percentage is rounded down to whole
 * cores, but any share above 0 offers at least one: jobs run one per core. Settings saved on a
 * machine with more cores offer at most this one's.
 */
export function coresOffered(cpu: CpuOffer, machineCores: number): number {
  if (cpu.mode === 'cores') return Math.min(cpu.cores, machineCores)
  if (cpu.percent === 0) return 0
  return Math.max(1, Math.floor((cpu.percent / 100) * machineCores))
}
