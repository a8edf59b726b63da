import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core'
import type { NodeInfo } from '../../../shared/api/schemas.ts'
import type { VoInfo } from '../../../shared/api/vo-schemas.ts'
import { formatDuration } from '../format.ts'
import { useUptime } from '../hooks/useUptime.ts'
import { CopyValue } from './CopyValue.tsx'
import { FieldLabel } from './FieldLabel.tsx'
import { VoBadge } from './VoBadge.tsx'

/** Who this node is: the identity other nodes see, the VO it belongs to, and where it keeps its data. */
export function IdentityCard({ node, vo }: { node: NodeInfo; vo: VoInfo | null }) {
  const uptimeSec = useUptime(node.startedAt)
  return (
    <Card withBorder padding="lg">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" gap="lg">
          <div>
            <FieldLabel>Peer ID</FieldLabel>
            <Group gap="xs" wrap="nowrap" align="center">
              <Text ff="monospace" size="md" fw={500} style={{ wordBreak: 'break-all' }} data-testid="node-peer-id">
                {node.peerId}
              </Text>
              <CopyValue value={node.peerId} label="Copy peer ID" />
            </Group>
          </div>
          <div>
            <FieldLabel>VO</FieldLabel>
            <VoBadge vo={vo} />
          </div>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <div>
            <FieldLabel>Version</FieldLabel>
            <Text>{node.version}</Text>
          </div>
          <div>
            <FieldLabel>Uptime</FieldLabel>
            <Text title={`Started ${new Date(node.startedAt).toLocaleString()}`}>{formatDuration(uptimeSec)}</Text>
          </div>
          <div>
            <FieldLabel>Data folder</FieldLabel>
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
