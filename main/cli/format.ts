/** How the CLI shows things to people; `--json` bypasses all of this. */
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

export function formatStatus(status: Status): string {
  const { node, peers } = status
  const rows: Array<[string, string]> = [
    ['peer id', node.peerId],
    ['version', node.version],
    ['uptime', formatDuration(node.uptimeSec)],
    ['data', node.dataDir],
    ...node.listen.map((addr, index): [string, string] => [index === 0 ? 'listen' : '', addr]),
    ['peers', String(peers.length)],
    ['p', status.scalability.p === null ? 'no estimate yet (no contention seen)' : `${status.scalability.p.toFixed(3)} (${status.scalability.method}, ${status.scalability.samples} windows)`],
  ]
  return rows.map(([label, value]) => `  ${label.padEnd(8)} ${value}\n`).join('') + (peers.length > 0 ? '\n' + formatPeers(peers) : '')
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}
