import { Stack, Table, Text } from '@mantine/core'
import type { Peer } from '../../../shared/api/schemas.ts'
import { formatLatency } from '../format.ts'
import { MonoCopy } from './MonoCopy.tsx'

/** The peers this node has open connections to, as the node last reported them. */
export function PeersTable({ peers }: { peers: readonly Peer[] }) {
  return (
    // Peer ids read best unbroken; narrow windows scroll the table sideways instead.
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Peer ID</Table.Th>
            <Table.Th>Addresses</Table.Th>
            <Table.Th ta="right">Latency</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {peers.map((peer) => (
            <Table.Tr key={peer.peerId} data-testid="peer-row" data-peer-id={peer.peerId}>
              <Table.Td>
                <MonoCopy value={peer.peerId} label="Copy peer ID" wrap={false} />
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {peer.addrs.map((addr) => (
                    <Text key={addr} ff="monospace" size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {addr}
                    </Text>
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                {formatLatency(peer.latencyMs)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
