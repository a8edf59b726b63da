/**
 * The job ABI: what a module imports from the host and the exports the host calls (docs/jobs.md
 * tells module authors). The worker program gets these names through its workerData, since it
 * cannot import them (see worker.ts).
 */

export const ABI = {
  /** The only import namespace a job may use. */
  namespace: 'gridnode',
  /** Imported linear memory, sized by the host from the job's memory limit. */
  memory: 'memory',
  /** Optional import `progress(fraction: f64)`: the job reports how far it is, 0…1. */
  progress: 'progress',
  /**
   * Optional import `out_of_memory()`: a module calls it when memory.grow fails (returns -1); the
   * host stops the job with JOB_MEMORY. The host cannot see a failed grow by itself.
   */
  outOfMemory: 'out_of_memory',
  /** Step-driven (checkpointable) modules export these four beside their entry. */
  step: 'step',
  output: 'output',
  checkpoint: 'checkpoint',
  restore: 'restore',
} as const

export type AbiNames = typeof ABI

interface Signature {
  params: readonly string[]
  results: readonly string[]
}

const PAIR = ['i32', 'i32'] as const

/** Signatures, as (pointer, length) pairs of i32 in the imported memory. */
export const SIGNATURES = {
  /** A plain entry: the whole job in one call, `(inPtr, inLen) → (outPtr, outLen)`. */
  call: { params: PAIR, results: PAIR },
  /** A step-driven entry: takes the input, `(inPtr, inLen) → ()`; the work happens in steps. */
  init: { params: PAIR, results: [] },
  /** `step() → done`: a bounded slice of work; non-zero once the job is complete. */
  step: { params: [], results: ['i32'] },
  /** `output()` and `checkpoint()`: `() → (ptr, len)`. */
  bytes: { params: [], results: PAIR },
  /** `restore(statePtr, stateLen) → ()`, called after the entry on a resumed job. */
  restore: { params: PAIR, results: [] },
  progress: { params: ['f64'], results: [] },
  outOfMemory: { params: [], results: [] },
} as const satisfies Record<string, Signature>

export function hasSignature(type: Signature, expected: Signature): boolean {
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((value, i) => value === b[i])
  return same(type.params, expected.params) && same(type.results, expected.results)
}
