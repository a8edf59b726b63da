import { Alert, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconPlugConnectedX } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { CreateVoForm } from './CreateVoForm.tsx'
import { JoinVoForm } from './JoinVoForm.tsx'

/** A node in no VO: why it matters, and the two ways in (an invite, or a VO of its own). */
export function VoOnboarding({ client }: { client: ApiClient }) {
  return (
    <Stack gap="lg" data-testid="vo-onboarding">
      <PageHeader
        title="Join a VO"
        description="A Virtual Organization (VO) is a pool of machines that work with each other: they share CPU, disk and mirrored folders, and only its members can reach one another."
      />
      <Alert color="orange" variant="light" icon={<IconPlugConnectedX />} title="This node is not in a VO">
        Until it joins one it talks to nobody: other nodes cannot use it, and it cannot use them.
      </Alert>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Path title="Join with an invite" summary="An admin of the VO makes an invite and sends it to you; this node then admits itself through the VO's nodes.">
          <JoinVoForm client={client} />
        </Path>
        <Path title="Create a new VO" summary="This node becomes the VO's first admin: it can invite others, make them admins, and revoke them.">
          <CreateVoForm client={client} />
        </Path>
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        Finding VOs on your local network, and asking to join them, is coming in a later version.
      </Text>
    </Stack>
  )
}

function Path({ title, summary, children }: { title: string; summary: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg">
      <Title order={4}>{title}</Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        {summary}
      </Text>
      {children}
    </Card>
  )
}
