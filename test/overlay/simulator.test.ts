import assert from 'node:assert/strict'
import { test } from 'node:test'
import { simulateOverlay } from '../../main/overlay/simulator.ts'
import { GOALS, overlayFigures } from '../../sim/overlay.ts'

// One small run shared by the goal checks: 1000 nodes, every message through parseMessage.
const result = simulateOverlay({ nodes: 1000, queries: 100, loss: 0.01, seed: 7, kills: 10, validate: true })
const figures = overlayFigures(result)

test('at N = 1000 the goals hold: in-region hops, messages vs flooding, re-election', () => {
  assert.ok(figures.systems.overlay.inRegionHopsP99 <= GOALS.inRegionHops, `in-region p99 ${figures.systems.overlay.inRegionHopsP99}`)
  assert.ok(figures.goals.messagesVsFlooding.met, `ratio ${figures.goals.messagesVsFlooding.value}`)
  assert.ok(figures.goals.reElection.met, `re-election ${figures.goals.reElection.value} intervals`)
  assert.ok(figures.systems.overlay.satisfied >= 0.97, `satisfied ${figures.systems.overlay.satisfied}`)
  assert.ok(figures.afterFailures.satisfied >= 0.9, `after failures ${figures.afterFailures.satisfied}`)
})

test('the cores only ever send messages that parseMessage accepts', () => {
  assert.equal(result.rejected, 0)
})

test('with 10% loss and jittered delays (reordering) every sub-grid still converges on one live super-peer', () => {
  const lossy = simulateOverlay({ nodes: 300, subgridSize: 30, regions: 3, queries: 30, loss: 0.1, seed: 3, kills: 3 })
  assert.equal(lossy.converged.agreed, lossy.converged.subgrids)
  assert.equal(lossy.superPeerFailover.electedMs.length, lossy.superPeerFailover.killed)
})

test('a run is deterministic for a seed', () => {
  const a = simulateOverlay({ nodes: 200, queries: 20, seed: 5, kills: 2 })
  const b = simulateOverlay({ nodes: 200, queries: 20, seed: 5, kills: 2 })
  assert.deepEqual(a, b)
})
