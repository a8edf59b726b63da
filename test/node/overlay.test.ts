/**
 * Issue 3's overlay on real processes, within one sub-grid (the default without --subgrid hints):
 * VO members elect one super-peer, which indexes their advertisements and answers discovery; when
 * it is killed, the others elect a new one and discovery works again.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DiscoverResult, OverlayInfo } from '../../shared/api/overlay-schemas.ts'
import { runCliJson } from '../harness/cli.ts'
import { formVo, startNodes } from '../harness/node-process.ts'
import { agreedSuperPeer } from '../harness/overlay.ts'
import { lanSubgrid } from '../../main/node/lan-subgrid.ts'

test('members elect one super-peer that answers discovery; after SIGKILL a new one is elected and answers', async (t) => {
  const nodes = await startNodes(t, ['n1', 'n2', 'n3', 'n4'])
  await formVo(nodes)
  const first = await agreedSuperPeer(nodes)
  const leader = nodes.find((n) => n.peerId === first)!
  const info = await runCliJson<OverlayInfo>(['overlay', '--data', leader.dataDir])
  assert.notEqual(info.role, 'member')
  // Without a hint a node is in its LAN's sub-grid: the same for every node on this machine.
  assert.equal(info.subgrid, lanSubgrid())

  const asker = nodes.find((n) => n !== leader)!
  // Every other member offers a core: all three are wanted.
  const found = await runCliJson<DiscoverResult>(['discover', '--cores', '1', '--want', '3', '--data', asker.dataDir])
  assert.equal(found.satisfied, true)
  assert.deepEqual(found.candidates.map((c) => c.peer).sort(), nodes.filter((n) => n !== asker).map((n) => n.peerId).sort())
  assert.equal(found.path[0], asker.peerId, 'the path starts at the asking node')
  // Advertisements say what each node really offers, from the first one on: no zeros.
  assert.ok(found.candidates.every((c) => c.cores > 0 && c.diskBytes > 0), JSON.stringify(found.candidates.map((c) => [c.cores, c.diskBytes])))
  // Through the super-peer (scores follow load, so a takeover may have made the asker one meanwhile).
  const askerLeads = (await asker.client.status({})).overlay?.superPeer === asker.peerId
  assert.ok(found.hops <= 3 && (found.hops >= 1 || askerLeads), `hops ${found.hops}, path ${JSON.stringify(found.path)}`)

  assert.equal((await leader.signal('SIGKILL')).signal, 'SIGKILL')
  const survivors = nodes.filter((n) => n !== leader)
  const second = await agreedSuperPeer(survivors)
  assert.notEqual(second, first)

  const other = survivors.find((n) => n.peerId !== second)!
  const again = await other.client.discover({ cores: 1, want: 2 })
  assert.equal(again.satisfied, true)
  assert.ok(!again.candidates.some((c) => c.peer === first), 'the dead node is no longer offered')
})
