import assert from 'node:assert/strict'
import { test } from 'node:test'
import { peersLabel, shortPeerId, trayView } from '../../main/app/tray-view.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { statusFixture } from '../harness/fixtures.ts'

const peerId = '12D3KooWGzh2KpDw3m1bTCqmDoVhwzYwoz5Y1AVTmV2mJ3w3bHSz'

function status(peerCount: number): Status {
  return statusFixture(
    peerId,
    Array.from({ length: peerCount }, (_, i) => ({ peerId: `peer${i}`, addrs: [], latencyMs: null })),
  )
}

test('peer ids are shortened to their start and end', () => {
  assert.equal(shortPeerId(peerId), '12D3KooW…w3bHSz')
  assert.equal(shortPeerId('short'), 'short')
})

test('peer counts read naturally', () => {
  assert.equal(peersLabel(0), '0 peers connected')
  assert.equal(peersLabel(1), '1 peer connected')
  assert.equal(peersLabel(2), '2 peers connected')
})

test('the tray shows the node and its peer count', () => {
  assert.deepEqual(trayView(status(3)), {
    tooltip: 'GridNode — 3 peers connected',
    lines: ['Node 12D3KooW…w3bHSz', '3 peers connected'],
  })
})
