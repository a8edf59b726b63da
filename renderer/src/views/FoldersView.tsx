/**
 * Mirrored folders (issue 4): share a folder as a primary-backup group, follow each group's copies
 * live as they fill and catch up, read its event log, restore it, unshare it. Everything shown
 * comes from the node's pushed status (`status.groups`), so the page never polls.
 */
import { Alert, Button, Card, EmptyState, Group, List, Stack } from '@mantine/core'
import { IconFolders, IconUsersGroup } from '@tabler/icons-react'
import { useMemo, type ReactNode } from 'react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { PageHeader } from '../components/PageHeader.tsx'
import { desktopFolderPicker } from '../folder-picker.ts'
import { routeHref } from '../routes.ts'
import { GroupCard } from './folders/GroupCard.tsx'
import { ShareFolderButton } from './folders/ShareFolderButton.tsx'

const DESCRIPTION = 'Folders you share are kept as encrypted copies on other members’ disks, updated live, and can be restored from any copy.'

export function FoldersView({ status, client }: { status: Status; client: ApiClient }) {
  const picker = useMemo(desktopFolderPicker, [])
  const groups = status.groups
  const share = <ShareFolderButton client={client} status={status} picker={picker} />

  if (status.vo === null) {
    return (
      <Stack gap="lg" data-testid="folders-view">
        <PageHeader title="Folders" description={DESCRIPTION} />
        <Card withBorder padding="xl" data-testid="folders-no-vo">
          <EmptyState
            icon={<IconUsersGroup />}
            withIndicatorBackground
            title="Join a VO first"
            description="A shared folder’s copies live on the disks of the other members of your VO. Create a VO or join one, then share folders here."
            py="xl"
          >
            <Button component="a" href={routeHref('vo')} variant="light" mt="md">
              Join or create a VO
            </Button>
          </EmptyState>
        </Card>
      </Stack>
    )
  }

  return (
    <Stack gap="lg" data-testid="folders-view">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <PageHeader title="Folders" description={DESCRIPTION} />
        {groups !== undefined && groups.length > 0 && share}
      </Group>
      {groups === undefined ? (
        <Alert color="gray" title="This node does not report shared folders">
          It is older than mirrored folders: update GridNode to share folders here.
        </Alert>
      ) : groups.length === 0 ? (
        <NoFoldersYet share={share} />
      ) : (
        groups.map((group) => <GroupCard key={group.id} group={group} selfId={status.node.peerId} client={client} picker={picker} />)
      )}
    </Stack>
  )
}

function NoFoldersYet({ share }: { share: ReactNode }) {
  return (
    <Card withBorder padding="xl" data-testid="folders-empty">
      <EmptyState icon={<IconFolders />} withIndicatorBackground title="No shared folders yet" py="lg">
        <Stack align="center" gap="md" mt="xs">
          <List size="sm" c="dimmed" spacing={4} maw={520} style={{ textAlign: 'left' }}>
            <List.Item>Choose a folder and how many backup copies to keep (two by default).</List.Item>
            <List.Item>Its files are encrypted here, then copied to members with free disk: they store them without being able to read them.</List.Item>
            <List.Item>Every change is mirrored within seconds. If this computer fails, a copy takes over, and you restore the folder from any copy.</List.Item>
          </List>
          {share}
        </Stack>
      </EmptyState>
    </Card>
  )
}
