/** The main thread's responsiveness: event-loop delay (mean, p99) and utilisation per interval. */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks'

export interface EventLoopReading {
  delayMeanMs: number
  delayP99Ms: number
  utilisation: number
}

export interface EventLoopSampler {
  read(): EventLoopReading
  stop(): void
}

/** Histogram resolution; finer costs more timer wake-ups on an idle node. */
const RESOLUTION_MS = 20

export function createEventLoopSampler(): EventLoopSampler {
  const delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  delay.enable()
  let previous: EventLoopUtilization = performance.eventLoopUtilization()
  const ms = (ns: number): number => (Number.isFinite(ns) ? ns / 1e6 : 0)

  return {
    read() {
      const current = performance.eventLoopUtilization()
      const reading = {
        // The histogram measures lateness beyond its own resolution, which is not delay.
        delayMeanMs: Math.max(0, ms(delay.mean) - RESOLUTION_MS),
        delayP99Ms: Math.max(0, ms(delay.percentile(99)) - RESOLUTION_MS),
        utilisation: performance.eventLoopUtilization(current, previous).utilization,
      }
      previous = current
      delay.reset()
      return reading
    },
    stop() {
      delay.disable()
    },
  }
}
