import { Paper, SimpleGrid, Skeleton, Text } from '@mantine/core'
import { useSyncExternalStore, type ReactNode } from 'react'
import type { HealthSample } from '../../../../shared/api/health-schemas.ts'
import { formatBytes, formatPercent } from '../../format.ts'
import type { HealthStore } from './health-store.ts'

/** Headline numbers from the newest sample; only this grid re-renders when one arrives. */
export function HealthTiles({ store }: { store: HealthStore }) {
  const sample = useSyncExternalStore(store.subscribe, store.getLatest)
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" data-testid="health-tiles">
      {sample === null ? TILE_TITLES.map((title) => <Tile key={title} title={title} value={<Skeleton h={26} w="60%" />} />) : <Tiles sample={sample} />}
    </SimpleGrid>
  )
}

const TILE_TITLES = ['Cores', 'Load average', 'Disk', 'Peers', 'Jobs', 'Mirror lag'] as const

function Tiles({ sample }: { sample: HealthSample }) {
  const [load1, load5, load15] = sample.load
  return (
    <>
      <Tile title="Cores" value={sample.cpu.cores} detail={`${formatPercent(sample.cpu.machine)} busy, node ${formatPercent(sample.cpu.process)}`} />
      <Tile title="Load average" value={load1.toFixed(2)} detail={`5 m ${load5.toFixed(2)} · 15 m ${load15.toFixed(2)}`} />
      <Tile
        title="Disk"
        value={`${formatBytes(sample.disk.freeBytes)} free`}
        detail={`of ${formatBytes(sample.disk.totalBytes)} · store ${formatBytes(sample.disk.storeBytes)}`}
      />
      <Tile title="Peers" value={sample.peers} detail="connected now" />
      <Tile title="Jobs" value={`${sample.jobs.running} running`} detail={`${sample.jobs.queued} queued`} />
      <MirrorLagTile lags={sample.mirrorLag} />
    </>
  )
}

/** The worst lag across mirrored folders is the headline: one folder behind is what needs attention. */
function MirrorLagTile({ lags }: { lags: HealthSample['mirrorLag'] }) {
  if (lags.length === 0) return <Tile title="Mirror lag" value={<Text c="dimmed">No folders</Text>} detail="Share one to mirror it" />
  const worst = lags.reduce((a, b) => (b.behindUpdates > a.behindUpdates ? b : a))
  const folders = lags.length === 1 ? '1 folder' : `${lags.length} folders`
  const value = worst.behindUpdates === 0 ? 'In sync' : `${worst.behindUpdates} behind`
  return <Tile title="Mirror lag" value={value} detail={`${folders} · worst ${formatBytes(worst.behindBytes)} behind`} />
}

function Tile({ title, value, detail }: { title: string; value: ReactNode; detail?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>
        {title}
      </Text>
      <Text component="div" size="lg" fw={600} mt={2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {detail !== undefined && (
        <Text size="xs" c="dimmed" mt={2}>
          {detail}
        </Text>
      )}
    </Paper>
  )
}
