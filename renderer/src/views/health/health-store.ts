/**
 * This node's health over time, kept outside React: live samples are appended here and only the
 * components that draw them (charts, tiles) hear about it, so the page does not re-render each
 * second. Buffers are bounded: the hour of seconds and the day of minutes the node itself keeps.
 */
import type { HealthHistory, HealthSample, Scalability } from '../../../../shared/api/health-schemas.ts'
import type uPlot from 'uplot'
import { METRIC_NAMES, METRICS, type Metric, type RangeSpec } from './metrics.ts'

/** One chartable point: the sample's time in seconds (uPlot's time unit) and its metrics. */
interface Point {
  at: number
  values: Record<Metric, number>
}

type Resolution = HealthHistory['resolution']

const CAPACITY: Record<Resolution, number> = { second: 60 * 60, minute: 24 * 60 }
const MINUTE_SEC = 60

function toPoint(sample: HealthSample): Point {
  const values = {} as Record<Metric, number>
  for (const metric of METRIC_NAMES) values[metric] = METRICS[metric](sample)
  return { at: sample.at / 1000, values }
}

/** Columns of points, oldest first, trimmed to a capacity. */
class Series {
  readonly at: number[] = []
  readonly values = Object.fromEntries(METRIC_NAMES.map((metric) => [metric, [] as number[]])) as Record<Metric, number[]>

  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  get lastAt(): number | undefined {
    return this.at.at(-1)
  }

  /** Appends the points newer than the last one held (history and live events may overlap). */
  append(points: readonly Point[]): void {
    for (const point of points) {
      const last = this.lastAt
      if (last !== undefined && point.at <= last) continue
      this.at.push(point.at)
      for (const metric of METRIC_NAMES) this.values[metric].push(point.values[metric])
    }
    const excess = this.at.length - this.capacity
    if (excess > 0) {
      this.at.splice(0, excess)
      for (const metric of METRIC_NAMES) this.values[metric].splice(0, excess)
    }
  }

  /** The two metrics' columns over the last `spanSec` seconds, as uPlot data. */
  window(spanSec: number, metrics: readonly [Metric, Metric]): uPlot.AlignedData {
    const from = (this.lastAt ?? 0) - spanSec
    let start = this.at.length
    while (start > 0 && (this.at[start - 1] ?? 0) > from) start -= 1
    return [this.at.slice(start), this.values[metrics[0]].slice(start), this.values[metrics[1]].slice(start)]
  }
}

export class HealthStore {
  private readonly seconds = new Series(CAPACITY.second)
  private minutes: Series | null = null
  /** Live points of the minute in progress, averaged into one point when it ends. */
  private minuteBucket: Point[] = []
  private latestSample: HealthSample | null = null
  private latestScalability: Scalability | null = null
  private version = 0
  private readonly listeners = new Set<() => void>()

  /** For useSyncExternalStore: the version changes with every change of the data. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getVersion = (): number => this.version

  readonly getLatest = (): HealthSample | null => this.latestSample

  readonly getScalability = (): Scalability | null => this.latestScalability

  /**
   * The estimate arrives with each history fetch and with status events; whichever came last is
   * the newest, since neither stream repeats an older one.
   */
  setScalability(scalability: Scalability): void {
    this.latestScalability = scalability
    this.changed()
  }

  get hasMinutes(): boolean {
    return this.minutes !== null
  }

  /** Where to resume each resolution's history after a reconnect (ms since the epoch). */
  since(resolution: Resolution): number | undefined {
    const last = resolution === 'second' ? this.seconds.lastAt : this.minutes?.lastAt
    return last === undefined ? undefined : last * 1000
  }

  addHistory(history: HealthHistory): void {
    this.latestScalability = history.scalability
    if (history.resolution === 'second') {
      this.seconds.append(history.samples.map(toPoint))
      this.latestSample = history.samples.at(-1) ?? this.latestSample
    } else {
      const minutes = (this.minutes ??= new Series(CAPACITY.minute))
      minutes.append(history.samples.map(toPoint))
      const last = minutes.lastAt ?? 0
      this.minuteBucket = this.minuteBucket.filter((point) => point.at > last)
    }
    this.changed()
  }

  addLive(sample: HealthSample): void {
    const point = toPoint(sample)
    this.seconds.append([point])
    this.latestSample = sample
    if (this.minutes !== null) this.addToMinute(this.minutes, point)
    this.changed()
  }

  window(range: RangeSpec, metrics: readonly [Metric, Metric]): uPlot.AlignedData {
    const series = range.resolution === 'second' ? this.seconds : this.minutes
    return (series ?? new Series(0)).window(range.spanSec, metrics)
  }

  private addToMinute(minutes: Series, point: Point): void {
    const first = this.minuteBucket[0]
    if (first !== undefined && Math.floor(point.at / MINUTE_SEC) !== Math.floor(first.at / MINUTE_SEC)) {
      minutes.append([average(this.minuteBucket)])
      this.minuteBucket = []
    }
    this.minuteBucket.push(point)
  }

  private changed(): void {
    this.version += 1
    for (const listener of this.listeners) listener()
  }
}

/** The mean of each metric, stamped with the last point's time (samples are stamped at their end). */
function average(points: readonly Point[]): Point {
  const values = {} as Record<Metric, number>
  for (const metric of METRIC_NAMES) values[metric] = points.reduce((sum, point) => sum + point.values[metric], 0) / points.length
  return { at: points.at(-1)?.at ?? 0, values }
}
