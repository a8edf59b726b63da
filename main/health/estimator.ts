/**
 * The p estimator: a pure state machine fed one sample per window (1 s on a node) with what a node
 * can observe — the busy fraction of its N parallel resources and its sequential resource's lock
 * counters — and asked for the current estimate. It never invents a number: with no contention
 * window seen, p is null.
 *
 * Two estimates are kept side by side:
 * - paper: the seed paper's method, p = (N·U − 1)/(N·U) over windows where the sequential resource
 *   was saturated (Us = 1).
 * - corrected (beyond the paper): the paper's formula silently assumes that the holder of the
 *   sequential resource always runs. When the parallel resources contend too (high p), the holder
 *   also queues for a CPU, its hold stretches, throughput drops, and N·U caps at N, so the paper's
 *   estimate cannot exceed (N − 1)/N. The corrected estimate uses the utilisation law with the
 *   measured hold instead of assuming Us = 1, minus the time holders stalled for a parallel
 *   resource: p = 1 − (hold − stall)/(N·U·T). It is valid in saturated windows and in windows where
 *   only the parallel resources contend.
 * The paper's estimate is recommended while most contention windows are clean (sequential
 * saturated, parallel not contending), where it needs no stall measurement; otherwise the
 * corrected one.
 */
import { parallelFractionAtSaturation, parallelFractionFromWork, speedupCurve, throughputBounds, type SpeedupPoint } from './amdahl.ts'
import type { ContentionCounters } from './contention-meter.ts'
import {
  ESTIMATE_HISTORY,
  MIN_ACQUISITIONS_PER_WINDOW,
  PAPER_RECOMMENDED_CLEAN_SHARE,
  PARALLEL_CONTENTION_STALL_SHARE,
  PARALLEL_CONTENTION_UTILISATION,
  SATURATED_FRACTION,
} from './constants.ts'
import { WindowRing } from './window-ring.ts'

/** The sequential resource over one window: differences of two lock counter readings. */
export interface SequentialWindow {
  acquisitions: number
  /** Time held (∫ permits in use dt), ms. */
  holdMs: number
  /** Time busy (all permits in use), ms. */
  busyMs: number
  /** Time busy with requests queued, ms. */
  contendedMs: number
}

export interface ScalabilitySample {
  /** End of the window, ms on the caller's clock (Date.now() on a node). */
  at: number
  durationMs: number
  /** N: parallel resources during the window (cores, or worker threads). */
  n: number
  /** U: mean busy fraction of the N parallel resources over the window, 0…1. */
  utilisation: number
  sequential: SequentialWindow
  /**
   * Time, within the window's holds, that holders waited for a parallel resource instead of
   * running (run-queue or pool-queue stall), ms. Omit when unknown: the corrected estimate then
   * assumes none.
   */
  stallMs?: number
}

export type WindowKind = 'quiet' | 'light' | 'saturated' | 'parallel' | 'both'

export interface WindowVerdict {
  /**
   * quiet: too few acquisitions to judge; light: no contention; saturated: only the sequential
   * resource saturated (the paper's clean case); parallel: only the parallel resources contend;
   * both: saturated while the parallel resources contend.
   */
  kind: WindowKind
  /** The paper's per-window estimate (saturated windows only). */
  paper: number | null
  /** The corrected per-window estimate (any contention window). */
  corrected: number | null
}

export type EstimateMethod = 'paper' | 'corrected'

export interface MethodEstimate {
  /** Median of the retained per-window estimates, clamped to [0, 1]; null with no window. */
  p: number | null
  /** Windows behind p. */
  samples: number
  /** Interquartile range of the per-window estimates. */
  spread: number | null
  updatedAt: number | null
}

export interface ScalabilityEstimate extends MethodEstimate {
  /** Parallel resources of the latest sample. */
  N: number
  /** Milliseconds since updatedAt, when snapshot() was given the time. */
  ageMs: number | null
  /** Which estimate p is (null with no contention seen yet). */
  method: EstimateMethod | null
  /** Amdahl's speedup for n = 1…16 from p; empty when p is null. */
  speedup: SpeedupPoint[]
  paper: MethodEstimate
  corrected: MethodEstimate
  /** D: median CPU demand per acquisition over contention windows (N·U·T / acquisitions), ms. */
  demandMs: number | null
  /** The paper's asymptotic bounds from p and D, requests per second (the client bound needs Nc, Z). */
  bounds: { sequential: number; parallel: number; max: number } | null
  evidence: {
    /** Samples observed, by kind. */
    windows: Record<WindowKind, number>
    /** Share of the retained contention windows that were clean (saturated only). */
    cleanShare: number | null
    /** Whether stall was reported by the samples (needed for the corrected estimate at high p). */
    stallReported: boolean
  }
  /** Set when p is null. */
  reason: 'no-contention-yet' | null
}

/** The sequential part of a sample from two readings of a lock's counters. */
export function sequentialWindow(from: ContentionCounters, to: ContentionCounters): SequentialWindow {
  return {
    acquisitions: to.acquisitions - from.acquisitions,
    holdMs: to.holdMs - from.holdMs,
    busyMs: to.busyMs - from.busyMs,
    contendedMs: to.contendedMs - from.contendedMs,
  }
}

/** Judges one window; pure. */
export function judgeWindow(sample: ScalabilitySample): WindowVerdict {
  const { sequential: s, durationMs, n, utilisation } = sample
  const work = n * utilisation * durationMs
  if (s.acquisitions < MIN_ACQUISITIONS_PER_WINDOW || work <= 0 || durationMs <= 0) return { kind: 'quiet', paper: null, corrected: null }
  const stall = sample.stallMs ?? 0
  const saturated = s.busyMs >= SATURATED_FRACTION * durationMs && s.contendedMs > 0
  const parallel = stall > PARALLEL_CONTENTION_STALL_SHARE * s.holdMs || utilisation >= PARALLEL_CONTENTION_UTILISATION
  if (!saturated && !parallel) return { kind: 'light', paper: null, corrected: null }
  const kind: WindowKind = saturated ? (parallel ? 'both' : 'saturated') : 'parallel'
  return {
    kind,
    paper: saturated ? parallelFractionAtSaturation(n, utilisation) : null,
    corrected: parallelFractionFromWork(s.holdMs - stall, work),
  }
}

export interface ScalabilityEstimator {
  /** Feeds one window; returns how it was judged. */
  observe(sample: ScalabilitySample): WindowVerdict
  /** The current estimate; pass the current time (same clock as samples) to get ageMs. */
  snapshot(now?: number): ScalabilityEstimate
}

export interface EstimatorInit {
  /** Per-window estimates retained per method (bounded memory). */
  history?: number
}

export function createScalabilityEstimator({ history = ESTIMATE_HISTORY }: EstimatorInit = {}): ScalabilityEstimator {
  const paper = new WindowRing(history)
  const corrected = new WindowRing(history)
  const demand = new WindowRing(history)
  // 1 for a clean window, 0 for another contention window: the clean share.
  const clean = new WindowRing(history)
  const windows: Record<WindowKind, number> = { quiet: 0, light: 0, saturated: 0, parallel: 0, both: 0 }
  let n = 0
  let stallReported = false

  return {
    observe(sample) {
      const verdict = judgeWindow(sample)
      n = sample.n
      stallReported ||= sample.stallMs !== undefined
      windows[verdict.kind]++
      if (verdict.paper !== null) paper.push(sample.at, verdict.paper)
      if (verdict.corrected !== null) {
        corrected.push(sample.at, verdict.corrected)
        clean.push(sample.at, verdict.kind === 'saturated' ? 1 : 0)
        demand.push(sample.at, (sample.n * sample.utilisation * sample.durationMs) / sample.sequential.acquisitions)
      }
      return verdict
    },

    snapshot(now) {
      const byPaper = summarise(paper)
      const byCorrected = summarise(corrected)
      const cleanShare = clean.mean()
      const method: EstimateMethod | null =
        byPaper.p !== null && cleanShare !== null && cleanShare >= PAPER_RECOMMENDED_CLEAN_SHARE ? 'paper' : byCorrected.p !== null ? 'corrected' : null
      const chosen = method === 'paper' ? byPaper : method === 'corrected' ? byCorrected : summarise(null)
      const demandMs = demand.quantile(0.5)
      return {
        ...chosen,
        N: n,
        ageMs: now === undefined || chosen.updatedAt === null ? null : now - chosen.updatedAt,
        method,
        speedup: chosen.p === null ? [] : speedupCurve(chosen.p),
        paper: byPaper,
        corrected: byCorrected,
        demandMs,
        bounds: chosen.p === null || demandMs === null ? null : paperBounds(chosen.p, demandMs, n),
        evidence: { windows: { ...windows }, cleanShare, stallReported },
        reason: method === null ? 'no-contention-yet' : null,
      }
    },
  }
}

function summarise(ring: WindowRing | null): MethodEstimate {
  const median = ring?.quantile(0.5) ?? null
  if (ring === null || median === null) return { p: null, samples: 0, spread: null, updatedAt: null }
  return {
    p: Math.min(1, Math.max(0, median)),
    samples: ring.size,
    spread: (ring.quantile(0.75) ?? median) - (ring.quantile(0.25) ?? median),
    updatedAt: ring.latest(),
  }
}

function paperBounds(p: number, demandMs: number, n: number): ScalabilityEstimate['bounds'] {
  const { sequential, parallel, max } = throughputBounds({ demand: demandMs / 1000, p, n })
  return { sequential, parallel, max }
}
