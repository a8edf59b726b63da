import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InstrumentedLock, InstrumentedSemaphore } from '../../main/health/instrumented-lock.ts'

/** A clock the test moves by hand, so integrals are exact. */
function manualClock() {
  let t = 0
  return { now: () => t, set: (value: number) => void (t = value) }
}

test('waiters are counted and served in FIFO order under concurrent use', async () => {
  const clock = manualClock()
  const lock = new InstrumentedLock({ now: clock.now })
  const order: string[] = []
  const worker = async (name: string, release: Promise<void>): Promise<void> => {
    await lock.acquire()
    order.push(name)
    await release
    lock.release()
  }
  const gates = ['a', 'b', 'c', 'd'].map(() => Promise.withResolvers<void>())
  const running = ['a', 'b', 'c', 'd'].map((name, i) => worker(name, gates[i]!.promise))
  await Promise.resolve()
  assert.deepEqual(order, ['a'])
  assert.equal(lock.stats().waiters, 3)
  assert.equal(lock.stats().maxWaiters, 3)

  clock.set(10)
  gates[0]!.resolve()
  await running[0]
  await Promise.resolve()
  assert.deepEqual(order, ['a', 'b'])
  assert.equal(lock.stats().waiters, 2)

  clock.set(30)
  for (const gate of gates.slice(1)) gate.resolve()
  await Promise.all(running)
  assert.deepEqual(order, ['a', 'b', 'c', 'd'])
  const stats = lock.stats()
  assert.equal(stats.acquisitions, 4)
  assert.equal(stats.waiters, 0)
  assert.equal(stats.maxWaiters, 3)
  // b waited 10 ms; c and d waited 30 ms.
  assert.equal(stats.totalWaitMs, 70)
  assert.equal(stats.totalHoldMs, 30)
})

test('counters integrate hold, busy, contended and waiter time', () => {
  const clock = manualClock()
  const lock = new InstrumentedLock({ now: clock.now })
  const granted: number[] = []
  lock.request(() => granted.push(1)) // t = 0, held
  clock.set(5)
  lock.request(() => granted.push(2)) // queued
  clock.set(7)
  lock.request(() => granted.push(3)) // queued
  clock.set(10)
  lock.release() // hand-off to 2
  clock.set(12)
  lock.release() // hand-off to 3
  clock.set(20)
  lock.release() // free
  clock.set(25)
  assert.deepEqual(granted, [1, 2, 3])
  const c = lock.counters()!
  assert.equal(c.holdMs, 20)
  assert.equal(c.busyMs, 20)
  // Someone queued from 5 to 12.
  assert.equal(c.contendedMs, 7)
  // One waiter 5–7, two 7–10, one 10–12: 2 + 6 + 2.
  assert.equal(c.waiterMs, 10)
  assert.equal(c.waitMs, 5 + 5)
  assert.equal(c.at, 25)
})

test('contention windows are logged and answer "saturated during [t0, t1]?"', () => {
  const clock = manualClock()
  const lock = new InstrumentedLock({ now: clock.now })
  lock.request(() => {})
  clock.set(100)
  lock.release() // busy 0–100 with nobody waiting: not contention
  clock.set(200)
  lock.request(() => {})
  clock.set(210)
  lock.request(() => {})
  clock.set(300)
  lock.release()
  clock.set(400)
  lock.release() // busy 200–400 with a waiter: a contention window
  const windows = [...lock.contentionWindows()]
  assert.deepEqual(windows, [{ start: 200, end: 400, peakWaiters: 1 }])
  assert.equal(lock.saturatedDuring(250, 390), true)
  assert.equal(lock.saturatedDuring(150, 390), false)
  assert.equal(lock.saturatedDuring(10, 90), false)
})

test('a semaphore lets `permits` holders in and is busy only when all are taken', () => {
  const clock = manualClock()
  const semaphore = new InstrumentedSemaphore({ permits: 2, now: clock.now })
  let granted = 0
  semaphore.request(() => granted++)
  semaphore.request(() => granted++)
  semaphore.request(() => granted++)
  assert.equal(granted, 2)
  assert.equal(semaphore.stats().waiters, 1)
  clock.set(4)
  semaphore.release()
  assert.equal(granted, 3)
  clock.set(6)
  semaphore.release()
  const c = semaphore.counters()!
  assert.equal(c.busyMs, 6)
  assert.equal(c.holdMs, 2 * 6)
  assert.equal(c.inUse, 1)
})

test('release without acquire is refused; an uninstrumented lock still serialises', async () => {
  const bare = new InstrumentedLock({ instrumented: false })
  assert.throws(() => bare.release())
  assert.equal(bare.meter, undefined)
  let inside = 0
  let maxInside = 0
  await Promise.all(
    Array.from({ length: 5 }, () =>
      bare.run(async () => {
        maxInside = Math.max(maxInside, ++inside)
        await Promise.resolve()
        inside--
      }),
    ),
  )
  assert.equal(maxInside, 1)
})
