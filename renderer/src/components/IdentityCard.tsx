import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core'
import type { NodeInfo } from '../../../shared/api/schemas.ts'
import type { VoInfo } from '../../../shared/api/vo-schemas.ts'
import { formatDuration } from '../format.ts'
import { useUptime } from '../hooks/useUptime.ts'
import { FieldLabel } from './FieldLabel.tsx'
import { VoBadge } from './VoBadge.tsx'
import { MonoCopy } from './MonoCopy.tsx'

/** Who this node is: the identity other nodes see, the VO it belongs to, and where it keeps its data. */
export function IdentityCard({ node, vo }: { node: NodeInfo; vo: VoInfo | null }) {
  const uptimeSec = useUptime(node.startedAt)
  return (
    <Card withBorder padding="lg">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" gap="lg">
          <div>
            <FieldLabel>Peer ID</FieldLabel>
            <MonoCopy value={node.peerId} label="Copy peer ID" size="md" fw={500} testId="node-peer-id" />
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
            <MonoCopy value={node.dataDir} label="Copy data folder path" />
          </div>
        </SimpleGrid>
      </Stack>
    </Card>
  )
}
