import { Alert, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconPlugConnectedX } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { PageHeader } from '../../components/PageHeader.tsx'
import { CreateVoForm } from './CreateVoForm.tsx'
import { JoinVoForm } from './JoinVoForm.tsx'
import { NearbyVos } from './NearbyVos.tsx'

/** A node in no VO: why it matters, and the ways in (a VO on this network, an invite, or a VO of its own). */
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
      <Path title="VOs on your network" summary="VOs with a node on this network, found by themselves. Ask to join one: an admin of it approves or refuses, and this node joins as soon as they approve.">
        <NearbyVos client={client} />
      </Path>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Path title="Join with an invite" summary="An admin of the VO makes an invite and sends it to you; this node then admits itself through the VO's nodes.">
          <JoinVoForm client={client} />
        </Path>
        <Path title="Create a new VO" summary="This node becomes the VO's first admin: it can invite others, make them admins, and revoke them.">
          <CreateVoForm client={client} />
        </Path>
      </SimpleGrid>
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
