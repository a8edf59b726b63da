/** This node's jobs, newest first: state, progress over their replicas, where they run, checkpoints; cancel. */
import { ActionIcon, Badge, Card, Group, Progress, Stack, Table, Text, Title, Tooltip } from '@mantine/core'
import { IconPlayerStop } from '@tabler/icons-react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { JobState, JobSummary } from '../../../../shared/api/compute-schemas.ts'
import { formatPercent, shortPeerId } from '../../format.ts'

/** The table shows the latest jobs only; the CLI lists them all. */
const SHOWN = 50

const JOB_STATES: Record<JobState, { label: string; color: string }> = {
  queued: { label: 'Waiting', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  done: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'yellow' },
}

export function JobsCard({ jobs, selfId, client }: { jobs: JobSummary[]; selfId: string; client: ApiClient }) {
  const latest = [...jobs].reverse().slice(0, SHOWN)
  return (
    <Card withBorder padding="lg" data-testid="jobs">
      <Stack gap="md">
        <div>
          <Title order={4}>Jobs</Title>
          <Text size="sm" c="dimmed">
            Jobs this node submitted to the VO. Each replica runs on a different member; a result counts once a majority of replicas agree on it.
          </Text>
        </div>
        {latest.length === 0 ? (
          <Text size="sm" c="dimmed">
            No jobs yet. Run the demo below, or submit one with <Text span ff="monospace">gridnode job submit</Text>.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <Table.Thead>
                <Table.Tr style={{ whiteSpace: 'nowrap' }}>
                  <Table.Th>Job</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th w="22%">Progress</Table.Th>
                  <Table.Th>Nodes</Table.Th>
                  <Table.Th ta="right">Checkpoints</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {latest.map((job) => (
                  <JobRow key={job.id} job={job} selfId={selfId} client={client} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  )
}

function JobRow({ job, selfId, client }: { job: JobSummary; selfId: string; client: ApiClient }) {
  const state = JOB_STATES[job.state]
  const open = job.state === 'queued' || job.state === 'running'
  return (
    <Table.Tr data-testid="job-row" data-job={job.id} data-state={job.state}>
      <Table.Td>
        <Text size="sm">{job.label ?? job.entry}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {job.id}
          {job.replicas > 1 ? ` · ${job.replicas} replicas` : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={job.error?.message ?? ''} disabled={job.error === null} multiline w={320}>
          <Badge color={state.color} variant="light">
            {state.label}
          </Badge>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Progress value={100 * job.progress} color={state.color} style={{ flex: 1 }} animated={job.state === 'running'} />
          <Text size="xs" w={40} ta="right">
            {formatPercent(job.progress)}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace">
          {job.nodes.length === 0 ? '—' : job.nodes.map((node) => (node === selfId ? 'this node' : shortPeerId(node))).join(', ')}
        </Text>
      </Table.Td>
      <Table.Td ta="right">{job.checkpoints}</Table.Td>
      <Table.Td>
        {open && (
          <Tooltip label="Cancel this job">
            <ActionIcon variant="subtle" color="gray" aria-label="Cancel this job" onClick={() => void client.jobCancel({ id: job.id }).catch(() => undefined)}>
              <IconPlayerStop size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Table.Td>
    </Table.Tr>
  )
}
