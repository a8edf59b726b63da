import { Stack } from '@mantine/core'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { IdentityCard } from '../components/IdentityCard.tsx'
import { ListenAddresses } from '../components/ListenAddresses.tsx'
import { PageHeader } from '../components/PageHeader.tsx'
import { PeersCard } from '../components/PeersCard.tsx'

export function NodeView({ status, client }: { status: Status; client: ApiClient }) {
  return (
    <Stack gap="lg">
      <PageHeader title="This node" description="Its identity on the grid and the peers it is connected to, live." />
      <IdentityCard node={status.node} vo={status.vo} />
      <ListenAddresses addrs={status.node.listen} />
      <PeersCard peers={status.peers} client={client} />
    </Stack>
  )
}
