/**
 * Colours for canvas charts, which cannot read CSS variables: taken from the Mantine theme for the
 * scheme in use, so charts follow light/dark like the rest of the page.
 */
import { useComputedColorScheme, useMantineTheme } from '@mantine/core'
import { useMemo } from 'react'

export interface ChartTheme {
  /** Axis labels and tick values. */
  text: string
  grid: string
  /** Series colours, in the order charts use them. */
  series: readonly [string, string]
  /** Reference lines and markers (ideal speedup, "you are here"). */
  accent: string
  muted: string
}

export function useChartTheme(): ChartTheme {
  const theme = useMantineTheme()
  const scheme = useComputedColorScheme('light')
  return useMemo(() => {
    const { colors } = theme
    const dark = scheme === 'dark'
    return {
      text: dark ? colors.dark[1] : colors.gray[7],
      grid: dark ? colors.dark[4] : colors.gray[2],
      series: dark ? [colors.teal[4], colors.indigo[3]] : [colors.teal[6], colors.indigo[5]],
      accent: dark ? colors.orange[4] : colors.orange[7],
      muted: dark ? colors.dark[2] : colors.gray[5],
    }
  }, [theme, scheme])
}
