/**
 * The super-peer overlay drawn live (issue 3): regions, their sub-grids with their super-peers,
 * the members in each, and where this node sits. Leaders change with the pushed status; members
 * are collected through the super-peers like the VO's health.
 */
import { Badge, Card, EmptyState, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core'
import { IconCrown, IconDeviceDesktop, IconNetwork, IconTopologyStar3 } from '@tabler/icons-react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { MonoCopy } from '../components/MonoCopy.tsx'
import { PageHeader } from '../components/PageHeader.tsx'
import { RelativeTime } from '../components/RelativeTime.tsx'
import { shortPeerId } from '../format.ts'
import { useVoHealth } from './health/useVoHealth.ts'
import { overlayMap, type MapPeer, type MapRegion, type MapSubgrid } from './overlay/overlay-map.ts'
import { UNSQUEEZABLE } from './vo/RoleBadge.tsx'
import { VoError } from './vo/VoError.tsx'

const NO_SHRINK = { flexShrink: 0 } as const

const DESCRIPTION = 'How your VO organises itself: each sub-grid elects its most available machine as super-peer, and the super-peers of a region elect its region peer.'

export function OverlayView({ client, status }: { client: ApiClient; status: Status }) {
  return (
    <Stack gap="lg" data-testid="overlay-view">
      <PageHeader title="Overlay" description={DESCRIPTION} />
      {status.overlay === null ? (
        <Card withBorder padding="lg">
          <EmptyState
            size="sm"
            icon={<IconTopologyStar3 />}
            withIndicatorBackground
            title="This node is not in a VO yet"
            description="The overlay forms among the members of a VO. Create or join one, and its sub-grids, super-peers and regions appear here."
            py="lg"
          />
        </Card>
      ) : (
        <OverlayMapSection client={client} status={status} />
      )}
    </Stack>
  )
}

function OverlayMapSection({ client, status }: { client: ApiClient; status: Status }) {
  const { snapshot, error } = useVoHealth(client, status.overlay)
  const regions = status.overlay === null ? [] : overlayMap(status.overlay, status.node.peerId, snapshot?.candidates ?? [])
  return (
    <>
      <Text size="sm" c="dimmed">
        Leaders as this node knows them, live · members {snapshot === null ? 'being collected…' : <>collected through the super-peers <RelativeTime iso={snapshot.collectedAt} /></>}
      </Text>
      {error !== null && <VoError error={error} title="Could not collect the members" />}
      {regions.map((region) => (
        <RegionCard key={region.region} region={region} collecting={snapshot === null} />
      ))}
    </>
  )
}

function RegionCard({ region, collecting }: { region: MapRegion; collecting: boolean }) {
  return (
    <Card withBorder padding="lg" data-testid="overlay-region" data-region={region.region}>
      <Group justify="space-between" mb="md" wrap="wrap">
        <Group gap="xs">
          <IconNetwork size={20} stroke={1.6} />
          <Title order={4}>Region {region.region}</Title>
          {region.own && (
            <Badge variant="light" color="teal" tt="none" styles={UNSQUEEZABLE}>
              your region
            </Badge>
          )}
        </Group>
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            region peer
          </Text>
          {region.regionPeer === null ? <Text size="sm">electing…</Text> : <MonoCopy value={region.regionPeer} shown={shortPeerId(region.regionPeer)} label="Copy peer ID" wrap={false} />}
        </Group>
      </Group>
      {region.subgrids.length === 0 ? (
        collecting ? <Skeleton h={60} /> : <Text size="sm" c="dimmed">No member of this region has been found yet; only its region peer is known.</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {region.subgrids.map((subgrid) => (
            <SubgridBox key={subgrid.subgrid} subgrid={subgrid} />
          ))}
        </SimpleGrid>
      )}
    </Card>
  )
}

function SubgridBox({ subgrid }: { subgrid: MapSubgrid }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="overlay-subgrid" data-subgrid={subgrid.subgrid}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Sub-grid {subgrid.subgrid}</Text>
        <Badge variant="light" color="gray">
          {subgrid.peers.length}
        </Badge>
      </Group>
      {subgrid.superPeer === null && (
        <Text size="sm" c="dimmed" mb="xs">
          Electing a super-peer…
        </Text>
      )}
      <Stack gap={6}>
        {subgrid.peers.map((peer) => (
          <PeerRow key={peer.peer} peer={peer} />
        ))}
      </Stack>
    </Paper>
  )
}

/** Leaders carry a crown and sit above the members they serve, indented below them. */
function PeerRow({ peer }: { peer: MapPeer }) {
  const leader = peer.role !== 'member'
  return (
    <Group gap={6} wrap="wrap" pl={leader ? 0 : 'md'} data-testid="overlay-peer" data-role={peer.role} data-self={peer.self}>
      {leader ? <IconCrown size={16} stroke={1.6} color="var(--mantine-color-yellow-filled)" style={NO_SHRINK} /> : <IconDeviceDesktop size={16} stroke={1.6} style={NO_SHRINK} />}
      <MonoCopy value={peer.peer} shown={shortPeerId(peer.peer)} label="Copy peer ID" wrap={false} />
      {leader && (
        <Badge size="sm" variant="light" color={peer.role === 'region-peer' ? 'indigo' : 'yellow'} tt="none" styles={UNSQUEEZABLE}>
          {peer.role === 'region-peer' ? 'super-peer · region peer' : 'super-peer'}
        </Badge>
      )}
      {peer.self && (
        <Badge size="sm" variant="filled" color="teal" tt="none" styles={UNSQUEEZABLE}>
          this node
        </Badge>
      )}
    </Group>
  )
}
