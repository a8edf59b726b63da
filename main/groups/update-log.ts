/**
 * The updates a member keeps in memory, in sequence order, to resend to a lagging backup and to
 * check that a backup's copy follows its own (the epoch of each seq). Bounded: a backup that lacks
 * an update no longer kept here needs a full resync.
 */
import type { Position, Update } from './messages.ts'

export interface UpdateLog {
  /** Adds the update following the last one. */
  append(update: Update): void
  get(seq: number): Update | undefined
  /** The epoch of update `seq` if known (kept, the base a snapshot started from, or 0 before the first). */
  epochAt(seq: number): number | undefined
  /** Updates from..to inclusive, or null if one of them is no longer kept. */
  range(from: number, to: number): Update[] | null
  /** Bytes of the kept updates from..to inclusive. */
  bytes(from: number, to: number): number
  /** Forgets everything: the copy now starts at `base` (a snapshot), whose history is unknown here. */
  reset(base: Position): void
}

/** `base`: the position whose epoch is known (the last applied update); `kept`: updates the adapter kept across a restart, in order. */
export function createUpdateLog(retention: number, base: Position, kept: Update[] = []): UpdateLog {
  const entries = new Map<number, Update>()
  let first = base
  const append = (update: Update): void => {
    entries.set(update.seq, update)
    // Maps iterate in insertion order, so the first key is the oldest kept update.
    while (entries.size > retention) {
      const [seq, oldest] = entries.entries().next().value!
      entries.delete(seq)
      first = { epoch: oldest.epoch, seq }
    }
  }
  for (const update of kept) append(update)

  return {
    append,
    get: (seq) => entries.get(seq),
    epochAt: (seq) => (seq === 0 ? 0 : seq === first.seq ? first.epoch : entries.get(seq)?.epoch),
    range(from, to) {
      const out: Update[] = []
      for (let seq = from; seq <= to; seq++) {
        const update = entries.get(seq)
        if (update === undefined) return null
        out.push(update)
      }
      return out
    },
    bytes(from, to) {
      let sum = 0
      for (let seq = from; seq <= to; seq++) sum += entries.get(seq)?.size ?? 0
      return sum
    },
    reset(base) {
      entries.clear()
      first = base
    },
  }
}
