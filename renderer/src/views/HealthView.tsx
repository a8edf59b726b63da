/**
 * How this node is doing: live charts and headline numbers, its CPU scalability estimated from
 * contention (issue 6) with a what-if simulator, and its VO's members as the super-peers see them.
 */
import { Card, Group, Loader, Stack, Text } from '@mantine/core'
import { useCallback, useEffect, useSyncExternalStore } from 'react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { PageHeader } from '../components/PageHeader.tsx'
import { HealthCharts } from './health/HealthCharts.tsx'
import { HealthTiles } from './health/HealthTiles.tsx'
import { ScalabilityPanel } from './health/ScalabilityPanel.tsx'
import { useHealthFeed } from './health/useHealthFeed.ts'
import { VoHealthCard } from './health/VoHealthCard.tsx'
import { WhatIfForm } from './health/WhatIfForm.tsx'

/** `status` is the node's latest pushed status, null until one arrives. */
export function HealthView({ client, status }: { client: ApiClient; status: Status | null }) {
  const feed = useHealthFeed(client)
  // The estimate in the latest status event, if one has arrived.
  const pushedScalability = status?.scalability ?? null
  useEffect(() => {
    if (pushedScalability !== null) feed.store.setScalability(pushedScalability)
  }, [feed.store, pushedScalability])
  const scalability = useSyncExternalStore(feed.store.subscribe, feed.store.getScalability)
  // A number, so this view re-renders when the core count changes, not with every sample.
  const cores = useSyncExternalStore(
    feed.store.subscribe,
    useCallback(() => feed.store.getLatest()?.cpu.cores ?? null, [feed.store]),
  )

  return (
    <Stack gap="lg" data-testid="health-view">
      <PageHeader title="Health" description="How this node is doing, live, and how well it could use more CPU cores." />
      <HealthTiles store={feed.store} />
      <HealthCharts feed={feed} />
      {scalability === null ? (
        <Card withBorder padding="lg">
          <Group gap="sm" c="dimmed">
            <Loader size="sm" />
            <Text>Waiting for the node&apos;s scalability estimate…</Text>
          </Group>
        </Card>
      ) : (
        <>
          <ScalabilityPanel scalability={scalability} cores={cores} />
          <WhatIfForm client={client} scalability={scalability} />
        </>
      )}
      <VoHealthCard client={client} status={status} store={feed.store} />
    </Stack>
  )
}
