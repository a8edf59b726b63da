/** What the tray shows about the node, computed from its status alone (testable without Electron). */
import type { Status } from '../../shared/api/schemas.ts'

export interface TrayView {
  tooltip: string
  /** Disabled menu lines describing the node. */
  lines: string[]
}

/** Peer ids are ~52 characters; the start and end are enough to tell nodes apart at a glance. */
export function shortPeerId(peerId: string): string {
  return peerId.length <= 16 ? peerId : `${peerId.slice(0, 8)}…${peerId.slice(-6)}`
}

export function peersLabel(count: number): string {
  return count === 1 ? '1 peer connected' : `${count} peers connected`
}

export function trayView(status: Status): TrayView {
  const peer = `Node ${shortPeerId(status.node.peerId)}`
  const peers = peersLabel(status.peers.length)
  return { tooltip: `GridNode — ${peers}`, lines: [peer, peers] }
}
