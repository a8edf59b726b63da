import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core'
import type { NodeInfo } from '../../../shared/api/schemas.ts'
import { formatDuration } from '../format.ts'
import { useUptime } from '../hooks/useUptime.ts'
import { CopyValue } from './CopyValue.tsx'

/** Who this node is: the identity other nodes see, and where it keeps its data. */
export function IdentityCard({ node }: { node: NodeInfo }) {
  const uptimeSec = useUptime(node.startedAt)
  return (
    <Card withBorder padding="lg">
      <Stack gap="lg">
        <div>
          <Label>Peer ID</Label>
          <Group gap="xs" wrap="nowrap" align="center">
            <Text ff="monospace" size="md" fw={500} style={{ wordBreak: 'break-all' }} data-testid="node-peer-id">
              {node.peerId}
            </Text>
            <CopyValue value={node.peerId} label="Copy peer ID" />
          </Group>
        </div>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <div>
            <Label>Version</Label>
            <Text>{node.version}</Text>
          </div>
          <div>
            <Label>Uptime</Label>
            <Text title={`Started ${new Date(node.startedAt).toLocaleString()}`}>{formatDuration(uptimeSec)}</Text>
          </div>
          <div>
            <Label>Data folder</Label>
            <Group gap={4} wrap="nowrap">
              <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
                {node.dataDir}
              </Text>
              <CopyValue value={node.dataDir} label="Copy data folder path" />
            </Group>
          </div>
        </SimpleGrid>
      </Stack>
    </Card>
  )
}

function Label({ children }: { children: string }) {
  return (
    <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4} style={{ letterSpacing: '0.04em' }}>
      {children}
    </Text>
  )
}
