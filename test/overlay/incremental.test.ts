/**
 * The overlay when peers learn each other incrementally, as over libp2p (a VO formed by joining
 * through its creator, then hellos and dials on demand; simulator.ts's incrementalJoins): a killed
 * super-peer and a killed region peer are replaced, and every node ends up naming one live region
 * peer. Views there learn terms second-hand that the elections never saw, and rival leaders of one
 * term meet late, which is how live 5-node runs kept a dead region peer or two region peers.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { simulateOverlay } from '../../main/overlay/simulator.ts'

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1)

for (const [nodes, subgridSize] of [
  [5, 3],
  [9, 3],
] as const) {
  test(`${nodes} nodes in sub-grids of ${subgridSize}, one region: after killing a super-peer and the region peer, all agree on live leaders`, () => {
    const stuck = SEEDS.filter((seed) => {
      const r = simulateOverlay({ nodes, subgridSize, regions: 1, queries: 4, loss: 0, seed, kills: 1, incrementalJoins: true, validate: true })
      return r.rejected > 0 || r.converged.agreed !== r.converged.subgrids || r.converged.regionsAgreed !== r.converged.regions || r.regionPeerFailover.electedMs.length !== r.regionPeerFailover.killed
    })
    assert.deepEqual(stuck, [], `seeds that never converged: ${stuck.join(', ')}`)
  })
}

test('with incremental joins and 5% loss, every sub-grid and region still converges', () => {
  const stuck = SEEDS.slice(0, 10).filter((seed) => {
    const r = simulateOverlay({ nodes: 60, subgridSize: 10, regions: 2, queries: 10, loss: 0.05, seed, kills: 2, incrementalJoins: true })
    return r.converged.agreed !== r.converged.subgrids || r.converged.regionsAgreed !== r.converged.regions
  })
  assert.deepEqual(stuck, [], `seeds that never converged: ${stuck.join(', ')}`)
})
