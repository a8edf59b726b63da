/**
 * A deterministic discrete-event simulation of the paper's Fig. 2 model — one sequential
 * resource, N parallel resources, Nc closed-loop clients with think time Z — that feeds the
 * estimator exactly the samples a node would produce, plus the what-if built on it.
 *
 * Model choice (why the injected p is Amdahl's p): every request is a thread of CPU work of mean
 * demand D. A share 1 − p of it runs while holding the sequential resource (a FIFO lock; waiting
 * for it costs no CPU, like a futex), the rest, p·D, runs outside it; both parts run on the N
 * CPUs. So p is the share of a request's work that can overlap with other requests, and with the
 * lock saturated throughput is 1/((1 − p)·D) while every request burns D of CPU: N·U = 1/(1 − p),
 * the paper's relation. Had the sequential part run on a resource of its own, off the CPUs,
 * N·U would be p/(1 − p) and the paper's formula would not give back the injected p. The CPUs are
 * a FIFO pool of N servers (a worker pool; the OS would be processor sharing), shared by both
 * parts, so at high p the lock holder queues behind parallel work — the contention that breaks
 * the paper's formula. Demands and think times are exponential. A request takes the lock first,
 * then does its parallel part (a sequencer or commit, then the work it released).
 *
 * The estimator sees only what a node could observe: CPU busy time, the lock's own counters, and
 * how long the tasks submitted while holding the lock waited in the pool's queue (the holder's
 * stall; a pool knows when its caller holds a lock) — never p.
 */
import { exponential, seededRandom } from '../util/random.ts'
import { speedup, throughputBounds, type ThroughputBounds } from './amdahl.ts'
import { emptyCounters } from './contention-meter.ts'
import { WINDOW_MS } from './constants.ts'
import { createScalabilityEstimator, sequentialWindow, type ScalabilityEstimate, type WindowKind } from './estimator.ts'
import { InstrumentedLock } from './instrumented-lock.ts'

export interface SimulationInit {
  /** N: parallel resources (CPUs). */
  cpus: number
  /** Nc: closed-loop clients. */
  clients: number
  /** The injected parallel fraction. */
  p: number
  /** D: mean CPU demand per request, ms. */
  demandMs?: number
  /** Z: mean think time, ms. */
  thinkMs?: number
  windowMs?: number
  /** Windows fed to the estimator, after the warm-up ones. */
  windows?: number
  warmupWindows?: number
  seed?: number
}

export interface SimulationResult {
  estimate: ScalabilityEstimate
  /** Completed requests per second over the measured windows. */
  throughput: number
  /** Mean U over the measured windows. */
  utilisation: number
  kinds: Record<WindowKind, number>
}

/** Pending events ordered by time, then by scheduling order (so same-time events run FIFO). */
class EventQueue {
  private readonly heap: Array<{ t: number; seq: number; run: () => void }> = []
  private seq = 0
  now = 0

  at(t: number, run: () => void): void {
    const heap = this.heap
    heap.push({ t, seq: this.seq++, run })
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i]!, heap[parent]!)) break
      ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
      i = parent
    }
  }

  /** Runs events until the queue is empty or the next one is after `until`. */
  runUntil(until: number): void {
    const heap = this.heap
    while (heap.length > 0 && heap[0]!.t <= until) {
      const top = heap[0]!
      const last = heap.pop()!
      if (heap.length > 0) {
        heap[0] = last
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          const r = l + 1
          let m = i
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l
          if (r < heap.length && before(heap[r]!, heap[m]!)) m = r
          if (m === i) break
          ;[heap[i], heap[m]] = [heap[m]!, heap[i]!]
          i = m
        }
      }
      this.now = top.t
      top.run()
    }
    this.now = until
  }
}

function before(a: { t: number; seq: number }, b: { t: number; seq: number }): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}

interface Task {
  demand: number
  submitted: number
  /** Submitted by the lock's holder: its queue wait is stall. */
  underLock: boolean
  done: () => void
}

/** N servers with one FIFO queue; accounts busy time and the holder's stall for the samples. */
class CpuPool {
  private readonly queue: Task[] = []
  private busy = 0
  private lastChange = 0
  /** ∫ busy servers dt, and queue waits of tasks submitted under the lock, since the last reset. */
  busyMs = 0
  stallMs = 0
  private readonly events: EventQueue
  private readonly servers: number

  constructor(events: EventQueue, servers: number) {
    this.events = events
    this.servers = servers
  }

  submit(task: Task): void {
    if (this.busy < this.servers) this.start(task)
    else this.queue.push(task)
  }

  /** Integrates busy time up to now. */
  advance(): void {
    this.busyMs += this.busy * (this.events.now - this.lastChange)
    this.lastChange = this.events.now
  }

  private start(task: Task): void {
    this.advance()
    this.busy++
    if (task.underLock) this.stallMs += this.events.now - task.submitted
    this.events.at(this.events.now + task.demand, () => {
      this.advance()
      this.busy--
      const next = this.queue.shift()
      if (next) this.start(next)
      task.done()
    })
  }
}

export function simulate(init: SimulationInit): SimulationResult {
  const { cpus, clients, p, demandMs = 10, thinkMs = 10, windowMs = WINDOW_MS, windows = 60, warmupWindows = 2, seed = 1 } = init
  const random = seededRandom(seed)
  const events = new EventQueue()
  const pool = new CpuPool(events, cpus)
  const lock = new InstrumentedLock({ now: () => events.now })
  const estimator = createScalabilityEstimator()
  let completed = 0
  const finish = (): void => {
    completed++
    cycle()
  }
  const cycle = (): void => {
    events.at(events.now + exponential(random, thinkMs), () =>
      lock.request(() =>
        // The grant runs after the releaser's own next step, as a resolved promise would.
        events.at(events.now, () =>
          pool.submit({
            demand: exponential(random, (1 - p) * demandMs),
            submitted: events.now,
            underLock: true,
            done: () => {
              lock.release()
              pool.submit({ demand: exponential(random, p * demandMs), submitted: events.now, underLock: false, done: finish })
            },
          }),
        ),
      ),
    )
  }
  for (let i = 0; i < clients; i++) cycle()

  let before = emptyCounters()
  let after = emptyCounters()
  let measuredCompleted = 0
  let utilisationSum = 0
  for (let w = 0; w < warmupWindows + windows; w++) {
    const start = events.now
    const completedBefore = completed
    events.runUntil(start + windowMs)
    pool.advance()
    lock.counters(after)
    const utilisation = pool.busyMs / (cpus * windowMs)
    const sequential = sequentialWindow(before, after)
    if (w >= warmupWindows) {
      estimator.observe({ at: events.now, durationMs: windowMs, n: cpus, utilisation, sequential, stallMs: pool.stallMs })
      measuredCompleted += completed - completedBefore
      utilisationSum += utilisation
    }
    ;[before, after] = [after, before]
    pool.busyMs = 0
    pool.stallMs = 0
  }
  const estimate = estimator.snapshot(events.now)
  return {
    estimate,
    throughput: (measuredCompleted * 1000) / (windows * windowMs),
    utilisation: utilisationSum / windows,
    kinds: estimate.evidence.windows,
  }
}

export interface WhatIfInit {
  /** The current estimate of p. */
  p: number
  /** D: CPU demand per request, ms (the estimate's demandMs). */
  demandMs: number
  /** Z: think time of the clients, ms. */
  thinkMs: number
  /** Core counts to predict for. */
  cpus: number[]
  /** Client counts to predict for. */
  clients: number[]
  seed?: number
}

export interface WhatIfRow {
  cpus: number
  clients: number
  /** Amdahl's speedup at this many cores. */
  speedup: number
  /** The paper's bounds, requests per second. */
  bounds: ThroughputBounds
  /** Throughput of the Fig. 2 model with these parameters, requests per second. */
  simulatedThroughput: number
}

/** Predicted speedup and throughput for other core and client counts, from a current estimate. */
export function whatIf({ p, demandMs, thinkMs, cpus, clients, seed = 1 }: WhatIfInit): WhatIfRow[] {
  return cpus.flatMap((n) =>
    clients.map((nc) => ({
      cpus: n,
      clients: nc,
      speedup: speedup(n, p),
      bounds: throughputBounds({ demand: demandMs / 1000, p, n, clients: nc, think: thinkMs / 1000 }),
      simulatedThroughput: simulate({ cpus: n, clients: nc, p, demandMs, thinkMs, windows: 20, seed }).throughput,
    })),
  )
}
