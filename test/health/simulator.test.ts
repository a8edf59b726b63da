import assert from 'node:assert/strict'
import { test } from 'node:test'
import { speedup } from '../../main/health/amdahl.ts'
import { simulate, whatIf } from '../../main/health/simulator.ts'

// Issue 6: with a fixed seed the simulator reproduces |error| ≤ 0.05 for p ≤ 0.6.
const TOLERANCE = 0.05
const config = { cpus: 4, clients: 10, windows: 30, seed: 42 }

test('with a fixed seed the estimate is within 0.05 of the injected p up to 0.6, both methods', () => {
  for (const p of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) {
    const { estimate } = simulate({ ...config, p })
    assert.ok(Math.abs(estimate.p! - p) <= TOLERANCE, `recommended ${estimate.p} for p = ${p}`)
    assert.ok(Math.abs(estimate.paper.p! - p) <= TOLERANCE, `paper ${estimate.paper.p} for p = ${p}`)
  }
})

test('beyond 0.6 the paper method falls short and the recommended estimate does not', () => {
  const { estimate } = simulate({ ...config, p: 0.9 })
  assert.equal(estimate.method, 'corrected')
  assert.ok(Math.abs(estimate.p! - 0.9) <= TOLERANCE)
  assert.ok(estimate.paper.p === null || estimate.paper.p < 0.9 - TOLERANCE)
})

test('the simulation is deterministic for a seed', () => {
  const a = simulate({ ...config, p: 0.5, windows: 5 })
  const b = simulate({ ...config, p: 0.5, windows: 5 })
  assert.deepEqual(a, b)
  const c = simulate({ ...config, p: 0.5, windows: 5, seed: 43 })
  assert.notEqual(a.estimate.p, c.estimate.p)
})

test('what-if: more cores help as Amdahl says, bounded by the paper', () => {
  const rows = whatIf({ p: 0.5, demandMs: 10, thinkMs: 10, cpus: [1, 4], clients: [10] })
  assert.equal(rows.length, 2)
  const [one, four] = rows
  assert.equal(four!.speedup, speedup(4, 0.5))
  assert.ok(four!.simulatedThroughput > one!.simulatedThroughput)
  for (const row of rows) assert.ok(row.simulatedThroughput <= row.bounds.max * 1.02)
})
