/**
 * Feeds the estimator from a running node: once per window it reads the counters of the node's
 * instrumented locks (its sequential sections) and the CPU share of its process (the N parallel
 * resources), and turns the estimate into the API's shape.
 */
import type { Scalability, WhatIf } from '../../shared/api/health-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { emptyCounters, type ContentionCounters } from './contention-meter.ts'
import { createScalabilityEstimator, sequentialWindow, type MethodEstimate, type SequentialWindow } from './estimator.ts'
import type { InstrumentedSemaphore } from './instrumented-lock.ts'
import { whatIf as simulateWhatIf } from './simulator.ts'

export interface WhatIfQuestion {
  cpus: number[]
  clients: number[]
  thinkMs: number
  p?: number | undefined
  demandMs?: number | undefined
}

export interface ScalabilityMonitor {
  /** One window of `durationMs` ending at `at` (ms since the epoch) in which the N cores were `utilisation` busy. */
  observe(at: number, durationMs: number, n: number, utilisation: number): void
  snapshot(): Scalability
  whatIf(question: WhatIfQuestion): WhatIf
}

/** JSON has no Infinity: an unbounded rate travels as null. */
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null)
const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString())
/** Exactly the API's fields: what a node says in-process and over the wire must be the same. */
const method = ({ p, samples, spread, updatedAt }: MethodEstimate) => ({ p, samples, spread, updatedAt: iso(updatedAt) })

export function createScalabilityMonitor(locks: readonly InstrumentedSemaphore[]): ScalabilityMonitor {
  const estimator = createScalabilityEstimator()
  const previous = locks.map((lock) => lock.counters() ?? emptyCounters())

  /** The busiest sequential section of the window: the one that limits scaling. */
  const busiestWindow = (): SequentialWindow => {
    let busiest: SequentialWindow = { acquisitions: 0, holdMs: 0, busyMs: 0, contendedMs: 0 }
    locks.forEach((lock, i) => {
      const now: ContentionCounters = lock.counters() ?? emptyCounters()
      const window = sequentialWindow(previous[i] ?? now, now)
      previous[i] = now
      if (window.busyMs > busiest.busyMs) busiest = window
    })
    return busiest
  }

  const snapshot = (): Scalability => {
    const estimate = estimator.snapshot(Date.now())
    return {
      ...method(estimate),
      N: estimate.N,
      method: estimate.method,
      speedup: estimate.speedup,
      paper: method(estimate.paper),
      corrected: method(estimate.corrected),
      demandMs: estimate.demandMs,
      bounds:
        estimate.bounds === null
          ? null
          : { sequential: finite(estimate.bounds.sequential), parallel: finite(estimate.bounds.parallel), max: finite(estimate.bounds.max) },
      evidence: estimate.evidence,
      reason: estimate.reason,
    }
  }

  return {
    observe(at, durationMs, n, utilisation) {
      estimator.observe({ at, durationMs, n, utilisation, sequential: busiestWindow() })
    },
    snapshot,
    whatIf({ cpus, clients, thinkMs, p: givenP, demandMs: givenDemand }) {
      const current = estimator.snapshot()
      const p = givenP ?? current.p
      const demandMs = givenDemand ?? current.demandMs
      if (p === null || demandMs === null || demandMs <= 0) {
        throw new GridNodeError('NO_ESTIMATE', 'This node has seen no contention yet, so it has no estimate of p and D to answer from; give p and demandMs with the question.')
      }
      const rows = simulateWhatIf({ p, demandMs, thinkMs, cpus, clients }).map((row) => ({
        cpus: row.cpus,
        clients: row.clients,
        speedup: row.speedup,
        bounds: { sequential: finite(row.bounds.sequential), parallel: finite(row.bounds.parallel), clients: finite(row.bounds.clients), max: finite(row.bounds.max) },
        simulatedThroughput: row.simulatedThroughput,
      }))
      return { p, demandMs, source: givenP === undefined && givenDemand === undefined ? 'estimate' : 'given', rows }
    },
  }
}
