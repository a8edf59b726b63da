/**
 * The audit log (the seed's logging and auditing of resource usage): what this node spent for
 * each member — CPU seconds of the jobs it ran, bytes its store holds for them — and the latest
 * entries. Read again whenever the node's job counts move (a run here started or ended).
 */
import { Card, Stack, Table, Text, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { Accounting } from '../../../../shared/api/compute-schemas.ts'
import { formatBytes, formatDateTime, shortPeerId } from '../../format.ts'

export function AccountingCard({ client, selfId, version }: { client: ApiClient; selfId: string; version: string }) {
  const [accounting, setAccounting] = useState<Accounting | null>(null)
  useEffect(() => {
    const abort = new AbortController()
    client.accounting({}, { signal: abort.signal }).then(setAccounting, () => undefined)
    return () => abort.abort()
  }, [client, version])

  const members = accounting?.members ?? []
  return (
    <Card withBorder padding="lg" data-testid="accounting">
      <Stack gap="md">
        <div>
          <Title order={4}>Accounting</Title>
          <Text size="sm" c="dimmed">
            What this computer has given each member of the VO, from its audit log.
          </Text>
        </div>
        {members.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing yet: this node has run no job and stores nothing for anyone.
          </Text>
        ) : (
          <Table verticalSpacing="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th ta="right">CPU</Table.Th>
                <Table.Th ta="right">Runs</Table.Th>
                <Table.Th ta="right">Stored</Table.Th>
                <Table.Th>Latest</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((usage) => (
                <Table.Tr key={usage.member} data-testid="accounting-row">
                  <Table.Td>
                    <Text size="sm" ff="monospace" title={usage.member}>
                      {usage.member === selfId ? 'this node' : shortPeerId(usage.member)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{usage.cpuSeconds.toFixed(2)} s</Table.Td>
                  <Table.Td ta="right">{usage.runs}</Table.Td>
                  <Table.Td ta="right">{formatBytes(usage.storedBytes)}</Table.Td>
                  <Table.Td>{formatDateTime(new Date(usage.lastAt).toISOString())}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  )
}
