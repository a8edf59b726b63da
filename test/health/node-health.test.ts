/**
 * The node's health service end to end in-process: a real instrumented lock saturated by real CPU
 * work, real CPU sampling, the monitor and its change event. All the work is serial, so the node
 * must find p near 0.
 */
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ScalabilitySchema } from '../../shared/api/health-schemas.ts'
import { InstrumentedLock } from '../../main/health/instrumented-lock.ts'
import { createNodeHealth } from '../../main/health/node-health.ts'
import { createLogger } from '../../main/log/logger.ts'

const ESTIMATE_TIMEOUT_MS = 15_000
const HOLD_MS = 2
const CONTENDERS = 4

function spin(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end);
}

test('a saturated serial section yields an estimate near p = 0 and announces it', async (t) => {
  const lock = new InstrumentedLock()
  const health = createNodeHealth(
    { takeTraffic: async () => ({ inBytes: 0, outBytes: 0 }), peerCount: () => 0, jobs: () => ({ queued: 0, running: 0 }), locks: [lock], logger: createLogger({ level: 'silent' }) },
    { dataDir: await mkdtemp(join(tmpdir(), 'gridnode-health-')), storeFolders: [], version: '0.0.0', peerId: 'test' },
  )
  const before = health.scalability()
  assert.equal(before.reason, 'no-contention-yet')
  assert.deepEqual(ScalabilitySchema.parse(before), before, 'the in-process value is exactly its wire form')

  let running = true
  const announced = new Promise<void>((resolve) => health.onEstimateChange(resolve))
  // Each holder spins on the CPU, then yields to the event loop while still holding the lock, so
  // the sampler's timer runs while requests stay queued: the section is saturated throughout.
  const contend = async (): Promise<void> => {
    while (running) await lock.run(async () => {
      spin(HOLD_MS)
      await new Promise((resolve) => setImmediate(resolve))
    })
  }
  health.start()
  const contenders = Array.from({ length: CONTENDERS }, contend)
  t.after(async () => {
    running = false
    health.stop()
    await Promise.all(contenders)
  })

  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no estimate announced')), ESTIMATE_TIMEOUT_MS).unref())
  await Promise.race([announced, timeout])
  const estimate = health.scalability()
  assert.notEqual(estimate.p, null)
  assert.ok(estimate.method !== null && estimate.samples >= 1)
  assert.ok((estimate.p ?? 1) <= 0.15, `serial work reads p = ${estimate.p}`)
  assert.equal(estimate.speedup.length, 16)
  assert.ok(estimate.evidence.windows.saturated + estimate.evidence.windows.both >= 1)
  assert.deepEqual(ScalabilitySchema.parse(estimate), estimate)
})
