/** Shared figures of the benchmarks and simulations: one JSON object with --json, else an indented readable dump. */
import type { ScalabilityEstimate } from '../main/health/estimator.ts'

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

const round = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value)

export function printFigures(json: boolean, figures: Record<string, unknown>): void {
  if (json) {
    process.stdout.write(JSON.stringify(figures, round) + '\n')
    return
  }
  process.stdout.write(JSON.stringify(figures, round, 2).replace(/[{}",]/g, '').replace(/\n\s*\n/g, '\n') + '\n')
}

/** How an estimate of p compares with the p injected into a workload or a simulation. */
export function estimateRow(injected: number, estimate: ScalabilityEstimate) {
  const error = (p: number | null): number | null => (p === null ? null : p - injected)
  return {
    injected,
    estimated: estimate.p,
    error: error(estimate.p),
    method: estimate.method,
    samples: estimate.samples,
    spread: estimate.spread,
    paper: estimate.paper.p,
    paperError: error(estimate.paper.p),
    paperSamples: estimate.paper.samples,
    corrected: estimate.corrected.p,
    correctedError: error(estimate.corrected.p),
  }
}
