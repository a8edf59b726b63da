import { Alert, Box, Button, Card, Fieldset, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconCalculator } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { MethodInput } from '../../../../shared/api/contract.ts'
import { WhatIfInputSchema, type Scalability, type WhatIf } from '../../../../shared/api/health-schemas.ts'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { formatMs } from '../../format.ts'
import { WhatIfTable } from './WhatIfTable.tsx'

type Outcome = { kind: 'idle' } | { kind: 'pending' } | { kind: 'answered'; result: WhatIf } | { kind: 'failed'; error: GridNodeError }

interface Fields {
  cpus: string
  clients: string
  thinkMs: number | string
  p: number | string
  demandMs: number | string
}

const INITIAL: Fields = { cpus: '1, 2, 4, 8', clients: '10', thinkMs: 0, p: '', demandMs: '' }

/** "1, 2 4" → [1, 2, 4]; anything that is not a number is left for the schema to reject. */
function parseList(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map(Number)
}

const optional = (value: number | string): number | undefined => (value === '' ? undefined : Number(value))

/** Asks the node's simulator about other core and client counts; assumptions stand in for an estimate it lacks. */
export function WhatIfForm({ client, scalability }: { client: ApiClient; scalability: Scalability }) {
  const [fields, setFields] = useState<Fields>(INITIAL)
  const [invalid, setInvalid] = useState<Partial<Record<keyof Fields, string>>>({})
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })
  const estimated = scalability.p !== null && scalability.demandMs !== null
  const set = (name: keyof Fields) => (value: number | string) => setFields((current) => ({ ...current, [name]: value }))

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    // The contract's own schema checks the form, so the limits live in one place.
    const parsed = WhatIfInputSchema.safeParse({
      cpus: parseList(fields.cpus),
      clients: parseList(fields.clients),
      thinkMs: optional(fields.thinkMs),
      p: optional(fields.p),
      demandMs: optional(fields.demandMs),
    } satisfies MethodInput<'whatIf'>)
    if (!parsed.success) {
      setInvalid(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])))
      return
    }
    setInvalid({})
    setOutcome({ kind: 'pending' })
    try {
      setOutcome({ kind: 'answered', result: await client.whatIf(parsed.data) })
    } catch (err) {
      setOutcome({ kind: 'failed', error: toGridNodeError(err) })
    }
  }

  return (
    <Card withBorder padding="lg">
      <Title order={4}>What if…</Title>
      <Text size="sm" c="dimmed" mb="md">
        Predicted speedup and throughput with other core and client counts, from Amdahl&apos;s law, the paper&apos;s bounds and
        a simulation of its closed-loop model.
      </Text>
      <form onSubmit={(event) => void submit(event)} data-testid="whatif-form">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput
              label="Cores"
              description="Comma-separated, e.g. 1, 2, 4"
              value={fields.cpus}
              onChange={(event) => set('cpus')(event.currentTarget.value)}
              error={invalid.cpus}
              data-testid="whatif-cpus"
            />
            <TextInput
              label="Clients"
              description="Comma-separated"
              value={fields.clients}
              onChange={(event) => set('clients')(event.currentTarget.value)}
              error={invalid.clients}
              data-testid="whatif-clients"
            />
            <NumberInput
              label="Think time Z"
              description="Between a client's requests, ms"
              min={0}
              value={fields.thinkMs}
              onChange={set('thinkMs')}
              error={invalid.thinkMs}
              data-testid="whatif-think"
            />
          </SimpleGrid>
          <Fieldset
            legend={estimated ? 'Assumptions (optional)' : 'Assumptions (this node has no estimate yet)'}
            variant="filled"
            styles={{ legend: { fontWeight: 600, fontSize: 'var(--mantine-font-size-sm)' } }}
          >
            <Text size="xs" c="dimmed" mb="xs">
              {estimated
                ? `Leave empty to use this node's estimate (p = ${scalability.p?.toFixed(2)}, D = ${formatMs(scalability.demandMs ?? 0)}).`
                : 'Values you assume, not measurements: the answer is only as good as they are.'}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <NumberInput
                label="Assumed p"
                description="Parallel fraction, 0…1"
                min={0}
                max={1}
                step={0.05}
                decimalScale={3}
                value={fields.p}
                onChange={set('p')}
                error={invalid.p}
                data-testid="whatif-p"
              />
              <NumberInput
                label="Assumed D"
                description="CPU demand per request, ms"
                min={0}
                value={fields.demandMs}
                onChange={set('demandMs')}
                error={invalid.demandMs}
                data-testid="whatif-demand"
              />
            </SimpleGrid>
          </Fieldset>
          <Group>
            <Button type="submit" leftSection={<IconCalculator size={16} />} loading={outcome.kind === 'pending'} data-testid="whatif-submit">
              Predict
            </Button>
          </Group>
        </Stack>
      </form>
      {outcome.kind === 'failed' && (
        <Alert color="red" mt="md" title="No answer" data-testid="whatif-error">
          {outcome.error.code}: {outcome.error.message}
        </Alert>
      )}
      {outcome.kind === 'answered' && (
        <Box mt="md">
          <WhatIfTable result={outcome.result} />
        </Box>
      )}
    </Card>
  )
}
