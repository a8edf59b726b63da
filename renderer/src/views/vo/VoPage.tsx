import { Stack } from '@mantine/core'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { Status } from '../../../../shared/api/schemas.ts'
import type { VoInfo } from '../../../../shared/api/vo-schemas.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { InvitePanel } from './InvitePanel.tsx'
import { JoinRequestsCard } from './JoinRequestsCard.tsx'
import { MembersCard } from './MembersCard.tsx'
import { useVoMembers } from './useVoMembers.ts'
import { VoSummaryCard } from './VoSummaryCard.tsx'

interface VoPageProps {
  vo: VoInfo
  /** The node's latest status: each new one is the cue to fetch the members again. */
  status: Status
  client: ApiClient
}

/** The VO this node is in: who it is in it with, live, and (for those who may) admitting, inviting and revoking. */
export function VoPage({ vo, status, client }: VoPageProps) {
  const members = useVoMembers(client, status)
  return (
    <Stack gap="lg" data-testid="vo-page">
      <PageHeader title="Your VO" description="The machines this node works with, live. Only members of the VO can reach each other." />
      <VoSummaryCard vo={vo} client={client} />
      <MembersCard vo={vo} members={members} client={client} />
      {vo.canIssue && <JoinRequestsCard client={client} />}
      {vo.canIssue && <InvitePanel vo={vo} client={client} />}
    </Stack>
  )
}
