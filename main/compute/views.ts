/** A job as the API shows it: the coordinator's state and the job's metadata, in the contract's shapes. */
import type { JobDetail, JobRun, JobSummary } from '../../shared/api/compute-schemas.ts'
import type { Job, Run } from './coordinator.ts'
import type { StoredJob } from './job-store.ts'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/** Runs that count for the job: not the lost ones, nor those stopped because another settled it. */
const counting = (run: Run): boolean => run.state === 'offered' || run.state === 'running' || run.state === 'done' || run.state === 'failed'

/** 0…1: each replica asked for weighs alike, at the progress of its best run. */
function jobProgress(job: Job): number {
  if (job.state === 'done') return 1
  const bySlot = new Map<number, number>()
  for (const run of job.runs) if (run.state !== 'lost') bySlot.set(run.slot, Math.max(bySlot.get(run.slot) ?? 0, run.progress))
  let total = 0
  for (let slot = 0; slot < job.spec.replicas; slot++) total += bySlot.get(slot) ?? 0
  return Math.min(1, total / job.spec.replicas)
}

export function toSummary({ job, meta }: StoredJob): JobSummary {
  return {
    id: job.id,
    label: meta.label,
    entry: job.spec.entry,
    state: job.state,
    replicas: job.spec.replicas,
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    endedAt: iso(job.endedAt),
    progress: jobProgress(job),
    nodes: [...new Set(job.runs.filter(counting).map((run) => run.node))],
    checkpoints: job.runs.reduce((sum, run) => sum + run.checkpoints, 0),
    error: job.error,
  }
}

const toRun = (run: Run): JobRun => ({
  id: run.id,
  slot: run.slot,
  node: run.node,
  state: run.state,
  startedAt: iso(run.startedAt),
  endedAt: iso(run.endedAt),
  progress: run.progress,
  checkpoints: run.checkpoints,
  intervalMs: run.intervalMs,
  resumedFrom: run.resumedFrom,
  hash: run.hash,
  cpuMs: run.cpuMs,
  wallMs: run.wallMs,
  error: run.error,
})

export function toDetail(stored: StoredJob): JobDetail {
  const { job, meta } = stored
  const latest = [...job.runs].reverse().find((run) => run.intervalMs !== null)
  return {
    ...toSummary(stored),
    limits: { maxSeconds: job.spec.maxSeconds, memoryBytes: job.spec.memoryBytes },
    module: { bytes: meta.moduleBytes, sha256: meta.moduleSha256, checkpointable: job.spec.checkpointable },
    inputBytes: meta.inputBytes,
    checkpointPolicy: meta.policy,
    intervalMs: latest?.intervalMs ?? null,
    runs: job.runs.map(toRun),
    result: job.result === null ? null : { sha256: job.result.hash, bytes: meta.outputBytes ?? 0, agreeing: job.result.agreeing, cpuMs: job.result.cpuMs, wallMs: job.result.wallMs },
  }
}
