import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import type { Scalability } from '../../../../shared/api/health-schemas.ts'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { formatMs, formatPercent, formatRate, formatSignificant } from '../../format.ts'
import { AmdahlChart } from './AmdahlChart.tsx'

type MethodName = 'paper' | 'corrected'

const METHODS: Record<MethodName, { name: string; explanation: string }> = {
  paper: {
    name: "Paper's formula",
    explanation: 'p = (N·U − 1)/(N·U), from seconds when only the sequential section was saturated (Carvalho & Pereira).',
  },
  corrected: {
    name: 'Contention-corrected',
    explanation: 'For seconds when the cores were contended too, where the paper underestimates p: measured hold time, minus stalls.',
  },
}

const WINDOW_KINDS: readonly { kind: keyof Scalability['evidence']['windows']; label: string; meaning: string }[] = [
  { kind: 'quiet', label: 'Quiet', meaning: 'too little work to judge' },
  { kind: 'light', label: 'Light', meaning: 'work, but nothing contended' },
  { kind: 'saturated', label: 'Saturated', meaning: 'sequential section saturated (clean)' },
  { kind: 'parallel', label: 'Parallel', meaning: 'only the cores contended' },
  { kind: 'both', label: 'Both', meaning: 'saturated while the cores contended' },
]

/** How well this node would use more cores: p with its evidence, the curve and the bounds. */
export function ScalabilityPanel({ scalability, cores }: { scalability: Scalability; cores: number | null }) {
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        Scalability
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <Stack gap="md">
          <Estimate scalability={scalability} />
          <MethodsTable scalability={scalability} />
          <Evidence evidence={scalability.evidence} />
        </Stack>
        <Stack gap="md">
          <AmdahlChart speedup={scalability.speedup} cores={cores} />
          <Bounds scalability={scalability} />
        </Stack>
      </SimpleGrid>
    </Card>
  )
}

function Estimate({ scalability }: { scalability: Scalability }) {
  const { p, method } = scalability
  return (
    <div>
      <Group gap="sm" align="baseline">
        <Text size="sm" c="dimmed">
          Parallel fraction p
        </Text>
        <Text size="xl" fw={700} ff={p === null ? undefined : 'monospace'} c={p === null ? 'dimmed' : undefined} data-testid="scalability-p">
          {p === null ? 'no estimate yet' : p.toFixed(2)}
        </Text>
        {method !== null && (
          <Badge variant="light" color="teal">
            {METHODS[method].name}
          </Badge>
        )}
      </Group>
      {p === null ? (
        <Text size="sm" mt="xs">
          No contention has been observed yet, so there is nothing honest to estimate p from. The node measures it
          only in seconds when its sequential sections (store commits, the group sequencer, job results) have
          requests queued throughout — under real load such as mirroring folders or running jobs. The estimate
          appears here as soon as such seconds occur.
        </Text>
      ) : (
        <Text size="sm" mt="xs" c="dimmed">
          Up to {formatSignificant(1 / (1 - p))}× faster however many cores it gets (Amdahl: 1/(1 − p)).
        </Text>
      )}
    </div>
  )
}

function MethodsTable({ scalability }: { scalability: Scalability }) {
  return (
    <Table fz="sm" verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Method</Table.Th>
          <Table.Th ta="right">p</Table.Th>
          <Table.Th ta="right">Windows</Table.Th>
          <Table.Th ta="right" title="Interquartile range of the per-second estimates">
            Spread
          </Table.Th>
          <Table.Th>Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(Object.keys(METHODS) as MethodName[]).map((name) => {
          const estimate = scalability[name]
          return (
            <Table.Tr key={name} fw={scalability.method === name ? 600 : undefined}>
              <Table.Td>
                <Text size="sm" fw="inherit">
                  {METHODS[name].name}
                  {scalability.method === name && ' (in use)'}
                </Text>
                <Text size="xs" c="dimmed">
                  {METHODS[name].explanation}
                </Text>
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {estimate.p === null ? '—' : estimate.p.toFixed(2)}
              </Table.Td>
              <Table.Td ta="right">{estimate.samples}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {estimate.spread === null ? '—' : estimate.spread.toFixed(2)}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <RelativeTime iso={estimate.updatedAt} />
              </Table.Td>
            </Table.Tr>
          )
        })}
      </Table.Tbody>
    </Table>
  )
}

function Evidence({ evidence }: { evidence: Scalability['evidence'] }) {
  return (
    <div>
      <Text size="sm" fw={600} mb={6}>
        Seconds observed, by kind
      </Text>
      <Group gap={6}>
        {WINDOW_KINDS.map(({ kind, label, meaning }) => (
          <Badge key={kind} variant="light" color={kind === 'quiet' || kind === 'light' ? 'gray' : 'teal'} title={meaning} tt="none">
            {label} {evidence.windows[kind]}
          </Badge>
        ))}
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        {evidence.cleanShare === null ? 'No contention window yet.' : `${formatPercent(evidence.cleanShare)} of the contention windows were clean.`}{' '}
        {evidence.stallReported ? 'Stall time is measured, so the corrected estimate is usable.' : 'No stall time measured yet.'}
      </Text>
    </div>
  )
}

function Bounds({ scalability }: { scalability: Scalability }) {
  const { bounds, demandMs } = scalability
  if (bounds === null) {
    return (
      <Text size="sm" c="dimmed">
        Throughput bounds need p and the CPU demand D per request; neither is known yet.
      </Text>
    )
  }
  const rows = [
    { label: 'Sequential section', formula: '1/(D(1−p))', value: bounds.sequential },
    { label: 'Parallel cores', formula: 'N/(D·p)', value: bounds.parallel },
    { label: 'Bound', formula: 'the lower', value: bounds.max },
  ]
  return (
    <div>
      <Text size="sm" fw={600} mb={6}>
        Throughput bounds{demandMs !== null && <Text span c="dimmed" size="sm" fw={400}>{` (D = ${formatMs(demandMs)} per request)`}</Text>}
      </Text>
      <SimpleGrid cols={3} spacing="sm">
        {rows.map((row) => (
          <div key={row.label}>
            <Text size="xs" c="dimmed">
              {row.label} · {row.formula}
            </Text>
            <Text fw={600}>{formatRate(row.value)}</Text>
          </div>
        ))}
      </SimpleGrid>
    </div>
  )
}
