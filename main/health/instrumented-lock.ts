/**
 * The FIFO mutex and counting semaphore the node uses around its sequential sections (group
 * sequencer, store commits, job result commits). Each optionally feeds a ContentionMeter, so the
 * scalability estimator can see when a section is saturated; without it the same code runs bare,
 * which is the baseline the overhead is measured against.
 */
import { performance } from 'node:perf_hooks'
import { ContentionMeter, type ContentionCounters, type ContentionWindow } from './contention-meter.ts'

export interface SemaphoreInit {
  /** Concurrent holders allowed; 1 makes a mutex. */
  permits?: number
  /** Record contention (default true). */
  instrumented?: boolean
  /** Clock in ms; a simulation passes its virtual clock. */
  now?: () => number
}

export interface LockStats {
  acquisitions: number
  totalWaitMs: number
  totalHoldMs: number
  maxWaiters: number
  waiters: number
}

const GRANTED: Promise<void> = Promise.resolve()

export class InstrumentedSemaphore {
  /** Undefined when not instrumented. */
  readonly meter: ContentionMeter | undefined
  private readonly permits: number
  private readonly now: () => number
  private inUse = 0
  // FIFO of waiters as a growable ring: callbacks and arrival times side by side.
  private grants: Array<(() => void) | undefined> = new Array<undefined>(8)
  private arrivals = new Float64Array(8)
  private head = 0
  private size = 0

  constructor({ permits = 1, instrumented = true, now = () => performance.now() }: SemaphoreInit = {}) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, got ${permits}`)
    this.permits = permits
    this.now = now
    this.meter = instrumented ? new ContentionMeter(permits) : undefined
  }

  /** Resolves once a permit is yours; call release() exactly once afterwards. */
  acquire(): Promise<void> {
    if (this.inUse < this.permits && this.size === 0) {
      this.take()
      return GRANTED
    }
    return new Promise((resolve) => this.enqueue(resolve))
  }

  /**
   * Callback form of acquire() for synchronous drivers (the simulator): `grant` runs now if a
   * permit is free, otherwise from the release() that hands it one.
   */
  request(grant: () => void): void {
    if (this.inUse < this.permits && this.size === 0) {
      this.take()
      grant()
    } else {
      this.enqueue(grant)
    }
  }

  release(): void {
    if (this.inUse === 0) throw new Error('release() without a matching acquire()')
    if (this.size === 0) {
      this.inUse--
      this.meter?.release(this.now())
      return
    }
    const slot = this.head
    const grant = this.grants[slot]
    const arrivedAt = this.arrivals[slot] ?? 0
    this.grants[slot] = undefined
    this.head = (this.head + 1) % this.grants.length
    this.size--
    if (this.meter) {
      const now = this.now()
      this.meter.handOff(now, now - arrivedAt)
    }
    grant?.()
  }

  /** Runs fn holding a permit. */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await fn()
    } finally {
      this.release()
    }
  }

  /** Cumulative counters up to now (see ContentionMeter.read); undefined when not instrumented. */
  counters(out?: ContentionCounters): ContentionCounters | undefined {
    return this.meter?.read(this.now(), out)
  }

  stats(): LockStats {
    const c = this.counters()
    return {
      acquisitions: c?.acquisitions ?? 0,
      totalWaitMs: c?.waitMs ?? 0,
      totalHoldMs: c?.holdMs ?? 0,
      maxWaiters: c?.maxWaiters ?? 0,
      waiters: this.size,
    }
  }

  /** Was the resource saturated (busy, with requests queued) throughout [t0, t1]? */
  saturatedDuring(t0: number, t1: number): boolean {
    return this.meter?.saturatedDuring(t0, t1) ?? false
  }

  /** Logged contention windows, newest first. */
  contentionWindows(): Iterable<ContentionWindow> {
    return this.meter?.windows() ?? []
  }

  private take(): void {
    this.inUse++
    this.meter?.acquire(this.now())
  }

  private enqueue(grant: () => void): void {
    if (this.size === this.grants.length) this.grow()
    const slot = (this.head + this.size) % this.grants.length
    this.grants[slot] = grant
    const now = this.meter ? this.now() : 0
    this.arrivals[slot] = now
    this.size++
    this.meter?.arrive(now)
  }

  private grow(): void {
    const grants = new Array<(() => void) | undefined>(this.grants.length * 2)
    const arrivals = new Float64Array(this.grants.length * 2)
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) % this.grants.length
      grants[i] = this.grants[from]
      arrivals[i] = this.arrivals[from] ?? 0
    }
    this.grants = grants
    this.arrivals = arrivals
    this.head = 0
  }
}

/** A FIFO mutex: an InstrumentedSemaphore with one permit. */
export class InstrumentedLock extends InstrumentedSemaphore {
  constructor(init: Omit<SemaphoreInit, 'permits'> = {}) {
    super({ ...init, permits: 1 })
  }
}
