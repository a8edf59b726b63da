import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { HealthSample } from '../../shared/api/health-schemas.ts'
import { HealthHistory, SECONDS_KEPT } from '../../main/health/sampling/history.ts'

function sample(at: number, machine: number): HealthSample {
  return {
    at,
    cpu: { cores: 2, perCore: [machine, machine], machine, process: machine / 2 },
    load: [0, 0, 0],
    memory: { totalBytes: 100, freeBytes: 50, processRssBytes: 10, heapUsedBytes: 5 },
    eventLoop: { delayMeanMs: 1, delayP99Ms: machine * 10, utilisation: 0.1 },
    disk: { storeBytes: at, freeBytes: 1, totalBytes: 2 },
    net: { inBytesPerSec: machine * 100, outBytesPerSec: 0 },
    peers: 1,
    jobs: { queued: 0, running: 0 },
    mirrorLag: [],
  }
}

test('the last hour is kept at one sample a second, oldest first, and no more', () => {
  const history = new HealthHistory()
  const start = 1_700_000_000_000
  for (let i = 0; i < SECONDS_KEPT + 10; i++) history.add(sample(start + i * 1000, 0.5))
  const seconds = history.get('second')
  assert.equal(seconds.length, SECONDS_KEPT)
  assert.equal(seconds[0]?.at, start + 10 * 1000)
  assert.equal(seconds.at(-1)?.at, start + (SECONDS_KEPT + 9) * 1000)
  assert.equal(history.latest()?.at, seconds.at(-1)?.at)
  assert.deepEqual(history.get('second', start + (SECONDS_KEPT + 7) * 1000).map((s) => s.at), [start + (SECONDS_KEPT + 8) * 1000, start + (SECONDS_KEPT + 9) * 1000])
})

test('beyond the hour, each minute is one sample: shares and rates averaged, peaks kept, levels as last seen', () => {
  const history = new HealthHistory()
  const minute = 60_000 * 28_333_333
  for (let s = 0; s < 60; s++) history.add(sample(minute + s * 1000, s < 30 ? 0.2 : 0.6))
  assert.deepEqual(history.get('minute'), [], 'a minute is written once it is over')
  history.add(sample(minute + 60_000, 0))
  const [averaged] = history.get('minute')
  assert.ok(averaged)
  assert.ok(Math.abs(averaged.cpu.machine - 0.4) < 1e-9)
  assert.ok(Math.abs(averaged.net.inBytesPerSec - 40) < 1e-9)
  assert.ok(Math.abs(averaged.eventLoop.delayP99Ms - 6) < 1e-9, 'the worst delay of the minute')
  assert.equal(averaged.disk.storeBytes, minute + 59_000, 'levels are the last reading')
})
