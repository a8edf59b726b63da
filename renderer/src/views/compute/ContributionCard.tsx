/**
 * The contribution settings (issue 5): the CPU this node offers (whole cores or a share of the
 * machine), "only when idle", and the disk quota with what is used and free. Each control saves
 * as soon as it is set; the node's next status shows the result, so what is drawn is what the
 * node has, except while a slider is held.
 */
import { Badge, Button, Card, Group, NumberInput, Progress, SegmentedControl, Slider, Stack, Switch, Text, Title } from '@mantine/core'
import { IconDeviceFloppy } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { ContributeInput, ContributionState, CpuMode, Resources } from '../../../../shared/api/contribution-schemas.ts'
import { FieldLabel } from '../../components/FieldLabel.tsx'
import { formatBytes } from '../../format.ts'
import { useVoCall } from '../vo/useVoCall.ts'
import { VoError } from '../vo/VoError.tsx'

const GB = 1e9
const PERCENT_STEP = 5

/** A mark per core where they fit; on big machines just the ends. */
const MAX_CORE_MARKS = 16
const coreMarks = (machine: number) => (machine <= MAX_CORE_MARKS ? Array.from({ length: machine + 1 }, (_, v) => v) : [0, machine]).map((v) => ({ value: v, label: String(v) }))

const STATES: Record<ContributionState, { label: string; color: string; hint: string }> = {
  running: { label: 'Running', color: 'teal', hint: 'Members’ jobs may use the CPU offered.' },
  'paused-busy': { label: 'Paused', color: 'yellow', hint: 'Paused while this computer is in use: jobs resume once it has been idle for a few seconds.' },
  off: { label: 'Off', color: 'gray', hint: 'No CPU is offered: this node runs no jobs.' },
}

export function ContributionCard({ resources, client }: { resources: Resources; client: ApiClient }) {
  const call = useVoCall((change: ContributeInput) => client.contribute(change))
  const save = (change: ContributeInput): Promise<boolean> => call.run(change).then((outcome) => outcome.kind === 'done')
  const state = STATES[resources.state]
  return (
    <Card withBorder padding="lg" data-testid="contribution">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4}>Contribution</Title>
            <Text size="sm" c="dimmed">
              What this computer gives your VO: CPU for members’ sandboxed jobs, disk for their backup copies.
            </Text>
          </div>
          <Badge color={state.color} variant="light" size="lg" data-testid="contribution-state" data-state={resources.state}>
            {state.label}
          </Badge>
        </Group>
        <CpuOffer resources={resources} save={save} />
        <Switch
          checked={resources.idleOnly}
          onChange={(event) => void save({ idleOnly: event.currentTarget.checked })}
          label="Only while this computer is idle"
          description="Jobs pause within 2 seconds when you use the computer and resume once it has been idle a few seconds."
          data-testid="contribution-idle-only"
        />
        <DiskQuota resources={resources} save={save} />
        {call.state.kind === 'failed' && <VoError error={call.state.error} title="The setting was not changed" />}
      </Stack>
    </Card>
  )
}

type Save = (change: ContributeInput) => Promise<boolean>

function CpuOffer({ resources, save }: { resources: Resources; save: Save }) {
  const { cores } = resources
  const nodeValue = cores.mode === 'percent' ? (cores.percent ?? 0) : cores.offered
  // The slider shows where it was moved until the node's status moves too (or the change fails).
  const [held, setHeld] = useState<{ value: number; over: number } | null>(null)
  const value = held !== null && held.over === nodeValue ? held.value : nodeValue
  async function release(end: number): Promise<void> {
    const saved = await save(cores.mode === 'percent' ? { cpuPercent: end } : { cores: end })
    if (!saved) setHeld(null)
  }
  const switchMode = (mode: CpuMode): void =>
    void save(mode === 'percent' ? { cpuPercent: Math.round((100 * cores.offered) / cores.machine) } : { cores: cores.offered })

  return (
    <div>
      <Group justify="space-between" mb="xs">
        <FieldLabel>CPU</FieldLabel>
        <SegmentedControl
          size="xs"
          value={cores.mode}
          onChange={(mode) => switchMode(mode as CpuMode)}
          data={[
            { label: 'Cores', value: 'cores' },
            { label: '% of CPU', value: 'percent' },
          ]}
          data-testid="contribution-cpu-mode"
        />
      </Group>
      <Slider
        min={0}
        max={cores.mode === 'percent' ? 100 : cores.machine}
        step={cores.mode === 'percent' ? PERCENT_STEP : 1}
        marks={cores.mode === 'percent' ? [0, 50, 100].map((v) => ({ value: v, label: `${v}%` })) : coreMarks(cores.machine)}
        label={(v) => (cores.mode === 'percent' ? `${v}%` : `${v} of ${cores.machine}`)}
        value={value}
        onChange={(moved) => setHeld({ value: moved, over: nodeValue })}
        onChangeEnd={(end) => void release(end)}
        thumbLabel="CPU offered"
        data-testid="contribution-cpu-slider"
        mb="xl"
      />
      <Text size="sm" data-testid="contribution-cpu-summary">
        {cores.mode === 'percent' ? `${cores.percent ?? 0}% of the CPU: ` : ''}
        {cores.offered} of {cores.machine} cores offered
      </Text>
      <Text size="xs" c="dimmed">
        {STATES[resources.state].hint}
      </Text>
    </div>
  )
}

function DiskQuota({ resources, save }: { resources: Resources; save: Save }) {
  const { quotaBytes, usedBytes, freeBytes } = resources.disk
  const [draft, setDraft] = useState<number | string | null>(null)
  const share = (bytes: number): number => (quotaBytes === 0 ? 0 : Math.min(100, (100 * bytes) / quotaBytes))

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    if (typeof draft === 'number' && (await save({ diskQuotaBytes: Math.round(draft * GB) }))) setDraft(null)
  }

  return (
    <div>
      <FieldLabel>Disk</FieldLabel>
      <Progress.Root size="lg" mb={6} aria-label="Contributed store: used and free">
        <Progress.Section value={share(usedBytes)} color="teal" />
        <Progress.Section value={share(freeBytes)} color="teal.1" />
      </Progress.Root>
      <Text size="sm" mb="sm" data-testid="contribution-disk">
        {formatBytes(usedBytes)} used · {formatBytes(freeBytes)} free · quota {formatBytes(quotaBytes)}
        {freeBytes < quotaBytes - usedBytes && ' (the disk itself is nearly full)'}
      </Text>
      <form onSubmit={(event) => void submit(event)}>
        <Group align="flex-end" gap="sm">
          <NumberInput
            label="Quota for backup copies (GB)"
            min={0}
            decimalScale={2}
            value={draft ?? Number((quotaBytes / GB).toFixed(2))}
            onChange={setDraft}
            w={240}
            data-testid="contribution-quota"
          />
          <Button type="submit" variant="light" leftSection={<IconDeviceFloppy size={16} />} disabled={typeof draft !== 'number'} data-testid="contribution-quota-save">
            Save quota
          </Button>
        </Group>
      </form>
    </div>
  )
}
