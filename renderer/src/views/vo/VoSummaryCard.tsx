import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconLogout } from '@tabler/icons-react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { VoInfo } from '../../../../shared/api/vo-schemas.ts'
import { FieldLabel } from '../../components/FieldLabel.tsx'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { ConfirmButton } from './ConfirmButton.tsx'
import { RoleBadge } from './RoleBadge.tsx'
import { MonoCopy } from '../../components/MonoCopy.tsx'

/** Which VO this node is in, as what, until when; and the way out. */
export function VoSummaryCard({ vo, client }: { vo: VoInfo; client: ApiClient }) {
  return (
    <Card withBorder padding="lg">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <FieldLabel>Virtual Organization</FieldLabel>
            <Title order={3} style={{ wordBreak: 'break-word' }} data-testid="vo-name">
              {vo.name}
            </Title>
          </div>
          <ConfirmButton
            label="Leave VO"
            buttonProps={{ leftSection: <IconLogout size={16} />, variant: 'default' }}
            title={`Leave ${vo.name}?`}
            consequence={
              vo.role === 'admin'
                ? 'This node forgets its membership, and its admin rights with it, and disconnects from every member. If it is the only admin, nobody can invite or revoke members any more. It can only come back with a new invite.'
                : 'This node forgets its membership and disconnects from every member. It can only come back with a new invite.'
            }
            confirmLabel="Leave VO"
            action={() => client.voLeave({})}
            testId="vo-leave"
          />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <div>
            <FieldLabel>VO ID</FieldLabel>
            <MonoCopy value={vo.id} label="Copy VO ID" testId="vo-id" />
          </div>
          <div>
            <FieldLabel>This node&apos;s role</FieldLabel>
            <Group gap="xs">
              <RoleBadge role={vo.role} testId="vo-role" />
              {/* A member an admin delegated issuing to admits newcomers while the admins are away. */}
              {vo.role === 'member' && vo.canIssue && (
                <Text size="xs" c="dimmed">
                  can admit members
                </Text>
              )}
            </Group>
          </div>
          <div>
            <FieldLabel>Membership expires</FieldLabel>
            <Text size="sm">
              <RelativeTime iso={vo.expiresAt} />
            </Text>
          </div>
        </SimpleGrid>
      </Stack>
    </Card>
  )
}
