/**
 * The one uPlot wrapper every chart uses. The chart is built when its options change (theme, range)
 * and otherwise only fed new data through setData, so a live chart costs no React work beyond this
 * component. It fills its container's width and follows it on resize.
 */
import 'uplot/dist/uPlot.min.css'
import './UPlotChart.css'
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>

export interface UPlotChartProps {
  /** Memoise: a new object rebuilds the chart. */
  options: ChartOptions
  data: uPlot.AlignedData
  height: number
  testId?: string
}

export function UPlotChart({ options, data, height, testId }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  // What a rebuilt chart starts from: the data it last received.
  const latest = useRef(data)

  useEffect(() => {
    const element = container.current
    if (element === null) return
    const chart = new uPlot({ ...options, width: element.clientWidth, height }, latest.current, element)
    plot.current = chart
    const resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0)
      if (width > 0 && width !== chart.width) chart.setSize({ width, height })
    })
    resize.observe(element)
    return () => {
      resize.disconnect()
      chart.destroy()
      plot.current = null
    }
  }, [options, height])

  useEffect(() => {
    latest.current = data
    plot.current?.setData(data)
  }, [data])

  // data-points lets tests and people see how many samples the chart holds.
  return <div ref={container} data-testid={testId} data-points={data[0].length} style={{ width: '100%', minWidth: 0 }} />
}

/**
 * While the pointer is not over the chart, its legend shows the point `index` picks (the newest
 * sample, "you are here") instead of blanks.
 */
export function legendAtRest(index: (chart: uPlot) => number | null): uPlot.Plugin {
  const rest = (chart: uPlot): void => {
    if (chart.cursor.idx != null) return
    const idx = index(chart)
    if (idx !== null && idx >= 0 && idx < chart.data[0].length) chart.setLegend({ idx }, false)
  }
  return { hooks: { ready: [rest], setData: [rest], setCursor: [rest] } }
}
