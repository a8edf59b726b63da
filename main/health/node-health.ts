/**
 * The node's health service: once a second it samples CPU, load, memory, event loop, disk,
 * traffic, peers, jobs and mirror lag, keeps the history, feeds the scalability monitor, and tells
 * listeners (the API's event stream). It also serves the Prometheus exposition.
 */
import { freemem, loadavg, totalmem } from 'node:os'
import type { HealthSample, Scalability, WhatIf } from '../../shared/api/health-schemas.ts'
import type { Logger } from '../log/logger.ts'
import { WINDOW_MS } from './constants.ts'
import type { InstrumentedSemaphore } from './instrumented-lock.ts'
import { createMetricsExposition, type MetricsExposition } from './metrics.ts'
import { createCpuSampler } from './sampling/cpu.ts'
import { createDiskSampler } from './sampling/disk.ts'
import { createEventLoopSampler } from './sampling/event-loop.ts'
import { HealthHistory } from './sampling/history.ts'
import { createScalabilityMonitor, type WhatIfQuestion } from './scalability-monitor.ts'

export interface NodeHealthComponents {
  /** Bytes carried by libp2p since the previous call. */
  takeTraffic: () => Promise<{ inBytes: number; outBytes: number }>
  peerCount: () => number
  /** The node's jobs now: its own waiting for a core in the VO, and the runs it executes. */
  jobs: () => { queued: number; running: number }
  /** The node's instrumented sequential sections. */
  locks: readonly InstrumentedSemaphore[]
  logger: Logger
}

export interface NodeHealthInit {
  dataDir: string
  /** Folders whose bytes count as the node's store. */
  storeFolders: string[]
  version: string
  peerId: string
}

export interface NodeHealth {
  start(): void
  stop(): void
  history(resolution: 'second' | 'minute', since?: number): HealthSample[]
  latest(): HealthSample | undefined
  scalability(): Scalability
  whatIf(question: WhatIfQuestion): WhatIf
  onSample(listener: (sample: HealthSample) => void): () => void
  /** Called when the estimate changes in a way people see (p to 3 decimals, method, reason), not on every window. */
  onEstimateChange(listener: () => void): () => void
  readonly metrics: MetricsExposition
}

export function createNodeHealth(components: NodeHealthComponents, init: NodeHealthInit): NodeHealth {
  const { logger } = components
  const history = new HealthHistory()
  const monitor = createScalabilityMonitor(components.locks)
  const cpu = createCpuSampler()
  const disk = createDiskSampler(init.dataDir, init.storeFolders)
  const listeners = new Set<(sample: HealthSample) => void>()
  const estimateListeners = new Set<() => void>()
  let shownEstimate = ''
  const traffic = { in: 0, out: 0 }
  let eventLoop: ReturnType<typeof createEventLoopSampler> | undefined
  let timer: NodeJS.Timeout | undefined
  let sampling = false
  let lastTick = performance.now()

  const sample = async (): Promise<void> => {
    const now = performance.now()
    const seconds = (now - lastTick) / 1000
    lastTick = now
    const cpuReading = cpu.read()
    const loop = eventLoop?.read() ?? { delayMeanMs: 0, delayP99Ms: 0, utilisation: 0 }
    const [diskReading, moved] = await Promise.all([disk.read(), components.takeTraffic()])
    traffic.in += moved.inBytes
    traffic.out += moved.outBytes
    const memory = process.memoryUsage()
    const [load1 = 0, load5 = 0, load15 = 0] = loadavg()
    const jobs = components.jobs()
    const reading: HealthSample = {
      at: Date.now(),
      cpu: cpuReading,
      load: [load1, load5, load15],
      memory: { totalBytes: totalmem(), freeBytes: freemem(), processRssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      eventLoop: loop,
      disk: diskReading,
      net: { inBytesPerSec: moved.inBytes / seconds, outBytesPerSec: moved.outBytes / seconds },
      peers: components.peerCount(),
      jobs: { queued: jobs.queued, running: jobs.running },
      mirrorLag: [],
    }
    history.add(reading)
    monitor.observe(reading.at, seconds * 1000, cpuReading.cores, cpuReading.process)
    for (const listener of listeners) listener(reading)
    const estimate = monitor.snapshot()
    const shown = `${estimate.method}:${estimate.p?.toFixed(3)}:${estimate.reason}`
    if (shown !== shownEstimate) {
      shownEstimate = shown
      for (const listener of estimateListeners) listener()
    }
  }

  const tick = (): void => {
    // A slow disk must not pile up samples.
    if (sampling) return
    sampling = true
    sample()
      .catch((err: unknown) => logger.warn({ err }, 'health sample failed'))
      .finally(() => (sampling = false))
  }

  return {
    start() {
      if (timer !== undefined) return
      eventLoop = createEventLoopSampler()
      lastTick = performance.now()
      timer = setInterval(tick, WINDOW_MS)
      timer.unref()
    },
    stop() {
      clearInterval(timer)
      timer = undefined
      eventLoop?.stop()
      eventLoop = undefined
    },
    history: (resolution, since) => history.get(resolution, since),
    latest: () => history.latest(),
    scalability: () => monitor.snapshot(),
    whatIf: (question) => monitor.whatIf(question),
    onSample(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onEstimateChange(listener) {
      estimateListeners.add(listener)
      return () => estimateListeners.delete(listener)
    },
    metrics: createMetricsExposition({
      latest: () => history.latest(),
      scalability: () => monitor.snapshot(),
      trafficTotals: () => ({ ...traffic }),
      version: init.version,
      peerId: init.peerId,
    }),
  }
}
