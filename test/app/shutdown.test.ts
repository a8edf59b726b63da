import assert from 'node:assert/strict'
import { test } from 'node:test'
import { onceStopper, stopWithin } from '../../main/app/shutdown.ts'
import { GridNodeError } from '../../shared/errors.ts'

const never = (): Promise<void> => new Promise(() => undefined)

test('a stop that hangs is cut off with TIMEOUT', async () => {
  await assert.rejects(stopWithin(never, 20), (err: unknown) => err instanceof GridNodeError && err.code === 'TIMEOUT')
})

test('a quick stop resolves and leaves no timer behind', async () => {
  await stopWithin(async () => undefined, 60_000)
})

test('the node is stopped once however often quitting is asked', async () => {
  let calls = 0
  const stop = onceStopper(async () => {
    calls += 1
  }, 1_000)
  assert.deepEqual(await Promise.all([stop(), stop()]), [undefined, undefined])
  assert.equal(await stop(), undefined)
  assert.equal(calls, 1)
})

test('a failed or hung stop is reported as an error with a code', async () => {
  const failed = await onceStopper(async () => {
    throw new Error('disk gone')
  }, 1_000)()
  assert.equal(failed?.code, 'INTERNAL')
  const hung = await onceStopper(never, 20)()
  assert.equal(hung?.code, 'TIMEOUT')
})
