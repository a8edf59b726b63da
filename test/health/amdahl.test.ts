import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parallelFractionAtSaturation, parallelFractionFromWork, speedup, speedupCurve, throughputBounds } from '../../main/health/amdahl.ts'
import { SPEEDUP_CURVE_MAX_N } from '../../main/health/constants.ts'

test("the paper's example: N = 4, U = 0.33 gives p ≈ 0.24", () => {
  assert.ok(Math.abs(parallelFractionAtSaturation(4, 0.33) - 0.24) <= 0.01)
})

test('the saturation formula is the work formula with the sequential resource busy all window', () => {
  const n = 4
  const u = 0.6
  const windowMs = 1000
  assert.ok(Math.abs(parallelFractionAtSaturation(n, u) - parallelFractionFromWork(windowMs, n * u * windowMs)) < 1e-12)
})

test("Amdahl's speedup: its limits and a known point", () => {
  assert.equal(speedup(1, 0.7), 1)
  assert.equal(speedup(8, 1), 8)
  assert.equal(speedup(8, 0), 1)
  assert.ok(Math.abs(speedup(4, 0.5) - 1.6) < 1e-12)
  assert.ok(Math.abs(speedup(1e9, 0.75) - 4) < 1e-6)
})

test('the speedup curve runs n = 1…16 and never decreases', () => {
  const curve = speedupCurve(0.8)
  assert.deepEqual(
    curve.map((point) => point.n),
    Array.from({ length: SPEEDUP_CURVE_MAX_N }, (_, i) => i + 1),
  )
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.speedup > curve[i - 1]!.speedup)
})

test('the throughput bound is the least of the sequential, parallel and client bounds', () => {
  // D = 10 ms, p = 0.5, N = 4: 1/(D(1−p)) = 200/s, N/(D·p) = 800/s.
  const open = throughputBounds({ demand: 0.01, p: 0.5, n: 4 })
  assert.ok(Math.abs(open.sequential - 200) < 1e-9)
  assert.ok(Math.abs(open.parallel - 800) < 1e-9)
  assert.equal(open.clients, Infinity)
  assert.equal(open.max, open.sequential)
  // Nc = 1, Z = 90 ms: Nc/(D + Z) = 10/s binds.
  const closed = throughputBounds({ demand: 0.01, p: 0.5, n: 4, clients: 1, think: 0.09 })
  assert.ok(Math.abs(closed.max - 10) < 1e-9)
  // p = 0.95: the parallel part saturates first.
  const parallel = throughputBounds({ demand: 0.01, p: 0.95, n: 4 })
  assert.equal(parallel.max, parallel.parallel)
})
