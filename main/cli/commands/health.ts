/** `gridnode health` and `gridnode scalability`: the node's latest health sample and its p estimate. */
import type { HealthSample, Scalability } from '../../../shared/api/health-schemas.ts'
import { queryCommand } from '../query-command.ts'

const percent = (share: number): string => `${(100 * share).toFixed(1)} %`
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`
const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`

export function formatScalability(s: Scalability): string {
  if (s.p === null) {
    return (
      'No contention observed yet, so there is no estimate of p.\n' +
      "It appears once the node's sequential sections (store commits, and later the mirror sequencer and job results) are busy enough to queue.\n"
    )
  }
  const lines = [
    `p        ${s.p.toFixed(3)} (${s.method === 'paper' ? "the paper's formula, p = (N·U − 1)/(N·U) at saturation" : 'corrected for contended cores'})`,
    `windows  ${s.samples} contention windows, spread ${s.spread?.toFixed(3) ?? '—'}, updated ${s.updatedAt ?? '—'}`,
    `N        ${s.N} cores`,
    `speedup  ${s.speedup.map((point) => `${point.n}: ${point.speedup.toFixed(2)}`).join('  ')}`,
  ]
  if (s.bounds !== null) lines.push(`bounds   ${s.bounds.max?.toFixed(1) ?? 'unbounded'} requests/s at most`)
  return lines.join('\n') + '\n'
}

export function formatHealth(sample: HealthSample): string {
  return [
    `cpu      ${percent(sample.cpu.machine)} machine, ${percent(sample.cpu.process)} this node, ${sample.cpu.cores} cores`,
    `load     ${sample.load.map((value) => value.toFixed(2)).join(' ')}`,
    `memory   ${mib(sample.memory.processRssBytes)} RSS, ${gib(sample.memory.freeBytes)} of ${gib(sample.memory.totalBytes)} free`,
    `loop     ${sample.eventLoop.delayP99Ms.toFixed(1)} ms p99 delay, ${percent(sample.eventLoop.utilisation)} busy`,
    `disk     ${mib(sample.disk.storeBytes)} stored, ${gib(sample.disk.freeBytes)} free`,
    `network  ${(sample.net.inBytesPerSec / 1024).toFixed(1)} KiB/s in, ${(sample.net.outBytesPerSec / 1024).toFixed(1)} KiB/s out`,
    `peers    ${sample.peers}`,
  ].join('\n') + '\n'
}

export const scalabilityCommand = () =>
  queryCommand(
    'scalability',
    "the node's CPU scalability (Amdahl p) estimated from contention, with its evidence",
    (client) => client.scalability({}),
    formatScalability,
  )

export const healthCommand = () =>
  queryCommand(
    'health',
    "the node's latest health sample (CPU, memory, event loop, disk, network, peers)",
    async (client) => {
      const { samples, scalability } = await client.health({ resolution: 'second' })
      return { latest: samples.at(-1) ?? null, scalability }
    },
    ({ latest }) => (latest === null ? 'No health sample yet (the first comes a second after start).\n' : formatHealth(latest)),
  )
