/**
 * The adaptive checkpoint interval of the Grid OS seed: Int_n = W·Int_{n−1} + (1−W)·Int_{n−2}.
 *
 * How the two previous intervals are fed, so that the interval adapts and stays bounded: after
 * each checkpoint, the interval that checkpoint calls for is the policy's initial interval,
 * stretched when taking the checkpoint cost more than `overheadShare` of it (cost / share), and
 * clamped to [minMs, maxMs]. The next interval is the seed's weighted sum of the last two of
 * those: W near 1 follows the latest checkpoint's cost, W near 0 the one before it, and with
 * W in [0, 1] the result never leaves the bounds. Cheap checkpoints keep the policy's interval;
 * a growing state stretches it so that checkpointing never eats more than its share of the run.
 *
 * Every function here is self-contained (no outer references): the sandbox's worker program
 * carries their source text (see sandbox/worker.ts).
 */

/** W and the first interval, from the VO's policy. */
export interface CheckpointPolicy {
  /** W in [0, 1]: the weight of the newest interval. */
  weight: number
  /** The first interval, and the one cheap checkpoints keep, in ms. */
  initialMs: number
}

export interface CheckpointBounds {
  minMs: number
  maxMs: number
  /** The largest share of the run time taking checkpoints may cost, e.g. 0.02. */
  overheadShare: number
}

/** The interval planner's whole state: the last two intervals fed to the formula (ms). */
export interface IntervalHistory {
  previous: number
  beforePrevious: number
}

/** The seed's formula: Int_n = W·Int_{n−1} + (1−W)·Int_{n−2}. */
export function nextCheckpointInterval(weight: number, previous: number, beforePrevious: number): number {
  return weight * previous + (1 - weight) * beforePrevious
}

/** Before the first checkpoint both previous intervals are the policy's first interval. */
export function startIntervals(policy: CheckpointPolicy, bounds: CheckpointBounds): IntervalHistory {
  const first = Math.min(bounds.maxMs, Math.max(bounds.minMs, policy.initialMs))
  return { previous: first, beforePrevious: first }
}

/** The interval to wait before the next checkpoint. */
export function currentInterval(history: IntervalHistory, policy: CheckpointPolicy, bounds: CheckpointBounds): number {
  const next = nextCheckpointInterval(policy.weight, history.previous, history.beforePrevious)
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, next))
}

/** Feeds a checkpoint that took `costMs` to take: the interval it calls for becomes Int_{n−1}. */
export function afterCheckpoint(
  history: IntervalHistory,
  costMs: number,
  policy: CheckpointPolicy,
  bounds: CheckpointBounds,
): IntervalHistory {
  const called = Math.min(bounds.maxMs, Math.max(bounds.minMs, policy.initialMs, costMs / bounds.overheadShare))
  return { previous: called, beforePrevious: history.previous }
}
