import { Paper, Text } from '@mantine/core'
import { useMemo, useSyncExternalStore } from 'react'
import type uPlot from 'uplot'
import { legendAtRest, UPlotChart, type ChartOptions } from '../../components/UPlotChart.tsx'
import { useChartTheme, type ChartTheme } from '../../hooks/useChartTheme.ts'
import type { HealthStore } from './health-store.ts'
import type { ChartSpec, RangeSpec } from './metrics.ts'

const HEIGHT = 180

/** One live chart of two metrics over the chosen range; redrawn by setData as samples arrive. */
export function HealthChart({ spec, range, store }: { spec: ChartSpec; range: RangeSpec; store: HealthStore }) {
  const theme = useChartTheme()
  const version = useSyncExternalStore(store.subscribe, store.getVersion)
  // `version` is not read inside: it is what changes when the store's data does.
  const data = useMemo(() => store.window(range, [spec.series[0].metric, spec.series[1].metric]), [store, range, spec, version])
  const options = useMemo(() => chartOptions(spec, range, theme), [spec, range, theme])

  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="sm" fw={600} mb={4}>
        {spec.title}
      </Text>
      <UPlotChart options={options} data={data} height={HEIGHT} testId={`health-chart-${spec.id}`} />
    </Paper>
  )
}

function chartOptions(spec: ChartSpec, range: RangeSpec, theme: ChartTheme): ChartOptions {
  const axis: uPlot.Axis = { stroke: theme.text, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } }
  return {
    scales: {
      // Always the whole range, ending at the newest sample, so a young node's few points sit at the right.
      x: { time: true, range: (_u, _min, max) => rangeEndingAt(max ?? Date.now() / 1000, range.spanSec) },
      y: { range: (_u, _min, max) => [0, spec.yMax ?? niceCeiling(max ?? 0)] },
    },
    axes: [
      { ...axis, space: 60, values: (_u, ticks) => ticks.map(clockTime) },
      { ...axis, size: 64, values: (_u, ticks) => ticks.map(spec.format) },
    ],
    series: [
      { label: 'At', value: (_u, at) => (at === null ? '—' : clockTime(at)) },
      ...spec.series.map((series, i) => ({
        label: series.label,
        stroke: theme.series[i === 0 ? 0 : 1],
        width: 1.5,
        points: { show: false },
        value: (_u: uPlot, value: number | null) => (value === null ? '—' : spec.format(value)),
      })),
    ],
    cursor: { drag: { x: false, y: false } },
    plugins: [legendAtRest((chart) => chart.data[0].length - 1)],
  }
}

/**
 * "14:05", or "14:05:30" between minutes: 24-hour and without the date (today's or yesterday's),
 * so ticks stay narrow enough for a half-width chart.
 */
function clockTime(sec: number): string {
  const seconds = sec % 60 === 0 ? {} : { second: '2-digit' as const }
  return new Date(sec * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...seconds })
}

function rangeEndingAt(end: number, spanSec: number): uPlot.Range.MinMax {
  return [end - spanSec, end]
}

/** Headroom above the largest value, and a visible axis while everything is zero. */
function niceCeiling(max: number): number {
  return max > 0 ? max * 1.15 : 1
}
