/**
 * Compute (issue 5): what this node contributes to its VO, the jobs it submitted with their
 * progress, the Mandelbrot demo filling in tile by tile, and what it spent for each member.
 */
import { Alert, Stack } from '@mantine/core'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { PageHeader } from '../components/PageHeader.tsx'
import { AccountingCard } from './compute/AccountingCard.tsx'
import { ContributionCard } from './compute/ContributionCard.tsx'
import { JobsCard } from './compute/JobsCard.tsx'
import { MandelbrotCard } from './compute/MandelbrotCard.tsx'
import { useJobs } from './compute/useJobs.ts'

export function ComputeView({ status, client }: { status: Status; client: ApiClient }) {
  const { jobs } = useJobs(client)
  const selfId = status.node.peerId
  // Runs here starting or ending change what the audit log holds.
  const usageVersion = JSON.stringify(status.jobs ?? null)
  return (
    <Stack gap="lg" data-testid="compute-view">
      <PageHeader title="Compute" description="The CPU and disk this computer offers the members of your VO, the jobs it runs on the VO, and what it has given each member." />
      {status.resources === undefined ? (
        <Alert color="gray" title="Contribution settings are not available">
          This node is older than the contribution settings: update GridNode to set them here.
        </Alert>
      ) : (
        <ContributionCard resources={status.resources} client={client} />
      )}
      {jobs !== null && <MandelbrotCard jobs={jobs} selfId={selfId} client={client} />}
      {jobs !== null && <JobsCard jobs={[...jobs.values()]} selfId={selfId} client={client} />}
      <AccountingCard client={client} selfId={selfId} version={usageVersion} />
    </Stack>
  )
}
