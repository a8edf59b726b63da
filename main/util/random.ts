/**
 * Deterministic randomness for simulations and benchmarks: the same seed, the same run.
 */

/** mulberry32: a small seeded PRNG, enough for reproducible workloads. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An exponential draw of the given mean from a uniform source. */
export function exponential(random: () => number, mean: number): number {
  return -mean * Math.log(1 - random())
}
