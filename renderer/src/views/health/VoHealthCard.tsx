import { Badge, Card, EmptyState, Group, Skeleton, Text, Title } from '@mantine/core'
import { IconUsersGroup } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { Status } from '../../../../shared/api/schemas.ts'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { VO_HEALTH_REFRESH_MS } from '../../constants.ts'
import { VoError } from '../vo/VoError.tsx'
import type { HealthStore } from './health-store.ts'
import { useVoHealth } from './useVoHealth.ts'
import { healthRows } from './vo-health.ts'
import { VoHealthTable } from './VoHealthTable.tsx'

/**
 * Each VO member's headline health, as the overlay's super-peers index it (issue 6). Outside a VO
 * there is nothing to collect, and it says so.
 */
export function VoHealthCard({ client, status, store }: { client: ApiClient; status: Status | null; store: HealthStore }) {
  if (status === null)
    return (
      <Frame>
        <Skeleton h={80} mt="sm" />
      </Frame>
    )
  if (status.vo === null)
    return (
      <Frame>
        <EmptyState
          size="sm"
          icon={<IconUsersGroup />}
          withIndicatorBackground
          title="This node is not in a VO yet"
          description="Join a VO to see its members' health: each member's headline, collected through the super-peers, is listed here with its state."
          py="lg"
        />
      </Frame>
    )
  // Mounted only while in a VO, so its refresh timer runs only then.
  return <VoHealthSection client={client} status={status} store={store} />
}

function VoHealthSection({ client, status, store }: { client: ApiClient; status: Status; store: HealthStore }) {
  const { snapshot, error } = useVoHealth(client, status.overlay)
  const rows = snapshot === null ? null : healthRows(snapshot, status.node.peerId)
  return (
    <Frame count={rows === null ? undefined : 1 + rows.advertised.length + rows.unreachable.length}>
      <Text size="sm" c="dimmed" mb="sm">
        Collected through the overlay&apos;s super-peers and refreshed every {VO_HEALTH_REFRESH_MS / 1000} s ·{' '}
        {snapshot === null ? 'collecting…' : <>last collected <RelativeTime iso={snapshot.collectedAt} /></>}
      </Text>
      {error !== null && <VoError error={error} title="Could not collect the members' health" />}
      {rows === null ? <Skeleton h={80} /> : <VoHealthTable rows={rows} selfId={status.node.peerId} overlay={status.overlay} store={store} />}
    </Frame>
  )
}

/** The card and its title, the same in every state so the page does not jump. */
function Frame({ count, children }: { count?: number | undefined; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" data-testid="vo-health">
      <Group gap="xs" mb={4}>
        <Title order={4}>Your VO</Title>
        {count !== undefined && (
          <Badge variant="light" color="gray" size="lg">
            {count}
          </Badge>
        )}
      </Group>
      {children}
    </Card>
  )
}
