/** The public protocols' token buckets: per peer, shared by all, refilled with time. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRateLimiter } from '../../main/p2p/rate-limit.ts'

const RATE = { perPeer: { burst: 3, perSecond: 1 }, total: { burst: 5, perSecond: 10 }, maxPeers: 2 }
const takes = (limiter: ReturnType<typeof createRateLimiter>, peer: string, count: number, now: number): boolean[] =>
  Array.from({ length: count }, () => limiter.take(peer, now))

test('a peer gets its burst, then one a second', () => {
  const limiter = createRateLimiter(RATE)
  assert.deepEqual(takes(limiter, 'a', 4, 0), [true, true, true, false])
  assert.deepEqual(takes(limiter, 'a', 2, 1000), [true, false])
})

test('all peers together get no more than the total', () => {
  const limiter = createRateLimiter({ ...RATE, maxPeers: 10 })
  assert.deepEqual([...takes(limiter, 'a', 3, 0), ...takes(limiter, 'b', 3, 0)], [true, true, true, true, true, false])
  assert.deepEqual(takes(limiter, 'c', 1, 100), [true])
})

test('only the most recent peers are remembered; a forgotten one starts full again', () => {
  const limiter = createRateLimiter(RATE)
  takes(limiter, 'a', 3, 0)
  takes(limiter, 'b', 1, 0)
  takes(limiter, 'c', 1, 0)
  // 100 ms later the total has a token again, but a remembered 'a' would not.
  assert.equal(limiter.take('a', 100), true)
})
