/**
 * Issue 3's overlay on real processes across two sub-grids of one region (east: e1–e3, west:
 * w1–w2), formed the way people form a VO: e1 creates it and the others join through e1 one by
 * one, so each node learns the others incrementally (hello directories, dials on demand). Each
 * sub-grid elects a super-peer, the super-peers elect one region peer, and discovery reaches both
 * sub-grids; after SIGKILL of the east super-peer (often also the region peer) the survivors agree
 * again on live leaders only, and discovery still reaches the west.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OverlayInfo } from '../../shared/api/overlay-schemas.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { formVo, startNodes, type NodeProcess } from '../harness/node-process.ts'

const subgridOf = (name: string): string => (name.startsWith('e') ? 'east' : 'west')

/** The leaders every node names, once each sub-grid agrees on a live super-peer and all agree on one live region peer; else null. */
function agreement(nodes: NodeProcess[], infos: OverlayInfo[]): { superPeers: Map<string, string>; regionPeer: string } | null {
  const live = new Set(nodes.map((n) => n.peerId))
  const superPeers = new Map<string, string>()
  for (const [i, info] of infos.entries()) {
    const subgrid = subgridOf(nodes[i]!.name)
    if (info.superPeer === null || !live.has(info.superPeer)) return null
    if ((superPeers.get(subgrid) ?? info.superPeer) !== info.superPeer) return null
    superPeers.set(subgrid, info.superPeer)
  }
  const regionPeers = new Set(infos.map((info) => info.regionPeer))
  const [regionPeer] = regionPeers
  if (regionPeers.size !== 1 || regionPeer === undefined || regionPeer === null || !live.has(regionPeer)) return null
  // The leaders hold their offices by their own account too, and each super-peer's index holds
  // every live member of its sub-grid (a new super-peer's starts empty and fills as they register).
  for (const [i, info] of infos.entries()) {
    const peer = nodes[i]!.peerId
    const expected = peer === regionPeer ? 'region-peer' : [...superPeers.values()].includes(peer) ? 'super-peer' : 'member'
    if (info.role !== expected) return null
    const members = nodes.filter((n) => subgridOf(n.name) === subgridOf(nodes[i]!.name)).length
    if (expected !== 'member' && info.indexSize < members) return null
  }
  return { superPeers, regionPeer }
}

/** Waits, on the nodes' status streams, until `agreement` holds. */
async function agreed(nodes: NodeProcess[]): Promise<{ superPeers: Map<string, string>; regionPeer: string }> {
  for (;;) {
    const infos = (await Promise.all(nodes.map((node) => node.waitForStatus((s) => s.overlay != null, `${node.name} to be in the overlay`)))).map((s) => s.overlay!)
    const result = agreement(nodes, infos)
    if (result !== null) return result
    const name = (peer: string | null): string => nodes.find((n) => n.peerId === peer)?.name ?? (peer === null ? 'none' : 'DEAD')
    const seen = infos.map((s, i) => `${nodes[i]!.name}: ${s.role} super=${name(s.superPeer)} region=${name(s.regionPeer)}`).join('; ')
    const same = (a: OverlayInfo, b: OverlayInfo): boolean => a.role === b.role && a.superPeer === b.superPeer && a.regionPeer === b.regionPeer && a.indexSize === b.indexSize
    await Promise.race(nodes.map((node, i) => node.waitForStatus((s: Status) => s.overlay == null || !same(s.overlay, infos[i]!), `an overlay change (last seen: ${seen})`, 30_000)))
  }
}

test('two sub-grids elect super-peers and one region peer; discovery spans both, also after SIGKILL of the east super-peer', async (t) => {
  const names = ['e1', 'e2', 'e3', 'w1', 'w2']
  const nodes = await startNodes(t, names, (name) => ['--subgrid', subgridOf(name), '--region', 'eu'])
  await formVo(nodes)
  const first = await agreed(nodes)

  // Each node's map of the overlay (what the UI draws) comes to name both sub-grids' leaders.
  const mapsBoth = (info: OverlayInfo | null | undefined): boolean =>
    info != null && [...first.superPeers].every(([subgrid, peer]) => info.superPeers.some((e) => e.subgrid === subgrid && e.peer === peer)) && info.regionPeers.some((e) => e.region === 'eu' && e.peer === first.regionPeer)
  // Announcements repeat every few seconds, so on a loaded machine the last copy can take a while.
  await Promise.all(nodes.map((node) => node.waitForStatus((s) => mapsBoth(s.overlay), `${node.name}'s overlay map to name both super-peers and the region peer`, 30_000)))

  const westMember = nodes.find((n) => subgridOf(n.name) === 'west' && n.peerId !== first.superPeers.get('west'))!
  const found = await westMember.client.discover({ cores: 1, want: 4 })
  assert.equal(found.satisfied, true, JSON.stringify({ candidates: found.candidates.map((c) => c.subgrid), path: found.path }))
  assert.deepEqual(new Set(found.candidates.map((c) => c.subgrid)), new Set(['east', 'west']))

  const eastLeader = nodes.find((n) => n.peerId === first.superPeers.get('east'))!
  assert.equal((await eastLeader.signal('SIGKILL')).signal, 'SIGKILL')
  const survivors = nodes.filter((n) => n !== eastLeader)
  const second = await agreed(survivors)
  assert.notEqual(second.superPeers.get('east'), eastLeader.peerId)

  // A super-peer connects to the region's other leaders as soon as it knows them, but a query in
  // the first moments after it takes office can outrun that connection's membership proof (the
  // region stage then times out without them). So ask once the new east super-peer is connected.
  const newEast = survivors.find((n) => n.peerId === second.superPeers.get('east'))!
  const westSuperPeer = second.superPeers.get('west')!
  await newEast.waitForStatus((s) => s.peers.some((p) => p.peerId === westSuperPeer), 'the new east super-peer to connect to the west one')
  const asker = survivors.find((n) => subgridOf(n.name) === 'east')!
  const again = await asker.client.discover({ cores: 1, want: 3 })
  assert.equal(again.satisfied, true, JSON.stringify({ candidates: again.candidates.map((c) => c.subgrid), path: again.path }))
  assert.ok(again.candidates.some((c) => c.subgrid === 'west'), 'discovery reaches the west')
  assert.ok(!again.candidates.some((c) => c.peer === eastLeader.peerId), 'the dead node is no longer offered')
})
