/**
 * What the health charts draw: the numbers taken from each sample, the time ranges they can show,
 * and one spec per chart. Adding a chart is adding a spec here.
 */
import type { HealthHistory, HealthSample } from '../../../../shared/api/health-schemas.ts'
import { formatBytes, formatMs, formatSignificant } from '../../format.ts'

export const METRICS = {
  cpuMachine: (s: HealthSample) => s.cpu.machine * 100,
  cpuProcess: (s: HealthSample) => s.cpu.process * 100,
  memoryRss: (s: HealthSample) => s.memory.processRssBytes,
  memoryHeap: (s: HealthSample) => s.memory.heapUsedBytes,
  loopMean: (s: HealthSample) => s.eventLoop.delayMeanMs,
  loopP99: (s: HealthSample) => s.eventLoop.delayP99Ms,
  netIn: (s: HealthSample) => s.net.inBytesPerSec,
  netOut: (s: HealthSample) => s.net.outBytesPerSec,
} satisfies Record<string, (sample: HealthSample) => number>

export type Metric = keyof typeof METRICS
export const METRIC_NAMES = Object.keys(METRICS) as Metric[]

export interface RangeSpec {
  label: string
  resolution: HealthHistory['resolution']
  spanSec: number
}

/** Seconds cover the node's last hour; the day needs its per-minute averages. */
export const RANGES = {
  '5m': { label: 'Last 5 min', resolution: 'second', spanSec: 5 * 60 },
  '1h': { label: 'Last hour', resolution: 'second', spanSec: 60 * 60 },
  '1d': { label: 'Last day', resolution: 'minute', spanSec: 24 * 60 * 60 },
} as const satisfies Record<string, RangeSpec>

export type RangeName = keyof typeof RANGES

export interface ChartSpec {
  /** Suffix of the container's test id: health-chart-<id>. */
  id: string
  title: string
  /** Two series per chart, drawn in the theme's two series colours. */
  series: readonly [{ metric: Metric; label: string }, { metric: Metric; label: string }]
  format: (value: number) => string
  /** Fixed y range where the quantity has one (percentages); otherwise from the data. */
  yMax?: number
}

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'cpu',
    title: 'CPU',
    series: [
      { metric: 'cpuMachine', label: 'Machine' },
      { metric: 'cpuProcess', label: 'This node' },
    ],
    format: (value) => `${formatSignificant(value)}%`,
    yMax: 100,
  },
  {
    id: 'memory',
    title: 'Memory of this node',
    series: [
      { metric: 'memoryRss', label: 'Resident (RSS)' },
      { metric: 'memoryHeap', label: 'JS heap used' },
    ],
    format: formatBytes,
  },
  {
    id: 'event-loop',
    title: 'Event-loop delay',
    series: [
      { metric: 'loopMean', label: 'Mean' },
      { metric: 'loopP99', label: 'p99' },
    ],
    format: formatMs,
  },
  {
    id: 'network',
    title: 'Network',
    series: [
      { metric: 'netIn', label: 'In' },
      { metric: 'netOut', label: 'Out' },
    ],
    format: (value) => `${formatBytes(value)}/s`,
  },
]
