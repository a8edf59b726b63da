/**
 * A folder's backup copies in backup order (the first one takes over if the primary fails): who
 * hosts each, its state in words, and two live bars of what it still lacks in bytes and in files.
 */
import { Badge, ColorSwatch, Group, Progress, Table, Text, Tooltip } from '@mantine/core'
import type { GroupCopy, GroupSummary } from '../../../../shared/api/group-schemas.ts'
import { MonoCopy } from '../../components/MonoCopy.tsx'
import { formatBytes, shortPeerId } from '../../format.ts'
import { barLabels, copyInWords, copyProgress } from './copy-state.ts'

const COPY_STATE_COLORS: Record<GroupCopy['state'], string> = {
  'in-sync': 'teal',
  behind: 'yellow',
  filling: 'blue',
  failed: 'red',
}

const NUMBERS = { fontVariantNumeric: 'tabular-nums' } as const

export function CopiesTable({ group, selfId }: { group: GroupSummary; selfId: string }) {
  if (group.backups.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No backup copy yet: the node is looking for members with enough free disk.
      </Text>
    )
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      {/* Fixed column widths line the copies of every folder up, card under card. */}
      <Table layout="fixed" verticalSpacing="xs" horizontalSpacing="sm" style={NUMBERS} data-testid="copies">
        <Table.Thead>
          <Table.Tr style={{ whiteSpace: 'nowrap' }}>
            <Table.Th w={40}>
              <Tooltip label="Backup order: the first reachable copy takes over if the primary fails" withArrow>
                <span>#</span>
              </Tooltip>
            </Table.Th>
            <Table.Th w={250}>Host</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th w="20%">Bytes</Table.Th>
            <Table.Th w="20%">Files</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {group.backups.map((copy, index) => (
            <CopyRow key={copy.host ?? `recruiting-${index}`} copy={copy} order={index + 1} group={group} selfId={selfId} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function CopyRow({ copy, order, group, selfId }: { copy: GroupCopy; order: number; group: GroupSummary; selfId: string }) {
  const progress = copyProgress(copy, group)
  const labels = barLabels(copy, group)
  const color = COPY_STATE_COLORS[copy.state]
  const moving = copy.state === 'filling' || copy.state === 'behind'
  return (
    <Table.Tr data-testid="copy-row" data-host={copy.host ?? ''} data-state={copy.state}>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {order}
        </Text>
      </Table.Td>
      <Table.Td>
        {copy.host === null ? (
          <Text size="sm" c="dimmed" fs="italic">
            finding a host…
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            <MonoCopy value={copy.host} shown={shortPeerId(copy.host)} label="Copy peer ID" wrap={false} />
            {copy.host === selfId && (
              <Badge size="xs" variant="outline" color="teal" tt="none">
                this node
              </Badge>
            )}
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        {/* Words, not a badge: a failure's reason is worth reading whole, on two lines if need be. */}
        <Group gap={8} wrap="nowrap" align="baseline">
          <ColorSwatch color={`var(--mantine-color-${color}-filled)`} size={8} withShadow={false} style={{ flexShrink: 0 }} />
          <Text size="sm" c={copy.state === 'failed' ? 'red.7' : undefined} data-testid="copy-state">
            {copyInWords(copy)}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Bar share={progress.bytes} color={color} moving={moving} label={labels?.bytes ?? null} aria={`Bytes of ${formatBytes(group.bytes)} held by this copy`} />
      </Table.Td>
      <Table.Td>
        <Bar share={progress.files} color={color} moving={moving} label={labels?.files ?? null} aria={`Files of ${group.files} held by this copy`} />
      </Table.Td>
    </Table.Tr>
  )
}

/**
 * One thin bar with what it measures beneath, right-aligned so the numbers of all rows line up.
 * Without a label (a failed copy) the bar is empty: what it holds is unknown until it is back or replaced.
 */
function Bar({ share, color, moving, label, aria }: { share: number; color: string; moving: boolean; label: string | null; aria: string }) {
  return (
    <div>
      <Progress value={label === null ? 0 : 100 * share} color={color} size="sm" striped={moving} animated={moving} aria-label={aria} />
      <Text size="xs" c={label === null ? 'dimmed' : undefined} ta="right" mt={4} style={{ whiteSpace: 'nowrap' }}>
        {label ?? '—'}
      </Text>
    </div>
  )
}
