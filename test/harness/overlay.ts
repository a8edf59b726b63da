/** Waits on the overlay of real nodes, driven by their status events. */
import type { Status } from '../../shared/api/schemas.ts'
import type { NodeProcess } from './node-process.ts'

/** Resolves with the super-peer once every node names the same live one. */
export async function agreedSuperPeer(nodes: NodeProcess[]): Promise<string> {
  const live = new Set(nodes.map((n) => n.peerId))
  for (;;) {
    const infos = await Promise.all(nodes.map((node) => node.waitForStatus((s) => s.overlay?.superPeer != null, `${node.name} to know its super-peer`)))
    const named = new Set(infos.map((s) => s.overlay!.superPeer!))
    const [only] = named
    if (named.size === 1 && only !== undefined && live.has(only)) return only
    const seen = infos.map((s, i) => `${nodes[i]!.name}: ${s.overlay!.superPeer!.slice(-6)}`).join(', ')
    // Not yet: wait for the next change any node pushes.
    await Promise.race(
      nodes.map((node, i) => node.waitForStatus((s: Status) => s.overlay?.superPeer !== infos[i]!.overlay!.superPeer, `a super-peer change (last seen: ${seen})`)),
    )
  }
}
