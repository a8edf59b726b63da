import { Badge, Button, Card, Group, Skeleton, Table, Text, Title } from '@mantine/core'
import { IconCheck } from '@tabler/icons-react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { JoinRequest } from '../../../../shared/api/vo-schemas.ts'
import { MonoCopy } from '../../components/MonoCopy.tsx'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { ConfirmButton } from './ConfirmButton.tsx'
import { useNodeFeed } from './useNodeFeed.ts'
import { useVoCall } from './useVoCall.ts'
import { VoError } from './VoError.tsx'

/**
 * Nodes on this network that asked to join, live, for those who may admit members (admins, and
 * super-peers an admin delegated to): approve lets one in, refuse tells it no.
 */
export function JoinRequestsCard({ client }: { client: ApiClient }) {
  const feed = useNodeFeed(client, 'joinRequests', (signal) => client.voRequests({}, { signal }))
  const requests = feed.data
  return (
    <Card withBorder padding="lg" data-testid="vo-join-requests">
      <Group gap="xs" mb={4}>
        <Title order={4}>Join requests</Title>
        {requests !== null && requests.length > 0 && (
          <Badge variant="filled" color="orange" size="lg">
            {requests.length}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {requests === null || requests.length === 0
          ? 'No request is waiting. Nodes on this network that are in no VO can ask to join this one from their own Join a VO page.'
          : 'These nodes heard this VO on the network and asked to join. Approve only machines you know.'}
      </Text>
      {feed.error !== null && <VoError error={feed.error} title="Could not read the join requests" />}
      {requests === null ? <Skeleton h={40} /> : requests.length > 0 && <RequestsTable requests={requests} client={client} />}
    </Card>
  )
}

function RequestsTable({ requests, client }: { requests: readonly JoinRequest[]; client: ApiClient }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr style={{ whiteSpace: 'nowrap' }}>
            <Table.Th>Who</Table.Th>
            <Table.Th>Peer ID</Table.Th>
            <Table.Th>Asked</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((request) => (
            <RequestRow key={request.id} request={request} client={client} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function RequestRow({ request, client }: { request: JoinRequest; client: ApiClient }) {
  const approve = useVoCall(() => client.voApprove({ id: request.id }))
  return (
    <Table.Tr data-testid="vo-join-request" data-peer-id={request.peerId}>
      <Table.Td>
        <Text fw={600} size="sm">
          {request.label}
        </Text>
        {request.message !== '' && (
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {request.message}
          </Text>
        )}
        {approve.state.kind === 'failed' && <VoError error={approve.state.error} title="Could not approve" />}
      </Table.Td>
      <Table.Td>
        <MonoCopy value={request.peerId} shown={`…${request.peerId.slice(-12)}`} label="Copy peer ID" wrap={false} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <RelativeTime iso={request.receivedAt} />
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} loading={approve.state.kind === 'pending'} onClick={() => void approve.run(undefined)} data-testid="vo-join-approve">
            Approve
          </Button>
          <ConfirmButton
            label="Refuse"
            buttonProps={{ size: 'xs', variant: 'subtle' }}
            title={`Refuse ${request.label}?`}
            consequence={`${request.peerId} is told that the VO said no. It can ask again later.`}
            confirmLabel="Refuse"
            action={() => client.voRefuse({ id: request.id })}
            testId="vo-join-refuse"
          />
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}
