/**
 * A group's event log, oldest first and live: the join protocol's five steps numbered so a join
 * can be followed, then updates, failovers, recruitment and problems, warnings and errors marked.
 */
import { Badge, ScrollArea, Skeleton, Table, Text } from '@mantine/core'
import { useEffect, useRef } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { GroupLogEntry } from '../../../../shared/api/group-schemas.ts'
import { UNSQUEEZABLE } from '../vo/RoleBadge.tsx'
import { VoError } from '../vo/VoError.tsx'
import { FOLDER_ERROR_HINTS } from './folder-error-hints.ts'
import { describeLogKind } from './log-kinds.ts'
import { useGroupLog } from './useGroupLog.ts'

const LOG_HEIGHT = 300

/** Warnings and errors stand out; otherwise the join steps do. */
const LEVEL_COLORS: Record<GroupLogEntry['level'], string | undefined> = { info: undefined, warn: 'yellow.8', error: 'red.7' }
const BADGE_COLORS: Record<GroupLogEntry['level'], string | undefined> = { info: undefined, warn: 'yellow', error: 'red' }

export function GroupLog({ client, groupId, version }: { client: ApiClient; groupId: string; version: string }) {
  const { data: entries, error } = useGroupLog(client, groupId, version)
  const viewport = useRef<HTMLDivElement>(null)
  // The newest entries are what changed: keep them in view as they arrive.
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight })
  }, [entries])

  return (
    <div data-testid="group-log">
      {error !== null && <VoError error={error} title="Could not read the event log" hints={FOLDER_ERROR_HINTS} />}
      {entries === null ? (
        error === null && <Skeleton h={120} />
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing logged yet.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={LOG_HEIGHT} viewportRef={viewport} type="auto" offsetScrollbars>
          <Table layout="fixed" verticalSpacing={6} horizontalSpacing="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
            <Table.Tbody>
              {entries.map((entry, index) => (
                <LogRow key={index} entry={entry} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </div>
  )
}

function LogRow({ entry }: { entry: GroupLogEntry }) {
  const kind = describeLogKind(entry.kind)
  const color = LEVEL_COLORS[entry.level]
  return (
    <Table.Tr data-testid="group-log-entry" data-kind={entry.kind} data-level={entry.level}>
      <Table.Td w={84} style={{ verticalAlign: 'top' }}>
        <Text size="xs" c="dimmed" ff="monospace" title={new Date(entry.at).toLocaleString()}>
          {new Date(entry.at).toLocaleTimeString(undefined, { hour12: false })}
        </Text>
      </Table.Td>
      <Table.Td w={118} style={{ verticalAlign: 'top' }}>
        <Badge size="sm" radius="sm" styles={UNSQUEEZABLE} variant="light" color={BADGE_COLORS[entry.level] ?? (kind.joinStep === null ? 'gray' : 'teal')} tt="none" fw={600} title={kind.step ?? undefined}>
          {kind.tag}
        </Badge>
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Text size="sm" c={color} style={{ overflowWrap: 'anywhere' }}>
          {kind.step !== null && (
            <Text span size="sm" c="dimmed">
              {kind.step}:{' '}
            </Text>
          )}
          {entry.text}
        </Text>
      </Table.Td>
    </Table.Tr>
  )
}
