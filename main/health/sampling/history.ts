/**
 * The health history kept for the UI: every 1 s sample of the last hour, and one averaged sample
 * per minute for the last day. Both are fixed-size rings, so memory stays bounded.
 */
import type { HealthSample } from '../../../shared/api/health-schemas.ts'

/** Issue 6: at least the last hour at full resolution, downsampled beyond. */
export const SECONDS_KEPT = 3600
export const MINUTES_KEPT = 1440

/** A fixed-capacity circular buffer, oldest first when read. */
class Ring<T> {
  private readonly items: T[] = []
  private readonly capacity: number
  private next = 0

  constructor(capacity: number) {
    this.capacity = capacity
  }

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item)
    else this.items[this.next] = item
    this.next = (this.next + 1) % this.capacity
  }

  last(): T | undefined {
    return this.items.length === 0 ? undefined : this.items[(this.next - 1 + this.capacity) % this.capacity]
  }

  /** Items newer than `at`, oldest first. */
  since(at: number, time: (item: T) => number): T[] {
    const ordered = this.items.length < this.capacity ? this.items : [...this.items.slice(this.next), ...this.items.slice(0, this.next)]
    return ordered.filter((item) => time(item) > at)
  }
}

const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length)

/** One sample standing for a minute: rates and shares averaged, levels as last seen. */
export function averageSamples(samples: HealthSample[]): HealthSample {
  const last = samples[samples.length - 1]
  if (last === undefined) throw new Error('averageSamples needs at least one sample')
  const avg = (pick: (s: HealthSample) => number): number => mean(samples.map(pick))
  return {
    ...last,
    cpu: {
      cores: last.cpu.cores,
      perCore: last.cpu.perCore.map((_, i) => avg((s) => s.cpu.perCore[i] ?? 0)),
      machine: avg((s) => s.cpu.machine),
      process: avg((s) => s.cpu.process),
    },
    eventLoop: {
      delayMeanMs: avg((s) => s.eventLoop.delayMeanMs),
      delayP99Ms: Math.max(...samples.map((s) => s.eventLoop.delayP99Ms)),
      utilisation: avg((s) => s.eventLoop.utilisation),
    },
    net: { inBytesPerSec: avg((s) => s.net.inBytesPerSec), outBytesPerSec: avg((s) => s.net.outBytesPerSec) },
  }
}

export class HealthHistory {
  private readonly seconds = new Ring<HealthSample>(SECONDS_KEPT)
  private readonly minutes = new Ring<HealthSample>(MINUTES_KEPT)
  private minute: HealthSample[] = []

  add(sample: HealthSample): void {
    this.seconds.push(sample)
    const first = this.minute[0]
    if (first !== undefined && Math.floor(first.at / 60_000) !== Math.floor(sample.at / 60_000)) {
      this.minutes.push(averageSamples(this.minute))
      this.minute = []
    }
    this.minute.push(sample)
  }

  latest(): HealthSample | undefined {
    return this.seconds.last()
  }

  get(resolution: 'second' | 'minute', since = Number.NEGATIVE_INFINITY): HealthSample[] {
    return (resolution === 'second' ? this.seconds : this.minutes).since(since, (s) => s.at)
  }
}
