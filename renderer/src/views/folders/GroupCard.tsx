/**
 * One shared folder: its name, this node's role in its group, what it holds, its copies with their
 * live progress, and what can be done with it (the event log, restore, unshare).
 */
import { Badge, Button, Card, Collapse, Divider, Group, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconChevronDown, IconChevronUp, IconFolder, IconListDetails } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { GroupSummary } from '../../../../shared/api/group-schemas.ts'
import { FieldLabel } from '../../components/FieldLabel.tsx'
import { MonoCopy } from '../../components/MonoCopy.tsx'
import type { PickFolder } from '../../folder-picker.ts'
import { formatBytes, shortPeerId } from '../../format.ts'
import { ConfirmButton } from '../vo/ConfirmButton.tsx'
import { plural, syncHeadline, type SyncHealth } from './copy-state.ts'
import { CopiesTable } from './CopiesTable.tsx'
import { FOLDER_ERROR_HINTS } from './folder-error-hints.ts'
import { GroupLog } from './GroupLog.tsx'
import { RestoreButton } from './RestoreButton.tsx'

const HEALTH_COLORS: Record<SyncHealth, string> = { complete: 'teal', syncing: 'blue', degraded: 'orange' }

interface GroupCardProps {
  group: GroupSummary
  selfId: string
  client: ApiClient
  picker: PickFolder | null
}

export function GroupCard({ group, selfId, client, picker }: GroupCardProps) {
  const [logOpen, log] = useDisclosure(false)
  const headline = syncHeadline(group)
  const owner = group.role === 'primary'
  return (
    <Card withBorder padding="lg" data-testid="group-card" data-group-id={group.id} data-in-sync={group.inSync} data-copies={group.copies}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
            <ThemeIcon variant="light" color="teal" size={40} radius="md">
              <IconFolder size={22} stroke={1.6} />
            </ThemeIcon>
            <div style={{ minWidth: 0 }}>
              <Group gap="xs" wrap="nowrap">
                <Title order={4} data-testid="group-name" style={{ overflowWrap: 'anywhere' }}>
                  {group.name}
                </Title>
                <RoleBadge group={group} selfId={selfId} />
              </Group>
              {group.path === null ? (
                <Text size="sm" c="dimmed">
                  Encrypted copy: this node stores it without being able to read it.
                </Text>
              ) : (
                <MonoCopy value={group.path} label="Copy path" size="sm" testId="group-path" />
              )}
            </div>
          </Group>
          <Badge size="lg" variant="light" color={HEALTH_COLORS[headline.health]} tt="none" style={{ flexShrink: 0 }} data-testid="group-sync" data-health={headline.health}>
            {headline.text}
          </Badge>
        </Group>

        <Group gap="xl" style={{ fontVariantNumeric: 'tabular-nums' }}>
          <Fact label="Files">{group.files.toLocaleString('en')}</Fact>
          <Fact label="Size">{formatBytes(group.bytes)}</Fact>
          <Fact label="Epoch" hint="Grows with every change of primary host; an update is numbered (epoch, sequence).">
            {group.epoch} · update {group.seq.toLocaleString('en')}
          </Fact>
          <Fact label="Primary host">
            <PrimaryHost group={group} selfId={selfId} />
          </Fact>
        </Group>

        <div>
          <FieldLabel>Backup copies</FieldLabel>
          <CopiesTable group={group} selfId={selfId} />
        </div>

        <Divider />
        <Group justify="space-between" gap="sm">
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconListDetails size={16} />}
            rightSection={logOpen ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
            onClick={log.toggle}
            aria-expanded={logOpen}
            data-testid="group-log-toggle"
          >
            Event log
          </Button>
          <Group gap="sm">
            {group.role !== 'backup' && <RestoreButton group={group} client={client} picker={picker} selfId={selfId} />}
            {owner && (
              <ConfirmButton
                label="Unshare"
                title={`Stop sharing “${group.name}”?`}
                consequence={`The folder stops being mirrored, and the members hosting its ${plural(group.backups.length, 'copy', 'copies')} delete them. The folder on this computer is not touched.`}
                confirmLabel="Unshare"
                action={() => client.unshare({ id: group.id })}
                buttonProps={{ variant: 'subtle' }}
                testId="group-unshare"
                hints={FOLDER_ERROR_HINTS}
              />
            )}
          </Group>
        </Group>
        {/* Mounted only while open: a closed log asks the node nothing. */}
        <Collapse expanded={logOpen}>{logOpen && <GroupLog client={client} groupId={group.id} version={JSON.stringify(group)} />}</Collapse>
      </Stack>
    </Card>
  )
}

function Fact({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  const title = <FieldLabel>{label}</FieldLabel>
  return (
    <div>
      {hint === undefined ? (
        title
      ) : (
        <Tooltip label={hint} multiline w={280} withArrow>
          <div style={{ cursor: 'help', width: 'fit-content' }}>{title}</div>
        </Tooltip>
      )}
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </div>
  )
}

/** The owner's node is "primary"; a backup host is "acting primary" while it stands in after a failover. */
function RoleBadge({ group, selfId }: { group: GroupSummary; selfId: string }) {
  const acting = group.acting && group.primary === selfId
  const [label, color, hint] = acting
    ? ['acting primary', 'orange', 'The primary host failed: this node holds a complete copy and stands in for it until it returns.']
    : ROLES[group.role]
  return (
    <Tooltip label={hint} multiline w={280} withArrow>
      <Badge variant="light" color={color} tt="none" style={{ flexShrink: 0 }} data-testid="group-role" data-role={acting ? 'acting' : group.role}>
        {label}
      </Badge>
    </Tooltip>
  )
}

const ROLES: Record<GroupSummary['role'], [string, string, string]> = {
  primary: ['primary', 'teal', 'This node holds the folder itself and sends every change to the backup copies.'],
  backup: ['backup', 'gray', 'This node keeps an encrypted backup copy of a member’s folder on its contributed disk.'],
  reader: ['reader', 'indigo', 'The folder’s owner gave this node its key: it may browse and restore the folder.'],
}

function PrimaryHost({ group, selfId }: { group: GroupSummary; selfId: string }) {
  if (group.primary === null)
    return (
      <Text span size="sm" c="orange.8" fw={500}>
        none reachable
      </Text>
    )
  const who = group.primary === selfId ? 'this node' : shortPeerId(group.primary)
  return (
    <Text span size="sm" fw={500} ff={group.primary === selfId ? undefined : 'monospace'} title={group.primary}>
      {who}
      {group.acting && (
        <Text span size="xs" c="orange.8">
          {' '}
          · acting
        </Text>
      )}
    </Text>
  )
}
