/** The availability score that elections rank nodes by, and the ranking itself. */
import { SCORE_DECIMALS, SCORE_SATURATION, SCORE_WEIGHTS } from './constants.ts'
import type { PeerId } from './core.ts'

/** What a node knows about its own availability. */
export interface Availability {
  uptimeMs: number
  /** Cores and disk the user offers to the grid. */
  cores: number
  diskBytes: number
  /** CPU load, 0–1. */
  load: number
  onMains: boolean
}

const share = (value: number, full: number): number => Math.min(1, Math.max(0, value / full))

/** A weighted sum in [0, 1]; see SCORE_WEIGHTS for why these weights. */
export function availabilityScore(a: Availability): number {
  const w = SCORE_WEIGHTS
  const raw =
    w.uptime * share(a.uptimeMs, SCORE_SATURATION.uptimeMs) +
    w.mains * (a.onMains ? 1 : 0) +
    w.load * (1 - share(a.load, 1)) +
    w.cores * share(a.cores, SCORE_SATURATION.cores) +
    w.disk * share(a.diskBytes, SCORE_SATURATION.diskBytes)
  return Number(raw.toFixed(SCORE_DECIMALS))
}

/** Bully order: higher score first, ties broken by the greater peer id, so every node ranks alike. */
export function outranks(score: number, peer: PeerId, otherScore: number, other: PeerId): boolean {
  return score > otherScore || (score === otherScore && peer > other)
}
