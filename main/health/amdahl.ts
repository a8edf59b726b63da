/**
 * Amdahl's law and the paper's relations between it and what a node can measure.
 * p is the parallel fraction: the share of a request's CPU demand that may overlap with other
 * requests; 1 − p is serialised by a sequential resource (a lock).
 */
import { SPEEDUP_CURVE_MAX_N } from './constants.ts'

export interface SpeedupPoint {
  n: number
  speedup: number
}

/** Amdahl: speedup(N) = 1 / ((1 − p) + p/N). */
export function speedup(n: number, p: number): number {
  return 1 / (1 - p + p / n)
}

/** The Amdahl curve for n = 1…maxN. */
export function speedupCurve(p: number, maxN = SPEEDUP_CURVE_MAX_N): SpeedupPoint[] {
  return Array.from({ length: maxN }, (_, i) => ({ n: i + 1, speedup: speedup(i + 1, p) }))
}

/**
 * The paper's estimator: while the sequential resource is saturated (Us = 1) the N parallel
 * resources at utilisation U satisfy N·U = 1/(1 − p), so p = (N·U − 1)/(N·U).
 */
export function parallelFractionAtSaturation(n: number, utilisation: number): number {
  const busy = n * utilisation
  return (busy - 1) / busy
}

/**
 * The same relation without assuming saturation (utilisation law): p = 1 − sequential CPU work /
 * all CPU work over the same interval. The paper's formula is the case sequentialWork = interval.
 */
export function parallelFractionFromWork(sequentialWorkMs: number, totalWorkMs: number): number {
  return 1 - sequentialWorkMs / totalWorkMs
}

export interface BoundsInit {
  /** D: CPU demand of one request, in seconds. */
  demand: number
  p: number
  /** N: parallel resources (cores). */
  n: number
  /** Nc: closed-loop clients; omitted when unknown. */
  clients?: number
  /** Z: client think time, in seconds (0 when omitted). */
  think?: number
}

export interface ThroughputBounds {
  /** 1/(D(1 − p)): the sequential resource saturated. */
  sequential: number
  /** N/(D·p): the parallel resources saturated by the parallel part alone. */
  parallel: number
  /** Nc/(D + Z): every client always busy; Infinity when Nc is unknown. */
  clients: number
  /** The asymptotic bound: the least of the three, requests per second. */
  max: number
}

/** The paper's asymptotic throughput bounds: X ≤ min{1/(D(1−p)), N/(D·p), Nc/(D+Z)}. */
export function throughputBounds({ demand, p, n, clients, think = 0 }: BoundsInit): ThroughputBounds {
  const sequential = 1 / (demand * (1 - p))
  const parallel = n / (demand * p)
  const byClients = clients === undefined ? Infinity : clients / (demand + think)
  return { sequential, parallel, clients: byClients, max: Math.min(sequential, parallel, byClients) }
}
