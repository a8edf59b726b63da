/** How the CLI shows things to people; `--json` bypasses all of this. */
import type { Resources } from '../../shared/api/contribution-schemas.ts'
import type { Peer, Status } from '../../shared/api/schemas.ts'

export function formatDuration(totalSeconds: number): string {
  const s = Math.floor(totalSeconds)
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ]
  const shown = parts.filter(([value], index) => value > 0 || index === parts.length - 1)
  return shown
    .slice(0, 2)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ')
}

export function formatLatency(latencyMs: number | null): string {
  return latencyMs === null ? '—' : `${latencyMs} ms`
}

export function formatPeers(peers: Peer[]): string {
  if (peers.length === 0) return 'No peers connected. Connect one with: gridnode connect MULTIADDR\n'
  return peers.map((peer) => `${peer.peerId}  ${formatLatency(peer.latencyMs).padStart(7)}  ${peer.addrs.join(', ')}\n`).join('')
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** "812 B", "500 MiB", "1.5 GiB": binary units, like the sizes the commands accept. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${Number(value.toFixed(value >= 100 || unit === 0 ? 0 : 1))} ${BINARY_UNITS[unit]}`
}

const STATE_WORDS: Record<Resources['state'], string> = {
  running: 'running',
  'paused-busy': 'paused until the machine is idle',
  off: 'off: no CPU offered',
}

/** One line on the CPU offer: "1 of 2 cores, running" or "50 % of the CPU (1 of 2 cores), paused until the machine is idle". */
export function formatCpuOffer({ cores, state }: Resources): string {
  const offer = cores.mode === 'percent' ? `${cores.percent ?? 0} % of the CPU (${cores.offered} of ${cores.machine} cores)` : `${cores.offered} of ${cores.machine} cores`
  return `${offer}, ${STATE_WORDS[state]}`
}

export function formatResources(resources: Resources): string {
  const { disk } = resources
  const rows: Array<[string, string]> = [
    ['cpu', formatCpuOffer(resources)],
    ['idle only', resources.idleOnly ? 'on: CPU is offered only while the machine is otherwise idle' : 'off'],
    ['disk', `quota ${formatBytes(disk.quotaBytes)}, used ${formatBytes(disk.usedBytes)}, ${formatBytes(disk.freeBytes)} free for the contributed store`],
  ]
  return rows.map(([label, value]) => `  ${label.padEnd(10)} ${value}\n`).join('')
}

export function formatStatus(status: Status): string {
  const { node, peers } = status
  const rows: Array<[string, string]> = [
    ['peer id', node.peerId],
    ['version', node.version],
    ['uptime', formatDuration(node.uptimeSec)],
    ['data', node.dataDir],
    ...node.listen.map((addr, index): [string, string] => [index === 0 ? 'listen' : '', addr]),
    ['peers', String(peers.length)],
    ...(status.resources === undefined ? [] : [['offers', formatCpuOffer(status.resources)] as [string, string]]),
    ['p', status.scalability.p === null ? 'no estimate yet (no contention seen)' : `${status.scalability.p.toFixed(3)} (${status.scalability.method}, ${status.scalability.samples} windows)`],
  ]
  return rows.map(([label, value]) => `  ${label.padEnd(8)} ${value}\n`).join('') + (peers.length > 0 ? '\n' + formatPeers(peers) : '')
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}
