import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  afterCheckpoint,
  currentInterval,
  nextCheckpointInterval,
  startIntervals,
  type CheckpointBounds,
  type CheckpointPolicy,
  type IntervalHistory,
} from '../../main/compute/checkpoint-interval.ts'
import { CHECKPOINT_BOUNDS } from '../../main/compute/sandbox/constants.ts'

const bounds: CheckpointBounds = CHECKPOINT_BOUNDS
const policy: CheckpointPolicy = { weight: 0.7, initialMs: 1_000 }

/** Feeds checkpoints of the given costs; returns the interval planned after each. */
function intervalsAfter(costs: number[], using: CheckpointPolicy = policy): number[] {
  let history: IntervalHistory = startIntervals(using, bounds)
  return costs.map((cost) => {
    history = afterCheckpoint(history, cost, using, bounds)
    return currentInterval(history, using, bounds)
  })
}

test("the seed's formula: Int_n = W·Int_{n−1} + (1−W)·Int_{n−2}", () => {
  assert.equal(nextCheckpointInterval(0.7, 1_000, 2_000), 0.7 * 1_000 + 0.3 * 2_000)
  assert.equal(nextCheckpointInterval(1, 1_000, 2_000), 1_000)
  assert.equal(nextCheckpointInterval(0, 1_000, 2_000), 2_000)
})

test('the first interval is the policy’s, and cheap checkpoints keep it', () => {
  assert.equal(currentInterval(startIntervals(policy, bounds), policy, bounds), policy.initialMs)
  const cheap = policy.initialMs * bounds.overheadShare * 0.5
  assert.deepEqual(intervalsAfter([cheap, cheap, cheap]), [policy.initialMs, policy.initialMs, policy.initialMs])
})

test('a costly checkpoint stretches the interval, weighted by W, until checkpointing costs its share', () => {
  const costly = 100
  const called = costly / bounds.overheadShare
  const [first, second, third] = intervalsAfter([costly, costly, costly])
  assert.equal(first, policy.weight * called + (1 - policy.weight) * policy.initialMs)
  assert.equal(second, called)
  assert.equal(third, called)
})

test('W decides how fast the interval follows a change in cost', () => {
  const costs = [100, 100]
  const eager = intervalsAfter(costs, { ...policy, weight: 0.9 })[0]!
  const steady = intervalsAfter(costs, { ...policy, weight: 0.1 })[0]!
  assert.ok(eager > steady)
})

test('the interval returns to the policy’s once checkpoints are cheap again', () => {
  const intervals = intervalsAfter([200, 200, 0, 0])
  assert.equal(intervals.at(-1), policy.initialMs)
})

test('the interval stays within its bounds whatever the policy and costs', () => {
  for (const weight of [0, 0.3, 1]) {
    for (const initialMs of [1, 1_000, 1e9]) {
      for (const interval of intervalsAfter([0, 1e9, 5, 1e12, 0], { weight, initialMs })) {
        assert.ok(interval >= bounds.minMs && interval <= bounds.maxMs, `${weight} ${initialMs} → ${interval}`)
      }
    }
  }
})
