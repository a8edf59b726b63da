import { Badge, Card, Group, Skeleton, Table, Text, Title } from '@mantine/core'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { VoInfo, VoMember } from '../../../../shared/api/vo-schemas.ts'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { ConfirmButton } from './ConfirmButton.tsx'
import { RoleBadge, UNSQUEEZABLE } from './RoleBadge.tsx'
import type { VoMembersState } from './useVoMembers.ts'
import { VoError } from './VoError.tsx'
import { MonoCopy } from '../../components/MonoCopy.tsx'

/** Every member this node knows of, live; admins can revoke anyone but themselves. */
export function MembersCard({ vo, members, client }: { vo: VoInfo; members: VoMembersState; client: ApiClient }) {
  const list = members.members
  return (
    <Card withBorder padding="lg">
      <Group gap="xs" mb={4}>
        <Title order={4}>Members</Title>
        {list !== null && (
          <Badge variant="light" color="gray" size="lg" data-testid="vo-member-count">
            {list.length}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {list === null ? 'Asking the node…' : <Reach members={list} canInvite={vo.canIssue} />}
      </Text>
      {members.error !== null && <VoError error={members.error} title="Could not refresh the members" />}
      {list === null ? <Skeleton h={80} /> : <MembersTable members={list} canRevoke={vo.role === 'admin'} client={client} />}
    </Card>
  )
}

/** How much of the VO this node reaches: a node cut off from every other member is as isolated as one in no VO. */
function Reach({ members, canInvite }: { members: readonly VoMember[]; canInvite: boolean }) {
  const others = members.filter((member) => !member.self)
  if (others.length === 0) return canInvite ? 'No other member yet: invite someone below.' : 'No other member known yet.'
  const connected = others.filter((member) => member.connected).length
  return `${connected} of ${others.length} other ${others.length === 1 ? 'member' : 'members'} connected to this node.`
}

function MembersTable({ members, canRevoke, client }: { members: readonly VoMember[]; canRevoke: boolean; client: ApiClient }) {
  return (
    // Peer ids read best unbroken; narrow windows scroll the table sideways instead.
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr style={{ whiteSpace: 'nowrap' }}>
            <Table.Th>Peer ID</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Connection</Table.Th>
            <Table.Th>Membership expires</Table.Th>
            {canRevoke && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => (
            <Table.Tr key={member.peerId} data-testid="vo-member-row" data-peer-id={member.peerId}>
              <Table.Td>
                <MonoCopy value={member.peerId} label="Copy peer ID" wrap={false} />
              </Table.Td>
              <Table.Td>
                <RoleBadge role={member.role} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <ConnectionState member={member} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <RelativeTime iso={member.expiresAt} />
              </Table.Td>
              {canRevoke && (
                <Table.Td ta="right">
                  {!member.self && (
                    <ConfirmButton
                      label="Revoke"
                      buttonProps={{ size: 'xs', variant: 'subtle' }}
                      title="Revoke this member?"
                      consequence={`${member.peerId} is cut off from every member of the VO within seconds and cannot come back with its certificate. This cannot be undone.`}
                      confirmLabel="Revoke"
                      action={() => client.voRevoke({ peerId: member.peerId })}
                      testId="vo-revoke"
                    />
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** This node is marked as itself rather than "connected", which would read as a measurement. */
function ConnectionState({ member }: { member: VoMember }) {
  if (member.self)
    return (
      <Badge variant="outline" color="teal" tt="none" styles={UNSQUEEZABLE}>
        this node
      </Badge>
    )
  return (
    <Badge variant="dot" color={member.connected ? 'teal' : 'gray'} tt="none" styles={UNSQUEEZABLE}>
      {member.connected ? 'connected' : 'not connected'}
    </Badge>
  )
}
