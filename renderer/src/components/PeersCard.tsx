import { Badge, Card, Divider, EmptyState, Group, Text, Title } from '@mantine/core'
import { IconAffiliate } from '@tabler/icons-react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Peer } from '../../../shared/api/schemas.ts'
import { ConnectForm } from './ConnectForm.tsx'
import { PeersTable } from './PeersTable.tsx'

export function PeersCard({ peers, client }: { peers: readonly Peer[]; client: ApiClient }) {
  return (
    <Card withBorder padding="lg">
      <Group gap="xs" mb="sm">
        <Title order={4}>Peers</Title>
        <Badge variant="light" color="gray" size="lg" data-testid="peer-count">
          {peers.length}
        </Badge>
      </Group>
      {peers.length === 0 ? (
        <EmptyState
          size="sm"
          icon={<IconAffiliate />}
          withIndicatorBackground
          title="Not connected to any peer yet"
          description={
            <>
              Run <code>gridnode connect MULTIADDR</code> on this machine, or paste another node&apos;s
              listen address below.
            </>
          }
          py="lg"
        />
      ) : (
        <PeersTable peers={peers} />
      )}
      <Divider my="md" />
      <Text fw={600} size="sm" mb="xs">
        Connect to a peer
      </Text>
      <ConnectForm client={client} />
    </Card>
  )
}
