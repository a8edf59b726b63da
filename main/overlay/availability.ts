/** What this machine offers the overlay's elections: its availability, read from the OS and health samples. */
import { statfsSync } from 'node:fs'
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

/**
 * The node's availability now. Cores offered are all cores until contribution settings exist
 * (issue 5); disk offered is the free disk of the data folder. Before the first health sample
 * (at start, when the first advertisement is made) the OS is asked directly, so no node
 * advertises zeros.
 */
export function availabilityFrom(sample: HealthSample | undefined, uptimeMs: number, onMains: boolean, dataDir: string): Availability {
  if (sample !== undefined) {
    return { uptimeMs, cores: sample.cpu.cores, diskBytes: sample.disk.freeBytes, load: sample.cpu.machine, onMains }
  }
  const cores = availableParallelism()
  const fs = statfsSync(dataDir)
  return { uptimeMs, cores, diskBytes: fs.bavail * fs.bsize, load: Math.min(1, (loadavg()[0] ?? 0) / cores), onMains }
}
