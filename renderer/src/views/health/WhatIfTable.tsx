import { Table, Text } from '@mantine/core'
import type { WhatIf } from '../../../../shared/api/health-schemas.ts'
import { formatMs, formatRate, formatSignificant } from '../../format.ts'

/** The simulator's answer: one row per cores × clients, with where the answer's p and D came from. */
export function WhatIfTable({ result }: { result: WhatIf }) {
  const basis = `p = ${result.p.toFixed(2)}, D = ${formatMs(result.demandMs)}`
  return (
    <div>
      <Text size="sm" mb="xs" c={result.source === 'given' ? 'orange' : undefined} data-testid="whatif-source">
        {result.source === 'given' ? `From your assumptions (${basis}), not from this node's measurements.` : `From this node's estimate (${basis}).`}
      </Text>
      <Table.ScrollContainer minWidth={720}>
        <Table fz="sm" striped verticalSpacing={6} style={{ fontVariantNumeric: 'tabular-nums' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">Cores</Table.Th>
              <Table.Th ta="right">Clients</Table.Th>
              <Table.Th ta="right">Speedup</Table.Th>
              <Table.Th ta="right">Sequential bound</Table.Th>
              <Table.Th ta="right">Parallel bound</Table.Th>
              <Table.Th ta="right">Clients bound</Table.Th>
              <Table.Th ta="right">Bound</Table.Th>
              <Table.Th ta="right">Simulated</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.rows.map((row) => (
              <Table.Tr key={`${row.cpus}×${row.clients}`} data-testid="whatif-row">
                <Table.Td ta="right">{row.cpus}</Table.Td>
                <Table.Td ta="right">{row.clients}</Table.Td>
                <Table.Td ta="right">{formatSignificant(row.speedup)}×</Table.Td>
                <Table.Td ta="right">{formatRate(row.bounds.sequential)}</Table.Td>
                <Table.Td ta="right">{formatRate(row.bounds.parallel)}</Table.Td>
                <Table.Td ta="right">{formatRate(row.bounds.clients)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatRate(row.bounds.max)}
                </Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatRate(row.simulatedThroughput)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  )
}
