import { Box, Text } from '@mantine/core'
import { useMemo } from 'react'
import uPlot from 'uplot'
import type { Scalability } from '../../../../shared/api/health-schemas.ts'
import { legendAtRest, UPlotChart, type ChartOptions } from '../../components/UPlotChart.tsx'
import { useChartTheme, type ChartTheme } from '../../hooks/useChartTheme.ts'
import { formatSignificant } from '../../format.ts'

const HEIGHT = 240
/** The node reports the curve for N = 1…16 (issue 6). */
const CURVE_MAX_N = 16

/**
 * Amdahl's speedup for N = 1…16 as the node computed it, against linear speedup, with "you are
 * here" at this node's core count. Without an estimate only the reference is drawn, and it says so.
 */
export function AmdahlChart({ speedup, cores }: { speedup: Scalability['speedup']; cores: number | null }) {
  const theme = useChartTheme()
  const data = useMemo((): uPlot.AlignedData => {
    const n = Array.from({ length: CURVE_MAX_N }, (_, i) => i + 1)
    const byN = new Map(speedup.map((point) => [point.n, point.speedup]))
    return [n, n, n.map((value) => byN.get(value) ?? null)]
  }, [speedup])
  const atCores = cores === null ? null : (speedup.find((point) => point.n === cores)?.speedup ?? null)
  const top = Math.max(2, ...speedup.map((point) => point.speedup)) * 1.25
  const options = useMemo(() => amdahlOptions(theme, speedup.length > 0 ? top : CURVE_MAX_N, cores, atCores), [theme, top, cores, atCores, speedup.length])

  return (
    <Box pos="relative" data-testid="amdahl-chart">
      <UPlotChart options={options} data={data} height={HEIGHT} />
      {speedup.length === 0 && (
        <Text size="sm" c="dimmed" ta="center" pos="absolute" top={HEIGHT / 2 - 30} left={60} right={0}>
          No curve until p is estimated
        </Text>
      )}
    </Box>
  )
}

function amdahlOptions(theme: ChartTheme, top: number, cores: number | null, atCores: number | null): ChartOptions {
  const axis: uPlot.Axis = { stroke: theme.text, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } }
  return {
    scales: { x: { time: false, range: [1, CURVE_MAX_N] }, y: { range: [0, top] } },
    axes: [
      { ...axis, label: 'Cores (N)', labelSize: 20, incrs: [1, 2, 4] },
      { ...axis, label: 'Speedup', labelSize: 20, size: 44, values: (_u, ticks) => ticks.map((tick) => `${formatSignificant(tick)}×`) },
    ],
    series: [
      { label: 'N' },
      { label: 'Linear', stroke: theme.muted, width: 1, dash: [4, 4], points: { show: false } },
      { label: 'Amdahl', stroke: theme.series[0], width: 2, points: { show: true, size: 5 }, value: (_u, v) => (v === null ? '—' : `${v.toFixed(2)}×`) },
    ],
    cursor: { drag: { x: false, y: false } },
    plugins: cores === null ? [] : [youAreHere(cores, atCores, theme), legendAtRest(() => Math.min(cores, CURVE_MAX_N) - 1)],
  }
}

/** A dashed line at this node's cores, its point on the curve, and the words, drawn on the canvas. */
function youAreHere(cores: number, speedup: number | null, theme: ChartTheme): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx, bbox } = u
          const ratio = uPlot.pxRatio
          // The curve stops at 16: a bigger machine is marked at its right edge.
          const x = u.valToPos(Math.min(cores, CURVE_MAX_N), 'x', true)
          ctx.save()
          ctx.strokeStyle = theme.accent
          ctx.fillStyle = theme.accent
          ctx.lineWidth = ratio
          ctx.setLineDash([3 * ratio, 3 * ratio])
          ctx.beginPath()
          ctx.moveTo(x, bbox.top)
          ctx.lineTo(x, bbox.top + bbox.height)
          ctx.stroke()
          if (speedup !== null) {
            ctx.beginPath()
            ctx.arc(x, u.valToPos(speedup, 'y', true), 5 * ratio, 0, 2 * Math.PI)
            ctx.fill()
          }
          ctx.font = `600 ${12 * ratio}px system-ui, sans-serif`
          // Past the middle the label reads leftwards, so it stays inside the plot.
          const leftwards = cores > CURVE_MAX_N / 2
          ctx.textAlign = leftwards ? 'right' : 'left'
          ctx.fillText(`you are here (N = ${cores})`, x + (leftwards ? -6 : 6) * ratio, bbox.top + 14 * ratio)
          ctx.restore()
        },
      ],
    },
  }
}
