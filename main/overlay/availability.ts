/** What this machine offers the overlay's elections: its availability, read from the OS and health samples. */
import { readdir, readFile } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import type { HealthSample } from '../../shared/api/health-schemas.ts'
import type { Availability } from './score.ts'

const POWER_SUPPLIES = '/sys/class/power_supply'

/**
 * Whether the machine runs on mains power. Linux reports it per supply; a machine with no battery
 * (a desktop, a server) is on mains. Elsewhere, without a reading, assume mains.
 */
export async function onMainsPower(): Promise<boolean> {
  const supplies = await readdir(POWER_SUPPLIES).catch(() => [] as string[])
  const read = (name: string, file: string) => readFile(join(POWER_SUPPLIES, name, file), 'utf8').then((text) => text.trim(), () => '')
  let sawBattery = false
  for (const name of supplies) {
    const type = await read(name, 'type')
    if (type === 'Mains' && (await read(name, 'online')) === '1') return true
    if (type === 'Battery') sawBattery = true
  }
  return !sawBattery
}

/** What the user's contribution settings offer right now (main/contribution/). */
export interface Offer {
  /** Cores jobs may use now: 0 while the machine is busy and the user offers only idle time. */
  cores: number
  /** Bytes the contributed store may still take. */
  diskBytes: number
}

/**
 * The node's availability now: what it offers, and its load from the latest health sample or,
 * before the first one (at start, when the first advertisement is made), from the OS.
 */
export function availabilityFrom(sample: HealthSample | undefined, uptimeMs: number, onMains: boolean, offer: Offer): Availability {
  const load = sample?.cpu.machine ?? Math.min(1, (loadavg()[0] ?? 0) / availableParallelism())
  return { uptimeMs, cores: offer.cores, diskBytes: offer.diskBytes, load, onMains }
}
