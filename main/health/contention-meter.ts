/**
 * Sans-IO accounting of one sequential resource (a mutex or a counting semaphore): the lock tells
 * it what happened and when, and it keeps cumulative counters (integrated over time, like
 * /proc/stat) plus a bounded log of contention windows. Windows for the estimator are differences
 * of two counter readings, so the per-acquire cost is a few additions and no allocation.
 */
import { CONTENTION_LOG_CAPACITY } from './constants.ts'

/** Cumulative counters since the meter was made, integrated up to `at`. */
export interface ContentionCounters {
  /** Clock reading (ms) the integrals run up to. */
  at: number
  acquisitions: number
  /** Sum over acquisitions of the time spent queued. */
  waitMs: number
  /** ∫ permits in use dt; for a mutex, the time it was held. */
  holdMs: number
  /** Time with every permit in use (the resource busy: Us = 1). */
  busyMs: number
  /** Time with every permit in use and at least one request queued (saturation). */
  contendedMs: number
  /** ∫ queued requests dt; divided by a window's length, the mean number of waiters. */
  waiterMs: number
  maxWaiters: number
  waiters: number
  inUse: number
}

/** A busy period of the resource during which requests queued for it: the paper's Us = 1. */
export interface ContentionWindow {
  start: number
  end: number
  peakWaiters: number
}

export function emptyCounters(): ContentionCounters {
  return { at: 0, acquisitions: 0, waitMs: 0, holdMs: 0, busyMs: 0, contendedMs: 0, waiterMs: 0, maxWaiters: 0, waiters: 0, inUse: 0 }
}

export class ContentionMeter {
  readonly permits: number
  private readonly totals: ContentionCounters = emptyCounters()
  private readonly log: Float64Array
  private logNext = 0
  private logSize = 0
  /** Start of the current busy period, NaN when not busy. */
  private busySince = Number.NaN
  /** Peak waiters of the current busy period; 0 means nobody queued (yet). */
  private busyPeak = 0

  constructor(permits = 1, logCapacity = CONTENTION_LOG_CAPACITY) {
    this.permits = permits
    this.log = new Float64Array(logCapacity * 3)
  }

  /** A permit was free and taken at once. */
  acquire(now: number): void {
    this.advance(now)
    this.totals.acquisitions++
    this.totals.inUse++
    if (this.totals.inUse === this.permits) this.enterBusy(now)
  }

  /** A request found no free permit and queued. */
  arrive(now: number): void {
    this.advance(now)
    const waiters = ++this.totals.waiters
    if (waiters > this.totals.maxWaiters) this.totals.maxWaiters = waiters
    if (waiters > this.busyPeak) this.busyPeak = waiters
  }

  /** A released permit went straight to the longest waiter, who had waited `waitedMs`. */
  handOff(now: number, waitedMs: number): void {
    this.advance(now)
    this.totals.acquisitions++
    this.totals.waiters--
    this.totals.waitMs += waitedMs
  }

  /** A permit was released with nobody waiting. */
  release(now: number): void {
    this.advance(now)
    if (this.totals.inUse === this.permits) this.leaveBusy(now)
    this.totals.inUse--
  }

  /** The counters integrated up to `now`, copied into `out` (reuse it to avoid allocation). */
  read(now: number, out: ContentionCounters = emptyCounters()): ContentionCounters {
    this.advance(now)
    return Object.assign(out, this.totals)
  }

  /** True if a single contention window covered all of [t0, t1] (t1 ≤ now for the open one). */
  saturatedDuring(t0: number, t1: number): boolean {
    if (this.busyPeak > 0 && this.busySince <= t0) return true
    for (const window of this.windows()) {
      if (window.start <= t0 && window.end >= t1) return true
      if (window.end < t0) return false
    }
    return false
  }

  /** Logged contention windows, newest first (the open one is not included until it ends). */
  *windows(): Generator<ContentionWindow> {
    const capacity = this.log.length / 3
    for (let i = 1; i <= this.logSize; i++) {
      const slot = ((this.logNext - i + capacity) % capacity) * 3
      yield { start: this.log[slot] ?? 0, end: this.log[slot + 1] ?? 0, peakWaiters: this.log[slot + 2] ?? 0 }
    }
  }

  private advance(now: number): void {
    const dt = now - this.totals.at
    if (dt <= 0) return
    const t = this.totals
    t.at = now
    t.holdMs += t.inUse * dt
    t.waiterMs += t.waiters * dt
    if (t.inUse === this.permits) {
      t.busyMs += dt
      if (t.waiters > 0) t.contendedMs += dt
    }
  }

  private enterBusy(now: number): void {
    this.busySince = now
    this.busyPeak = this.totals.waiters
  }

  private leaveBusy(now: number): void {
    if (this.busyPeak > 0) {
      const slot = this.logNext * 3
      this.log[slot] = this.busySince
      this.log[slot + 1] = now
      this.log[slot + 2] = this.busyPeak
      this.logNext = (this.logNext + 1) % (this.log.length / 3)
      this.logSize = Math.min(this.logSize + 1, this.log.length / 3)
    }
    this.busySince = Number.NaN
    this.busyPeak = 0
  }
}
