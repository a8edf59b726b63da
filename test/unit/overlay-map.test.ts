/** The overlay map the UI draws, from a node's view of its leaders and the members discovery found. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OverlayInfo } from '../../shared/api/overlay-schemas.ts'
import type { Candidate } from '../../renderer/src/views/health/useVoHealth.ts'
import { overlayMap } from '../../renderer/src/views/overlay/overlay-map.ts'

const overlay: OverlayInfo = {
  subgrid: 'east',
  region: 'eu',
  role: 'member',
  superPeer: 'E1',
  regionPeer: 'W1',
  indexSize: 0,
  superPeers: [
    { subgrid: 'east', peer: 'E1' },
    { subgrid: 'west', peer: 'W1' },
  ],
  regionPeers: [
    { region: 'eu', peer: 'W1' },
    { region: 'us', peer: 'U1' },
  ],
}

const candidate = (peer: string, subgrid: string, region: string): Candidate => ({ peer, subgrid, region, cores: 1, diskBytes: 1, load: 0, p: null, addrs: [], score: 0.5 })

test('regions hold their sub-grids, leaders first and crowned, this node marked; own region first', () => {
  const map = overlayMap(overlay, 'E2', [candidate('W2', 'west', 'eu'), candidate('E1', 'east', 'eu'), candidate('U2', 'lab', 'us'), candidate('W1', 'west', 'eu')])
  assert.deepEqual(
    map.map((r) => [r.region, r.regionPeer, r.own]),
    [
      ['eu', 'W1', true],
      ['us', 'U1', false],
    ],
  )
  const [eu, us] = map
  assert.deepEqual(
    eu!.subgrids.map((s) => [s.subgrid, s.superPeer, s.peers.map((p) => `${p.peer}:${p.role}${p.self ? ':self' : ''}`)]),
    [
      ['east', 'E1', ['E1:super-peer', 'E2:member:self']],
      ['west', 'W1', ['W1:region-peer', 'W2:member']],
    ],
  )
  // Another region's super-peers are not in this node's view: its sub-grids are drawn without one.
  assert.deepEqual(us!.subgrids.map((s) => [s.subgrid, s.superPeer]), [['lab', null]])
})

test('leaders known before any member is collected are drawn; a region known only by its region peer has no sub-grids', () => {
  const map = overlayMap(overlay, 'E2', [])
  assert.deepEqual(map[0]!.subgrids.map((s) => s.peers.map((p) => p.peer)), [['E1', 'E2'], ['W1']])
  assert.deepEqual(map[1]!.subgrids, [])
})

test('a node still electing has no leaders to draw, only itself', () => {
  const electing: OverlayInfo = { ...overlay, superPeer: null, regionPeer: null, superPeers: [], regionPeers: [] }
  assert.deepEqual(overlayMap(electing, 'E2', []), [{ region: 'eu', regionPeer: null, own: true, subgrids: [{ subgrid: 'east', superPeer: null, peers: [{ peer: 'E2', role: 'member', self: true }] }] }])
})
