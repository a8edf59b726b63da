/**
 * CPU busy shares over an interval: per core and for the whole machine (from the kernel's
 * per-core tick counters), and for this process with all its threads (process.cpuUsage).
 */
import { availableParallelism, cpus, type CpuInfo } from 'node:os'

export interface CpuReading {
  cores: number
  perCore: number[]
  machine: number
  process: number
}

const busy = (times: CpuInfo['times']): number => times.user + times.nice + times.sys + times.irq
const total = (times: CpuInfo['times']): number => busy(times) + times.idle
const share = (part: number, whole: number): number => (whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0)

export interface CpuSampler {
  /** Shares since the previous call (or since the sampler was made). */
  read(): CpuReading
}

export function createCpuSampler(): CpuSampler {
  let previousCores = cpus()
  let previousProcess = process.cpuUsage()
  let previousAt = performance.now()

  return {
    read() {
      const nowCores = cpus()
      const nowProcess = process.cpuUsage()
      const nowAt = performance.now()
      const cores = availableParallelism()
      const perCore = nowCores.map((core, i) => {
        const before = previousCores[i]?.times ?? core.times
        return share(busy(core.times) - busy(before), total(core.times) - total(before))
      })
      const busySum = nowCores.reduce((sum, core, i) => sum + busy(core.times) - busy(previousCores[i]?.times ?? core.times), 0)
      const totalSum = nowCores.reduce((sum, core, i) => sum + total(core.times) - total(previousCores[i]?.times ?? core.times), 0)
      const processMs = (nowProcess.user - previousProcess.user + nowProcess.system - previousProcess.system) / 1000
      const reading = { cores, perCore, machine: share(busySum, totalSum), process: share(processMs, cores * (nowAt - previousAt)) }
      previousCores = nowCores
      previousProcess = nowProcess
      previousAt = nowAt
      return reading
    },
  }
}
