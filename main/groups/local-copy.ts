/**
 * This member's copy as the core sees it: updates are handed to the adapter (apply-update) strictly
 * in sequence order, each only right after the update it follows (same seq − 1 and epoch), and
 * count as stored once the adapter says they are durable (`applied`). Updates that arrive ahead of
 * a gap wait in a bounded buffer.
 */
import { BUFFER_LIMIT } from './constants.ts'
import type { Context } from './context.ts'
import type { Position, Update } from './messages.ts'
import type { UpdateLog } from './update-log.ts'

/** delivered: handed to the adapter (with any buffered ones it unblocked); duplicate: already had it; gap: buffered; diverged: does not follow this copy. */
export type Offered = 'delivered' | 'duplicate' | 'gap' | 'diverged'

export interface LocalCopy {
  readonly log: UpdateLog
  /** The last update the adapter stored durably. */
  applied(): Position
  /** The last update handed to the adapter. */
  delivered(): Position
  /** Hands the next update to the adapter: the sequencer's own updates. */
  deliver(update: Update): void
  /** An update from the acting primary. */
  offer(update: Update): Offered
  /** The adapter stored every update up to `seq`; false if that is no news. */
  markApplied(seq: number): boolean
  /** A full resync replaced the copy with the sender's as of `at`. */
  install(at: Position): void
  /** Forgets updates waiting ahead of a gap (they came from a primary that stopped acting). */
  dropBuffer(): void
}

export function createLocalCopy(ctx: Context, log: UpdateLog, applied: Position): LocalCopy {
  let delivered = applied
  const buffer = new Map<number, Update>()

  function deliver(update: Update): void {
    log.append(update)
    delivered = { epoch: update.epoch, seq: update.seq }
    ctx.effect({ type: 'apply-update', update })
  }

  function drain(): void {
    for (let next = buffer.get(delivered.seq + 1); next !== undefined; next = buffer.get(delivered.seq + 1)) {
      buffer.delete(next.seq)
      if (next.prevEpoch !== delivered.epoch) return buffer.clear() // from an older primary's stream: resent if needed
      deliver(next)
    }
  }

  return {
    log,
    applied: () => applied,
    delivered: () => delivered,
    deliver,
    offer(update) {
      if (update.seq <= delivered.seq) {
        const epoch = log.epochAt(update.seq)
        return epoch === undefined || epoch === update.epoch ? 'duplicate' : 'diverged'
      }
      if (update.seq > delivered.seq + 1) {
        if (buffer.size < BUFFER_LIMIT) buffer.set(update.seq, update)
        return 'gap'
      }
      if (update.prevEpoch !== delivered.epoch) return 'diverged'
      deliver(update)
      drain()
      return 'delivered'
    },
    markApplied(seq) {
      if (seq <= applied.seq || seq > delivered.seq) return false
      applied = { epoch: log.epochAt(seq) ?? delivered.epoch, seq }
      ctx.changed()
      return true
    },
    install(at) {
      applied = delivered = at
      log.reset(at)
      buffer.clear()
      ctx.changed()
    },
    dropBuffer: () => buffer.clear(),
  }
}
