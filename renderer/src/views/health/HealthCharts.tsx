import { Alert, Card, Group, SegmentedControl, SimpleGrid, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { HealthChart } from './HealthChart.tsx'
import { CHARTS, RANGES, type RangeName } from './metrics.ts'
import type { HealthFeed } from './useHealthFeed.ts'

const RANGE_OPTIONS = Object.entries(RANGES).map(([value, range]) => ({ value, label: range.label }))

function isRangeName(value: string): value is RangeName {
  return Object.hasOwn(RANGES, value)
}

/** The node's health over time: one chart per spec, and the range they all show. */
export function HealthCharts({ feed }: { feed: HealthFeed }) {
  const [rangeName, setRangeName] = useState<RangeName>('5m')
  const [error, setError] = useState<GridNodeError | null>(null)
  const range = RANGES[rangeName]
  const needsMinutes = range.resolution === 'minute' && !feed.store.hasMinutes

  useEffect(() => {
    if (!needsMinutes) return
    const stop = new AbortController()
    feed.loadMinutes(stop.signal).then(
      () => setError(null),
      (err: unknown) => {
        if (!stop.signal.aborted) setError(toGridNodeError(err))
      },
    )
    return () => stop.abort()
  }, [needsMinutes, feed])

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="md">
        <Title order={4}>Over time</Title>
        <SegmentedControl
          size="xs"
          data={RANGE_OPTIONS}
          value={rangeName}
          onChange={(value) => {
            if (isRangeName(value)) setRangeName(value)
          }}
          data-testid="health-range"
        />
      </Group>
      {error !== null && (
        <Alert color="red" mb="md" title="The day's history could not be loaded">
          {error.code}: {error.message}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {CHARTS.map((spec) => (
          <HealthChart key={spec.id} spec={spec} range={range} store={feed.store} />
        ))}
      </SimpleGrid>
    </Card>
  )
}
