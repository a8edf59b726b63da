import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ESTIMATE_HISTORY, PARALLEL_CONTENTION_STALL_SHARE, SATURATED_FRACTION } from '../../main/health/constants.ts'
import { createScalabilityEstimator, judgeWindow, type ScalabilitySample } from '../../main/health/estimator.ts'

/** A 1 s window of a sequential resource busy `busy` of the time, queued `contended` of it. */
function sample(at: number, n: number, utilisation: number, busy: number, contended: number, stallMs?: number): ScalabilitySample {
  return {
    at,
    durationMs: 1000,
    n,
    utilisation,
    sequential: { acquisitions: 100, holdMs: busy * 1000, busyMs: busy * 1000, contendedMs: contended * 1000 },
    stallMs,
  }
}

test('with no contention seen, p is null and says so', () => {
  const estimator = createScalabilityEstimator()
  assert.equal(estimator.snapshot().p, null)
  estimator.observe(sample(1000, 4, 0.2, 0.3, 0.05))
  estimator.observe({ ...sample(2000, 4, 0.5, 1, 1), sequential: { acquisitions: 2, holdMs: 1000, busyMs: 1000, contendedMs: 1000 } })
  const estimate = estimator.snapshot()
  assert.equal(estimate.p, null)
  assert.equal(estimate.method, null)
  assert.equal(estimate.reason, 'no-contention-yet')
  assert.deepEqual(estimate.speedup, [])
  assert.equal(estimate.evidence.windows.light, 1)
  assert.equal(estimate.evidence.windows.quiet, 1)
})

test("saturated windows give the paper's estimate: N = 4, U = 0.33 → p ≈ 0.24", () => {
  const estimator = createScalabilityEstimator()
  for (let i = 1; i <= 5; i++) assert.equal(estimator.observe(sample(i * 1000, 4, 0.33, 1, 0.97)).kind, 'saturated')
  const estimate = estimator.snapshot(9000)
  assert.equal(estimate.method, 'paper')
  assert.ok(Math.abs(estimate.p! - 0.24) <= 0.01)
  assert.equal(estimate.samples, 5)
  assert.equal(estimate.N, 4)
  assert.equal(estimate.updatedAt, 5000)
  assert.equal(estimate.ageMs, 4000)
  assert.equal(estimate.spread, 0)
  assert.equal(estimate.speedup.length, 16)
  assert.ok(Math.abs(estimate.speedup[3]!.speedup - 1 / (1 - estimate.p! + estimate.p! / 4)) < 1e-12)
  // D = N·U·T / acquisitions = 4 × 0.33 × 1000 / 100 ms.
  assert.ok(Math.abs(estimate.demandMs! - 13.2) < 1e-9)
  assert.ok(estimate.bounds!.max > 0)
})

test('a window busy less than the saturation threshold is not saturated', () => {
  assert.equal(judgeWindow(sample(1000, 4, 0.33, SATURATED_FRACTION - 0.01, 0.5)).kind, 'light')
})

test('when the parallel resources contend, the corrected estimate is recommended and removes the stall', () => {
  const estimator = createScalabilityEstimator()
  // N = 4, p = 0.8, CPU-bound: U = 0.95, X = 380/s, D = 10 ms → sequential work 0.2·D·X = 760 ms
  // per second, but holders also stalled 200 ms for a CPU: the lock looks busy 960 ms.
  const window = (at: number): ScalabilitySample => ({
    at,
    durationMs: 1000,
    n: 4,
    utilisation: 0.95,
    sequential: { acquisitions: 380, holdMs: 960, busyMs: 960, contendedMs: 600 },
    stallMs: 200,
  })
  for (let i = 1; i <= 4; i++) assert.equal(estimator.observe(window(i * 1000)).kind, 'parallel')
  const estimate = estimator.snapshot()
  assert.equal(estimate.method, 'corrected')
  assert.ok(Math.abs(estimate.p! - 0.8) < 1e-9)
  assert.equal(estimate.paper.p, null)
  assert.equal(estimate.evidence.stallReported, true)
})

test('saturated windows with a stalled holder are "both": the paper reads them low, the correction does not', () => {
  // N = 2, p = 0.6: holders stalled 25% of each hold, so X·D·(1 − p) = 750 ms and N·U = 1.875.
  const verdict = judgeWindow({ ...sample(1000, 2, 0.9375, 1, 0.99), stallMs: 250 })
  assert.equal(verdict.kind, 'both')
  assert.ok(verdict.paper! < 0.5)
  assert.ok(Math.abs(verdict.corrected! - 0.6) < 1e-9)
})

test('a small stall does not count as parallel contention', () => {
  const verdict = judgeWindow(sample(1000, 4, 0.5, 1, 0.99, (PARALLEL_CONTENTION_STALL_SHARE / 2) * 1000))
  assert.equal(verdict.kind, 'saturated')
})

test('history is bounded: old windows age out', () => {
  const estimator = createScalabilityEstimator({ history: 10 })
  for (let i = 1; i <= 10; i++) estimator.observe(sample(i * 1000, 4, 0.25, 1, 1)) // p = 0
  for (let i = 11; i <= 20; i++) estimator.observe(sample(i * 1000, 4, 0.5, 1, 1)) // p = 0.5
  const estimate = estimator.snapshot()
  assert.equal(estimate.samples, 10)
  assert.ok(Math.abs(estimate.p! - 0.5) < 1e-9)
  assert.ok(ESTIMATE_HISTORY > 10)
})
